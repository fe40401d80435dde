// The pages other classes build, put into the window: the dashboard, the jobs page and each source
// page's tabs (resources and blocked steps, history, charts, record inspector), with their requests
// routed and their data refreshed after every job of their source.
#include "BlockedStepsPanel.h"
#include "ChartsView.h"
#include "DashboardPage.h"
#include "HistoryView.h"
#include "JobsPage.h"
#include "MainWindow.h"
#include "RecordInspectorPanel.h"
#include "ResourcesTable.h"
#include "service/ServiceHost.h"
#include "SourcePage.h"

#include <QThreadPool>
#include <QVBoxLayout>

namespace ors {

QWidget* MainWindow::createDashboardPage() {
    m_dashboardPage = new DashboardPage(m_board, this);
    connect(m_dashboardPage, &DashboardPage::runRequested, this,
            [this](const QString& source, ProcessType process) { requestRun(source, process); });
    connect(m_dashboardPage, &DashboardPage::cancelRequested, this, &MainWindow::requestCancel);
    connect(m_dashboardPage, &DashboardPage::openSourceRequested, this, &MainWindow::showPage);
    return m_dashboardPage;
}

QWidget* MainWindow::createJobsPage() {
    m_jobsPage = new JobsPage(m_board, this);
    connect(m_jobsPage, &JobsPage::cancelRequested, this, &MainWindow::requestCancel);
    connect(m_jobsPage, &JobsPage::cancelQueuedRequested, this, &MainWindow::requestCancelQueued);
    connect(m_jobsPage, &JobsPage::pauseRequested, this, &MainWindow::requestPause);
    return m_jobsPage;
}

// The tabs' widgets of a new source page: Overview holds the resources table above the blocked
// steps (a blocked step is what explains a table that lags), the others one widget each.
void MainWindow::fillSourcePage(SourcePage* page) {
    SourceWidgets widgets;
    auto* overview = new QWidget(page);
    overview->setObjectName(QStringLiteral("overview"));
    auto* layout = new QVBoxLayout(overview);
    layout->setContentsMargins(0, 0, 0, 0);
    widgets.resources = new ResourcesTable(overview);
    widgets.blocked = new BlockedStepsPanel(overview);
    layout->addWidget(widgets.resources, 1);
    layout->addWidget(widgets.blocked);
    page->setOverviewContent(overview);
    widgets.history = new HistoryView(page);
    page->setHistoryContent(widgets.history);
    widgets.charts = new ChartsView(page);
    page->setChartsContent(widgets.charts);
    widgets.record = new RecordInspectorPanel(page);
    page->setRecordContent(widgets.record);

    connect(widgets.resources, &ResourcesTable::differencesChanged, m_dashboardPage,
            &DashboardPage::setDifferences);
    connect(widgets.blocked, &BlockedStepsPanel::allowPurgeOnceRequested, this,
            [this](const QString& source) {
                JobOptions options;
                options.allowLargeDelete = true;
                requestRun(source, ProcessType::Purge, options);
            });
    // An unblock changes what the dashboard's card says (blocked or not).
    connect(widgets.blocked, &BlockedStepsPanel::unblockFinished, m_dashboardPage,
            &DashboardPage::refreshActivity);
    connect(page, &SourcePage::refreshRequested, this, &MainWindow::refreshSource);
    m_sourceWidgets.insert(page->source(), widgets);
}

// The source's configuration (new or reloaded) and the display zone into its tabs; each loads
// what it shows on a pool thread.
void MainWindow::showSourceInTabs(const SourceConfig& source) {
    const auto found = m_sourceWidgets.constFind(source.name);
    if (found == m_sourceWidgets.cend())
        return;
    const SourceWidgets& w = *found;
    const QTimeZone zone = displayZone();
    const QString& dataDir = m_workspace.dataDir;
    w.resources->setDisplayZone(zone);
    w.resources->setSource(source, dataDir);
    w.blocked->setDisplayZone(zone);
    w.blocked->setSource(source, dataDir);
    w.blocked->refresh(); // local stores only: no request to the MLS
    w.history->setDisplayZone(zone);
    w.history->setSource(source, dataDir);
    w.charts->setDisplayZone(zone);
    w.charts->setSource(source, dataDir);
    w.record->setSource(source, dataDir);
}

// After a job of the source (and on Refresh): everything the job may have changed.
void MainWindow::refreshSource(const QString& source) {
    const auto found = m_sourceWidgets.find(source);
    if (found == m_sourceWidgets.end())
        return;
    // Only the resources table asks the MLS: not while the window is hidden (in the tray, or
    // quitting, when a request would hold up the exit), but when the page is next shown.
    found->loaded = isVisible();
    if (found->loaded)
        found->resources->refresh();
    found->blocked->refresh();
    found->history->refresh();
    found->charts->refresh();
}

void MainWindow::cancelQueries() {
    for (const SourceWidgets& widgets : std::as_const(m_sourceWidgets)) {
        widgets.resources->cancelRefresh();
        widgets.record->cancelLookUp();
    }
}

bool MainWindow::shutDown(int poolTimeoutMs) {
    hide();
    cancelQueries();
    // Running jobs stop at their next checkpoint; the window hears how they ended.
    m_host.stop(-1);
    return QThreadPool::globalInstance()->waitForDone(poolTimeoutMs);
}

void MainWindow::lookUpRecord(const QString& source) {
    SourcePage* page = sourcePage(source);
    if (!page)
        return;
    page->showTab(SourcePage::RecordTab);
    if (const auto found = m_sourceWidgets.constFind(source); found != m_sourceWidgets.cend())
        found->record->setFocus();
}

} // namespace ors
