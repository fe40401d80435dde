#include "DemoServer.h"

#include "config/DataDir.h"
#include "logging/LogCategories.h"
#include "util/PrivateFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>

#include <sys/stat.h>

namespace ors {

namespace {

constexpr int kPollMs = 100;
constexpr int kStartTimeoutMs = 15000;
const QString kProgram = QStringLiteral("reso-sample-server");

QString portFile(const QString& folder) {
    return QDir(folder).filePath(QStringLiteral("server.port"));
}

} // namespace

DemoServer::DemoServer(QObject* parent)
    : QObject(parent) {
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &DemoServer::poll);
}

DemoServer::~DemoServer() {
    stop();
}

QString DemoServer::findProgram() {
    const QString configured = qEnvironmentVariable("OPENRESYNC_SAMPLE_SERVER");
    if (!configured.isEmpty())
        return QFileInfo(configured).isExecutable() ? configured : QString();
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString& candidate :
         {here.filePath(kProgram), here.filePath(QStringLiteral("../tests/fakereso/") + kProgram)}) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return QStandardPaths::findExecutable(kProgram);
}

QString DemoServer::folder(const QString& dataDir) {
    return QDir(dataDir).filePath(QStringLiteral("demo"));
}

QJsonObject DemoServer::source(const QString& serviceUrl) {
    return QJsonObject{
        {QStringLiteral("name"), sourceName()},
        {QStringLiteral("platform"), QStringLiteral("generic")},
        {QStringLiteral("serviceUrl"), serviceUrl},
        {QStringLiteral("pageSize"), 500},
        {QStringLiteral("resources"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")},
                                {QStringLiteral("expand"),
                                 QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Media")}}}}},
                    QJsonObject{{QStringLiteral("name"), QStringLiteral("Member")}}}},
        {QStringLiteral("destinations"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("local")},
                                {QStringLiteral("type"), QStringLiteral("sqlite")}}}},
        {QStringLiteral("schedules"),
         QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("*/5 * * * *")}}}},
    };
}

bool DemoServer::isRunning() const {
    return m_process && m_process->state() == QProcess::Running && !m_serviceUrl.isEmpty();
}

void DemoServer::start(const QString& dataDir, int preferredPort) {
    if (isRunning()) {
        Q_EMIT started(m_serviceUrl);
        return;
    }
    stop();
    m_folder = folder(dataDir);
    if (auto made = DataLayout::ensureDir(m_folder); !made) {
        Q_EMIT failed(tr("The demo folder %1 cannot be made: %2").arg(m_folder, made.errorMessage()));
        return;
    }
    m_preferredPort = preferredPort;
    launch(preferredPort);
}

void DemoServer::launch(int port) {
    const QString program = findProgram();
    if (program.isEmpty()) {
        Q_EMIT failed(tr("The sample RESO server (%1) is not installed beside OpenReSync, so the demo cannot "
                         "start. Reinstall the package, or set OPENRESYNC_SAMPLE_SERVER to its path.")
                          .arg(kProgram));
        return;
    }
    QFile::remove(portFile(m_folder));
    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments({QStringLiteral("--listings"), QString::number(kListings),
                             QStringLiteral("--port"), QString::number(port), QStringLiteral("--port-file"),
                             portFile(m_folder), QStringLiteral("--mutate-every"),
                             QString::number(kMutateEverySeconds)});
    const QString log = QDir(m_folder).filePath(QStringLiteral("server.log"));
    // Opened by Qt before the child's umask applies; a log that cannot be made is no reason to stop.
    (void)PrivateFiles::createFile(log);
    m_process->setStandardOutputFile(log, QIODevice::Append);
    m_process->setStandardErrorFile(log, QIODevice::Append);
    // Its port file and log live in the private data directory, and stay private.
    m_process->setChildProcessModifier([] { ::umask(077); });
    m_process->start();
    m_waitedMs = 0;
    m_poll.start();
}

void DemoServer::poll() {
    m_waitedMs += kPollMs;
    QFile file(portFile(m_folder));
    const QByteArray text = file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
    if (!text.isEmpty() && m_process->state() == QProcess::Running) {
        m_poll.stop();
        m_serviceUrl = QStringLiteral("http://127.0.0.1:%1/odata").arg(QString::fromLatin1(text));
        qCInfo(lcUi) << "demo server on" << m_serviceUrl;
        Q_EMIT started(m_serviceUrl);
        return;
    }
    if (m_process->state() == QProcess::NotRunning) {
        m_poll.stop();
        m_process->deleteLater();
        m_process = nullptr;
        // The port the demo source names is taken by now: any free one will do.
        if (m_preferredPort != 0) {
            m_preferredPort = 0;
            launch(0);
            return;
        }
        Q_EMIT failed(tr("The sample RESO server stopped at once; see %1.")
                          .arg(QDir(m_folder).filePath(QStringLiteral("server.log"))));
        return;
    }
    if (m_waitedMs >= kStartTimeoutMs) {
        stop();
        Q_EMIT failed(tr("The sample RESO server did not start within %1 seconds; see %2.")
                          .arg(kStartTimeoutMs / 1000)
                          .arg(QDir(m_folder).filePath(QStringLiteral("server.log"))));
    }
}

void DemoServer::stop() {
    m_poll.stop();
    m_serviceUrl.clear();
    if (!m_process)
        return;
    m_process->disconnect(this);
    m_process->terminate();
    if (!m_process->waitForFinished(3000)) {
        m_process->kill();
        m_process->waitForFinished(1000);
    }
    delete m_process;
    m_process = nullptr;
}

} // namespace ors
