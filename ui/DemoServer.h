#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QTimer>

class QProcess;

namespace ors {

// The welcome page's "Try with demo data": the bundled sample RESO server (reso-sample-server,
// installed beside the programs) run on loopback as a child of the window, as `scripts/run --demo`
// does, so a user sees the product work without MLS credentials. It lives as long as the window;
// the demo source is written into the configuration and marked by its folder <data>/demo.
class DemoServer : public QObject {
    Q_OBJECT

public:
    static constexpr int kListings = 2000;
    static constexpr int kMutateEverySeconds = 30;

    explicit DemoServer(QObject* parent = nullptr);
    ~DemoServer() override;

    // The sample server's executable: $OPENRESYNC_SAMPLE_SERVER, beside this program, in a
    // development build's tree, or on PATH; empty when there is none.
    static QString findProgram();
    // <dataDir>/demo: the server's port file and log; its existence marks the demo source.
    static QString folder(const QString& dataDir);
    // The configuration's demo source for a server at `serviceUrl`.
    static QJsonObject source(const QString& serviceUrl);
    static QString sourceName() { return QStringLiteral("demo"); }

    // Starts the server, on `preferredPort` when it is free (so the demo source's URL stays),
    // else on any free port; started() or failed() follows.
    void start(const QString& dataDir, int preferredPort = 0);
    bool isRunning() const;
    QString serviceUrl() const { return m_serviceUrl; }

Q_SIGNALS:
    void started(const QString& serviceUrl);
    void failed(const QString& message);

private:
    void launch(int port);
    void poll();
    void stop();

    QProcess* m_process = nullptr;
    QTimer m_poll;
    QString m_folder;
    QString m_serviceUrl;
    int m_preferredPort = 0;
    int m_waitedMs = 0;
};

} // namespace ors
