#include "service/ControlChannel.h"

#include "logging/LogCategories.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>

#include <sys/socket.h>
#include <unistd.h>

namespace ors {

namespace {

// sun_path is 108 bytes on Linux, including the terminating NUL.
constexpr qsizetype kMaxSocketPath = 100;

QByteArray line(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject failure(const QString& message) {
    return QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("error"), message}};
}

// The next whole line of `buffer`, removed from it; nullopt while no newline has arrived.
std::optional<QByteArray> takeLine(QByteArray& buffer) {
    const qsizetype end = buffer.indexOf('\n');
    if (end < 0)
        return std::nullopt;
    QByteArray out = buffer.left(end);
    buffer.remove(0, end + 1);
    return out;
}

// Who is at the other end of a connected local socket (the kernel's word, not the client's).
struct Peer {
    uid_t uid = 0;
    pid_t pid = 0;
};

std::optional<Peer> peerOf(const QLocalSocket& socket) {
    ucred credentials{};
    socklen_t size = sizeof(credentials);
    if (::getsockopt(int(socket.socketDescriptor()), SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0)
        return std::nullopt;
    return Peer{credentials.uid, credentials.pid};
}

} // namespace

QString ControlChannel::socketPath(const QString& dataDir) {
    const QString absolute = QDir(dataDir).absolutePath();
    QString inside = QDir(absolute).filePath(QStringLiteral("control.sock"));
    if (QFile::encodeName(inside).size() <= kMaxSocketPath)
        return inside;
    const QByteArray digest =
        QCryptographicHash::hash(QFile::encodeName(absolute), QCryptographicHash::Sha256).toHex().left(20);
    return QDir(QDir::tempPath())
        .filePath(QStringLiteral("openresync-%1.sock").arg(QString::fromLatin1(digest)));
}

ControlServer::ControlServer(QObject* parent)
    : QObject(parent) {}

ControlServer::~ControlServer() {
    close();
}

Expected<void> ControlServer::listen(const QString& path) {
    close();
    // The lock first: every live instance holds it while it listens, so holding it proves the
    // socket file (if any) dead without asking it, and a hung instance cannot keep this thread
    // (the window's, at start) waiting for a reply. Only a refusal asks who is there, to say so.
    if (auto locked = m_lock.acquire(path + QStringLiteral(".lock"), QStringLiteral("control channel"));
        !locked) {
        if (const std::optional<QJsonObject> other = ControlClient::hello(path)) {
            const QString pid = other->value(QStringLiteral("pid")).toVariant().toString();
            const QString kind = other->value(QStringLiteral("kind")).toString();
            return makeError(QStringLiteral("%1: another instance (%2, process %3) already runs this data "
                                            "directory's schedules")
                                 .arg(path, kind.isEmpty() ? QStringLiteral("unknown") : kind, pid));
        }
        return makeError(QStringLiteral("%1: another instance is taking up the control channel (%2)")
                             .arg(path, locked.errorMessage()));
    }
    // We hold the lock: a socket file still there was left by a killed (or lock-less) program.
    QLocalServer::removeServer(path);
    auto* server = new QLocalServer(this);
    server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!server->listen(path)) {
        const QString reason = server->errorString();
        delete server;
        m_lock.release();
        return makeError(QStringLiteral("%1: cannot listen: %2").arg(path, reason));
    }
    // Only the owner may connect, whatever the socket options did on this platform.
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    connect(server, &QLocalServer::newConnection, this, &ControlServer::onNewConnection);
    m_server = server;
    m_path = path;
    qCInfo(lcService) << "control channel listening at" << path;
    return {};
}

void ControlServer::close() {
    if (!m_server)
        return;
    m_server->close();
    delete m_server; // its connections are its children and go with it
    m_server = nullptr;
    m_watchers.clear();
    QFile::remove(m_path);
    m_lock.release();
}

bool ControlServer::isListening() const {
    return m_server && m_server->isListening();
}

void ControlServer::setHandler(const QString& command, const Handler& handler) {
    m_handlers.insert(command, handler);
}

void ControlServer::broadcast(const QString& kind, QJsonObject fields) {
    fields.insert(QStringLiteral("event"), kind);
    const QByteArray text = line(fields);
    m_watchers.removeIf([](const QPointer<QLocalSocket>& socket) { return socket.isNull(); });
    for (const QPointer<QLocalSocket>& socket : std::as_const(m_watchers))
        socket->write(text);
}

void ControlServer::onNewConnection() {
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        // The socket file is the owner's alone, but a file mode is one mistake (a copied data
        // directory, a lax umask on the temporary fallback path) away from letting another user
        // run or cancel jobs; the kernel's peer credentials are checked on every connection.
        const std::optional<Peer> peer = peerOf(*socket);
        if (!peer || peer->uid != ::geteuid()) {
            const QString who = peer ? QStringLiteral("user %1 (process %2)").arg(peer->uid).arg(peer->pid)
                                     : QStringLiteral("a process whose user cannot be told");
            qCWarning(lcService).noquote()
                << QStringLiteral(
                       "control channel: refused a connection from %1; only its owner, user %2, may use it")
                       .arg(who)
                       .arg(::geteuid());
            socket->write(line(failure(
                QStringLiteral("the control channel of this instance accepts only its owner (user %1)")
                    .arg(::geteuid()))));
            socket->flush();
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromServer();
            continue;
        }
        m_buffers.insert(socket, {});
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QObject::destroyed, this, [this, socket] { m_buffers.remove(socket); });
    }
}

