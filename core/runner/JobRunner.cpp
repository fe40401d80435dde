#include "runner/JobRunner.h"

#include "logging/LogCategories.h"
#include "processes/ProcessJob.h"
#include "processes/SyncProcess.h"

#include <QThread>

#include <algorithm>

namespace ors {

JobRunner::JobRunner(QObject* parent)
    : QObject(parent) {
    qRegisterMetaType<JobProgress>();
    qRegisterMetaType<JobResult>();
    m_pool.setObjectName(QStringLiteral("openresync-jobs"));
    m_pool.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
}

JobRunner::~JobRunner() {
    shutdown();
    // Jobs whose deferred deletion has not run yet are children of this object and go with it.
}

JobRunner::StartResult JobRunner::startSync(const SourceConfig& source, const QString& dataDir) {
    if (m_shuttingDown)
        return StartResult::ShuttingDown;
    if (isRunning(source.name)) {
        qCInfo(lcUi) << "a job of" << source.name << "is already running; not starting a sync";
        return StartResult::AlreadyRunning;
    }
    return start(source.name, new SyncProcess(source, dataDir));
}

JobRunner::StartResult JobRunner::start(const QString& source, ProcessJob* job) {
    job->setParent(this);
    // The job emits from its pool thread; queued delivery brings the values to this thread.
    connect(job, &ProcessJob::progress, this, &JobRunner::jobProgress, Qt::QueuedConnection);
    connect(
        job, &ProcessJob::finished, this,
        [this, source](const JobResult& result) {
            m_running.remove(source);
            Q_EMIT jobFinished(result);
        },
        Qt::QueuedConnection);
    m_running.insert(source, job);
    // deleteLater() is posted after finished(), so the result is always delivered first, and
    // the pool thread no longer touches the job once it has posted its deletion.
    m_pool.start([job] {
        job->run();
        job->deleteLater();
    });
    qCInfo(lcUi) << "job of" << source << "started";
    Q_EMIT jobStarted(source);
    return StartResult::Started;
}

bool JobRunner::isRunning(const QString& source) const {
    return m_running.contains(source);
}

QStringList JobRunner::runningSources() const {
    return m_running.keys();
}

void JobRunner::cancel(const QString& source) {
    if (const QPointer<ProcessJob> job = m_running.value(source))
        job->cancel();
}

void JobRunner::shutdown() {
    m_shuttingDown = true;
    for (const QPointer<ProcessJob>& job : std::as_const(m_running))
        if (job)
            job->cancel();
    m_pool.waitForDone();
}

} // namespace ors
