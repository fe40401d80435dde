// The welcome page's "Try with demo data" (DemoServer): the sample RESO server started on loopback,
// the demo source written into the configuration, reloaded and synced once. A window started on a
// configuration whose demo source it made before starts the server again, so the demo keeps working.
#include "config/ConfigWriter.h"
#include "DashboardPage.h"
#include "DemoServer.h"
#include "MainWindow.h"
#include "MessageBanner.h"

#include <QDir>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QUrl>

namespace ors {

namespace {

const QString kMessageKey = QStringLiteral("demo");

} // namespace

bool MainWindow::isDemoSource(const SourceConfig& source) const {
    return source.name == DemoServer::sourceName() &&
           QDir(DemoServer::folder(m_workspace.dataDir)).exists() &&
           QUrl(source.serviceUrl).host() == QLatin1String("127.0.0.1");
}

DemoServer* MainWindow::demoServer() {
    if (m_demo)
        return m_demo;
    m_demo = new DemoServer(this);
    connect(m_demo, &DemoServer::started, this, &MainWindow::onDemoStarted);
    connect(m_demo, &DemoServer::failed, this, [this](const QString& message) {
        m_messages->showMessage(MessageBanner::Level::Error, message, kMessageKey);
    });
    return m_demo;
}

void MainWindow::startDemo() {
    const SourceConfig* existing = m_workspace.source(DemoServer::sourceName());
    if (existing && !isDemoSource(*existing)) {
        m_messages->showMessage(MessageBanner::Level::Warning,
                                tr("A source named \"%1\" exists already and is not the demo; the demo needs "
                                   "that name. Rename or remove that source first.")
                                    .arg(DemoServer::sourceName()),
                                kMessageKey);
        return;
    }
    m_demoFirstSync = true;
    m_messages->showMessage(MessageBanner::Level::Info, tr("Starting the sample RESO server…"), kMessageKey);
    demoServer()->start(m_workspace.dataDir, existing ? QUrl(existing->serviceUrl).port(0) : 0);
}

void MainWindow::resumeDemo() {
    const SourceConfig* existing = m_workspace.source(DemoServer::sourceName());
    if (!existing || !isDemoSource(*existing))
        return;
    m_demoFirstSync = false;
    demoServer()->start(m_workspace.dataDir, QUrl(existing->serviceUrl).port(0));
}

void MainWindow::onDemoStarted(const QString& serviceUrl) {
    const SourceConfig* existing = m_workspace.source(DemoServer::sourceName());
    const bool first = std::exchange(m_demoFirstSync, false);
    if (existing && existing->serviceUrl == serviceUrl) {
        if (first) {
            showPage(DemoServer::sourceName());
            requestRun(DemoServer::sourceName(), ProcessType::Sync);
        }
        if (m_messages->key() == kMessageKey)
            m_messages->clear();
        return;
    }
    // A new demo, or the server found its old port taken: the source follows the server.
    const QString path = m_workspace.configPath;
    const QJsonObject source = DemoServer::source(serviceUrl);
    const QString replacing = existing ? DemoServer::sourceName() : QString();
    auto* writing = new QFutureWatcher<Expected<ConfigWriteResult>>(this);
    connect(writing, &QFutureWatcherBase::finished, this, [this, writing, first, serviceUrl] {
        const Expected<ConfigWriteResult> written = writing->result();
        writing->deleteLater();
        if (!written) {
            m_messages->showMessage(
                MessageBanner::Level::Error,
                tr("The demo source could not be written: %1").arg(written.errorMessage()), kMessageKey);
            return;
        }
        if (first)
            m_firstSync = DemoServer::sourceName();
        m_messages->showMessage(MessageBanner::Level::Info,
                                tr("Demo data: a sample RESO server with generated listings runs on %1 while "
                                   "this window is open. The source \"%2\" syncs it into a local SQLite file "
                                   "every 5 minutes; remove it with Source ▸ Remove… when you are done.")
                                    .arg(serviceUrl, DemoServer::sourceName()),
                                kMessageKey);
        reloadConfiguration();
    });
    writing->setFuture(QtConcurrent::run(
        [path, source, replacing] { return ConfigWriter::putSource(path, source, replacing); }));
}

} // namespace ors
