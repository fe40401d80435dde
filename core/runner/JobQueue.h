#pragma once

#include "config/Config.h"
#include "processes/JobTypes.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <optional>

namespace ors {

class ProcessJob;

// Who asked for a job: a schedule's fire, a fire missed while no scheduler ran (run once at
// start), or a person (the window's button, `openresync-cli run`).
enum class JobOrigin { Schedule, CatchUp, Manual };
QString jobOriginName(JobOrigin origin); // schedule | catch-up | manual

// The options of one run, as the CLI's commands take them; each process reads its own.
struct JobOptions {
    QString resource;              // sync, purge, reconcile: only this resource; empty = all
    bool resumeOnly = false;       // sync: finish an unfinished batch, ask for nothing newer
    bool dryRun = false;           // purge: report what would be deleted, delete nothing
    bool allowLargeDelete = false; // purge: ignore purge.maxDeletes / maxDeletePercent
};

// What to run: one process of one configured source.
struct JobRequest {
    QString source;
    ProcessType process = ProcessType::Sync;
    JobOptions options;
    JobOrigin origin = JobOrigin::Manual;
};

// One job the queue holds, running or waiting, as a plain value (for `jobs` listings and signals).
struct JobEntry {
    enum class State { Queued, Running, Finished, Dropped };
    quint64 id = 0; // unique in this queue, increasing in the order requests were queued
    JobRequest request;
    State state = State::Queued;
    QDateTime queuedAt;                  // UTC
    QDateTime startedAt;                 // UTC; invalid while queued
    std::optional<JobProgress> progress; // the last progress reported, none before the first
    bool cancelRequested = false;        // cancel() reached it while it ran
};
QString jobStateName(JobEntry::State state); // queued | running | finished | dropped

// Runs sync, purge and reconcile jobs on a thread pool it owns. Used by the desktop window and
// by the headless service alike; manual runs and schedules go through the same queue.
//
// Rules:
// - at most one job per source at a time, whatever the process (the per-source lock file also
//   keeps other programs out); a source's further requests wait in its FIFO;
// - at most maxConcurrentJobs() jobs at once across sources (Config::maxConcurrentJobs, else
//   QThread::idealThreadCount()); when a slot frees, the earliest-queued request whose source
//   is idle starts, so sources are served in the order they asked;
// - a request for a (source, process) that is already waiting is not queued a second time
//   (Enqueued::AlreadyQueued); one for a (source, process) that is running waits once behind it.
//
// Threads: the queue lives in the thread that creates it (its owner thread, which runs an event
// loop); every public method must be called there. Jobs run on the pool; what they report comes
// back as queued signals, so every signal of the queue is emitted in the owner thread and
// carries plain values. A request starts synchronously inside enqueue() when it may, so queued()
// and started() have both been emitted when enqueue() returns Enqueued::Started.
class JobQueue : public QObject {
    Q_OBJECT
public:
    enum class Enqueued {
        Started,       // running now
        Waiting,       // queued behind its source's job or for a free slot
        AlreadyQueued, // the same (source, process) already waits: not stacked, nothing changed
        UnknownSource, // no such source in the configuration (or no configuration set)
        ShuttingDown,  // shutdown() was called
    };
    Q_ENUM(Enqueued)

    explicit JobQueue(QObject* parent = nullptr);
    // Cancels every job and waits for the pool without a time limit (see shutdown()).
    ~JobQueue() override;
    Q_DISABLE_COPY_MOVE(JobQueue)

    // The sources jobs are built from and the data directory they run in. Takes effect for jobs
    // started from now on (running ones keep theirs); queued requests of sources no longer
    // configured end as dropped. Sets the global limit from config.maxConcurrentJobs.
    void setConfig(const Config& config, const QString& dataDir);
    const std::optional<Config>& config() const { return m_config; }
    const QString& dataDir() const { return m_dataDir; }
    int maxConcurrentJobs() const { return m_limit; }

    Enqueued enqueue(const JobRequest& request);

    // Asks the source's running job to stop at its next checkpoint (its finished() still
    // arrives; the next run resumes from the checkpoint) and drops the source's queued
    // requests. False when the source had nothing running or queued.
    bool cancel(const QString& source);
    // Drops the source's queued requests (of one process only, when given), leaving a running
    // job alone. Returns how many were dropped.
    int cancelQueued(const QString& source, std::optional<ProcessType> process = std::nullopt);

    bool isRunning(const QString& source) const;
    bool isQueued(const QString& source, std::optional<ProcessType> process = std::nullopt) const;
    QStringList runningSources() const;
    int runningCount() const { return int(m_running.size()); }
    // Running jobs (in the order they started), then queued requests (in the order they will be
    // considered: the order they were queued).
    QList<JobEntry> snapshot() const;

    // Refuses new requests, drops the queued ones, cancels the running ones and waits up to
    // timeoutMs (-1: without limit) for the pool. True when every job ended in time. The jobs'
    // finished() signals arrive once the owner thread's event loop runs again.
    bool shutdown(int timeoutMs = -1);
    bool isShuttingDown() const { return m_shuttingDown; }

Q_SIGNALS:
    void queued(const ors::JobEntry& entry);
    void started(const ors::JobEntry& entry);
    void progress(const ors::JobEntry& entry, const ors::JobProgress& progress);
    // The job ended: its entry (state Finished, cancelRequested when cancel() reached it) and
    // its result. A cancelled job's result is a failure whose error says "cancelled".
    void finished(const ors::JobEntry& entry, const ors::JobResult& result);
    // A queued request was removed without running (cancel, cancelQueued, shutdown, reload).
    void dropped(const ors::JobEntry& entry);
    // The set of jobs or their states changed (after queued, started, finished and dropped; not
    // after progress, which comes several times a second per job: listen to progress() for it).
    void changed();

private:
    struct Running {
        JobEntry entry;
        QPointer<ProcessJob> job;
    };

    void dispatch();
    void start(JobEntry entry, const SourceConfig& source);
    void onProgress(const QString& source, const JobProgress& progress);
    void onFinished(const QString& source, const JobResult& result);
    void drop(qsizetype index);

    std::optional<Config> m_config;
    QString m_dataDir;
    int m_limit = 1;
    QThreadPool m_pool;
    QHash<QString, Running> m_running; // by source
    QStringList m_startOrder;          // sources of the running jobs, in the order they started
    QList<JobEntry> m_waiting;         // in the order queued
    quint64 m_nextId = 1;
    bool m_shuttingDown = false;
};

} // namespace ors

Q_DECLARE_METATYPE(ors::JobEntry)
Q_DECLARE_METATYPE(ors::JobRequest)
