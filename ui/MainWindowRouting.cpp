// The window's requests and their answers: runs, cancels and pauses routed to this program's
// queue and scheduler or to the attached instance, job outcomes, configuration reloads, and the
// File and Help menus' actions.
#include "JobBoard.h"
#include "logging/LogCategories.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "service/ControlChannel.h"
#include "service/ServiceHost.h"
#include "SourcePage.h"
#include "Translations.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QMessageBox>
#include <QtConcurrent/QtConcurrentRun>
#include <QUrl>

namespace ors {

namespace {

QString processTitle(const QString& process) {
    return process.isEmpty() ? process : process.at(0).toUpper() + process.mid(1);
}

// What a pool thread got back from the attached instance.
struct RemoteReply {
    QJsonObject reply;
    QString error;
};

// Who answered the probe of the control channel, from a pool thread.
struct Probe {
    std::optional<QJsonObject> hello;
    QString silence; // something took the connection but did not answer: what the request said
};

Probe probe(const QString& path, int timeoutMs) {
    Probe out;
    if (!QFileInfo::exists(path))
        return out;
    QElapsedTimer waited;
    waited.start();
    auto reply = ControlClient::request(
        path, QJsonObject{{QStringLiteral("command"), QStringLiteral("hello")}}, timeoutMs);
    if (reply)
        out.hello = *reply;
    else if (waited.elapsed() >= timeoutMs) // not a socket file left behind: a hung instance
        out.silence = reply.errorMessage();
    return out;
}

} // namespace

void MainWindow::startSchedules() {
    if (!m_workspace.config || m_host.isStarted() || isAttached() || m_probing)
        return;
    m_probing = true;
    const QString path = ControlChannel::socketPath(m_workspace.dataDir);
    auto* watcher = new QFutureWatcher<Probe>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        m_probing = false;
        const Probe answer = watcher->result();
        onProbed(answer.hello, path, answer.silence);
    });
    watcher->setFuture(QtConcurrent::run(probe, path, kProbeTimeoutMs));
}

void MainWindow::onProbed(const std::optional<QJsonObject>& hello, const QString& controlPath,
                          const QString& silence) {
    if (!m_workspace.config || m_host.isStarted() || isAttached()) {
        Q_EMIT schedulesSettled();
        return;
    }
    if (hello) {
        m_probedAgain = false;
        attachToInstance(*hello, controlPath);
        qCInfo(lcUi).noquote() << QStringLiteral("schedules run in %1 (process %2); this window runs none")
                                      .arg(hello->value(QStringLiteral("kind")).toString(),
                                           hello->value(QStringLiteral("pid")).toVariant().toString());
        Q_EMIT schedulesSettled();
        return;
    }
    if (runSchedulesHere(controlPath, silence))
        Q_EMIT schedulesSettled();
}

// Nobody answered: this window runs the schedules. The host takes the control channel's lock
// first, so a hung instance still holding it refuses without keeping the window waiting.
bool MainWindow::runSchedulesHere(const QString& controlPath, const QString& silence) {
    if (m_workspace.config)
        m_host.setConfig(*m_workspace.config, m_workspace.dataDir); // the one this window has now
    if (auto started = m_host.start(QStringLiteral("desktop")); !started) {
        // Another instance may have started between the probe and now: asked once more, the
        // window attaches to it.
        if (!m_probedAgain) {
            m_probedAgain = true;
            startSchedules();
            return false;
        }
        m_messages->showMessage(MessageBanner::Level::Error,
                                tr("The schedules could not be started: %1").arg(started.errorMessage()),
                                QStringLiteral("instance"));
        m_probedAgain = false;
        updateStatusBar();
        return true;
    }
    m_probedAgain = false;
    m_board->refresh();
    qCInfo(lcUi).noquote() << QStringLiteral("running the schedules of %1").arg(m_workspace.dataDir);
    if (!m_lostInstance.isEmpty())
        m_messages->showMessage(MessageBanner::Level::Warning,
                                tr("%1 stopped; this window runs the schedules now.").arg(m_lostInstance),
                                QStringLiteral("instance"));
    else if (!silence.isEmpty())
        m_messages->showMessage(MessageBanner::Level::Warning,
                                tr("No instance answered at %1 (%2); this window runs the schedules.")
                                    .arg(QDir::toNativeSeparators(controlPath), silence),
                                QStringLiteral("instance"));
    updateStatusBar();
    return true;
}

void MainWindow::takeOver() {
    if (!isAttached())
        return;
    m_lostInstance = m_remoteName;
    qCWarning(lcUi).noquote() << QStringLiteral("%1 went away; taking over its schedules").arg(m_remoteName);
    m_remotePath.clear();
    m_remoteName.clear();
    m_board->followLocalAgain();
    updateJobState();
    // Asks again: another window attached to the same instance may have taken over first.
    startSchedules();
}