void ControlServer::onReadyRead(QLocalSocket* socket) {
    auto buffer = m_buffers.find(socket);
    if (buffer == m_buffers.end())
        return;
    buffer->append(socket->readAll());
    while (std::optional<QByteArray> request = takeLine(*buffer))
        socket->write(line(answer(*request, socket)));
    if (buffer->size() > ControlChannel::kMaxLine) {
        qCWarning(lcService) << "control channel: a request longer than" << ControlChannel::kMaxLine
                             << "bytes; closing that connection";
        buffer->clear();
        socket->disconnectFromServer();
    }
}

QJsonObject ControlServer::answer(const QByteArray& text, QLocalSocket* socket) {
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (!document.isObject())
        return failure(
            QStringLiteral("the request is not a JSON object (%1)")
                .arg(document.isNull() ? parseError.errorString() : QStringLiteral("not an object")));
    const QJsonObject request = document.object();
    const QString command = request.value(QStringLiteral("command")).toString();
    if (command.isEmpty())
        return failure(QStringLiteral("the request names no \"command\""));
    if (command == QLatin1String("hello")) {
        QJsonObject reply = m_identity;
        reply.insert(QStringLiteral("ok"), true);
        return reply;
    }
    if (command == QLatin1String("watch")) {
        m_watchers.append(socket);
        return QJsonObject{{QStringLiteral("ok"), true}};
    }
    const auto handler = m_handlers.constFind(command);
    if (handler == m_handlers.constEnd()) {
        QStringList known = m_handlers.keys();
        known << QStringLiteral("hello") << QStringLiteral("watch");
        known.sort();
        return failure(QStringLiteral("unknown command \"%1\" (known: %2)").arg(command, known.join(u", ")));
    }
    Expected<QJsonObject> reply = (*handler)(request);
    if (!reply)
        return failure(reply.errorMessage());
    if (!reply->contains(QStringLiteral("ok")))
        reply->insert(QStringLiteral("ok"), true);
    return *reply;
}

} // namespace ors

namespace ors {

namespace {

// One reply line from `socket` before the deadline.
Expected<QByteArray> readLine(QLocalSocket& socket, QByteArray& buffer, const QDeadlineTimer& deadline,
                              const QString& path) {
    while (true) {
        if (std::optional<QByteArray> reply = takeLine(buffer))
            return *reply;
        if (buffer.size() > ControlChannel::kMaxLine)
            return makeError(
                QStringLiteral("%1: a reply longer than %2 bytes").arg(path).arg(ControlChannel::kMaxLine));
        if (deadline.hasExpired())
            return makeError(QStringLiteral("%1: the instance did not reply in time").arg(path));
        const bool arrived = socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        const QByteArray more = socket.readAll();
        buffer.append(more);
        if (!arrived && more.isEmpty() && socket.state() != QLocalSocket::ConnectedState)
            return makeError(
                QStringLiteral("%1: the instance closed the connection without replying").arg(path));
    }
}

} // namespace

Expected<QJsonObject> ControlClient::request(const QString& path, const QJsonObject& request, int timeoutMs) {
    const QDeadlineTimer deadline(timeoutMs);
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(timeoutMs))
        return makeError(
            QStringLiteral("no instance is running for this data directory (nothing answers at %1)")
                .arg(path));
    socket.write(line(request));
    if (!socket.waitForBytesWritten(int(qMax<qint64>(1, deadline.remainingTime()))) &&
        socket.bytesToWrite() > 0)
        return makeError(QStringLiteral("%1: cannot send the request: %2").arg(path, socket.errorString()));
    QByteArray buffer;
    Expected<QByteArray> text = readLine(socket, buffer, deadline, path);
    if (!text)
        return text.error();
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(*text, &parseError);
    if (!document.isObject())
        return makeError(QStringLiteral("%1: the reply is not a JSON object").arg(path));
    QJsonObject reply = document.object();
    if (!reply.value(QStringLiteral("ok")).toBool())
        return makeError(
            reply.value(QStringLiteral("error")).toString(QStringLiteral("refused without a reason")));
    return reply;
}

std::optional<QJsonObject> ControlClient::hello(const QString& path, int timeoutMs) {
    if (!QFileInfo::exists(path))
        return std::nullopt;
    Expected<QJsonObject> reply =
        request(path, QJsonObject{{QStringLiteral("command"), QStringLiteral("hello")}}, timeoutMs);
    if (!reply)
        return std::nullopt;
    return *reply;
}

ControlWatcher::ControlWatcher(QObject* parent)
    : QObject(parent) {}

ControlWatcher::~ControlWatcher() = default;

bool ControlWatcher::connectTo(const QString& path, int timeoutMs) {
    delete m_socket;
    m_buffer.clear();
    m_socket = new QLocalSocket(this);
    m_socket->connectToServer(path);
    if (!m_socket->waitForConnected(timeoutMs)) {
        delete m_socket;
        m_socket = nullptr;
        return false;
    }
    connect(m_socket, &QLocalSocket::readyRead, this, [this] {
        m_buffer.append(m_socket->readAll());
        while (std::optional<QByteArray> text = takeLine(m_buffer)) {
            const QJsonObject fields = QJsonDocument::fromJson(*text).object();
            const QString kind = fields.value(QStringLiteral("event")).toString();
            if (!kind.isEmpty()) // the watch request's own reply carries no event
                Q_EMIT received(kind, fields);
        }
        if (m_buffer.size() > ControlChannel::kMaxLine)
            m_socket->disconnectFromServer();
    });
    connect(m_socket, &QLocalSocket::disconnected, this, &ControlWatcher::disconnected);
    m_socket->write(line(QJsonObject{{QStringLiteral("command"), QStringLiteral("watch")}}));
    return true;
}

bool ControlWatcher::isConnected() const {
    return m_socket && m_socket->state() == QLocalSocket::ConnectedState;
}

} // namespace ors
