#include "MainWindow.h"

#include "AppSettings.h"
#include "DashboardPage.h"
#include "DisplayTime.h"
#include "JobBoard.h"
#include "JobsPage.h"
#include "LogsPage.h"
#include "MessageBanner.h"
#include "NavigationModel.h"
#include "ResourcesTable.h"
#include "SchedulePage.h"
#include "service/ServiceHost.h"
#include "SourcePage.h"
#include "Translations.h"

#include <QAction>
#include <QDir>
#include <QKeySequence>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenuBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace ors {

namespace {

const QString kDashboard = QStringLiteral("dashboard");
const QString kSchedule = QStringLiteral("schedule");
const QString kJobs = QStringLiteral("jobs");
const QString kLogs = QStringLiteral("logs");

// The first sources get Ctrl+5 … Ctrl+9 after the four fixed pages (Ctrl+1 … Ctrl+4).
constexpr int kFixedPages = 4;
constexpr int kNumberedSources = 5;

} // namespace

MainWindow::MainWindow(Workspace workspace, ServiceHost& host, QWidget* parent)
    : QMainWindow(parent)
    , m_workspace(std::move(workspace))
    , m_host(host) {
    setWindowTitle(tr("OpenReSync"));
    m_board = new JobBoard(this);
    buildUi();
    buildMenus();
    m_board->followLocal(&m_host.queue(), &m_host.scheduler());
    connect(m_board, &JobBoard::changed, this, &MainWindow::updateJobState);
    connect(m_board, &JobBoard::scheduleChanged, this, &MainWindow::updateJobState);
    connect(m_board, &JobBoard::jobFinished, this, &MainWindow::onJobFinished);
    // The instance the window followed died or stopped: the window runs the schedules itself.
    connect(m_board, &JobBoard::remoteLost, this, &MainWindow::takeOver);
    showWorkspace();
    showPage(kDashboard);
    connect(m_dashboardPage, &DashboardPage::demoRequested, this, &MainWindow::startDemo);
    // A demo made in an earlier session needs its server again; after the window is up.
    QTimer::singleShot(0, this, &MainWindow::resumeDemo);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi() {
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    m_messages = new MessageBanner(central);
    layout->addWidget(m_messages);

    m_navModel = new NavigationModel(this);
    m_nav = new QListView(central);
    m_nav->setObjectName(QStringLiteral("navigation"));
    m_nav->setAccessibleName(tr("Navigation"));
    m_nav->setModel(m_navModel);
    m_nav->setSelectionMode(QAbstractItemView::SingleSelection);
    m_nav->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_nav->setUniformItemSizes(true);
    m_nav->setSpacing(2);
    m_nav->setMinimumWidth(170);
    connect(m_nav->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& index) {
                const QString key = m_navModel->pageKey(index.row());
                if (!key.isEmpty())
                    showPage(key.startsWith(QLatin1String("source:")) ? key.mid(7) : key);
            });
    // Assistive tools select an entry (AT-SPI's Toggle action) without moving the current index.
    connect(m_nav->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this](const QItemSelection& selected) {
                if (selected.indexes().isEmpty())
                    return;
                const QString key = m_navModel->pageKey(selected.indexes().first().row());
                if (!key.isEmpty())
                    showPage(key.startsWith(QLatin1String("source:")) ? key.mid(7) : key);
            });

    m_stack = new QStackedWidget(central);
    m_stack->setObjectName(QStringLiteral("pages"));
    m_dashboard = createDashboardPage();
    m_dashboard->setObjectName(QStringLiteral("dashboardPage"));
    m_schedule = new SchedulePage(this);
    m_schedule->setObjectName(QStringLiteral("schedulePage"));
    m_jobs = createJobsPage();
    m_jobs->setObjectName(QStringLiteral("jobsPage"));
    m_logs = new LogsPage(this);
    m_logs->setObjectName(QStringLiteral("logsPage"));
    for (QWidget* page :
         {m_dashboard, static_cast<QWidget*>(m_schedule), m_jobs, static_cast<QWidget*>(m_logs)})
        m_stack->addWidget(page);

    auto* splitter = new QSplitter(central);
    splitter->setObjectName(QStringLiteral("splitter"));
    splitter->addWidget(m_nav);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({190, 1000});
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    m_statusJobs = new QLabel(this);
    m_statusJobs->setObjectName(QStringLiteral("statusJobs"));
    m_statusJobs->setTextFormat(Qt::PlainText);
    m_workspaceLabel = new QLabel(this);
    m_workspaceLabel->setObjectName(QStringLiteral("workspaceLabel"));
    m_workspaceLabel->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(m_statusJobs, 1);
    statusBar()->addPermanentWidget(m_workspaceLabel);
    setTabOrder(m_nav, m_stack);
    resize(1280, 800);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* reload = file->addAction(tr("&Reload configuration"), this, &MainWindow::reloadConfiguration);
    reload->setObjectName(QStringLiteral("reloadAction"));
    reload->setShortcut(QKeySequence(tr("Ctrl+Shift+R")));
    file->addAction(tr("Open &data folder"), this, &MainWindow::openDataFolder)
        ->setObjectName(QStringLiteral("openDataAction"));
    file->addSeparator();
    file->addAction(tr("&Export configuration…"), this, &MainWindow::exportConfiguration)
        ->setObjectName(QStringLiteral("exportConfigAction"));
    file->addAction(tr("&Import configuration…"), this, &MainWindow::importConfiguration)
        ->setObjectName(QStringLiteral("importConfigAction"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setObjectName(QStringLiteral("quitAction"));

    QMenu* source = menuBar()->addMenu(tr("&Source"));
    auto add = [&](const QString& text, const QString& name, const QKeySequence& keys, auto slot) {
        QAction* action = source->addAction(text, this, slot);
        action->setObjectName(name);
        action->setShortcut(keys);
        m_sourceActions.append(action);
        return action;
    };
    add(tr("Sync &now"), QStringLiteral("syncAction"), QKeySequence(tr("Ctrl+Shift+S")),
        [this] { requestRun(currentSource(), ProcessType::Sync); });
    add(tr("&Purge"), QStringLiteral("purgeAction"), QKeySequence(tr("Ctrl+Shift+P")),
        [this] { requestRun(currentSource(), ProcessType::Purge); });
    add(tr("&Reconcile"), QStringLiteral("reconcileAction"), QKeySequence(tr("Ctrl+Shift+E")),
        [this] { requestRun(currentSource(), ProcessType::Reconcile); });
    m_cancelAction = add(tr("&Cancel"), QStringLiteral("cancelAction"), QKeySequence(tr("Ctrl+Shift+X")),
                         [this] { requestCancel(currentSource()); });
    source->addSeparator();
    add(tr("&Look up record…"), QStringLiteral("lookUpAction"), QKeySequence(tr("Ctrl+L")),
        [this] { lookUpRecord(currentSource()); });
    add(tr("Re&fresh"), QStringLiteral("refreshAction"), QKeySequence::Refresh,
        [this] { refreshSource(currentSource()); });

    m_viewMenu = menuBar()->addMenu(tr("&View"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* guide = help->addAction(tr("&User guide"), this, &MainWindow::openUserGuide);
    guide->setShortcut(QKeySequence::HelpContents);
    guide->setObjectName(QStringLiteral("userGuideAction"));
    help->addAction(tr("Save &diagnostics…"), this, &MainWindow::saveDiagnostics)
        ->setObjectName(QStringLiteral("diagnosticsAction"));
    help->addAction(tr("&About OpenReSync"), this, &MainWindow::showAbout)
        ->setObjectName(QStringLiteral("aboutAction"));
    addWizardActions(file, source);
    buildTrayAndPreferences();
}

void MainWindow::rebuildViewMenu() {
    m_viewMenu->clear();
    const QList<QPair<QString, QString>> fixed{{kDashboard, tr("&Dashboard")},
                                               {kSchedule, tr("&Schedule")},
                                               {kJobs, tr("&Jobs")},
                                               {kLogs, tr("&Logs")}};
    int number = 1;
    for (const auto& [key, text] : fixed) {
        QAction* action = m_viewMenu->addAction(text, this, [this, key = key] { showPage(key); });
        action->setObjectName(QStringLiteral("view_") + key);
        action->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(number++)));
    }
    m_viewMenu->addSeparator();
    const QStringList sources = m_navModel->sources();
    for (qsizetype i = 0; i < sources.size(); ++i) {
        const QString& name = sources.at(i);
        QAction* action = m_viewMenu->addAction(name, this, [this, name] { showPage(name); });
        action->setObjectName(QStringLiteral("view_source_") + name);
        if (i < kNumberedSources)
            action->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(kFixedPages + 1 + i)));
    }
    m_viewMenu->addSeparator();
    QAction* next = m_viewMenu->addAction(tr("&Next page"), this, [this] { moveNavigation(1); });
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    next->setObjectName(QStringLiteral("nextPageAction"));
    QAction* previous = m_viewMenu->addAction(tr("&Previous page"), this, [this] { moveNavigation(-1); });
    previous->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    previous->setObjectName(QStringLiteral("previousPageAction"));
}

