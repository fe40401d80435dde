#pragma once

#include "store/SourceLock.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>

class QLocalServer;
class QLocalSocket;

namespace ors {

// The control channel of the instance that runs a data directory's schedules (`serve` or the
// desktop window): a local socket only its owner can open, speaking one JSON object per line.
// A request is {"command": NAME, ...}; every request gets exactly one reply line,
// {"ok": true, ...} or {"ok": false, "error": TEXT}. A client that sent {"command": "watch"}
// then also receives every event the instance broadcasts, as {"event": KIND, ...} lines, until
// it disconnects. Nothing on the channel carries a secret.
namespace ControlChannel {

// Where the socket of the instance for `dataDir` lives: <data>/control.sock, or, when that path
// is too long for a Unix socket (sun_path holds 108 bytes), a name in the temporary directory
// derived from the data directory's absolute path, so every program finds the same one.
QString socketPath(const QString& dataDir);

// The longest request or reply line accepted; a longer one closes the connection (no command
// or reply comes near it, so it can only be garbage).
inline constexpr qsizetype kMaxLine = 1 << 20;

} // namespace ControlChannel

// The serving side. Lives in the thread that owns the scheduler; handlers run there.
class ControlServer : public QObject {
    Q_OBJECT
public:
    // Answers one request; the reply's "ok" is added when missing. An error is returned as
    // {"ok": false, "error": message}.
    using Handler = std::function<Expected<QJsonObject>(const QJsonObject& request)>;

    explicit ControlServer(QObject* parent = nullptr);
    ~ControlServer() override;
    Q_DISABLE_COPY_MOVE(ControlServer)

    // Starts listening at `path`, owner-only. Fails, naming the path, when another live instance
    // answers there; a socket file nobody answers on (left by a killed instance) is replaced.
    Expected<void> listen(const QString& path);
    void close();
    bool isListening() const;
    QString path() const { return m_path; }

    // "hello" and "watch" are built in; every other command needs a handler.
    void setHandler(const QString& command, const Handler& handler);
    // What "hello" answers besides ok: e.g. pid, kind (serve | desktop), started.
    void setIdentity(const QJsonObject& identity) { m_identity = identity; }
    // Sends {"event": kind, ...fields} to every watching client.
    void broadcast(const QString& kind, QJsonObject fields = {});
    int watcherCount() const { return int(m_watchers.size()); }

private:
    void onNewConnection();
    void onReadyRead(QLocalSocket* socket);
    QJsonObject answer(const QByteArray& line, QLocalSocket* socket);

    QLocalServer* m_server = nullptr;
    // Held while listening: whoever holds it owns the socket path, so two instances starting
    // together cannot both decide the socket is stale and replace each other's.
    SourceLock m_lock;
    QString m_path;
    QJsonObject m_identity;
    QHash<QString, Handler> m_handlers;
    QList<QPointer<QLocalSocket>> m_watchers;
    QHash<QLocalSocket*, QByteArray> m_buffers; // what each connection sent after its last newline
};

// The asking side, for the CLI: one blocking request on its own connection.
class ControlClient {
public:
    // Sends `request` to the instance at `path` and returns its reply. An error names the path
    // when nothing answers there, and is the instance's own message when it refused.
    static Expected<QJsonObject> request(const QString& path, const QJsonObject& request,
                                         int timeoutMs = 10000);
    // What "hello" answers at `path`; nullopt when no instance answers (callers then run
    // in-process or say that nothing runs).
    static std::optional<QJsonObject> hello(const QString& path, int timeoutMs = 2000);
};

// A watching connection for a program that follows an instance's events (the window attached
// to a `serve`, `jobs --follow`): lives in its owner's event loop.
class ControlWatcher : public QObject {
    Q_OBJECT
public:
    explicit ControlWatcher(QObject* parent = nullptr);
    ~ControlWatcher() override;
    Q_DISABLE_COPY_MOVE(ControlWatcher)

    // Connects and sends "watch"; false when nothing answers at `path`.
    bool connectTo(const QString& path, int timeoutMs = 2000);
    bool isConnected() const;

Q_SIGNALS:
    void received(const QString& kind, const QJsonObject& fields);
    void disconnected();

private:
    QLocalSocket* m_socket = nullptr;
    QByteArray m_buffer;
};

} // namespace ors
