#include "JobBoard.h"

#include "runner/Scheduler.h"
#include "service/ControlChannel.h"
#include "service/ServiceHost.h"

#include <QFutureWatcher>
#include <QJsonArray>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace ors {

namespace {

// What a pool thread read from the attached instance: plain values only.
struct RemoteState {
    QList<JobEntry> jobs;
    bool paused = false;
    QStringList pausedSources;
    QList<ScheduledFire> fires;
    QString error;
};

constexpr int kRemoteRefreshMs = 60000;
constexpr int kProgressCoalesceMs = 150;

QStringList stringList(const QJsonValue& value) {
    QStringList out;
    for (const QJsonValue item : value.toArray())
        out.append(item.toString());
    return out;
}

RemoteState readRemote(const QString& path) {
    RemoteState state;
    const auto jobs =
        ControlClient::request(path, QJsonObject{{QStringLiteral("command"), QStringLiteral("jobs")}});
    const auto schedule =
        ControlClient::request(path, QJsonObject{{QStringLiteral("command"), QStringLiteral("schedule")}});
    if (!jobs || !schedule) {
        state.error = !jobs ? jobs.errorMessage() : schedule.errorMessage();
        return state;
    }
    for (const QJsonValue job : jobs->value(QStringLiteral("jobs")).toArray())
        state.jobs.append(ServiceHost::entryFromJson(job.toObject()));
    state.paused = schedule->value(QStringLiteral("paused")).toBool();
    state.pausedSources = stringList(schedule->value(QStringLiteral("pausedSources")));
    for (const QJsonValue next : schedule->value(QStringLiteral("next")).toArray()) {
        const QJsonObject fire = next.toObject();
        const auto process = processFromName(fire.value(QStringLiteral("process")).toString());
        const QDateTime at =
            QDateTime::fromString(fire.value(QStringLiteral("next")).toString(), Qt::ISODateWithMs);
        if (process && at.isValid())
            state.fires.append(ScheduledFire{fire.value(QStringLiteral("source")).toString(), *process, at});
    }
    return state;
}

void sortFires(QList<ScheduledFire>& fires) {
    std::stable_sort(fires.begin(), fires.end(),
                     [](const ScheduledFire& a, const ScheduledFire& b) { return a.at < b.at; });
}

} // namespace

JobBoard::JobBoard(QObject* parent)
    : QObject(parent) {
    m_remoteRefresh.setInterval(kRemoteRefreshMs);
    connect(&m_remoteRefresh, &QTimer::timeout, this, &JobBoard::fetchRemote);
    m_progressDelay.setSingleShot(true);
    m_progressDelay.setInterval(kProgressCoalesceMs);
    connect(&m_progressDelay, &QTimer::timeout, this, &JobBoard::changed);
}

JobBoard::~JobBoard() = default;

void JobBoard::followLocal(JobQueue* queue, Scheduler* scheduler) {
    m_queue = queue;
    m_scheduler = scheduler;
    connect(queue, &JobQueue::changed, this, [this] {
        if (isRemote())
            return;
        m_jobs = m_queue->snapshot();
        Q_EMIT changed();
    });
    // Progress changes no snapshot() signal of the queue; it arrives per page or chunk, so
    // readers hear of it at most every kProgressCoalesceMs.
    connect(queue, &JobQueue::progress, this, [this](const JobEntry& entry, const JobProgress&) {
        if (isRemote())
            return;
        for (JobEntry& job : m_jobs)
            if (job.id == entry.id)
                job = entry;
        if (!m_progressDelay.isActive())
            m_progressDelay.start();
    });
    connect(queue, &JobQueue::finished, this, [this](const JobEntry& entry, const JobResult& result) {
        if (!isRemote())
            Q_EMIT jobFinished(entry, result, entry.cancelRequested && !result.ok());
    });
    // A fire moves the next one; a pause changes what the status bar and the pages say.
    auto scheduleMoved = [this] {
        if (!isRemote())
            readLocalSchedule();
    };
    connect(scheduler, &Scheduler::fired, this, scheduleMoved);
    connect(scheduler, &Scheduler::skipped, this, scheduleMoved);
    connect(scheduler, &Scheduler::pausedChanged, this, scheduleMoved);
    connect(scheduler, &Scheduler::sourcePausedChanged, this, scheduleMoved);
    refresh();
}

bool JobBoard::followRemote(const QString& controlPath) {
    auto* watcher = new ControlWatcher(this);
    if (!watcher->connectTo(controlPath)) {
        delete watcher;
        return false;
    }
    delete m_watcher;
    m_watcher = watcher;
    m_remotePath = controlPath;
    connect(watcher, &ControlWatcher::received, this, &JobBoard::onRemoteEvent);
    connect(watcher, &ControlWatcher::disconnected, this, &JobBoard::remoteLost);
    m_jobs.clear();
    m_fires.clear();
    Q_EMIT changed();
    m_remoteRefresh.start();
    fetchRemote();
    return true;
}

