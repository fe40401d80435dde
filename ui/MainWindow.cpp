#include "MainWindow.h"

#include "MessageBanner.h"
#include "runner/JobQueue.h"
#include "service/ControlChannel.h"
#include "SourcesModel.h"
#include "SyncPanel.h"

#include <QDir>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace ors {

namespace {

// "Sync", "Purge", "Reconcile": how a message about a job begins.
QString processTitle(const QString& process) {
    return process.isEmpty() ? process : process.at(0).toUpper() + process.mid(1);
}

} // namespace

MainWindow::MainWindow(Workspace workspace, JobQueue* queue, QWidget* parent)
    : QMainWindow(parent)
    , m_workspace(std::move(workspace))
    , m_queue(queue) {
    setWindowTitle(tr("OpenReSync"));
    buildUi();
    connect(m_queue, &JobQueue::started, this, &MainWindow::onJobStarted);
    connect(m_queue, &JobQueue::progress, this,
            [this](const JobEntry&, const JobProgress& progress) { onJobProgress(progress); });
    connect(m_queue, &JobQueue::finished, this, &MainWindow::onJobFinished);
    connect(m_queue, &JobQueue::changed, this, &MainWindow::updatePanel);
    connect(m_panel, &SyncPanel::syncRequested, this, &MainWindow::syncSelected);
    connect(m_panel, &SyncPanel::cancelRequested, this, &MainWindow::cancelSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updatePanel);
    connect(m_model, &SourcesModel::lastRunsFailed, this, [this](const QString& message) {
        m_messages->showMessage(MessageBanner::Level::Warning,
                                tr("The last runs could not be read: %1").arg(message));
    });
    showWorkspace();
}

