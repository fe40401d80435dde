#pragma once

#include "config/Config.h"
#include "runner/JobQueue.h"
#include "schedule/CronExpression.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QTimeZone>

#include <optional>

namespace ors {

// Runs the configured schedules: for every source and process (`schedules.sync`, `.purge`,
// `.reconcile`, each a list of cron expressions read in Config::scheduleZone(source)) it keeps
// the next fire time, and at each fire puts a JobRequest (origin Schedule) into the JobQueue,
// which runs it when the source and a slot are free. The queue never stacks a (source, process)
// that already waits, and one call of fireDue() enqueues each (source, process) at most once, so
// fires that pile up (several expressions at one instant, a suspended machine) run once.
//
// Lives in the owner thread with its queue (not owned; it must outlive the scheduler). Only
// start() arms its timer: one single-shot QTimer to the earliest fire, but never longer than
// kMaxTimerMs, so a clock that jumps or a machine that slept is noticed within a minute. The
// timer calls fireDue(now); tests call fireDue() with chosen times instead and never start().
class Scheduler : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxTimerMs = 60000;

    explicit Scheduler(JobQueue* queue, QObject* parent = nullptr);
    ~Scheduler() override;
    Q_DISABLE_COPY_MOVE(Scheduler)

    // The schedules of `config` from now on (a reload keeps the pause state): next fires are
    // computed strictly after `now`.
    void setConfig(const Config& config, const QDateTime& now = QDateTime::currentDateTimeUtc());
    // Arms the timer (from the current time); stop() disarms it.
    void start();
    void stop();
    bool isStarted() const { return m_started; }

    // Enqueues every (source, process) whose next fire is at or before `now` (unless paused,
    // globally or for its source) and
    // moves its next fire past `now`. Called by the timer with the current time. A `now` earlier
    // than the last one seen (the clock went back) recomputes every next fire from `now`.
    void fireDue(const QDateTime& now);

    // While paused, fires are skipped (not stored up); resume() computes the next fires from
    // `now`, so nothing missed during the pause runs.
    void pause();
    void resume(const QDateTime& now = QDateTime::currentDateTimeUtc());
    bool isPaused() const { return m_paused; }

    // One source's schedules only, beside the global pause: its fires are skipped while either
    // holds. resumeSource() computes that source's next fires from `now`. A reload keeps the
    // paused sources that are still configured. Unknown names are accepted (the caller checks).
    void pauseSource(const QString& source);
    void resumeSource(const QString& source, const QDateTime& now = QDateTime::currentDateTimeUtc());
    bool isSourcePaused(const QString& source) const { return m_pausedSources.contains(source); }
    // Sorted by name.
    QStringList pausedSources() const;

    // At start, for each source whose `schedules.catchUp` is true: a process whose latest fire
    // before `now` came after the start of its last run in the stats store (the configuration's
    // "stats" server, else <dataDir of the queue>/stats.sqlite) is enqueued once (origin CatchUp). A process
    // never run before is not caught up (no fire can be known to be missed); one fire is caught up at most
    // once per scheduler, however often this is called. Reads the stats store in this thread (one small query
    // per process). Returns the requests it enqueued (or found already queued).
    QList<JobRequest> catchUp(const QDateTime& now = QDateTime::currentDateTimeUtc());

    // The next fire of one process of a source (UTC); none when it has no schedule or never fires.
    std::optional<QDateTime> nextFire(const QString& source, ProcessType process) const;
    // The earliest next fire of all; none without schedules.
    std::optional<QDateTime> nextFire() const;

Q_SIGNALS:
    // A (source, process) came due and was offered to the queue, which answered `outcome`.
    void fired(const ors::JobRequest& request, ors::JobQueue::Enqueued outcome);
    // A (source, process) came due while paused: nothing was enqueued.
    void skipped(const ors::JobRequest& request);
    void pausedChanged(bool paused);
    void sourcePausedChanged(const QString& source, bool paused);

private:
    // One process of one source: its expressions and the next time any of them fires.
    struct Slot {
        QString source;
        ProcessType process = ProcessType::Sync;
        QList<CronExpression> crons;
        QTimeZone zone;
        bool catchUp = false;
        std::optional<QDateTime> next;
    };

    static std::optional<QDateTime> nextAfter(const Slot& slot, const QDateTime& after);
    void recompute(const QDateTime& now);
    void arm();

    JobQueue* m_queue;
    QList<Slot> m_slots;
    std::optional<SqlServerConfig> m_stats; // where catch-up finds the last runs
    QHash<QString, QDateTime> m_caughtUp;   // "source/process" → the fire a catch-up ran for
    QTimer m_timer;
    QDateTime m_lastNow;
    bool m_paused = false;
    QSet<QString> m_pausedSources;
    bool m_started = false;
};

} // namespace ors