void MainWindow::attachToInstance(const QJsonObject& hello, const QString& controlPath) {
    const QString pid = hello.value(QStringLiteral("pid")).toVariant().toString();
    m_remotePath = controlPath;
    m_remoteName = hello.value(QStringLiteral("kind")).toString() == QLatin1String("serve")
                       ? tr("openresync-cli serve (process %1)").arg(pid)
                       : tr("another OpenReSync window (process %1)").arg(pid);
    const bool watching = m_board->followRemote(controlPath);
    m_messages->showMessage(MessageBanner::Level::Info,
                            watching
                                ? tr("Schedules run in %1; this window runs none, sends its requests there "
                                     "and shows its jobs.")
                                      .arg(m_remoteName)
                                : tr("Schedules run in %1; this window runs none and sends its requests "
                                     "there (its jobs cannot be followed).")
                                      .arg(m_remoteName),
                            QStringLiteral("instance"));
    updateStatusBar();
}

void MainWindow::sendRemote(const QJsonObject& request, const QString& what, const QString& key) {
    auto* watcher = new QFutureWatcher<RemoteReply>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, request, what, key] {
        watcher->deleteLater();
        const RemoteReply answer = watcher->result();
        if (!answer.error.isEmpty()) {
            m_messages->showMessage(
                MessageBanner::Level::Error,
                tr("%1 could not be sent to %2: %3").arg(what, m_remoteName, answer.error), key);
            return;
        }
        const QString command = request.value(QStringLiteral("command")).toString();
        const QString source = request.value(QStringLiteral("source")).toString();
        QString text;
        if (command == QLatin1String("run")) {
            const QString outcome = answer.reply.value(QStringLiteral("outcome")).toString();
            text = outcome == QLatin1String("started") ? tr("%1 started in %2.").arg(what, m_remoteName)
                   : outcome == QLatin1String("already-queued")
                       ? tr("%1 is already queued in %2.").arg(what, m_remoteName)
                       : tr("%1 is queued in %2.").arg(what, m_remoteName);
        } else if (command == QLatin1String("cancel")) {
            text = answer.reply.value(QStringLiteral("cancelled")).toBool()
                       ? tr("%1 asked %2 to cancel the jobs of %3.").arg(what, m_remoteName, source)
                       : tr("%1 has no job in %2.").arg(source, m_remoteName);
        } else {
            text = tr("%1: done in %2.").arg(what, m_remoteName);
        }
        m_messages->showMessage(MessageBanner::Level::Info, text, key);
    });
    watcher->setFuture(QtConcurrent::run([path = m_remotePath, request] {
        auto reply = ControlClient::request(path, request);
        return reply ? RemoteReply{*reply, {}} : RemoteReply{{}, reply.errorMessage()};
    }));
}

void MainWindow::requestRun(const QString& source, ProcessType process, const JobOptions& options) {
    if (!m_workspace.source(source))
        return;
    const QString what = tr("%1 of %2").arg(processTitle(processLabel(process)), source);
    if (isAttached()) {
        sendRemote(QJsonObject{{QStringLiteral("command"), QStringLiteral("run")},
                               {QStringLiteral("source"), source},
                               {QStringLiteral("process"), processName(process)},
                               {QStringLiteral("allowLargeDelete"), options.allowLargeDelete}},
                   what, source);
        return;
    }
    m_failed.remove(source);
    switch (m_host.queue().enqueue(JobRequest{source, process, options, JobOrigin::Manual})) {
    case JobQueue::Enqueued::Started:
        if (SourcePage* page = sourcePage(source))
            page->setOutcome({});
        break;
    case JobQueue::Enqueued::Waiting:
        m_messages->showMessage(
            MessageBanner::Level::Info,
            tr("%1 is queued: it starts when the source's running job has ended and a slot is free.")
                .arg(what),
            source);
        break;
    case JobQueue::Enqueued::AlreadyQueued:
        m_messages->showMessage(MessageBanner::Level::Info, tr("%1 is already queued.").arg(what), source);
        break;
    case JobQueue::Enqueued::UnknownSource:
        m_messages->showMessage(MessageBanner::Level::Error,
                                tr("%1 is not in the configuration the jobs run from.").arg(source), source);
        break;
    case JobQueue::Enqueued::ShuttingDown:
        break;
    }
    updateJobState();
}

void MainWindow::requestCancel(const QString& source) {
    if (source.isEmpty())
        return;
    if (isAttached()) {
        sendRemote(QJsonObject{{QStringLiteral("command"), QStringLiteral("cancel")},
                               {QStringLiteral("source"), source}},
                   tr("Cancel"), source);
        return;
    }
    m_host.queue().cancel(source);
    updateJobState();
}

void MainWindow::requestCancelQueued(const QString& source, ProcessType process) {
    if (source.isEmpty())
        return;
    if (isAttached()) {
        sendRemote(QJsonObject{{QStringLiteral("command"), QStringLiteral("cancel")},
                               {QStringLiteral("source"), source},
                               {QStringLiteral("process"), processName(process)}},
                   tr("Cancel"), source);
        return;
    }
    m_host.queue().cancelQueued(source, process);
    updateJobState();
}

