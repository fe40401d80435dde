#pragma once

#include "processes/JobTypes.h"
#include "runner/JobQueue.h"
#include "runner/Workspace.h"

#include <QHash>
#include <QJsonObject>
#include <QMainWindow>
#include <QPointer>
#include <QTimeZone>

#include <optional>

class QAction;
class QLabel;
class QListView;
class QMenu;
class QStackedWidget;

namespace ors {

class AppSettings;
class BlockedStepsPanel;
class ChartsView;
class CloseGuard;
class DemoServer;
class DashboardPage;
class HistoryView;
class JobBoard;
class JobsPage;
class RecordInspectorPanel;
class ResourcesTable;
struct JobEntry;
struct JobResult;
class LogsPage;
class MessageBanner;
class NavigationModel;
class SchedulePage;
class ServiceHost;
class SourcePage;
class SourceWizard;
class TrayIcon;

// The desktop window: a navigation list (Dashboard, one entry per source, Schedule, Jobs, Logs)
// beside a stack of pages, a menu bar (File, Edit, Source, View, Help) and a status bar with the
// running jobs and the next fire. Pages only emit requests (run, cancel, pause, open a source);
// the window routes them to the host's queue and scheduler, or, when another instance runs the
// data directory's schedules, to that instance over its control channel. What the pages show
// of jobs comes from one JobBoard that follows whichever instance runs them. Problems appear
// inline (MessageBanner), never in a modal dialog.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // The host (owning the queue and the scheduler) outlives the window; it already has the
    // workspace's configuration when there is one.
    MainWindow(Workspace workspace, ServiceHost& host, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Runs the schedules here (the host starts listening on the control channel), unless another
    // instance already answers there: then attaches to it. Whether one answers is asked on a pool
    // thread (a hung instance must not freeze the window); an instance silent for
    // kProbeTimeoutMs counts as none, and the window says it runs the schedules itself.
    // schedulesSettled() follows once it is decided. Starting reads the stats store (catch-up),
    // so call it once the window is on screen.
    void startSchedules();
    static constexpr int kProbeTimeoutMs = 2000;
    // Another program (`openresync-cli serve`, another window) runs this data directory's
    // schedules: this window runs none, says so, sends its requests to that instance through its
    // control channel at `controlPath`, and shows that instance's jobs. `hello` is what the
    // instance answered (kind, pid).
    void attachToInstance(const QJsonObject& hello, const QString& controlPath);
    bool isAttached() const { return !m_remotePath.isEmpty(); }

    // What main() does once the event loop returned: hides the window (the pages then ask the
    // MLS nothing more), cancels the read-only queries still asking an MLS (counts, a record),
    // stops the host (running jobs end at their next checkpoint) and waits up to `poolTimeoutMs`
    // for the global thread pool to drain. False when something still ran then.
    bool shutDown(int poolTimeoutMs);
    void cancelQueries();

    // File ▸ Reload configuration: reads the configuration file again on a pool thread; a valid
    // one replaces the running one (the navigation follows added and removed sources), an
    // invalid one is reported inline and the old one stays. reloaded() follows either way.
    void reloadConfiguration();

    // File ▸ Add source… (empty `source`) and Source ▸ Edit… (MainWindowWizard.cpp): the wizard,
    // window-modal; once it wrote the configuration, the window reloads it and, when asked,
    // runs the new source's first sync.
    SourceWizard* openSourceWizard(const QString& source = {});
    // Source ▸ Remove… (MainWindowRemove.cpp): refused, with a message, while the source has a
    // running or queued job; otherwise asks what to do with its data (RemoveSourceDialog), has
    // core's SourceRemoval do it on a pool thread and reloads the configuration.
    void removeSource(const QString& source);

    // Shows a page by key: "dashboard", "schedule", "jobs", "logs" or a source's name.
    void showPage(const QString& key);
    QString currentPageKey() const;
    // The source whose page is shown; empty on the other pages.
    QString currentSource() const;
    SourcePage* sourcePage(const QString& source) const { return m_sourcePages.value(source); }
    const JobBoard& board() const { return *m_board; }

Q_SIGNALS:
    // A reload ended: `ok` when the new configuration was taken.
    void reloaded(bool ok);
    // startSchedules() decided: attached to another instance, running the schedules here, or
    // neither (the error in the message area).
    void schedulesSettled();

private:
    // The source page's tabs, built by their own classes (MainWindowPages.cpp).
    struct SourceWidgets {
        ResourcesTable* resources = nullptr;
        BlockedStepsPanel* blocked = nullptr;
        HistoryView* history = nullptr;
        ChartsView* charts = nullptr;
        RecordInspectorPanel* record = nullptr;
        bool loaded = false; // the resources table asked the MLS at least once
    };

    // Pages built by their own classes (MainWindowPages.cpp).
    QWidget* createDashboardPage();
    QWidget* createJobsPage();
    void connectSourcePage(SourcePage* page);
    void fillSourcePage(SourcePage* page);
    void showSourceInTabs(const SourceConfig& source);
    void refreshSource(const QString& source);
    void lookUpRecord(const QString& source);

    void buildUi();
    void buildMenus();
    void addWizardActions(QMenu* file, QMenu* source); // MainWindowWizard.cpp
    void rebuildViewMenu();
    void showWorkspace();
    void syncSourcePages();
    void selectNavigation(const QString& key);
    void moveNavigation(int step);
    void updateJobState();
    void updateStatusBar();
    void updateSourceActions();
    QTimeZone displayZone() const;

    // Routing (MainWindowRouting.cpp).
    void requestRun(const QString& source, ProcessType process, const JobOptions& options = {});
    void requestCancel(const QString& source);
    void requestCancelQueued(const QString& source, ProcessType process);
    void requestPause(bool paused, const QString& source);
    void sendRemote(const QJsonObject& request, const QString& what, const QString& key);
    // `silence`: what asking said when something took the connection but never answered.
    void onProbed(const std::optional<QJsonObject>& hello, const QString& controlPath,
                  const QString& silence);
    // False when it asks again instead (schedulesSettled() then follows that answer).
    bool runSchedulesHere(const QString& controlPath, const QString& silence);
    // The attached instance went away: this window runs the schedules (or attaches to whichever
    // instance took them over first).
    void takeOver();
    void onJobFinished(const JobEntry& entry, const JobResult& result, bool cancelled);
    void applyReload(const Workspace& loaded);
    void openDataFolder();
    void openUserGuide();
    void showAbout();
    // The welcome's demo (MainWindowDemo.cpp).
    void startDemo();
    void resumeDemo();
    void onDemoStarted(const QString& serviceUrl);
    bool isDemoSource(const SourceConfig& source) const;
    DemoServer* demoServer();
    // Help ▸ Save diagnostics…, File ▸ Export/Import configuration… (MainWindowSupport.cpp).
    void saveDiagnostics();
    void exportConfiguration();
    void importConfiguration();

    // Tray, Edit ▸ Preferences and notifications (MainWindowTray.cpp).
    void buildTrayAndPreferences();
    void applyPreferences();
    void showPreferences();

    Workspace m_workspace;
    ServiceHost& m_host;
    JobBoard* m_board = nullptr;
    QString m_remotePath;             // the control channel of the instance running the schedules, if not us
    QString m_remoteName;             // "openresync-cli serve (process 1234)"
    bool m_probing = false;           // startSchedules() is asking who runs the schedules
    bool m_probedAgain = false;       // starting here failed once: the second probe is on its way
    QString m_lostInstance;           // the instance this window took the schedules over from
    QHash<QString, QString> m_failed; // source → its last job failed in this session
    bool m_reloading = false;
    DemoServer* m_demo = nullptr; // made on first use
    bool m_demoFirstSync = false; // the demo was asked for: sync it once it is configured
    QString m_firstSync;          // the source the wizard wrote, to sync once the reload took it

    MessageBanner* m_messages = nullptr;
    NavigationModel* m_navModel = nullptr;
    QListView* m_nav = nullptr;
    QStackedWidget* m_stack = nullptr;
    QWidget* m_dashboard = nullptr;
    SchedulePage* m_schedule = nullptr;
    QWidget* m_jobs = nullptr;
    LogsPage* m_logs = nullptr;
    DashboardPage* m_dashboardPage = nullptr;
    JobsPage* m_jobsPage = nullptr;
    QHash<QString, SourcePage*> m_sourcePages;
    QHash<QString, SourceWidgets> m_sourceWidgets;
    QLabel* m_statusJobs = nullptr;
    QLabel* m_workspaceLabel = nullptr;

    QMenu* m_viewMenu = nullptr;
    QList<QAction*> m_sourceActions; // enabled only while a source is current
    QAction* m_cancelAction = nullptr;

    AppSettings* m_settings = nullptr;
    TrayIcon* m_tray = nullptr;
    CloseGuard* m_closeGuard = nullptr;
    QPointer<QWidget> m_preferences;
};

} // namespace ors
