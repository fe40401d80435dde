#include "processes/ProcessJob.h"
#include "processes/BatchFiles.h"
#include "reso/ODataQuery.h"
#include "reso/PageReader.h"
#include "reso/PagingGuard.h"
#include <QFile>
#include <QThread>

#include <algorithm>

#include "logging/Redactor.h"
#include "logging/SourceLog.h"
#include "processes/SourceContext.h"
#include "processes/UsageLedger.h"
#include "stats/StatsStore.h"
#include "store/SourceLock.h"
#include "store/StateStore.h"
#include "util/PrivateFiles.h"

#include <QDateTime>
#include <QDir>
#include <QJsonObject>

#include <cerrno>
#include <cmath>
#include <unistd.h>

namespace ors {

QString newBatchId() {
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd-'T'-HH-mm-ss-zzz'Z'"));
}

ProcessJob::ProcessJob(SourceConfig source, const QString& dataDir, ProcessType process)
    : m_source(std::move(source))
    , m_layout(dataDir)
    , m_processText(processName(process)) {
    setAutoDelete(false);
    m_result.source = m_source.name;
    m_result.process = m_processText;
}

ProcessJob::~ProcessJob() = default;

void ProcessJob::run() {
    m_running.start();
    SourceLock lock;
    Expected<void> outcome = lock.acquire(m_layout.lockFile(m_source.name), m_source.name);
    if (outcome)
        outcome = execute();
    if (!outcome) {
        m_result.exitCode = m_refused ? ExitCode::Refused : ExitCode::Failure;
        m_result.error = Redactor::redact(outcome.errorMessage());
        if (m_log && cancelled() && !m_refused)
            m_log->info(
                QStringLiteral("%1 cancelled; the next run resumes from the checkpoint").arg(m_processText));
        else if (m_log)
            m_log->error(QStringLiteral("%1 %2").arg(m_processText, m_refused ? QStringLiteral("refused")
                                                                              : QStringLiteral("failed")),
                         {{QStringLiteral("error"), m_result.error}});
    }
    reportRejected();
    if (m_stats && m_context)
        UsageLedger::finish(*m_stats, m_runId, m_source.name, m_processText, *m_context);
    if (m_stats && m_runId > 0) {
        // A run stopped by cancel (the queue's cancel, a signal to the CLI or `serve`) is no
        // failure: it resumes from its checkpoint, and alerts and `history` must not count it.
        const QString result = outcome       ? QStringLiteral("success")
                               : m_refused   ? QStringLiteral("refused")
                               : cancelled() ? QStringLiteral("cancelled")
                                             : QStringLiteral("error");
        noteStats(m_stats->finishRun(m_runId, result, m_result.error));
    }
    if (m_log && outcome)
        m_log->info(QStringLiteral("%1 done").arg(m_processText),
                    {{QStringLiteral("records"), m_result.recordsApplied},
                     {QStringLiteral("seconds"), phaseTimes()}});
    // Connections close in this thread, before the job reports back.
    m_context.reset();
    m_worker.reset();
    m_state.reset();
    m_stats.reset();
    Q_EMIT finished(m_result);
}

QJsonObject ProcessJob::phaseTimes() const {
    // Whole milliseconds: finer digits would be noise in a log line.
    const auto seconds = [](qint64 ns) { return std::round(double(ns) / 1e6) / 1000.0; };
    return {{QStringLiteral("total"), seconds(m_running.nsecsElapsed())},
            {QStringLiteral("download"), seconds(m_times.downloadNs)},
            {QStringLiteral("parse"), seconds(m_times.parseNs)},
            {QStringLiteral("write"), seconds(m_times.writeNs)},
            {QStringLiteral("files"), seconds(m_times.filesNs)},
            {QStringLiteral("worker"), seconds(m_times.workerNs)}};
}

Expected<void> ProcessJob::prepare(bool ensureSchemas) {
    if (auto r = m_layout.ensureRoot(); !r)
        return r;
    // A read-only or inaccessible data directory would otherwise surface later as some store's
    // vaguer complaint; say it first, with the system's reason.
    if (::access(QFile::encodeName(m_layout.root()).constData(), W_OK) != 0)
        return makeError(QStringLiteral("data directory %1 is not writable: %2")
                             .arg(m_layout.root(), qt_error_string(errno)));
    // Data directories of earlier versions (or made by hand) may be readable by others.
    const QStringList tightened = PrivateFiles::tighten(m_layout.root());
    m_log = std::make_unique<SourceLog>(m_layout.logFile(m_source.name), m_source.name, m_source.logs);
    m_log->setProcess(m_processText);
    for (const QString& path : tightened)
        m_log->warning(QStringLiteral("%1 was readable by others; made private").arg(path));
    m_state = std::make_unique<StateStore>(m_layout.stateDatabase());
    if (auto r = m_state->open(); !r)
        return r;
    m_stats = std::make_unique<StatsStore>(m_source.stats, m_layout.root());
    if (auto r = m_stats->open(); !r) {
        // A local stats.sqlite that cannot be opened means the data directory is broken; a stats
        // server that cannot be reached must not stop the sync: only this run's history is lost.
        if (!m_stats->shared())
            return r;
        noteStats(r);
        m_stats.reset();
    }

    auto current = m_state->currentBatch(m_source.name, m_processText);
    if (!current)
        return current.error();
    m_resumed = current->has_value();
    m_batchId = current->value_or(newBatchId());
    if (!m_resumed)
        if (auto r = m_state->startBatch(m_source.name, m_processText, m_batchId); !r)
            return r;
    if (m_stats) {
        auto runId = m_stats->startRun(m_source.name, m_processText, m_batchId);
        if (runId) {
            m_runId = *runId;
        } else if (!m_stats->shared()) {
            return runId.error();
        } else {
            // Counts without their run would belong to no run: none are written.
            noteStats(runId.error());
            m_stats.reset();
        }
    }
    m_result.resumedFrom = resumedBatchStart();
    QJsonObject started{{QStringLiteral("batch"), m_batchId}};
    if (m_resumed)
        started.insert(QStringLiteral("batchBegan"), m_result.resumedFrom);
    m_log->info(QStringLiteral("%1 %2").arg(m_processText, m_resumed ? QStringLiteral("resumed")
                                                                     : QStringLiteral("started")),
                started);

    m_context = std::make_unique<SourceContext>(m_source, m_layout, &m_cancelled);
    m_context->http().onRetry = [this](const QString& note) { m_log->warning(note); };
    m_context->rateLimiter().onWait = [this](const QString& note) { m_log->info(note); };
    m_context->rateLimiter().onWarning = [this](const QString& note) { m_log->warning(note); };
    if (m_stats)
        UsageLedger::seed(*m_stats, m_source.name, m_context->rateLimiter());
    report({}, QStringLiteral("metadata"), 0, -1, QStringLiteral("reading $metadata"));
    if (m_source.tls.insecure)
        m_log->warning(
            QStringLiteral("TLS certificates of this source's servers are not verified (tls.insecure "
                           "is true): use it only with a test server"));
    if (auto r = m_context->connect(); !r)
        return fail(QStringLiteral("auth"), {}, {}, r.errorMessage());
    if (auto r = m_context->loadMetadata(); !r)
        return fail(QStringLiteral("metadata"), {}, {}, r.errorMessage());
    if (auto r = m_context->openDestinations(destinationsIndependent()); !r)
        return fail(QStringLiteral("open destination"), {}, {}, r.errorMessage());
    for (const SourceContext::Unavailable& u : m_context->unavailable()) {
        (void)fail(QStringLiteral("open destination"), {}, u.destination, u.message);
        m_unavailable.insert(u.destination, u.message);
    }
    if (ensureSchemas) {
        // A resource whose tables cannot be created fails alone: the others still run, and
        // forEachResource ends the run failed, naming it. Where destinations progress
        // independently, only the destinations refusing it fall behind, unless every one does.
        QStringList warnings;
        const QList<SourceContext::SchemaFailure> failures = m_context->ensureSchemas(&warnings);
        // A type change the metadata made that is no widening: the column stays as it was.
        for (const QString& warning : std::as_const(warnings)) {
            m_log->warning(warning);
            m_result.warnings.append(Redactor::redact(warning));
        }
        QHash<QString, qsizetype> refusals;
        for (const SourceContext::SchemaFailure& failure : failures)
            ++refusals[failure.resource];
        const auto opened = qsizetype(m_context->destinations().size());
        for (const SourceContext::SchemaFailure& failure : failures) {
            (void)fail(QStringLiteral("schema"), failure.resource, failure.destination, failure.message);
            const QString message = QStringLiteral("resource %1: schema of destination %2 failed: %3")
                                        .arg(failure.resource, failure.destination, failure.message);
            if (!destinationsIndependent() || refusals.value(failure.resource) >= opened) {
                if (!m_schemaFailures.contains(failure.resource))
                    m_schemaFailures.insert(failure.resource, message);
                continue;
            }
            (void)m_state->recordFailure(StepFailure{m_source.name,
                                                     m_processText,
                                                     failure.resource,
                                                     failure.destination,
                                                     QStringLiteral("schema"),
                                                     0,
                                                     failure.message,
                                                     {}});
            fallBehind(failure.resource, failure.destination, message);
        }
    }
    return {};
}

QStringList ProcessJob::destinationNames() const {
    QStringList names;
    for (const DestinationConfig& destination : m_source.destinations)
        names.append(destination.name);
    return names;
}

bool ProcessJob::isBehind(const QString& resource, const QString& destination) const {
    const auto it = m_behind.constFind(resource);
    return it != m_behind.constEnd() && it->contains(destination);
}

QMap<QString, QString> ProcessJob::behind(const QString& resource) const {
    return m_behind.value(resource);
}

void ProcessJob::fallBehind(const QString& resource, const QString& destination, const QString& reason) {
    if (isBehind(resource, destination))
        return;
    m_behind[resource].insert(destination, reason);
    if (!m_behindOrder.contains(resource))
        m_behindOrder.append(resource);
    if (m_log)
        m_log->warning(
            QStringLiteral("destination %1 falls behind for %2; the others go on, and it catches up "
                           "from its own position on a later run")
                .arg(destination, resource),
            {{QStringLiteral("resource"), resource},
             {QStringLiteral("destination"), destination},
             {QStringLiteral("reason"), reason}});
}

bool ProcessJob::everyDestinationBehind(const QString& resource) const {
    const QStringList names = destinationNames();
    return !names.isEmpty() && std::all_of(names.cbegin(), names.cend(),
                                           [&](const QString& name) { return isBehind(resource, name); });
}

Error ProcessJob::allBehindError(const QString& resource) const {
    const QMap<QString, QString> reasons = behind(resource);
    if (reasons.size() == 1)
        return makeError(reasons.first());
    QStringList parts;
    for (const QString& name : destinationNames())
        parts.append(QStringLiteral("%1: %2").arg(name, reasons.value(name)));
    return makeError(QStringLiteral("every destination failed (%1)").arg(parts.join(QStringLiteral("; "))));
}

Error ProcessJob::destinationFailed(const QString& resource, const QString& destination, const QString& step,
                                    const QString& stateStep, const QString& message) {
    (void)m_state->recordFailure(
        StepFailure{m_source.name, m_processText, resource, destination, stateStep, 0, message, {}});
    Error failed = fail(step, resource, destination, message);
    fallBehind(resource, destination, failed.message);
    return failed;
}

QString ProcessJob::lagOf(const QString&, const QString&) {
    return {};
}

Expected<void> ProcessJob::withBehind(Expected<void> outcome) {
    if (cancelled())
        return outcome;
    const QString lag = behindSummary();
    if (lag.isEmpty())
        return outcome;
    if (!outcome)
        return makeError(outcome.errorMessage() + QStringLiteral("; ") + lag);
    return makeError(lag);
}

QString ProcessJob::behindSummary() {
    // A resource every destination failed is a failed resource; only partial runs are summed up.
    QStringList resources;
    for (const QString& resource : std::as_const(m_behindOrder))
        if (!everyDestinationBehind(resource))
            resources.append(resource);
    if (resources.isEmpty())
        return {};
    QStringList lines;
    QStringList current;
    QStringList names;
    for (const QString& name : destinationNames()) {
        QStringList parts;
        for (const QString& resource : std::as_const(resources)) {
            const QMap<QString, QString> reasons = behind(resource);
            if (!reasons.contains(name))
                continue;
            const QString lag = lagOf(resource, name);
            parts.append(lag.isEmpty()
                             ? QStringLiteral("%1: %2").arg(resource, reasons.value(name))
                             : QStringLiteral("%1: %2; %3").arg(resource, reasons.value(name), lag));
        }
        if (parts.isEmpty()) {
            current.append(name);
            continue;
        }
        names.append(name);
        lines.append(
            QStringLiteral("destination %1 fell behind (%2)").arg(name, parts.join(QStringLiteral(" | "))));
    }
    m_result.behind = names;
    QString text = lines.join(QStringLiteral("; "));
    if (!current.isEmpty())
        text += QStringLiteral("; %1 kept going").arg(current.join(QStringLiteral(", ")));
    return text + QStringLiteral("; a destination behind catches up from its own position on the next run");
}

void ProcessJob::noteUnavailable(const QString& resource, const QStringList& done) {
    for (auto it = m_unavailable.cbegin(); it != m_unavailable.cend(); ++it) {
        if (isBehind(resource, it.key()) || done.contains(it.key()))
            continue;
        // A blocked destination is not counted again: it waits for `unblock`.
        if (auto blocked = blockedCheck(resource, it.key()); !blocked) {
            fallBehind(resource, it.key(), blocked.errorMessage());
            continue;
        }
        (void)m_state->recordFailure(StepFailure{m_source.name,
                                                 m_processText,
                                                 resource,
                                                 it.key(),
                                                 QStringLiteral("open destination"),
                                                 0,
                                                 it.value(),
                                                 {}});
        fallBehind(resource, it.key(),
                   QStringLiteral("destination %1 could not be opened: %2").arg(it.key(), it.value()));
    }
}

Expected<qsizetype> ProcessJob::filesWaitingFor(const QString& resource, const QString& prefix,
                                                const QString& destination) {
    const BatchFiles files(downloadDir(resource), prefix);
    qsizetype waiting = 0;
    for (const QString& name : files.list()) {
        auto done = m_state->appliedDestinations(m_source.name, m_processText, files.path(name));
        if (!done)
            return done.error();
        waiting += done->contains(destination) ? 0 : 1;
    }
    return waiting;
}

Expected<void> ProcessJob::finishBatch() {
    // Page files still on disk wait for a destination that fell behind: their applied marks stay.
    QStringList waiting;
    for (const ResourcePlan& plan : m_context->plans()) {
        const QDir dir(downloadDir(plan.resource));
        for (const QString& name : dir.entryList(QDir::Files))
            waiting.append(dir.filePath(name));
    }
    return m_state->finishBatch(m_source.name, m_processText, waiting);
}

Expected<void> ProcessJob::continueInNextBatch() {
    auto current = m_state->currentBatch(m_source.name, m_processText);
    if (!current)
        return current.error();
    if (*current) {
        m_batchId = **current;
        return {};
    }
    m_batchId = newBatchId();
    return m_state->startBatch(m_source.name, m_processText, m_batchId);
}

QString ProcessJob::resumedBatchStart() const {
    if (!m_resumed)
        return {};
    // Batch ids are the UTC time the batch began (newBatchId).
    const QDateTime begun =
        QDateTime::fromString(m_batchId, QStringLiteral("yyyy-MM-dd-'T'-HH-mm-ss-zzz'Z'"));
    if (!begun.isValid())
        return m_batchId;
    return QDateTime(begun.date(), begun.time(), Qt::UTC).toString(Qt::ISODateWithMs);
}

Error ProcessJob::fail(const QString& step, const QString& resource, const QString& destination,
                       const QString& message) {
    if (m_stats)
        noteStats(m_stats->recordFailure(m_runId, m_source.name, m_processText, resource, destination, step,
                                         message));
    if (m_log) {
        QJsonObject context{{QStringLiteral("step"), step}, {QStringLiteral("error"), message}};
        if (!resource.isEmpty())
            context.insert(QStringLiteral("resource"), resource);
        if (!destination.isEmpty())
            context.insert(QStringLiteral("destination"), destination);
        m_log->error(QStringLiteral("%1 failed").arg(step), context);
    }
    return makeError(message);
}

Error ProcessJob::refuse(const QString& message) {
    m_refused = true;
    return fail(QStringLiteral("refused"), {}, {}, message);
}

void ProcessJob::startPhase(qint64 doneSoFar) {
    if (!m_clock.isValid())
        m_clock.start();
    // Records done before the phase (a resumed download) are not this run's speed.
    m_rate.reset(m_clock.elapsed(), doneSoFar);
}

void ProcessJob::report(const QString& resource, const QString& phase, qint64 done, qint64 total,
                        const QString& message) {
    if (m_stats && m_context)
        UsageLedger::flush(*m_stats, m_source.name, m_context->rateLimiter(), false);
    JobProgress p;
    p.source = m_source.name;
    p.process = m_processText;
    p.resource = resource;
    p.phase = phase;
    p.done = done;
    p.total = total;
    p.message = message;
    if (!m_clock.isValid())
        m_clock.start();
    m_rate.add(m_clock.elapsed(), done);
    p.recordsPerSecond = m_rate.rate().value_or(0);
    p.etaSeconds = m_rate.etaSeconds(total).value_or(-1);
    Q_EMIT progress(p);
}

QString ProcessJob::keyListExpand(const ResourcePlan&) const {
    return {};
}

Expected<void> ProcessJob::keyListStarting(const ResourcePlan&, ResourceProgress&) {
    return {};
}

Expected<void> ProcessJob::forEachResource(const QString& only,
                                           const std::function<Expected<void>(const ResourcePlan&)>& each) {
    if (!only.isEmpty() && !m_context->plan(only))
        return makeError(QStringLiteral("source %1 has no resource \"%2\"").arg(m_source.name, only));
    QStringList names;
    for (const ResourcePlan& plan : m_context->plans())
        if (only.isEmpty() || plan.resource == only)
            names.append(plan.resource);
    return forResources(names, each);
}

Expected<void> ProcessJob::forResources(const QStringList& names,
                                        const std::function<Expected<void>(const ResourcePlan&)>& each) {
    // A resource that fails does not keep the others from running: the run goes on and ends
    // failed, naming each failure. A cancel or a refusal stops it at once.
    QStringList failed;
    qsizetype ran = 0;
    for (const ResourcePlan& plan : m_context->plans()) {
        if (!names.contains(plan.resource))
            continue;
        ++ran;
        // Recorded (step "schema") when prepare() met them; the batch stays open for the next run.
        if (const auto it = m_schemaFailures.constFind(plan.resource); it != m_schemaFailures.constEnd()) {
            failed.append(*it);
            continue;
        }
        if (auto r = each(plan); !r) {
            if (cancelled() || m_refused)
                return r;
            failed.append(r.errorMessage().contains(plan.resource)
                              ? r.errorMessage()
                              : QStringLiteral("%1: %2").arg(plan.resource, r.errorMessage()));
        }
    }
    if (failed.size() == 1 && ran == 1)
        return makeError(failed.first());
    if (!failed.isEmpty())
        return makeError(QStringLiteral("%1 of %2 resources failed: %3")
                             .arg(failed.size())
                             .arg(ran)
                             .arg(failed.join(QStringLiteral("; "))));
    // A run restricted to one resource leaves the others' progress for the next full run.
    for (const ResourcePlan& plan : m_context->plans()) {
        auto p = savedProgress(plan.resource);
        if (!p)
            return p.error();
        if (*p && (*p)->phase != ResourcePhase::Done)
            return {};
    }
    return finishBatch();
}

Expected<std::optional<ResourceProgress>> ProcessJob::savedProgress(const QString& resource) {
    return m_state->resource(m_source.name, m_processText, resource);
}

Expected<void> ProcessJob::saveProgress(const ResourceProgress& progress) {
    return m_state->saveResource(m_source.name, m_processText, progress);
}

QString ProcessJob::downloadDir(const QString& resource) const {
    return m_layout.downloadedDataDir(m_source.name, resource);
}

void ProcessJob::recordEvent(const QString& resource, const QString& kind, const QString& message) {
    if (m_stats)
        noteStats(m_stats->recordEvent(m_runId, m_source.name, m_processText, resource, kind, message));
}

void ProcessJob::countPage(const QString& resource, qint64 records, qint64 expected) {
    if (m_stats)
        noteStats(m_stats->addResourceCounts(m_runId, resource, records, expected, 1));
}

void ProcessJob::countApplied(const QString& resource, const QString& destination, qint64 records) {
    if (m_stats)
        noteStats(m_stats->addDestinationCount(m_runId, resource, destination, records));
}

void ProcessJob::noteStats(const Expected<void>& written) {
    // The statistics are a report, not a checkpoint: the job goes on, and says once that its
    // history is incomplete (a stats server may be down for the whole run).
    if (written || m_statsWarned)
        return;
    m_statsWarned = true;
    const QString message =
        QStringLiteral("the stats store did not record this run completely (its history and counts miss what "
                       "follows; the run itself goes on): %1")
            .arg(written.errorMessage());
    m_result.warnings.append(Redactor::redact(message));
    if (m_log)
        m_log->warning(message);
}

} // namespace ors