void JobBoard::followLocalAgain() {
    if (!isRemote())
        return;
    if (m_watcher) {
        m_watcher->disconnect(this);
        m_watcher->deleteLater(); // we may be inside its disconnected() signal
        m_watcher = nullptr;
    }
    m_remotePath.clear();
    m_remoteRefresh.stop();
    ++m_fetchGeneration; // a read from the instance still on its way is dropped
    m_jobs.clear();
    m_fires.clear();
    refresh();
}

void JobBoard::refresh() {
    if (isRemote()) {
        fetchRemote();
        return;
    }
    if (m_queue) {
        m_jobs = m_queue->snapshot();
        Q_EMIT changed();
    }
    readLocalSchedule();
}

void JobBoard::readLocalSchedule() {
    if (!m_scheduler || !m_queue)
        return;
    m_paused = m_scheduler->isPaused();
    m_pausedSources = m_scheduler->pausedSources();
    m_fires.clear();
    if (const auto& config = m_queue->config())
        for (const SourceConfig& source : config->sources)
            for (ProcessType process : {ProcessType::Sync, ProcessType::Purge, ProcessType::Reconcile})
                if (const auto at = m_scheduler->nextFire(source.name, process))
                    m_fires.append(ScheduledFire{source.name, process, *at});
    sortFires(m_fires);
    Q_EMIT scheduleChanged();
}

void JobBoard::fetchRemote() {
    const quint64 generation = ++m_fetchGeneration;
    auto* watcher = new QFutureWatcher<RemoteState>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_fetchGeneration || !isRemote())
            return; // a newer read is on its way
        const RemoteState state = watcher->result();
        if (!state.error.isEmpty())
            return; // the watching connection reports the instance going away
        m_jobs = state.jobs;
        m_paused = state.paused;
        m_pausedSources = state.pausedSources;
        m_fires = state.fires;
        sortFires(m_fires);
        Q_EMIT changed();
        Q_EMIT scheduleChanged();
    });
    watcher->setFuture(QtConcurrent::run(readRemote, m_remotePath));
}

void JobBoard::onRemoteEvent(const QString& kind, const QJsonObject& fields) {
    if (kind == QLatin1String("queued") || kind == QLatin1String("started") ||
        kind == QLatin1String("progress")) {
        upsert(ServiceHost::entryFromJson(fields));
        if (kind == QLatin1String("queued"))
            fetchRemote(); // a schedule's fire moves its next one
        return;
    }
    if (kind == QLatin1String("finished")) {
        const JobEntry entry = ServiceHost::entryFromJson(fields);
        remove(entry.id);
        if (const auto result = ServiceHost::resultFromJson(fields))
            Q_EMIT jobFinished(entry, *result, entry.cancelRequested);
        return;
    }
    if (kind == QLatin1String("dropped")) {
        remove(ServiceHost::entryFromJson(fields).id);
        return;
    }
    if (kind == QLatin1String("paused") || kind == QLatin1String("resumed") ||
        kind == QLatin1String("reloaded"))
        fetchRemote();
}

void JobBoard::upsert(const JobEntry& entry) {
    auto it = std::find_if(m_jobs.begin(), m_jobs.end(), [&](const JobEntry& e) { return e.id == entry.id; });
    if (it != m_jobs.end()) {
        const bool started = it->state != entry.state;
        *it = entry;
        if (started) // running jobs come first
            std::stable_partition(m_jobs.begin(), m_jobs.end(),
                                  [](const JobEntry& e) { return e.state == JobEntry::State::Running; });
    } else {
        m_jobs.append(entry);
        std::stable_partition(m_jobs.begin(), m_jobs.end(),
                              [](const JobEntry& e) { return e.state == JobEntry::State::Running; });
    }
    Q_EMIT changed();
}

void JobBoard::remove(quint64 id) {
    m_jobs.removeIf([id](const JobEntry& e) { return e.id == id; });
    Q_EMIT changed();
}

std::optional<JobEntry> JobBoard::runningJob(const QString& source) const {
    for (const JobEntry& entry : m_jobs)
        if (entry.state == JobEntry::State::Running && entry.request.source == source)
            return entry;
    return std::nullopt;
}

bool JobBoard::isQueued(const QString& source, std::optional<ProcessType> process) const {
    return std::any_of(m_jobs.cbegin(), m_jobs.cend(), [&](const JobEntry& e) {
        return e.state == JobEntry::State::Queued && e.request.source == source &&
               (!process || e.request.process == *process);
    });
}

int JobBoard::runningCount() const {
    return int(std::count_if(m_jobs.cbegin(), m_jobs.cend(),
                             [](const JobEntry& e) { return e.state == JobEntry::State::Running; }));
}

std::optional<QDateTime> JobBoard::nextFire(const QString& source, ProcessType process) const {
    for (const ScheduledFire& fire : m_fires)
        if (fire.source == source && fire.process == process)
            return fire.at;
    return std::nullopt;
}

} // namespace ors
