#include "service/ServiceHost.h"

#include "alerts/Notifier.h"
#include "config/DataDir.h"
#include "logging/LogCategories.h"
#include "stats/StatsStore.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QTimer>

namespace ors {

namespace {

// Progress reports of one job closer together than this are not broadcast (a download reports
// per page, an apply per chunk): watchers want a live view, not every step.
constexpr qint64 kProgressIntervalMs = 300;

QJsonValue timeOrNull(const QDateTime& time) {
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonObject progressJson(const JobProgress& progress) {
    return QJsonObject{{QStringLiteral("resource"), progress.resource},
                       {QStringLiteral("phase"), progress.phase},
                       {QStringLiteral("done"), progress.done},
                       {QStringLiteral("total"), progress.total},
                       {QStringLiteral("eta"), progress.etaSeconds}};
}

QString outcomeName(JobQueue::Enqueued outcome) {
    switch (outcome) {
    case JobQueue::Enqueued::Started:
        return QStringLiteral("started");
    case JobQueue::Enqueued::Waiting:
        return QStringLiteral("waiting");
    case JobQueue::Enqueued::AlreadyQueued:
        return QStringLiteral("already-queued");
    case JobQueue::Enqueued::UnknownSource:
        return QStringLiteral("unknown-source");
    case JobQueue::Enqueued::ShuttingDown:
        return QStringLiteral("shutting-down");
    }
    return {};
}

} // namespace

ServiceHost::ServiceHost(QObject* parent)
    : QObject(parent) {
    m_heartbeat.setInterval(InstanceRow::kHeartbeatSeconds * 1000);
    connect(&m_heartbeat, &QTimer::timeout, this, &ServiceHost::beat);
    m_alertCheck.setInterval(kAlertCheckMinutes * 60 * 1000);
    connect(&m_alertCheck, &QTimer::timeout, this, [this] {
        if (m_notifier && m_notifier->enabled())
            m_notifier->check(QDateTime::currentDateTimeUtc());
    });
    installHandlers();
    connectQueue();
}

ServiceHost::~ServiceHost() {
    m_instance.stop();
}

void ServiceHost::setConfig(const Config& config, const QString& dataDir) {
    m_config = config;
    m_dataDir = dataDir;
    m_queue.setConfig(config, dataDir);
    m_scheduler.setConfig(config);
    setNotifier(config);
}

void ServiceHost::setNotifier(const Config& config) {
    // The old one's destructor waits for its deliveries under way.
    m_notifier = std::make_unique<Notifier>(config, m_dataDir);
}

Expected<void> ServiceHost::start(const QString& kind) {
    if (!m_config)
        return makeError(QStringLiteral("no configuration to run the schedules of"));
    const DataLayout layout(m_dataDir);
    if (auto made = layout.ensureRoot(); !made)
        return made;
    m_identity = QJsonObject{{QStringLiteral("kind"), kind},
                             {QStringLiteral("pid"), QCoreApplication::applicationPid()},
                             {QStringLiteral("started"), timeOrNull(QDateTime::currentDateTimeUtc())},
                             {QStringLiteral("dataDir"), m_dataDir},
                             {QStringLiteral("version"), QStringLiteral(OPENRESYNC_VERSION)}};
    m_control.setIdentity(m_identity);
    if (auto listening = m_control.listen(ControlChannel::socketPath(m_dataDir)); !listening)
        return listening;

    // Without the heartbeat the schedules still run; `status` just cannot tell.
    if (auto started = m_instance.start(m_config->stats, m_dataDir, kind); !started)
        qCWarning(lcService) << "no heartbeat:" << started.errorMessage();
    else
        m_heartbeat.start();

    m_started = true;
    m_alertCheck.start();
    m_scheduler.catchUp();
    m_scheduler.start();
    return {};
}

void ServiceHost::reload(const Config& config) {
    m_config = config;
    m_queue.setConfig(config, m_dataDir);
    m_scheduler.setConfig(config);
    setNotifier(config);
    publish(QStringLiteral("reloaded"), {{QStringLiteral("sources"), int(config.sources.size())}});
}

bool ServiceHost::stop(int timeoutMs) {
    m_scheduler.stop();
    m_control.close();
    m_heartbeat.stop();
    m_alertCheck.stop();
    const bool ended = m_queue.shutdown(timeoutMs);
    // The jobs' finished() signals are queued to this thread: let them arrive so what listens
    // (serve's journal lines, the window) hears how each ended.
    QCoreApplication::sendPostedEvents(nullptr, 0);
    m_instance.stop();
    m_started = false;
    return ended;
}

void ServiceHost::beat() {
    m_instance.beat();
}

QJsonObject ServiceHost::entryJson(const JobEntry& entry) {
    return QJsonObject{{QStringLiteral("id"), qint64(entry.id)},
                       {QStringLiteral("source"), entry.request.source},
                       {QStringLiteral("process"), processName(entry.request.process)},
                       {QStringLiteral("state"), jobStateName(entry.state)},
                       {QStringLiteral("origin"), jobOriginName(entry.request.origin)},
                       {QStringLiteral("queuedAt"), timeOrNull(entry.queuedAt)},
                       {QStringLiteral("startedAt"), timeOrNull(entry.startedAt)},
                       {QStringLiteral("progress"),
                        entry.progress ? QJsonValue(progressJson(*entry.progress)) : QJsonValue()}};
}

QJsonObject ServiceHost::resultJson(const JobEntry& entry, const JobResult& result) {
    QJsonObject out = entryJson(entry);
    out.insert(QStringLiteral("result"),
               QJsonObject{{QStringLiteral("ok"), result.ok()},
                           {QStringLiteral("exitCode"), int(result.exitCode)},
                           {QStringLiteral("error"),
                            result.error.isEmpty() ? QJsonValue() : QJsonValue(result.error)},
                           {QStringLiteral("cancelled"), entry.cancelRequested && !result.ok()},
                           {QStringLiteral("recordsDownloaded"), result.recordsDownloaded},
                           {QStringLiteral("recordsApplied"), result.recordsApplied},
                           {QStringLiteral("behind"), QJsonArray::fromStringList(result.behind)}});
    return out;
}

JobEntry ServiceHost::entryFromJson(const QJsonObject& json) {
    JobEntry entry;
    entry.id = quint64(json.value(QStringLiteral("id")).toInteger());
    entry.request.source = json.value(QStringLiteral("source")).toString();
    entry.request.process =
        processFromName(json.value(QStringLiteral("process")).toString()).value_or(ProcessType::Sync);
    const QString origin = json.value(QStringLiteral("origin")).toString();
    entry.request.origin = origin == jobOriginName(JobOrigin::Schedule)  ? JobOrigin::Schedule
                           : origin == jobOriginName(JobOrigin::CatchUp) ? JobOrigin::CatchUp
                                                                         : JobOrigin::Manual;
    const QString state = json.value(QStringLiteral("state")).toString();
    for (auto s : {JobEntry::State::Queued, JobEntry::State::Running, JobEntry::State::Finished,
                   JobEntry::State::Dropped})
        if (state == jobStateName(s))
            entry.state = s;
    entry.queuedAt =
        QDateTime::fromString(json.value(QStringLiteral("queuedAt")).toString(), Qt::ISODateWithMs);
    entry.startedAt =
        QDateTime::fromString(json.value(QStringLiteral("startedAt")).toString(), Qt::ISODateWithMs);
    const QJsonValue progress = json.value(QStringLiteral("progress"));
    if (progress.isObject()) {
        const QJsonObject p = progress.toObject();
        JobProgress value;
        value.source = entry.request.source;
        value.process = processName(entry.request.process);
        value.resource = p.value(QStringLiteral("resource")).toString();
        value.phase = p.value(QStringLiteral("phase")).toString();
        value.done = p.value(QStringLiteral("done")).toInteger();
        value.total = p.value(QStringLiteral("total")).toInteger(-1);
        value.etaSeconds = p.value(QStringLiteral("eta")).toInteger(-1);
        entry.progress = value;
    }
    const QJsonObject result = json.value(QStringLiteral("result")).toObject();
    entry.cancelRequested = result.value(QStringLiteral("cancelled")).toBool();
    return entry;
}

std::optional<JobResult> ServiceHost::resultFromJson(const QJsonObject& json) {
    const QJsonValue value = json.value(QStringLiteral("result"));
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject r = value.toObject();
    JobResult result;
    result.source = json.value(QStringLiteral("source")).toString();
    result.process = json.value(QStringLiteral("process")).toString();
    result.exitCode = ExitCode(r.value(QStringLiteral("exitCode")).toInt());
    result.error = r.value(QStringLiteral("error")).toString();
    result.recordsDownloaded = r.value(QStringLiteral("recordsDownloaded")).toInteger();
    result.recordsApplied = r.value(QStringLiteral("recordsApplied")).toInteger();
    for (const QJsonValue name : r.value(QStringLiteral("behind")).toArray())
        result.behind.append(name.toString());
    return result;
}

void ServiceHost::publish(const QString& kind, const QJsonObject& fields) {
    m_control.broadcast(kind, fields);
    Q_EMIT published(kind, fields);
}

void ServiceHost::connectQueue() {
    connect(&m_queue, &JobQueue::queued, this,
            [this](const JobEntry& entry) { publish(QStringLiteral("queued"), entryJson(entry)); });
    connect(&m_queue, &JobQueue::started, this, [this](const JobEntry& entry) {
        m_lastProgress[entry.id].start();
        publish(QStringLiteral("started"), entryJson(entry));
    });
    connect(&m_queue, &JobQueue::progress, this, [this](const JobEntry& entry, const JobProgress&) {
        QElapsedTimer& last = m_lastProgress[entry.id];
        // One reading of the clock: read twice, a millisecond passing between the check and the
        // delay made the delay negative, Qt refused the timer and the held progress was never sent.
        const qint64 since = last.isValid() ? last.elapsed() : kProgressIntervalMs + 1;
        if (since <= kProgressIntervalMs) {
            const bool timerRuns = m_heldProgress.contains(entry.id);
            m_heldProgress.insert(entry.id, entry);
            if (!timerRuns)
                QTimer::singleShot(kProgressIntervalMs - since, this, [this, id = entry.id] {
                    if (!m_heldProgress.contains(id))
                        return; // finished meanwhile
                    const JobEntry latest = m_heldProgress.take(id);
                    m_lastProgress[id].start();
                    publish(QStringLiteral("progress"), entryJson(latest));
                });
            return;
        }
        m_heldProgress.remove(entry.id);
        last.start();
        publish(QStringLiteral("progress"), entryJson(entry));
    });
    connect(&m_queue, &JobQueue::finished, this, [this](const JobEntry& entry, const JobResult& result) {
        m_lastProgress.remove(entry.id);
        m_heldProgress.remove(entry.id);
        // A cancelled run (cancel, a stop signal) is neither a failure nor a success for alerts.
        if (m_notifier && m_notifier->enabled() && !(entry.cancelRequested && !result.ok()))
            m_notifier->jobFinished(result);
        publish(QStringLiteral("finished"), resultJson(entry, result));
    });
    connect(&m_queue, &JobQueue::dropped, this,
            [this](const JobEntry& entry) { publish(QStringLiteral("dropped"), entryJson(entry)); });
    connect(&m_scheduler, &Scheduler::pausedChanged, this, [this](bool paused) {
        publish(paused ? QStringLiteral("paused") : QStringLiteral("resumed"), {});
    });
    connect(&m_scheduler, &Scheduler::sourcePausedChanged, this, [this](const QString& source, bool paused) {
        publish(paused ? QStringLiteral("paused") : QStringLiteral("resumed"),
                {{QStringLiteral("source"), source}});
    });
}

void ServiceHost::installHandlers() {
    m_control.setHandler(QStringLiteral("jobs"), [this](const QJsonObject&) -> Expected<QJsonObject> {
        QJsonArray jobs;
        for (const JobEntry& entry : m_queue.snapshot())
            jobs.append(entryJson(entry));
        return QJsonObject{
            {QStringLiteral("jobs"), jobs},
            {QStringLiteral("paused"), m_scheduler.isPaused()},
            {QStringLiteral("pausedSources"), QJsonArray::fromStringList(m_scheduler.pausedSources())},
            {QStringLiteral("maxConcurrentJobs"), m_queue.maxConcurrentJobs()}};
    });
    m_control.setHandler(QStringLiteral("run"), [this](const QJsonObject& r) { return handleRun(r); });
    m_control.setHandler(QStringLiteral("cancel"), [this](const QJsonObject& r) { return handleCancel(r); });
    m_control.setHandler(QStringLiteral("pause"),
                         [this](const QJsonObject& r) { return handlePause(r, true); });
    m_control.setHandler(QStringLiteral("resume"),
                         [this](const QJsonObject& r) { return handlePause(r, false); });
    m_control.setHandler(QStringLiteral("schedule"),
                         [this](const QJsonObject&) -> Expected<QJsonObject> { return handleSchedule(); });
}

Expected<QJsonObject> ServiceHost::handleRun(const QJsonObject& request) {
    const QString source = request.value(QStringLiteral("source")).toString();
    const QString processText = request.value(QStringLiteral("process")).toString();
    if (!m_config || !m_config->source(source))
        return makeError(QStringLiteral("unknown source \"%1\"").arg(source));
    const auto process = processFromName(processText);
    if (!process)
        return makeError(
            QStringLiteral("unknown process \"%1\" (expected sync, purge, reconcile)").arg(processText));
    JobRequest job;
    job.source = source;
    job.process = *process;
    job.origin = JobOrigin::Manual;
    job.options.resource = request.value(QStringLiteral("resource")).toString();
    job.options.dryRun = request.value(QStringLiteral("dryRun")).toBool();
    job.options.allowLargeDelete = request.value(QStringLiteral("allowLargeDelete")).toBool();
    job.options.resumeOnly = request.value(QStringLiteral("resumeOnly")).toBool();
    const JobQueue::Enqueued outcome = m_queue.enqueue(job);
    if (outcome == JobQueue::Enqueued::UnknownSource)
        return makeError(QStringLiteral("unknown source \"%1\"").arg(source));
    if (outcome == JobQueue::Enqueued::ShuttingDown)
        return makeError(
            QStringLiteral("the instance is shutting down; %1 %2 was not queued").arg(processText, source));
    return QJsonObject{{QStringLiteral("outcome"), outcomeName(outcome)}};
}

Expected<QJsonObject> ServiceHost::handleCancel(const QJsonObject& request) {
    const QString source = request.value(QStringLiteral("source")).toString();
    if (!m_config || !m_config->source(source))
        return makeError(QStringLiteral("unknown source \"%1\"").arg(source));
    // With a process: only that process's queued request goes, the running job stays.
    if (const QString processText = request.value(QStringLiteral("process")).toString();
        !processText.isEmpty()) {
        const auto process = processFromName(processText);
        if (!process)
            return makeError(
                QStringLiteral("unknown process \"%1\" (expected sync, purge, reconcile)").arg(processText));
        const int dropped = m_queue.cancelQueued(source, *process);
        return QJsonObject{{QStringLiteral("cancelled"), dropped > 0}, {QStringLiteral("wasRunning"), false}};
    }
    const bool running = m_queue.isRunning(source);
    const bool cancelled = m_queue.cancel(source);
    return QJsonObject{{QStringLiteral("cancelled"), cancelled}, {QStringLiteral("wasRunning"), running}};
}

Expected<QJsonObject> ServiceHost::handlePause(const QJsonObject& request, bool pause) {
    const QString source = request.value(QStringLiteral("source")).toString();
    if (source.isEmpty()) {
        pause ? m_scheduler.pause() : m_scheduler.resume();
        return QJsonObject{{QStringLiteral("paused"), m_scheduler.isPaused()}};
    }
    if (!m_config || !m_config->source(source))
        return makeError(QStringLiteral("unknown source \"%1\"").arg(source));
    pause ? m_scheduler.pauseSource(source) : m_scheduler.resumeSource(source);
    return QJsonObject{{QStringLiteral("paused"), m_scheduler.isPaused()},
                       {QStringLiteral("source"), source},
                       {QStringLiteral("sourcePaused"), m_scheduler.isSourcePaused(source)}};
}

QJsonObject ServiceHost::handleSchedule() const {
    QJsonArray next;
    if (m_config)
        for (const SourceConfig& source : m_config->sources)
            for (ProcessType process : {ProcessType::Sync, ProcessType::Purge, ProcessType::Reconcile})
                if (const auto fire = m_scheduler.nextFire(source.name, process))
                    next.append(QJsonObject{{QStringLiteral("source"), source.name},
                                            {QStringLiteral("process"), processName(process)},
                                            {QStringLiteral("next"), timeOrNull(*fire)}});
    return QJsonObject{
        {QStringLiteral("paused"), m_scheduler.isPaused()},
        {QStringLiteral("pausedSources"), QJsonArray::fromStringList(m_scheduler.pausedSources())},
        {QStringLiteral("next"), next}};
}

} // namespace ors
