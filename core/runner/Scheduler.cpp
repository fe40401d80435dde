#include "runner/Scheduler.h"

#include "logging/LogCategories.h"
#include "stats/StatsStore.h"

#include <algorithm>

namespace ors {

namespace {

QString slotKey(const QString& source, ProcessType process) {
    return source + QLatin1Char('/') + processName(process);
}

} // namespace

Scheduler::Scheduler(JobQueue* queue, QObject* parent)
    : QObject(parent)
    , m_queue(queue) {
    qRegisterMetaType<JobRequest>();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] { fireDue(QDateTime::currentDateTimeUtc()); });
}

Scheduler::~Scheduler() = default;

void Scheduler::setConfig(const Config& config, const QDateTime& now) {
    m_stats = config.stats;
    QList<Slot> slots;
    for (const SourceConfig& source : config.sources) {
        for (ProcessType process : {ProcessType::Sync, ProcessType::Purge, ProcessType::Reconcile}) {
            const QStringList& texts = source.schedules.of(process);
            if (texts.isEmpty())
                continue;
            Slot slot;
            slot.source = source.name;
            slot.process = process;
            slot.zone = config.scheduleZone(source);
            slot.catchUp = source.schedules.catchUp;
            for (qsizetype i = 0; i < texts.size(); ++i) {
                // The configuration was validated at load, so this only guards against a caller
                // that built a Config by hand.
                auto cron = CronExpression::parse(texts.at(i));
                if (cron)
                    slot.crons.append(std::move(*cron));
                else
                    qCWarning(lcJobs).noquote() << QStringLiteral("sources[%1].schedules.%2[%3]: %4, ignored")
                                                       .arg(source.name, processName(process))
                                                       .arg(i)
                                                       .arg(cron.errorMessage());
            }
            if (slot.crons.isEmpty())
                continue;
            // An unchanged schedule keeps its pending fire, so a reload just before it loses nothing.
            const auto old = std::find_if(m_slots.cbegin(), m_slots.cend(), [&](const Slot& s) {
                return s.source == slot.source && s.process == slot.process && s.zone == slot.zone &&
                       std::equal(s.crons.cbegin(), s.crons.cend(), slot.crons.cbegin(), slot.crons.cend(),
                                  [](const CronExpression& a, const CronExpression& b) {
                                      return a.text() == b.text();
                                  });
            });
            slot.next = old != m_slots.cend() ? old->next : nextAfter(slot, now);
            slots.append(std::move(slot));
        }
    }
    m_slots = std::move(slots);
    // A source no longer configured forgets its pause; one added again later starts unpaused.
    for (auto it = m_pausedSources.begin(); it != m_pausedSources.end();)
        it = config.source(*it) ? std::next(it) : m_pausedSources.erase(it);
    m_lastNow = now;
    arm();
}

void Scheduler::start() {
    m_started = true;
    arm();
}

void Scheduler::stop() {
    m_started = false;
    m_timer.stop();
}

std::optional<QDateTime> Scheduler::nextAfter(const Slot& slot, const QDateTime& after) {
    std::optional<QDateTime> best;
    for (const CronExpression& cron : slot.crons) {
        const auto next = cron.next(after, slot.zone);
        if (next && (!best || *next < *best))
            best = next;
    }
    return best;
}

void Scheduler::recompute(const QDateTime& now) {
    for (Slot& slot : m_slots)
        slot.next = nextAfter(slot, now);
}

void Scheduler::fireDue(const QDateTime& now) {
    if (m_lastNow.isValid() && now < m_lastNow) {
        qCInfo(lcJobs) << "the clock went back from" << m_lastNow << "to" << now << "; schedules recomputed";
        m_lastNow = now;
        recompute(now);
        arm();
        return;
    }
    m_lastNow = now;
    for (Slot& slot : m_slots) {
        if (!slot.next || *slot.next > now)
            continue;
        const JobRequest request{slot.source, slot.process, {}, JobOrigin::Schedule};
        // Past `now`, not past the old fire: fires missed while asleep collapse into this one.
        slot.next = nextAfter(slot, now);
        if (m_paused || m_pausedSources.contains(slot.source)) {
            qCInfo(lcJobs).noquote() << "schedule of" << processName(slot.process) << "of" << slot.source
                                     << (m_paused ? "skipped: schedules are paused"
                                                  : "skipped: the source's schedules are paused");
            Q_EMIT skipped(request);
            continue;
        }
        const JobQueue::Enqueued outcome = m_queue->enqueue(request);
        Q_EMIT fired(request, outcome);
    }
    arm();
}

