#pragma once

#include "config/Config.h"
#include "processes/JobTypes.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QThreadPool>

namespace ors {

class ProcessJob;

// Runs the desktop's jobs (a ProcessJob: SyncProcess today) on a thread pool it owns, at most
// one per source, whatever the process:
// a second start for a source that is still running is refused (the per-source lock file
// also keeps other programs out). Progress and results arrive as queued signals in the
// thread that owns the runner, carrying plain values. Destroying the runner, or calling
// shutdown(), cancels every job and waits for the pool. Holds no widgets.
class JobRunner : public QObject {
    Q_OBJECT
public:
    enum class StartResult { Started, AlreadyRunning, ShuttingDown };
    Q_ENUM(StartResult)

    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override;
    Q_DISABLE_COPY_MOVE(JobRunner)

    StartResult startSync(const SourceConfig& source, const QString& dataDir);
    bool isRunning(const QString& source) const;
    QStringList runningSources() const;
    // Asks the source's job to stop at its next checkpoint; its finished() still arrives.
    void cancel(const QString& source);
    // Cancels every job and blocks until the pool is idle; later starts are refused.
    void shutdown();

Q_SIGNALS:
    void jobStarted(const QString& source);
    void jobProgress(const ors::JobProgress& progress);
    void jobFinished(const ors::JobResult& result);

private:
    StartResult start(const QString& source, ProcessJob* job);

    QThreadPool m_pool;
    QHash<QString, QPointer<ProcessJob>> m_running;
    bool m_shuttingDown = false;
};

} // namespace ors
