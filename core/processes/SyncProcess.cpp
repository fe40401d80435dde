#include "processes/SyncProcess.h"

#include "logging/LogCategories.h"
#include "logging/Redactor.h"
#include "logging/SourceLog.h"
#include "processes/BatchFiles.h"
#include "processes/SourceContext.h"
#include "reso/ODataQuery.h"
#include "reso/PageReader.h"
#include "stats/StatsStore.h"
#include "store/SourceLock.h"
#include "store/StateStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QThread>

namespace ors {

namespace {
const QString kProcess = QStringLiteral("sync");
}

SyncProcess::SyncProcess(SourceConfig source, QString dataDir, SyncOptions options)
    : ProcessJob(std::move(source), std::move(dataDir), ProcessType::Sync)
    , m_options(std::move(options)) {}

SyncProcess::~SyncProcess() = default;

Expected<void> SyncProcess::execute() {
    if (auto r = prepare(true); !r)
        return r;
    if (!m_options.resource.isEmpty() && !m_context->plan(m_options.resource))
        return makeError(
            QStringLiteral("source %1 has no resource \"%2\"").arg(m_source.name, m_options.resource));
    for (const ResourcePlan& plan : m_context->plans()) {
        if (!m_options.resource.isEmpty() && plan.resource != m_options.resource)
            continue;
        if (auto r = syncResource(plan); !r)
            return r;
    }
    // A run restricted to one resource leaves the others' progress for the next full run.
    bool allDone = true;
    for (const ResourcePlan& plan : m_context->plans()) {
        auto p = m_state->resource(m_source.name, kProcess, plan.resource);
        if (p && *p && (*p)->phase != ResourcePhase::Done)
            allDone = false;
    }
    if (allDone)
        return finishBatch();
    return {};
}

Expected<QByteArray> SyncProcess::startingPoint(const ResourcePlan& plan) {
    // The sync starts from the oldest point any destination needs: its high-water mark, or,
    // without one (new destination, lost state), the newest record it holds. An empty
    // destination (new, or emptied by hand) needs everything.
    std::optional<QByteArray> start;
    for (auto& destination : m_context->destinations()) {
        auto newest = destination->newestTimestamp(plan.table);
        if (!newest)
            return newest.error();
        if (!*newest)
            return QByteArray();
        auto mark = m_state->highWater(m_source.name, plan.resource, destination->name());
        if (!mark)
            return mark.error();
        const QByteArray point = mark->value_or(**newest);
        if (!start || point < *start)
            start = point;
    }
    return start.value_or(QByteArray());
}

Expected<void> SyncProcess::syncResource(const ResourcePlan& plan) {
    auto stored = m_state->resource(m_source.name, kProcess, plan.resource);
    if (!stored)
        return stored.error();
    ResourceProgress progress = stored->value_or(ResourceProgress{});
    progress.resource = plan.resource;
    if (progress.phase == ResourcePhase::Done)
        return {};
    m_log->info(QStringLiteral("resource started"), {{QStringLiteral("resource"), plan.resource}});

    // Pages left by a run whose state was lost are older than anything new: apply them first.
    if (!*stored) {
        BatchFiles files(m_layout.downloadedDataDir(m_source.name, plan.resource), filePrefix());
        if (!files.list().isEmpty()) {
            ResourceProgress orphan = progress;
            orphan.phase = ResourcePhase::Apply;
            if (auto r = applyFiles(plan, orphan); !r)
                return r;
        }
    }
    if (progress.phase == ResourcePhase::Download) {
        if (auto r = download(plan, progress); !r)
            return r;
    }
    if (auto r = applyFiles(plan, progress); !r)
        return r;
    if (!progress.maxDownloaded.isEmpty()) {
        for (auto& destination : m_context->destinations())
            if (auto r = m_state->raiseHighWater(m_source.name, plan.resource, destination->name(),
                                                 progress.maxDownloaded);
                !r)
                return r;
    }
    progress.phase = ResourcePhase::Done;
    if (auto r = m_state->saveResource(m_source.name, kProcess, progress); !r)
        return r;
    report(plan.resource, QStringLiteral("done"), progress.received, progress.received);
    m_log->info(QStringLiteral("resource done"),
                {{QStringLiteral("resource"), plan.resource}, {QStringLiteral("count"), progress.received}});
    return {};
}

QString SyncProcess::filePrefix() const {
    return QStringLiteral("sync_batch_");
}

Expected<void> SyncProcess::download(const ResourcePlan& plan, ResourceProgress& progress) {
    if (auto r = m_layout.ensureDownloadedDataDir(m_source.name, plan.resource); !r)
        return r;
    if (!progress.downloadStarted) {
        auto start = startingPoint(plan);
        if (!start)
            return fail(QStringLiteral("download"), plan.resource, {}, start.errorMessage());
        progress.lowerBound = *start;
        progress.downloadStarted = true;
        if (auto r = m_state->saveResource(m_source.name, kProcess, progress); !r)
            return r;
    }

    // A resumed download asks again from the newest timestamp already on disk, with "ge":
    // the boundary group may have been cut by the crash, and upserts make repeats harmless.
    const bool ordered = m_context->allowsOrderBy() && !plan.timestampField.isEmpty();
    QString condition;
    if (!plan.timestampField.isEmpty()) {
        if (ordered && !progress.maxDownloaded.isEmpty())
            condition = QStringLiteral("%1 ge %2")
                            .arg(plan.timestampField, QString::fromUtf8(progress.maxDownloaded));
        else if (!progress.lowerBound.isEmpty())
            condition =
                QStringLiteral("%1 gt %2").arg(plan.timestampField, QString::fromUtf8(progress.lowerBound));
    }
    const ResourceConfig* config = m_source.resource(plan.resource);
    odata::QueryOptions query;
    query.filter = condition.isEmpty() ? config->filter : odata::combineFilters(config->filter, condition);
    query.select = plan.selectFields;
    QList<odata::ExpandSpec> expands;
    for (const ExpandConfig& e : config->expand)
        expands.append(odata::ExpandSpec{e.name, {}, {}});
    query.expand = odata::expandClause(expands);
    if (ordered)
        query.orderBy = plan.timestampField + QStringLiteral(" asc");
    query.top = m_context->pageSize();
    query.count = true;
    QUrl url = odata::buildUrl(m_context->resourceUrl(plan.resource), query);

    const qint64 receivedBefore = progress.received;
    m_log->info(QStringLiteral("download started"),
                {{QStringLiteral("resource"), plan.resource}, {QStringLiteral("url"), describeUrl(url)}});
    BatchFiles files(m_layout.downloadedDataDir(m_source.name, plan.resource), filePrefix());
    startPhase(progress.received);
    bool firstPage = true;
    while (!url.isEmpty()) {
        if (m_cancelled)
            return makeError(QStringLiteral("cancelled"));
        PageInfo info;
        auto response =
            m_context->http().get(url, "application/json", [&](const HttpResponse& r) -> Expected<void> {
                auto inspected = PageReader::inspect(r.body, plan.keyField, plan.timestampField);
                if (!inspected)
                    return inspected.error();
                info = *inspected;
                return {};
            });
        if (!response)
            return fail(QStringLiteral("download"), plan.resource, {}, response.errorMessage());
        // The page is on disk before the next one is asked for.
        const QString fileName = files.fileName(m_batchId, progress.nextSeq);
        if (auto r = files.write(fileName, response->body); !r)
            return fail(QStringLiteral("download"), plan.resource, {}, r.errorMessage());
        if (firstPage && info.odataCount)
            progress.expectedCount = receivedBefore + *info.odataCount;
        firstPage = false;
        progress.received += info.recordCount;
        progress.nextSeq += 1;
        if (info.maxTimestamp > progress.maxDownloaded)
            progress.maxDownloaded = info.maxTimestamp;
        if (auto r = m_state->saveResource(m_source.name, kProcess, progress); !r)
            return r;
        (void)m_stats->addResourceCounts(m_runId, plan.resource, info.recordCount, progress.expectedCount, 1);
        m_result.recordsDownloaded += info.recordCount;
        report(plan.resource, QStringLiteral("download"), progress.received, progress.expectedCount);
        url = info.nextLink.isEmpty() ? QUrl() : QUrl::fromEncoded(info.nextLink.toUtf8());
        if (!url.isEmpty() && url.isRelative())
            url = QUrl(m_context->resourceUrl(plan.resource)).resolved(url);
    }
    if (progress.expectedCount >= 0 && progress.received != progress.expectedCount)
        m_log->warning(QStringLiteral("the server announced a different record count"),
                       {{QStringLiteral("resource"), plan.resource},
                        {QStringLiteral("expected"), progress.expectedCount},
                        {QStringLiteral("received"), progress.received}});
    progress.phase = ResourcePhase::Apply;
    if (auto r = m_state->saveResource(m_source.name, kProcess, progress); !r)
        return r;
    m_log->info(QStringLiteral("download done"),
                {{QStringLiteral("resource"), plan.resource}, {QStringLiteral("count"), progress.received}});
    return {};
}

Expected<void> SyncProcess::applyFiles(const ResourcePlan& plan, ResourceProgress& progress) {
    BatchFiles files(m_layout.downloadedDataDir(m_source.name, plan.resource), filePrefix());
    const QStringList names = files.list();
    startPhase(0);
    qint64 applied = 0;
    // Lets the crash-recovery tests stop a run reliably while it applies; never set in production.
    const int debugDelayMs = qEnvironmentVariableIntValue("OPENRESYNC_DEBUG_APPLY_DELAY_MS");
    for (const QString& name : names) {
        if (debugDelayMs > 0)
            QThread::msleep(quint64(debugDelayMs));
        if (m_cancelled)
            return makeError(QStringLiteral("cancelled"));
        const QString path = files.path(name);
        auto body = files.read(name);
        if (!body)
            return fail(QStringLiteral("apply"), plan.resource, {}, body.errorMessage());
        auto rows = PageReader::read(*body, plan, path);
        if (!rows)
            return fail(QStringLiteral("apply"), plan.resource, {}, rows.errorMessage());
        for (const QString& warning : std::as_const(rows->warnings))
            m_log->warning(warning, {{QStringLiteral("resource"), plan.resource}});
        auto done = m_state->appliedDestinations(m_source.name, kProcess, path);
        if (!done)
            return done.error();
        for (auto& destination : m_context->destinations()) {
            if (done->contains(destination->name()))
                continue;
            // A step that failed kBlockAfter times in a row waits for the user instead of
            // failing the same way on every scheduled run.
            auto previous = m_state->failure(m_source.name, kProcess, plan.resource, destination->name());
            if (!previous)
                return previous.error();
            if (*previous && (*previous)->count >= kBlockAfter)
                return makeError(
                    QStringLiteral("blocked: destination %1 failed %2 times on %3 (%4); run "
                                   "\"openresync-cli unblock %5 sync\" to retry, with --skip-file to skip "
                                   "that file for %1, or --discard-batch to drop the batch")
                        .arg(destination->name())
                        .arg((*previous)->count)
                        .arg((*previous)->step, (*previous)->lastError, m_source.name));
            if (auto r = destination->apply(plan, *rows); !r) {
                StepFailure failure{m_source.name,
                                    kProcess,
                                    plan.resource,
                                    destination->name(),
                                    QStringLiteral("apply %1").arg(name),
                                    0,
                                    r.errorMessage(),
                                    {}};
                (void)m_state->recordFailure(failure);
                return fail(QStringLiteral("apply"), plan.resource, destination->name(),
                            QStringLiteral("%1 (file %2)").arg(r.errorMessage(), path));
            }
            if (auto r = m_state->markApplied(m_source.name, kProcess, path, destination->name()); !r)
                return r;
            (void)m_state->clearFailures(m_source.name, kProcess, plan.resource, destination->name());
            (void)m_stats->addDestinationCount(m_runId, plan.resource, destination->name(),
                                               rows->parent.rows.size());
        }
        // Every destination took the file: it is no longer needed.
        if (!QFile::remove(path) && QFile::exists(path))
            return fail(QStringLiteral("apply"), plan.resource, {},
                        QStringLiteral("%1: cannot delete").arg(path));
        if (auto r = m_state->forgetFile(m_source.name, kProcess, path); !r)
            return r;
        applied += rows->parent.rows.size();
        m_result.recordsApplied += rows->parent.rows.size();
        // Pages left from a lost state still count toward the mark once applied everywhere.
        if (plan.table.timestampColumn >= 0)
            for (const Row& row : std::as_const(rows->parent.rows)) {
                const Cell& ts = row.at(plan.table.timestampColumn);
                if (ts.type == Cell::Type::Text && ts.text > progress.maxDownloaded)
                    progress.maxDownloaded = ts.text;
            }
        report(plan.resource, QStringLiteral("apply"), applied, std::max(progress.received, applied));
    }
    return {};
}

} // namespace ors