void Scheduler::pause() {
    if (m_paused)
        return;
    m_paused = true;
    qCInfo(lcJobs) << "schedules paused";
    Q_EMIT pausedChanged(true);
}

void Scheduler::resume(const QDateTime& now) {
    if (!m_paused)
        return;
    m_paused = false;
    m_lastNow = now;
    recompute(now);
    arm();
    qCInfo(lcJobs) << "schedules resumed";
    Q_EMIT pausedChanged(false);
}

void Scheduler::pauseSource(const QString& source) {
    if (m_pausedSources.contains(source))
        return;
    m_pausedSources.insert(source);
    qCInfo(lcJobs).noquote() << "schedules of" << source << "paused";
    Q_EMIT sourcePausedChanged(source, true);
}

void Scheduler::resumeSource(const QString& source, const QDateTime& now) {
    if (!m_pausedSources.remove(source))
        return;
    // Only this source's fires restart from `now`; the others keep their pending fires.
    for (Slot& slot : m_slots)
        if (slot.source == source)
            slot.next = nextAfter(slot, now);
    arm();
    qCInfo(lcJobs).noquote() << "schedules of" << source << "resumed";
    Q_EMIT sourcePausedChanged(source, false);
}

QStringList Scheduler::pausedSources() const {
    QStringList names(m_pausedSources.cbegin(), m_pausedSources.cend());
    names.sort();
    return names;
}

QList<JobRequest> Scheduler::catchUp(const QDateTime& now) {
    QList<JobRequest> requests;
    StatsStore stats(m_stats, m_queue->dataDir());
    if (m_queue->dataDir().isEmpty() || !stats.exists())
        return requests; // nothing ever ran here, so nothing can have been missed
    if (auto opened = stats.open(); !opened) {
        qCWarning(lcJobs).noquote() << "catch-up skipped:" << opened.errorMessage();
        return requests;
    }
    for (const Slot& slot : std::as_const(m_slots)) {
        if (!slot.catchUp)
            continue;
        std::optional<QDateTime> previous;
        for (const CronExpression& cron : slot.crons) {
            const auto fire = cron.previous(now, slot.zone);
            if (fire && (!previous || *fire > *previous))
                previous = fire;
        }
        const QString key = slotKey(slot.source, slot.process);
        if (!previous || m_caughtUp.value(key) == *previous)
            continue;
        const auto last = stats.lastRun(slot.source, processName(slot.process));
        if (!last) {
            qCWarning(lcJobs).noquote() << "catch-up of" << key << "skipped:" << last.errorMessage();
            continue;
        }
        if (!*last)
            continue;
        const QDateTime started = QDateTime::fromString((*last)->started, Qt::ISODateWithMs);
        if (!started.isValid() || *previous <= started)
            continue;
        m_caughtUp.insert(key, *previous);
        const JobRequest request{slot.source, slot.process, {}, JobOrigin::CatchUp};
        qCInfo(lcJobs).noquote() << "catch-up:" << key << "missed its fire at"
                                 << previous->toString(Qt::ISODate) << "(last run began" << (*last)->started
                                 << ")";
        if (m_paused || m_pausedSources.contains(slot.source)) {
            Q_EMIT skipped(request);
            continue;
        }
        const JobQueue::Enqueued outcome = m_queue->enqueue(request);
        Q_EMIT fired(request, outcome);
        requests.append(request);
    }
    return requests;
}

std::optional<QDateTime> Scheduler::nextFire(const QString& source, ProcessType process) const {
    for (const Slot& slot : m_slots)
        if (slot.source == source && slot.process == process)
            return slot.next;
    return std::nullopt;
}

std::optional<QDateTime> Scheduler::nextFire() const {
    std::optional<QDateTime> best;
    for (const Slot& slot : m_slots)
        if (slot.next && (!best || *slot.next < *best))
            best = slot.next;
    return best;
}

void Scheduler::arm() {
    if (!m_started)
        return;
    qint64 wait = kMaxTimerMs;
    if (const auto next = nextFire())
        wait = std::clamp<qint64>(QDateTime::currentDateTimeUtc().msecsTo(*next), 0, kMaxTimerMs);
    m_timer.start(int(wait));
}

} // namespace ors
