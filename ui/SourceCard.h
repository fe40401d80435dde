#pragma once

#include "runner/JobQueue.h"
#include "runner/SourceActivity.h"

#include <QDateTime>
#include <QFrame>
#include <QStringList>
#include <QTimeZone>

#include <optional>

class QLabel;
class QProgressBar;
class QPushButton;

namespace ors {

// One source on the dashboard: its state (idle, queued, running with progress, failed, blocked)
// as an icon, a word and a coloured stripe from the palette; the last sync, purge and reconcile
// with result and relative time (absolute time and error on hover); the next scheduled run; a
// badge when the MLS and a destination disagree; Open, Sync now and Cancel. Shows what it is
// given: the dashboard feeds it from the queue, the scheduler and core's activity read.
class SourceCard : public QFrame {
    Q_OBJECT
public:
    enum class State { Idle, Queued, Running, Failed, Blocked };
    Q_ENUM(State)

    explicit SourceCard(const QString& source, QWidget* parent = nullptr);

    const QString& source() const { return m_source; }
    State state() const { return m_state; }

    void setActivity(const std::optional<SourceActivity>& activity);
    // The source's running job (none when idle) and whether a request of it waits.
    void setJob(const std::optional<JobEntry>& running, bool queued);
    void setNextRun(const std::optional<QDateTime>& when, const QString& process, bool paused);
    // What the resources table found (one line per disagreement) from counts it began taking at
    // `measured` (UTC). The badge says when; it hides while a job of the source runs, and stays
    // hidden for counts taken before that job ended (they describe the copy half-way).
    void setDifferences(const QStringList& summary, const QDateTime& measured);
    // Whether the badge shows a current difference.
    bool showsDifferences() const;
    void setDisplayZone(const QTimeZone& zone);
    void setNow(const QDateTime& now);
    void setRelativeTimes(bool relative);

    QSize sizeHint() const override;

Q_SIGNALS:
    void openRequested(const QString& source);
    void syncRequested(const QString& source);
    void cancelRequested(const QString& source);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void refresh();
    void showRun(QLabel* label, const QString& process, const std::optional<RunSummary>& run);
    QColor stateColour() const;

    QString m_source;
    State m_state = State::Idle;
    std::optional<SourceActivity> m_activity;
    std::optional<JobEntry> m_running;
    bool m_queued = false;
    std::optional<QDateTime> m_nextRun;
    QString m_nextProcess;
    bool m_paused = false;
    QStringList m_differences;
    QDateTime m_measured;  // when the counts behind m_differences began to be taken
    QDateTime m_busyUntil; // the last moment a job of the source was seen running
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    QDateTime m_now;
    bool m_relativeTimes = true;

    QLabel* m_name = nullptr;
    QLabel* m_stateLabel = nullptr;
    QLabel* m_stateIcon = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressText = nullptr;
    QLabel* m_badge = nullptr;
    QLabel* m_blocked = nullptr;
    QLabel* m_sync = nullptr;
    QLabel* m_purge = nullptr;
    QLabel* m_reconcile = nullptr;
    QLabel* m_next = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_syncNow = nullptr;
    QPushButton* m_cancel = nullptr;
};

} // namespace ors