QTimeZone MainWindow::displayZone() const {
    return m_settings->displayZone(m_workspace.config ? &*m_workspace.config : nullptr);
}

void MainWindow::showWorkspace() {
    m_workspaceLabel->setText(tr("Data: %1").arg(QDir::toNativeSeparators(m_workspace.dataDir)));
    m_workspaceLabel->setToolTip(tr("Configuration: %1\nData: %2")
                                     .arg(QDir::toNativeSeparators(m_workspace.configPath),
                                          QDir::toNativeSeparators(m_workspace.dataDir)));
    if (!m_workspace.ok()) {
        m_messages->showMessage(MessageBanner::Level::Error,
                                tr("The configuration %1 could not be loaded. Fix it, then choose File ▸ "
                                   "Reload configuration.\n%2")
                                    .arg(QDir::toNativeSeparators(m_workspace.configPath),
                                         m_workspace.errors.join(QLatin1Char('\n'))),
                                QStringLiteral("config"));
    } else if (!m_workspace.warnings.isEmpty()) {
        m_messages->showMessage(
            MessageBanner::Level::Warning,
            tr("The configuration has warnings:\n%1").arg(m_workspace.warnings.join(QLatin1Char('\n'))),
            QStringLiteral("config"));
    }
    const QTimeZone zone = displayZone();
    if (m_workspace.config)
        m_schedule->setConfig(*m_workspace.config);
    m_schedule->setDisplayZone(zone);
    m_logs->setSources(m_workspace.sources(), m_workspace.dataDir);
    m_logs->setDisplayZone(zone);
    m_jobsPage->setDisplayZone(zone);
    m_dashboardPage->setDisplayZone(zone);
    if (m_workspace.config)
        m_dashboardPage->setSources(*m_workspace.config, m_workspace.dataDir);
    syncSourcePages();
    updateJobState();
}