void MainWindow::buildUi() {
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    m_messages = new MessageBanner(central);
    m_workspaceLabel = new QLabel(central);
    m_workspaceLabel->setObjectName(QStringLiteral("workspaceLabel"));
    m_workspaceLabel->setTextFormat(Qt::PlainText);
    m_workspaceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_model = new SourcesModel(this);
    m_view = new QTableView(central);
    m_view->setObjectName(QStringLiteral("sourcesView"));
    m_view->setAccessibleName(tr("Sources"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    QHeaderView* header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setMinimumSectionSize(80);
    for (int column :
         {SourcesModel::SourceColumn, SourcesModel::PlatformColumn, SourcesModel::LastSyncColumn})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(SourcesModel::ResultColumn, QHeaderView::Interactive);
    header->resizeSection(SourcesModel::ResultColumn, 240);
    header->setSectionResizeMode(SourcesModel::ProgressColumn, QHeaderView::Stretch);

    m_panel = new SyncPanel(central);
    layout->addWidget(m_messages);
    layout->addWidget(m_workspaceLabel);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_panel);
    setCentralWidget(central);
    resize(1000, 480);
}

void MainWindow::showWorkspace() {
    m_workspaceLabel->setText(tr("Configuration: %1    Data: %2")
                                  .arg(QDir::toNativeSeparators(m_workspace.configPath),
                                       QDir::toNativeSeparators(m_workspace.dataDir)));
    m_model->setSources(m_workspace.sources(), m_workspace.dataDir);
    if (!m_workspace.ok()) {
        m_messages->showMessage(MessageBanner::Level::Error,
                                tr("The configuration %1 could not be loaded. Fix it, then start "
                                   "OpenReSync again.\n%2")
                                    .arg(QDir::toNativeSeparators(m_workspace.configPath),
                                         m_workspace.errors.join(QLatin1Char('\n'))));
    } else if (!m_workspace.warnings.isEmpty()) {
        m_messages->showMessage(
            MessageBanner::Level::Warning,
            tr("The configuration has warnings:\n%1").arg(m_workspace.warnings.join(QLatin1Char('\n'))));
    }
    if (m_model->rowCount() > 0)
        m_view->selectRow(0);
    m_model->refreshLastRuns();
    updatePanel();
}

QString MainWindow::selectedSource() const {
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_model->sourceName(rows.first().row());
}

void MainWindow::attachToInstance(const QJsonObject& hello, const QString& controlPath) {
    const QString pid = hello.value(QStringLiteral("pid")).toVariant().toString();
    m_remotePath = controlPath;
    m_remoteName = hello.value(QStringLiteral("kind")).toString() == QLatin1String("serve")
                       ? tr("openresync-cli serve (process %1)").arg(pid)
                       : tr("another OpenReSync window (process %1)").arg(pid);
    const QString text = tr("Schedules run in %1").arg(m_remoteName);
    m_messages->showMessage(MessageBanner::Level::Info,
                            tr("%1; this window runs none, and Sync asks it to run the job.").arg(text),
                            QStringLiteral("instance"));
    m_workspaceLabel->setText(m_workspaceLabel->text() + QStringLiteral("    ") + text);
}

void MainWindow::syncRemotely(const QString& source) {
    const auto reply = ControlClient::request(
        m_remotePath, QJsonObject{{QStringLiteral("command"), QStringLiteral("run")},
                                  {QStringLiteral("source"), source},
                                  {QStringLiteral("process"), QStringLiteral("sync")}});
    if (!reply) {
        m_messages->showMessage(
            MessageBanner::Level::Error,
            tr("The sync of %1 could not be sent to %2: %3").arg(source, m_remoteName, reply.errorMessage()),
            source);
        return;
    }
    const QString outcome = reply->value(QStringLiteral("outcome")).toString();
    m_messages->showMessage(MessageBanner::Level::Info,
                            outcome == QLatin1String("started")
                                ? tr("The sync of %1 started in %2.").arg(source, m_remoteName)
                            : outcome == QLatin1String("already-queued")
                                ? tr("A sync of %1 is already queued in %2.").arg(source, m_remoteName)
                                : tr("The sync of %1 is queued in %2.").arg(source, m_remoteName),
                            source);
}

void MainWindow::syncSelected() {
    const QString name = selectedSource();
    if (!m_workspace.source(name))
        return;
    if (isAttached()) {
        syncRemotely(name);
        return;
    }
    switch (m_queue->enqueue(JobRequest{name, ProcessType::Sync, {}, JobOrigin::Manual})) {
    case JobQueue::Enqueued::Started:
        break;
    case JobQueue::Enqueued::Waiting:
        m_messages->showMessage(MessageBanner::Level::Info,
                                tr("The sync of %1 is queued: it starts when the source's running job "
                                   "has ended and a slot is free.")
                                    .arg(name),
                                name);
        break;
    case JobQueue::Enqueued::AlreadyQueued:
        m_messages->showMessage(MessageBanner::Level::Info, tr("A sync of %1 is already queued.").arg(name),
                                name);
        break;
    case JobQueue::Enqueued::UnknownSource:
        m_messages->showMessage(MessageBanner::Level::Error,
                                tr("%1 is not in the configuration the jobs run from.").arg(name), name);
        break;
    case JobQueue::Enqueued::ShuttingDown:
        break;
    }
    updatePanel();
}

void MainWindow::cancelSelected() {
    const QString name = selectedSource();
    const bool running = m_queue->isRunning(name);
    if (!running && !m_queue->isQueued(name))
        return;
    m_queue->cancel(name);
    if (running)
        m_cancelling.insert(name);
    updatePanel();
}

void MainWindow::updatePanel() {
    const QString name = selectedSource();
    if (name.isEmpty()) {
        m_panel->showIdle(m_workspace.ok() ? tr("Select a source to sync.")
                                           : tr("No sources: the configuration could not be loaded."),
                          false);
        return;
    }
    if (m_queue->isRunning(name)) {
        if (m_cancelling.contains(name))
            m_panel->showCancelling();
        else
            m_panel->showRunning(m_model->progress(name));
        return;
    }
    if (m_queue->isQueued(name)) {
        m_panel->showIdle(tr("A job of %1 is queued; it starts when a slot is free.").arg(name), false);
        return;
    }
    m_panel->showIdle(m_outcome.value(name, tr("Ready to sync %1.").arg(name)), true);
}

void MainWindow::onJobStarted(const JobEntry& entry) {
    const QString& source = entry.request.source;
    m_outcome.remove(source);
    m_model->markStarted(source);
    updatePanel();
}

void MainWindow::onJobProgress(const JobProgress& progress) {
    m_model->applyProgress(progress);
    if (progress.source == selectedSource() && !m_cancelling.contains(progress.source))
        m_panel->showRunning(progress);
}

void MainWindow::onJobFinished(const JobEntry& entry, const JobResult& result) {
    m_model->markFinished(result);
    m_cancelling.remove(result.source);
    const bool cancelled = entry.cancelRequested && !result.ok();
    const QString title = processTitle(result.process);
    if (result.ok()) {
        const QString text = tr("%1 of %2 finished: %3 records downloaded, %4 applied.")
                                 .arg(title, result.source)
                                 .arg(result.recordsDownloaded)
                                 .arg(result.recordsApplied);
        m_outcome.insert(result.source, text);
        // A success never hides an error about another source.
        if (m_messages->isHidden() || m_messages->level() != MessageBanner::Level::Error ||
            m_messages->key() == result.source)
            m_messages->showMessage(MessageBanner::Level::Info, text, result.source);
    } else if (cancelled) {
        const QString text = tr("%1 of %2 cancelled; the next %3 resumes where it stopped.")
                                 .arg(title, result.source, result.process);
        m_outcome.insert(result.source, text);
        m_messages->showMessage(MessageBanner::Level::Info, text, result.source);
    } else {
        m_outcome.insert(result.source,
                         tr("%1 of %2 failed; see the message above.").arg(title, result.source));
        m_messages->showMessage(MessageBanner::Level::Error,
                                tr("%1 of %2 failed: %3").arg(title, result.source, result.error),
                                result.source);
    }
    updatePanel();
}

} // namespace ors
