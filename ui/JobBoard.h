#pragma once

#include "runner/JobQueue.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace ors {

class ControlWatcher;
class Scheduler;

// One upcoming fire of a schedule (UTC).
struct ScheduledFire {
    QString source;
    ProcessType process = ProcessType::Sync;
    QDateTime at;
};

// The jobs and schedule state the window shows (navigation, status bar, source pages), from
// whichever instance runs them: this program's own queue and scheduler, or a `serve` the window
// is attached to, followed through its control channel (a watching connection for the events,
// `jobs` and `schedule` requests on a pool thread for the state). Readers never care which.
class JobBoard : public QObject {
    Q_OBJECT
public:
    explicit JobBoard(QObject* parent = nullptr);
    ~JobBoard() override;

    // This program runs the jobs; neither is owned and both must outlive the board.
    void followLocal(JobQueue* queue, Scheduler* scheduler);
    // Another instance runs them: false when nothing answers at `controlPath`.
    bool followRemote(const QString& controlPath);
    // The attached instance went away: back to this program's queue and scheduler (those given
    // to followLocal), its jobs forgotten.
    void followLocalAgain();
    bool isRemote() const { return !m_remotePath.isEmpty(); }
    // Reads the state again (after a reload; remotely also every minute).
    void refresh();

    // Running jobs (in the order they started), then queued ones.
    const QList<JobEntry>& jobs() const { return m_jobs; }
    std::optional<JobEntry> runningJob(const QString& source) const;
    bool isRunning(const QString& source) const { return runningJob(source).has_value(); }
    bool isQueued(const QString& source, std::optional<ProcessType> process = std::nullopt) const;
    int runningCount() const;

    bool allPaused() const { return m_paused; }
    bool isSourcePaused(const QString& source) const { return m_pausedSources.contains(source); }
    // Every schedule's next fire, earliest first.
    const QList<ScheduledFire>& nextFires() const { return m_fires; }
    std::optional<QDateTime> nextFire(const QString& source, ProcessType process) const;

Q_SIGNALS:
    // jobs() changed (a job queued, started, progressed, ended or was dropped).
    void changed();
    // A job ended; `cancelled` when a cancel (or shutdown) stopped it.
    void jobFinished(const ors::JobEntry& entry, const ors::JobResult& result, bool cancelled);
    // The pause state or the next fires changed.
    void scheduleChanged();
    // The attached instance went away (its watching connection closed).
    void remoteLost();

private:
    void readLocalSchedule();
    void onRemoteEvent(const QString& kind, const QJsonObject& fields);
    void fetchRemote();
    void upsert(const JobEntry& entry);
    void remove(quint64 id);

    QPointer<JobQueue> m_queue;
    QPointer<Scheduler> m_scheduler;
    QString m_remotePath;
    ControlWatcher* m_watcher = nullptr;
    QTimer m_remoteRefresh;
    QTimer m_progressDelay;
    quint64 m_fetchGeneration = 0;

    QList<JobEntry> m_jobs;
    bool m_paused = false;
    QStringList m_pausedSources;
    QList<ScheduledFire> m_fires;
};

} // namespace ors