// One page per configured source, in the configuration's order; pages of removed sources go.
void MainWindow::syncSourcePages() {
    const QString current = currentPageKey();
    QStringList names;
    const QTimeZone zone = displayZone();
    for (const SourceConfig& source : m_workspace.sources()) {
        names.append(source.name);
        const QTimeZone scheduleZone = m_workspace.config->scheduleZone(source);
        if (SourcePage* page = m_sourcePages.value(source.name)) {
            page->setSource(source, scheduleZone);
        } else {
            page = new SourcePage(source, scheduleZone, this);
            m_sourcePages.insert(source.name, page);
            m_stack->addWidget(page);
            connectSourcePage(page);
            fillSourcePage(page);
        }
        m_sourcePages.value(source.name)->setDisplayZone(zone);
        showSourceInTabs(source);
    }
    for (auto it = m_sourcePages.begin(); it != m_sourcePages.end();) {
        if (names.contains(it.key())) {
            ++it;
            continue;
        }
        m_stack->removeWidget(it.value());
        m_sourceWidgets.remove(it.key());
        it.value()->deleteLater();
        it = m_sourcePages.erase(it);
    }
    m_navModel->setSources(names);
    rebuildViewMenu();
    // The model was reset: select the page shown before, or the dashboard when it went away.
    showPage(m_navModel->rowOfKey(current.isEmpty() ? kDashboard : current) >= 0 ? current : kDashboard);
}

void MainWindow::connectSourcePage(SourcePage* page) {
    connect(page, &SourcePage::runRequested, this,
            [this](const QString& source, ProcessType process) { requestRun(source, process); });
    connect(page, &SourcePage::cancelRequested, this, &MainWindow::requestCancel);
    connect(page, &SourcePage::pauseRequested, this, &MainWindow::requestPause);
}

QString MainWindow::currentPageKey() const {
    QWidget* page = m_stack->currentWidget();
    if (page == m_dashboard)
        return kDashboard;
    if (page == m_schedule)
        return kSchedule;
    if (page == m_jobs)
        return kJobs;
    if (page == m_logs)
        return kLogs;
    for (auto it = m_sourcePages.cbegin(); it != m_sourcePages.cend(); ++it)
        if (it.value() == page)
            return NavigationModel::sourceKey(it.key());
    return {};
}

QString MainWindow::currentSource() const {
    const QString key = currentPageKey();
    return key.startsWith(QLatin1String("source:")) ? key.mid(7) : QString();
}

