#include "runner/JobQueue.h"

#include "logging/LogCategories.h"
#include "processes/ProcessJob.h"
#include "processes/PurgeProcess.h"
#include "processes/ReconcileProcess.h"
#include "processes/SyncProcess.h"

#include <QThread>

#include <algorithm>
#include <memory>

namespace ors {

namespace {

// The job of a request, with the options the CLI's commands would give it.
std::unique_ptr<ProcessJob> makeJob(const SourceConfig& source, const QString& dataDir,
                                    const JobRequest& request) {
    const JobOptions& o = request.options;
    switch (request.process) {
    case ProcessType::Sync:
        return std::make_unique<SyncProcess>(source, dataDir, SyncOptions{o.resource, o.resumeOnly});
    case ProcessType::Purge:
        return std::make_unique<PurgeProcess>(source, dataDir,
                                              PurgeOptions{o.resource, o.dryRun, o.allowLargeDelete});
    case ProcessType::Reconcile:
        return std::make_unique<ReconcileProcess>(source, dataDir, ReconcileOptions{o.resource});
    }
    return nullptr;
}

QString describe(const JobRequest& request) {
    return QStringLiteral("%1 of %2 (%3)")
        .arg(processName(request.process), request.source, jobOriginName(request.origin));
}

} // namespace

QString jobOriginName(JobOrigin origin) {
    switch (origin) {
    case JobOrigin::Schedule:
        return QStringLiteral("schedule");
    case JobOrigin::CatchUp:
        return QStringLiteral("catch-up");
    case JobOrigin::Manual:
        return QStringLiteral("manual");
    }
    return {};
}

QString jobStateName(JobEntry::State state) {
    switch (state) {
    case JobEntry::State::Queued:
        return QStringLiteral("queued");
    case JobEntry::State::Running:
        return QStringLiteral("running");
    case JobEntry::State::Finished:
        return QStringLiteral("finished");
    case JobEntry::State::Dropped:
        return QStringLiteral("dropped");
    }
    return {};
}

JobQueue::JobQueue(QObject* parent)
    : QObject(parent) {
    qRegisterMetaType<JobProgress>();
    qRegisterMetaType<JobResult>();
    qRegisterMetaType<JobEntry>();
    qRegisterMetaType<JobRequest>();
    m_pool.setObjectName(QStringLiteral("openresync-jobs"));
    m_limit = std::max(1, QThread::idealThreadCount());
    m_pool.setMaxThreadCount(m_limit);
}

JobQueue::~JobQueue() {
    shutdown();
    // Jobs whose deferred deletion has not run yet are children of this object and go with it.
}

void JobQueue::setConfig(const Config& config, const QString& dataDir) {
    m_config = config;
    m_dataDir = dataDir;
    m_limit = config.maxConcurrentJobs.value_or(std::max(1, QThread::idealThreadCount()));
    // Never fewer threads than jobs allowed, nor fewer than still run after a lower limit.
    m_pool.setMaxThreadCount(std::max(m_limit, int(m_running.size())));
    for (qsizetype i = m_waiting.size() - 1; i >= 0; --i)
        if (!config.source(m_waiting.at(i).request.source))
            drop(i);
    dispatch();
}

JobQueue::Enqueued JobQueue::enqueue(const JobRequest& request) {
    if (m_shuttingDown)
        return Enqueued::ShuttingDown;
    if (!m_config || !m_config->source(request.source)) {
        qCWarning(lcJobs) << "job queue: source" << request.source << "is not in the configuration";
        return Enqueued::UnknownSource;
    }
    const auto same = [&](const JobEntry& e) {
        return e.request.source == request.source && e.request.process == request.process;
    };
    if (std::any_of(m_waiting.cbegin(), m_waiting.cend(), same)) {
        qCInfo(lcJobs).noquote() << "job queue:" << describe(request) << "already waits; not queued again";
        return Enqueued::AlreadyQueued;
    }
    JobEntry entry;
    entry.id = m_nextId++;
    entry.request = request;
    entry.queuedAt = QDateTime::currentDateTimeUtc();
    m_waiting.append(entry);
    qCInfo(lcJobs).noquote() << "job queue:" << describe(request) << "queued";
    Q_EMIT queued(entry);
    dispatch();
    Q_EMIT changed();
    const bool running =
        m_running.contains(request.source) && m_running.value(request.source).entry.id == entry.id;
    return running ? Enqueued::Started : Enqueued::Waiting;
}

// Starts the earliest-queued requests whose source is idle while slots are free.
void JobQueue::dispatch() {
    if (m_shuttingDown || !m_config)
        return;
    qsizetype i = 0;
    while (i < m_waiting.size() && m_running.size() < m_limit) {
        const QString& name = m_waiting.at(i).request.source;
        if (m_running.contains(name)) {
            ++i;
            continue;
        }
        JobEntry entry = m_waiting.takeAt(i);
        const SourceConfig* source = m_config->source(entry.request.source);
        if (!source)
            continue; // gone with a reload; setConfig() drops these, this is only a guard
        start(std::move(entry), *source);
    }
}

void JobQueue::start(JobEntry entry, const SourceConfig& source) {
    std::unique_ptr<ProcessJob> owned = makeJob(source, m_dataDir, entry.request);
    ProcessJob* job = owned.release();
    job->setParent(this);
    const QString name = source.name;
    // The job emits from its pool thread; queued delivery brings the values to this thread.
    connect(
        job, &ProcessJob::progress, this, [this, name](const JobProgress& p) { onProgress(name, p); },
        Qt::QueuedConnection);
    connect(
        job, &ProcessJob::finished, this, [this, name](const JobResult& r) { onFinished(name, r); },
        Qt::QueuedConnection);
    entry.state = JobEntry::State::Running;
    entry.startedAt = QDateTime::currentDateTimeUtc();
    m_running.insert(name, Running{entry, job});
    m_startOrder.append(name);
    // deleteLater() is posted after finished(), so the result is always delivered first, and
    // the pool thread no longer touches the job once it has posted its deletion.
    m_pool.start([job] {
        job->run();
        job->deleteLater();
    });
    qCInfo(lcJobs).noquote() << "job queue:" << describe(entry.request) << "started";
    Q_EMIT started(entry);
}

void JobQueue::onProgress(const QString& source, const JobProgress& progress) {
    auto it = m_running.find(source);
    if (it == m_running.end())
        return;
    it->entry.progress = progress;
    Q_EMIT this->progress(it->entry, progress);
}

void JobQueue::onFinished(const QString& source, const JobResult& result) {
    const auto it = m_running.find(source);
    if (it == m_running.end())
        return;
    JobEntry entry = it->entry;
    m_running.erase(it);
    m_startOrder.removeOne(source);
    entry.state = JobEntry::State::Finished;
    qCInfo(lcJobs).noquote() << "job queue:" << describe(entry.request)
                             << (result.ok() ? QStringLiteral("finished")
                                             : QStringLiteral("ended: ") + result.error);
    Q_EMIT finished(entry, result);
    dispatch();
    Q_EMIT changed();
}

void JobQueue::drop(qsizetype index) {
    JobEntry entry = m_waiting.takeAt(index);
    entry.state = JobEntry::State::Dropped;
    qCInfo(lcJobs).noquote() << "job queue:" << describe(entry.request) << "dropped before it ran";
    Q_EMIT dropped(entry);
}

bool JobQueue::cancel(const QString& source) {
    bool any = cancelQueued(source) > 0;
    const auto it = m_running.find(source);
    if (it != m_running.end()) {
        any = true;
        it->entry.cancelRequested = true;
        if (it->job)
            it->job->cancel();
        qCInfo(lcJobs).noquote() << "job queue:" << describe(it->entry.request) << "asked to stop";
        Q_EMIT changed();
    }
    return any;
}

int JobQueue::cancelQueued(const QString& source, std::optional<ProcessType> process) {
    int count = 0;
    for (qsizetype i = m_waiting.size() - 1; i >= 0; --i) {
        const JobRequest& r = m_waiting.at(i).request;
        if (r.source == source && (!process || r.process == *process)) {
            drop(i);
            ++count;
        }
    }
    if (count > 0)
        Q_EMIT changed();
    return count;
}

bool JobQueue::isRunning(const QString& source) const {
    return m_running.contains(source);
}

bool JobQueue::isQueued(const QString& source, std::optional<ProcessType> process) const {
    return std::any_of(m_waiting.cbegin(), m_waiting.cend(), [&](const JobEntry& e) {
        return e.request.source == source && (!process || e.request.process == *process);
    });
}

QStringList JobQueue::runningSources() const {
    return m_startOrder;
}

QList<JobEntry> JobQueue::snapshot() const {
    QList<JobEntry> entries;
    entries.reserve(m_running.size() + m_waiting.size());
    for (const QString& source : m_startOrder)
        entries.append(m_running.value(source).entry);
    entries.append(m_waiting);
    return entries;
}

bool JobQueue::shutdown(int timeoutMs) {
    m_shuttingDown = true;
    const bool hadQueued = !m_waiting.isEmpty();
    while (!m_waiting.isEmpty())
        drop(0);
    for (Running& running : m_running) {
        running.entry.cancelRequested = true;
        if (running.job)
            running.job->cancel();
    }
    if (hadQueued || !m_running.isEmpty())
        Q_EMIT changed();
    return m_pool.waitForDone(timeoutMs);
}

} // namespace ors