void MainWindow::requestPause(bool paused, const QString& source) {
    if (isAttached()) {
        QJsonObject request{
            {QStringLiteral("command"), paused ? QStringLiteral("pause") : QStringLiteral("resume")}};
        if (!source.isEmpty())
            request.insert(QStringLiteral("source"), source);
        const QString what = source.isEmpty()
                                 ? (paused ? tr("Pausing all schedules") : tr("Resuming all schedules"))
                                 : (paused ? tr("Pausing the schedules of %1").arg(source)
                                           : tr("Resuming the schedules of %1").arg(source));
        sendRemote(request, what, source);
        return;
    }
    Scheduler& scheduler = m_host.scheduler();
    if (source.isEmpty())
        paused ? scheduler.pause() : scheduler.resume();
    else
        paused ? scheduler.pauseSource(source) : scheduler.resumeSource(source);
}

void MainWindow::onJobFinished(const JobEntry&, const JobResult& result, bool cancelled) {
    const QString title = processTitle(processLabel(result.process));
    const QLocale locale;
    QString text;
    if (result.ok()) {
        m_failed.remove(result.source);
        text = tr("%1 of %2 finished: %3 records downloaded, %4 applied.")
                   .arg(title, result.source, locale.toString(result.recordsDownloaded),
                        locale.toString(result.recordsApplied));
        // A success never hides an error about another source.
        if (m_messages->isHidden() || m_messages->level() != MessageBanner::Level::Error ||
            m_messages->key() == result.source)
            m_messages->showMessage(MessageBanner::Level::Info, text, result.source);
    } else if (cancelled) {
        text = tr("%1 of %2 cancelled; the next %3 resumes where it stopped.")
                   .arg(title, result.source, result.process);
        m_messages->showMessage(MessageBanner::Level::Info, text, result.source);
    } else {
        m_failed.insert(result.source, result.error);
        text = tr("%1 of %2 failed: %3").arg(title, result.source, result.error);
        m_messages->showMessage(MessageBanner::Level::Error, text, result.source);
    }
    if (SourcePage* page = sourcePage(result.source))
        page->setOutcome(text);
    refreshSource(result.source);
    updateJobState();
}

void MainWindow::reloadConfiguration() {
    if (m_reloading)
        return;
    m_reloading = true;
    auto* watcher = new QFutureWatcher<Workspace>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_reloading = false;
        applyReload(watcher->result());
    });
    // The data directory stays: jobs, locks and the control channel live there.
    watcher->setFuture(QtConcurrent::run([config = m_workspace.configPath, data = m_workspace.dataDir] {
        return Workspace::load(config, data);
    }));
}

void MainWindow::applyReload(const Workspace& loaded) {
    if (!loaded.ok()) {
        m_messages->showMessage(
            MessageBanner::Level::Error,
            tr("The configuration %1 was not reloaded; the one loaded before stays in use.\n%2")
                .arg(QDir::toNativeSeparators(loaded.configPath), loaded.errors.join(QLatin1Char('\n'))),
            QStringLiteral("config"));
        Q_EMIT reloaded(false);
        return;
    }
    const bool hadConfig = m_workspace.ok();
    m_workspace = loaded;
    if (!isAttached()) {
        if (hadConfig)
            m_host.reload(*loaded.config);
        else
            m_host.setConfig(*loaded.config, loaded.dataDir);
    }
    showWorkspace();
    if (loaded.warnings.isEmpty())
        m_messages->showMessage(
            MessageBanner::Level::Info,
            isAttached()
                ? tr("Configuration reloaded in this window; %1 keeps its own until "
                     "it is reloaded there.")
                      .arg(m_remoteName)
                : tr("Configuration reloaded: %1.")
                      .arg(
                          loaded.config->sources.size() == 1
                              ? tr("1 source")
                              : tr("%1 sources").arg(QLocale().toString(int(loaded.config->sources.size())))),
            QStringLiteral("config"));
    if (!hadConfig)
        startSchedules();
    m_board->refresh();
    Q_EMIT reloaded(true);
}

void MainWindow::openDataFolder() {
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(m_workspace.dataDir)))
        m_messages->showMessage(
            MessageBanner::Level::Warning,
            tr("No file manager opened %1.").arg(QDir::toNativeSeparators(m_workspace.dataDir)));
}

void MainWindow::openUserGuide() {
    // The installed guide, else the one in the source tree of a development build.
    const QString appDir = QCoreApplication::applicationDirPath();
    const QStringList candidates{appDir + QStringLiteral("/../share/doc/openresync/user-guide.md"),
                                 QStringLiteral(ORS_SOURCE_DIR "/docs/user-guide.md")};
    for (const QString& candidate : candidates) {
        if (QFileInfo::exists(candidate) && QDesktopServices::openUrl(QUrl::fromLocalFile(candidate)))
            return;
    }
    m_messages->showMessage(
        MessageBanner::Level::Warning,
        tr("The user guide could not be opened; it is docs/user-guide.md in the sources."));
}

void MainWindow::showAbout() {
    // Not modal: the window stays usable behind it.
    auto* box = new QMessageBox(QMessageBox::Information, tr("About OpenReSync"),
                                tr("OpenReSync %1\nReplicates RESO Web API data into your databases.")
                                    .arg(QCoreApplication::applicationVersion()),
                                QMessageBox::Close, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
}

} // namespace ors