void MainWindow::showPage(const QString& key) {
    QWidget* page = key == kDashboard                          ? m_dashboard
                    : key == kSchedule                         ? static_cast<QWidget*>(m_schedule)
                    : key == kJobs                             ? m_jobs
                    : key == kLogs                             ? static_cast<QWidget*>(m_logs)
                    : key.startsWith(QLatin1String("source:")) ? m_sourcePages.value(key.mid(7))
                                                               : m_sourcePages.value(key);
    if (!page)
        return;
    // Logs opened from a source's page show that source's log.
    const QString from = currentSource();
    m_stack->setCurrentWidget(page);
    if (page == m_logs && !from.isEmpty())
        m_logs->showSource(from);
    // A source page asks the MLS for its counts when first shown, not for every source at start.
    if (const QString source = currentSource(); !source.isEmpty())
        if (auto found = m_sourceWidgets.find(source); found != m_sourceWidgets.end() && !found->loaded) {
            found->loaded = true;
            found->resources->refresh();
        }
    selectNavigation(currentPageKey());
    updateSourceActions();
}

void MainWindow::selectNavigation(const QString& key) {
    const int row = m_navModel->rowOfKey(key);
    if (row < 0 || m_nav->currentIndex().row() == row)
        return;
    m_nav->setCurrentIndex(m_navModel->index(row));
}

void MainWindow::moveNavigation(int step) {
    const int rows = m_navModel->rowCount();
    int row = std::max(0, m_navModel->rowOfKey(currentPageKey()));
    for (int i = 0; i < rows; ++i) {
        row = (row + step + rows) % rows;
        if (!m_navModel->pageKey(row).isEmpty())
            break;
    }
    const QString key = m_navModel->pageKey(row);
    showPage(key.startsWith(QLatin1String("source:")) ? key.mid(7) : key);
}

void MainWindow::updateSourceActions() {
    const QString source = currentSource();
    for (QAction* action : std::as_const(m_sourceActions))
        action->setEnabled(!source.isEmpty());
    if (!source.isEmpty())
        m_cancelAction->setEnabled(m_board->isRunning(source) || m_board->isQueued(source));
}

void MainWindow::updateJobState() {
    int jobs = int(m_board->jobs().size());
    m_navModel->setJobCount(jobs);
    for (auto it = m_sourcePages.cbegin(); it != m_sourcePages.cend(); ++it) {
        const QString& name = it.key();
        it.value()->updateState(*m_board);
        const auto running = m_board->runningJob(name);
        std::optional<int> percent;
        if (running && running->progress && running->progress->total > 0)
            percent =
                int(std::clamp<qint64>(running->progress->done * 100 / running->progress->total, 0, 100));
        using State = NavigationModel::SourceState;
        const State state = running                         ? State::Running
                            : m_board->isQueued(name)       ? State::Queued
                            : m_failed.contains(name)       ? State::Failed
                            : m_board->isSourcePaused(name) ? State::Paused
                                                            : State::Idle;
        m_navModel->setSourceState(name, state, running ? percent : std::nullopt);
    }
    updateStatusBar();
    updateSourceActions();
}

// "1 job running · crmls sync 42% · next: armls purge at 03:00"
void MainWindow::updateStatusBar() {
    const QLocale locale;
    QStringList parts;
    m_statusJobs->setToolTip({});
    const int running = m_board->runningCount();
    const int queued = int(m_board->jobs().size()) - running;
    parts.append(running == 0   ? tr("No job running")
                 : running == 1 ? tr("1 job running")
                                : tr("%1 jobs running").arg(locale.toString(running)));
    for (const JobEntry& entry : m_board->jobs()) {
        if (entry.state != JobEntry::State::Running)
            continue;
        QString line =
            tr("%1 %2", "source, process").arg(entry.request.source, processLabel(entry.request.process));
        if (entry.progress && entry.progress->total > 0)
            line = tr("%1 %2%").arg(line, locale.toString(int(std::clamp<qint64>(
                                              entry.progress->done * 100 / entry.progress->total, 0, 100))));
        parts.append(line);
    }
    if (queued > 0)
        parts.append(tr("%1 queued").arg(locale.toString(queued)));
    if (m_board->allPaused()) {
        parts.append(tr("schedules paused"));
    } else {
        for (const ScheduledFire& fire : m_board->nextFires()) {
            if (m_board->isSourcePaused(fire.source))
                continue;
            // "03:00" today, "Fri 03:00" within a week, else the date: as every page says it.
            const QString when = shortTime(fire.at, displayZone(), QDateTime::currentDateTimeUtc());
            parts.append(tr("next: %1 %2 at %3").arg(fire.source, processLabel(fire.process), when));
            m_statusJobs->setToolTip(absoluteTime(fire.at, displayZone()));
            break;
        }
    }
    if (isAttached())
        parts.append(tr("in %1").arg(m_remoteName));
    else if (!m_lostInstance.isEmpty() && m_host.isStarted())
        parts.append(tr("schedules run here since %1 stopped").arg(m_lostInstance));
    m_statusJobs->setText(parts.join(QStringLiteral(" · ")));
}

} // namespace ors
