#pragma once

#include "config/Config.h"
#include "runner/JobQueue.h"
#include "runner/Scheduler.h"
#include "service/ControlChannel.h"
#include "service/InstanceHeartbeat.h"
#include "util/Expected.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

namespace ors {

class Notifier;

// The instance that runs one data directory's schedules: `openresync-cli serve` (kind "serve")
// or the desktop window (kind "desktop"). Owns the job queue, the scheduler and the control
// channel, and keeps a heartbeat row in the stats store while it runs.
//
// Control commands (besides the channel's built-in hello and watch):
//   jobs                 {jobs: [entry...], paused, pausedSources: [name...], maxConcurrentJobs}
//   run {source, process, resource?, dryRun?, allowLargeDelete?, resumeOnly?}
//                        {outcome: started | waiting | already-queued}
//   cancel {source, process?}
//                        {cancelled: bool} (false: nothing ran or waited); with a process, only
//                        that process's queued request is dropped and a running job stays
//   pause, resume {source?}
//                        {paused} for all schedules; with a source, only its schedules:
//                        {paused, source, sourcePaused}
//   schedule             {paused, pausedSources, next: [{source, process, next}]}
// An entry is {id, source, process, state, origin, queuedAt, startedAt, progress}, progress
// {resource, phase, done, total, eta} or null. Events broadcast to watchers (and emitted as
// published()): queued, started, progress (at most a few per second per job), finished (with
// result {ok, exitCode, error, cancelled, recordsDownloaded, recordsApplied}), dropped,
// paused, resumed (with {source} when one source's schedules), reloaded.
//
// Lives in its owner thread (which runs an event loop), like the queue it owns.
class ServiceHost : public QObject {
    Q_OBJECT
public:
    explicit ServiceHost(QObject* parent = nullptr);
    // Without stop(): the queue's destructor cancels running jobs and waits for them.
    ~ServiceHost() override;
    Q_DISABLE_COPY_MOVE(ServiceHost)

    // The configuration (already validated) and data directory jobs run with; before start().
    void setConfig(const Config& config, const QString& dataDir);
    // Listens on the control channel (failing when another instance answers there), writes the
    // heartbeat row, catches up missed fires and starts the scheduler.
    Expected<void> start(const QString& kind);
    bool isStarted() const { return m_started; }
    // A new validated configuration: the queue and the scheduler take it (the pause state is
    // kept; running jobs keep theirs).
    void reload(const Config& config);
    // Stops the scheduler, closes the channel, cancels running jobs (they stop at their next
    // checkpoint) and waits up to timeoutMs for them. True when every job ended in time.
    bool stop(int timeoutMs);

    JobQueue& queue() { return m_queue; }
    Scheduler& scheduler() { return m_scheduler; }
    ControlServer& control() { return m_control; }
    const QString& dataDir() const { return m_dataDir; }
    // Told every finished run that was not cancelled, and asked to check every
    // kAlertCheckMinutes; null without a configuration. Its alertRaised() is for the front end
    // (the tray); nothing listens to it yet.
    Notifier* notifier() const { return m_notifier.get(); }

    static constexpr int kAlertCheckMinutes = 5;
    QJsonObject identity() const { return m_identity; }

    static QJsonObject entryJson(const JobEntry& entry);
    static QJsonObject resultJson(const JobEntry& entry, const JobResult& result);
    // The reverse, for a program watching an instance: an entry as `jobs` and the events carry
    // it (the progress has no rate), and the result of a `finished` event (nullopt without one).
    static JobEntry entryFromJson(const QJsonObject& json);
    static std::optional<JobResult> resultFromJson(const QJsonObject& json);

Q_SIGNALS:
    // Every event the channel broadcasts, in this thread.
    void published(const QString& kind, const QJsonObject& fields);

private:
    void installHandlers();
    void connectQueue();
    void publish(const QString& kind, const QJsonObject& fields);
    void beat();
    void setNotifier(const Config& config);

    Expected<QJsonObject> handleRun(const QJsonObject& request);
    Expected<QJsonObject> handleCancel(const QJsonObject& request);
    Expected<QJsonObject> handlePause(const QJsonObject& request, bool pause);
    QJsonObject handleSchedule() const;

    JobQueue m_queue;
    Scheduler m_scheduler{&m_queue};
    ControlServer m_control;
    std::optional<Config> m_config;
    QString m_dataDir;
    QJsonObject m_identity;
    bool m_started = false;
    QTimer m_heartbeat;
    QTimer m_alertCheck;
    std::unique_ptr<Notifier> m_notifier;
    InstanceHeartbeat m_instance;
    QHash<quint64, QElapsedTimer> m_lastProgress; // job id → since its last progress event
    // job id → its newest progress held back by the interval, published when the interval ends
    // (so watchers always end up with the latest one, not the last one that happened to pass)
    QHash<quint64, JobEntry> m_heldProgress;
};

} // namespace ors
