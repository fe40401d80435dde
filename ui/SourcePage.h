#pragma once

#include "config/Config.h"
#include "processes/JobTypes.h"

#include <QTimeZone>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace ors {

class JobBoard;

// One source's page: a header (name, platform, resources, destinations), the run buttons
// `Sync now`, `Purge`, `Reconcile`, `Cancel`, the running job's progress line, the source's
// schedules with their next fires and Pause/Resume for them, and the tabs Overview, History,
// Charts and Record. The page never acts on the queue: it emits requests the window routes
// (to this program's queue, or to the `serve` it is attached to) and shows the JobBoard's state.
class SourcePage : public QWidget {
    Q_OBJECT
public:
    enum Tab { OverviewTab, HistoryTab, ChartsTab, RecordTab };
    Q_ENUM(Tab)

    SourcePage(const SourceConfig& source, const QTimeZone& scheduleZone, QWidget* parent = nullptr);

    QString source() const { return m_source.name; }
    // A reload changed the source's settings (same name).
    void setSource(const SourceConfig& source, const QTimeZone& scheduleZone);
    // The zone next fires are shown in.
    void setDisplayZone(const QTimeZone& zone);
    // Buttons, progress line, schedules and pause state from the board's jobs and schedule.
    void updateState(const JobBoard& board);
    // One line about this source's last job in this session ("Sync finished: …").
    void setOutcome(const QString& text);
    QString outcome() const;

    // The tabs' contents, built by their own classes: each call replaces the tab's placeholder
    // (the page takes ownership).
    void setOverviewContent(QWidget* content) { setTabContent(OverviewTab, content); }
    void setHistoryContent(QWidget* content) { setTabContent(HistoryTab, content); }
    void setChartsContent(QWidget* content) { setTabContent(ChartsTab, content); }
    void setRecordContent(QWidget* content) { setTabContent(RecordTab, content); }
    QWidget* tabContent(Tab tab) const;
    QTabWidget* tabs() const { return m_tabs; }
    void showTab(Tab tab);

Q_SIGNALS:
    void runRequested(const QString& source, ors::ProcessType process);
    void cancelRequested(const QString& source);
    void pauseRequested(bool paused, const QString& source);
    // Source ▸ Refresh, and after every job of the source: the tabs re-read what they show.
    void refreshRequested(const QString& source);

private:
    void buildUi();
    void showHeader();
    void fillSchedules(const JobBoard* board);
    void setTabContent(Tab tab, QWidget* content);
    void showProgress(const std::optional<JobProgress>& progress, bool cancelling);

    SourceConfig m_source;
    QTimeZone m_scheduleZone;
    QTimeZone m_displayZone = QTimeZone::systemTimeZone();
    bool m_paused = false;

    QLabel* m_title = nullptr;
    QLabel* m_details = nullptr;
    QPushButton* m_sync = nullptr;
    QPushButton* m_purge = nullptr;
    QPushButton* m_reconcile = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_bar = nullptr;
    QLabel* m_progress = nullptr;
    QLabel* m_outcome = nullptr;
    QTableWidget* m_schedules = nullptr;
    QLabel* m_scheduleState = nullptr;
    QPushButton* m_pause = nullptr;
    QTabWidget* m_tabs = nullptr;
};

} // namespace ors
