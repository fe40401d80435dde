#include "processes/SyncProcess.h"

#include "logging/LogCategories.h"
#include "logging/Redactor.h"
#include "logging/SourceLog.h"
#include "processes/BatchFiles.h"
#include "processes/SourceContext.h"
#include "reso/HttpDate.h"
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

#include <utility>

namespace ors {

namespace {
const QString kProcess = QStringLiteral("sync");
constexpr int kMaxBadTimestampLogs = 20; // warnings per resource and run; the event counts them all

QByteArray normalized(const QDateTime& time) {
    return odata::formatTimestamp(time).toUtf8();
}
} // namespace

SyncProcess::SyncProcess(SourceConfig source, const QString& dataDir, SyncOptions options)
    : ProcessJob(std::move(source), dataDir, ProcessType::Sync)
    , m_options(std::move(options)) {}

SyncProcess::~SyncProcess() = default;

Expected<void> SyncProcess::execute() {
    return withBehind(syncAll());
}

Expected<void> SyncProcess::syncAll() {
    if (auto r = prepare(true); !r)
        return r;
    // A resumed batch whose download finished in an earlier run holds only what the server had
    // then. Applying it alone would report success while every later change is missing, so the
    // same run then asks for what changed since, from the marks the batch raised.
    auto earlier = downloadedEarlier();
    if (!earlier)
        return earlier.error();
    auto sync = [this](const ResourcePlan& plan) { return syncResource(plan); };
    if (auto r = forEachResource(m_options.resource, sync); !r)
        return r;
    if (earlier->isEmpty())
        return {};
    runResult().resumedApplied = runResult().recordsApplied;
    if (m_options.resumeOnly) {
        log().info(QStringLiteral("resumed batch applied; newer changes not asked for (--resume-only)"));
        return {};
    }
    return fetchChangesSince(*earlier);
}

Expected<QStringList> SyncProcess::downloadedEarlier() {
    QStringList names;
    if (!resumedBatch())
        return names;
    for (const ResourcePlan& plan : context().plans()) {
        if (!m_options.resource.isEmpty() && plan.resource != m_options.resource)
            continue;
        auto stored = savedProgress(plan.resource);
        if (!stored)
            return stored.error();
        // A download still under way continues up to the present; Apply and Done do not.
        if (*stored && (*stored)->phase != ResourcePhase::Download)
            names.append(plan.resource);
    }
    return names;
}

Expected<void> SyncProcess::fetchChangesSince(const QStringList& resources) {
    const QString message =
        QStringLiteral("resumed the unfinished sync batch begun at %1 (%2 records applied from it); now "
                       "fetching what changed since for %3")
            .arg(runResult().resumedFrom)
            .arg(runResult().resumedApplied)
            .arg(resources.join(QStringLiteral(", ")));
    log().info(message, {{QStringLiteral("resumedBatch"), runResult().resumedFrom}});
    recordEvent({}, QStringLiteral("resumed-batch"), message);
    report({}, QStringLiteral("download"), 0, -1,
           QStringLiteral("resumed batch applied; fetching newer changes"));
    if (auto r = continueInNextBatch(); !r)
        return r;
    // Each resource starts a fresh download from the marks the resumed batch raised, numbering its
    // pages after any the earlier download left for a destination behind.
    for (const QString& name : resources) {
        ResourceProgress fresh{name};
        fresh.nextSeq = nextFreeSeq(name);
        if (auto r = saveProgress(fresh); !r)
            return r;
    }
    return forResources(resources, [this](const ResourcePlan& plan) { return syncResource(plan); });
}

bool SyncProcess::holdsOtherChildren(const ResourcePlan& plan) const {
    for (const ResourcePlan& other : context().plans())
        for (const ChildPlan& child : other.children)
            if (other.resource != plan.resource &&
                child.table.table.compare(plan.table.table, Qt::CaseInsensitive) == 0)
                return true;
    return false;
}

bool SyncProcess::sharesTable(Destination& destination, const ResourcePlan& plan) const {
    const DestinationConfig* config = source().destination(destination.name());
    if (!config || config->sharedTables.isEmpty())
        return false;
    auto stored = destination.storedPlan(plan);
    const QString table = stored ? stored->table.table : plan.table.table;
    for (const auto& shared : config->sharedTables)
        if (shared.first.compare(table, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

Expected<void> SyncProcess::syncResource(const ResourcePlan& plan) {
    auto stored = savedProgress(plan.resource);
    if (!stored)
        return stored.error();
    ResourceProgress progress = stored->value_or(ResourceProgress{});
    progress.resource = plan.resource;
    if (progress.phase == ResourcePhase::Done)
        return {};
    if (!*stored)
        progress.nextSeq = nextFreeSeq(plan.resource);
    log().info(QStringLiteral("resource started"), {{QStringLiteral("resource"), plan.resource}});
    noteUnavailable(plan.resource);
    if (auto r = measurePositions(plan); !r)
        return r;
    // What destinations that fell behind in earlier runs still lack is older than anything else.
    if (auto r = catchUp(plan); !r)
        return r;

    // Pages left by a run whose state was lost are older than anything new: apply them first.
    if (!*stored) {
        BatchFiles files(downloadDir(plan.resource), filePrefix());
        if (!files.list().isEmpty()) {
            ResourceProgress orphan = progress;
            orphan.phase = ResourcePhase::Apply;
            if (auto r = applyFiles(plan, filePrefix(), orphan); !r)
                return r;
        }
    }
    if (progress.phase == ResourcePhase::Download) {
        // A stopped run may have left kept pages not yet applied everywhere: they are older than
        // anything this download brings, and each page is applied as it comes, so they go first.
        if (*stored && !BatchFiles(downloadDir(plan.resource), filePrefix()).list().isEmpty())
            if (auto r = applyFiles(plan, filePrefix(), progress); !r)
                return r;
        if (auto r = download(plan, progress); !r)
            return r;
    }
    if (auto r = applyFiles(plan, filePrefix(), progress); !r)
        return r;
    return finishResource(plan, progress);
}

QByteArray SyncProcess::startTime(const ResourcePlan& plan, const Page& first) {
    QDateTime start = first.sentAt;
    QString from = QStringLiteral("local clock");
    if (!first.date.isEmpty()) {
        // The server's clock is the one its timestamps come from.
        if (auto server = HttpDate::parse(first.date)) {
            start = *server;
            from = QStringLiteral("server Date");
        } else {
            log().warning(QStringLiteral("the server's Date header \"%1\" is not an HTTP date (IMF-fixdate); "
                                         "the download's start time is taken from the local clock")
                              .arg(QString::fromLatin1(first.date.left(100))),
                          {{QStringLiteral("resource"), plan.resource}});
        }
    }
    QByteArray text = normalized(start);
    log().info(QStringLiteral("download start time"), {{QStringLiteral("resource"), plan.resource},
                                                       {QStringLiteral("start"), QString::fromUtf8(text)},
                                                       {QStringLiteral("from"), from}});
    return text;
}

QByteArray SyncProcess::newMark(const ResourcePlan& plan, const ResourceProgress& progress) {
    if (progress.maxDownloaded.isEmpty())
        return {};
    // A batch begun before the start time was recorded: its start is no later than the batch's.
    QDateTime start;
    if (!progress.downloadStart.isEmpty())
        start = odata::parseTimestamp(QString::fromUtf8(progress.downloadStart)).value_or(QDateTime());
    if (!start.isValid()) {
        const QDateTime batch =
            QDateTime::fromString(batchId(), QStringLiteral("yyyy-MM-dd-'T'-HH-mm-ss-zzz'Z'"));
        start = batch.isValid() ? QDateTime(batch.date(), batch.time(), Qt::UTC)
                                : QDateTime::currentDateTimeUtc();
    }
    // Nothing changed after the first request can be known to be complete: a record dated later
    // (in the future, or changed during the download) is stored but must not move the mark.
    // Without server-side order a record changed during the download can arrive older than the
    // newest one seen, so there the bound is a further overlap behind.
    if (!context().allowsOrderBy())
        start = start.addSecs(-context().profile().overlapSeconds);
    QByteArray bound = normalized(start);
    if (progress.maxDownloaded <= bound)
        return progress.maxDownloaded;
    log().info(
        QStringLiteral("newest %1 (%2) is after the download's start; the high-water mark stops at %3")
            .arg(plan.timestampField, QString::fromUtf8(progress.maxDownloaded), QString::fromUtf8(bound)),
        {{QStringLiteral("resource"), plan.resource}});
    return bound;
}

void SyncProcess::reportBadTimestamps(const ResourcePlan& plan, const PageInfo& info, qint64& count) {
    for (const auto& [key, value] : info.badTimestamps) {
        if (++count > kMaxBadTimestampLogs)
            continue;
        log().warning(QStringLiteral("%1 record %2 has an unparsable %3 \"%4\"; stored as sent, it does not "
                                     "move the high-water mark")
                          .arg(plan.resource, QString::fromUtf8(key), plan.timestampField,
                               QString::fromUtf8(value.left(200))),
                      {{QStringLiteral("resource"), plan.resource},
                       {QStringLiteral("key"), QString::fromUtf8(key)},
                       {QStringLiteral("value"), QString::fromUtf8(value.left(200))}});
    }
}

PagedQuerySpec SyncProcess::querySpec(const ResourcePlan& plan, const ResourceProgress& progress) const {
    // Where the server sorts, a resumed download asks again from the newest timestamp on disk,
    // inclusive: the boundary group may have been cut, and upserts make repeats harmless.
    // Unsorted pages say nothing about what is left, so the download starts over from the
    // previous mark; the pages on disk are still applied.
    const bool ordered = context().allowsOrderBy() && !plan.timestampField.isEmpty();
    QString lower;
    if (!plan.timestampField.isEmpty() && !progress.lowerBound.isEmpty()) {
        QString bound = QString::fromUtf8(progress.lowerBound);
        // Spark caches answers server-side: re-read a margin behind the mark.
        if (const int overlap = context().profile().overlapSeconds; overlap > 0)
            if (auto t = odata::parseTimestamp(bound))
                bound = odata::formatTimestamp(t->addSecs(-overlap));
        lower = QStringLiteral("%1 gt %2").arg(plan.timestampField, bound);
    }
    const ResourceConfig* config = source().resource(plan.resource);
    QList<odata::ExpandSpec> expands;
    for (const ExpandConfig& e : config->expand)
        expands.append(odata::ExpandSpec{e.name, {}, {}});
    PagedQuerySpec spec;
    spec.what = QStringLiteral("download of %1").arg(plan.resource);
    spec.endpoint = context().replicationUrl(plan.resource);
    // MLS Grid: the first load asks only for visible records; later ones must see the
    // MlgCanView=false rows, which are the deletions.
    const bool visibleOnly = progress.lowerBound.isEmpty();
    spec.filter = [this, resource = plan.resource, lower, visibleOnly](const QString& condition) {
        QString extra = lower;
        if (!condition.isEmpty())
            extra = extra.isEmpty() ? condition : extra + QStringLiteral(" and ") + condition;
        return context().filter(resource, extra, visibleOnly);
    };
    spec.select = plan.selectFields;
    spec.expand = odata::expandClause(expands);
    spec.timestampField = plan.timestampField;
    spec.keyField = plan.keyField;
    spec.numericKey = plan.numericKey;
    spec.orderBy = context().allowsOrderBy();
    spec.topIsPageSize = context().profile().topIsPageSize;
    spec.count = context().profile().count;
    spec.pageSize = context().pageSize(!expands.isEmpty());
    if (ordered && !progress.maxDownloaded.isEmpty())
        spec.start = PageCursor{progress.maxDownloaded, {}};
    return spec;
}

QString SyncProcess::filePrefix() const {
    return QStringLiteral("sync_batch_");
}

Expected<void> SyncProcess::download(const ResourcePlan& plan, ResourceProgress& progress) {
    if (auto r = layout().ensureDownloadedDataDir(source().name, plan.resource); !r)
        return r;
    if (!progress.downloadStarted) {
        auto start = startingPoint(plan);
        if (!start)
            return fail(QStringLiteral("download"), plan.resource, {}, start.errorMessage());
        progress.lowerBound = *start;
        progress.downloadStarted = true;
        if (auto r = saveProgress(progress); !r)
            return r;
    }

    PagedQuerySpec spec = querySpec(plan, progress);
    if (!plan.timestampField.isEmpty())
        spec.countCondition = [&plan, &progress]() {
            return progress.downloadStart.isEmpty()
                       ? QString()
                       : QStringLiteral("%1 le %2")
                             .arg(plan.timestampField, QString::fromUtf8(progress.downloadStart));
        };
    PagedQuery query(spec);
    const bool resumed = progress.received > 0;
    // An unsorted download starts over, so its count covers everything again.
    if (resumed && !(context().allowsOrderBy() && !plan.timestampField.isEmpty()))
        progress.received = 0;
    const qint64 receivedBefore = progress.received;
    log().info(QStringLiteral("download started"), {{QStringLiteral("resource"), plan.resource}});
    startPhase(progress.received);
    bool firstPage = true;
    qint64 badTimestamps = 0;
    QByteArray firstBad;
    auto apply = beginApply(plan, filePrefix());
    if (!apply)
        return apply.error();
    (*apply)->reportProgress = false;
    // Lets the kill tests catch a run with several pages on disk (pages kept, none applied, as an
    // earlier version's download left them); never set in production.
    static const bool applyAfterDownload = qEnvironmentVariableIsSet("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD");
    // The apply runs one page behind the download: page N is parsed on the worker while page
    // N-1 is written. Destroyed on any way out, the pending future waits for its worker.
    struct Pending {
        QString name;
        PreparedFuture rows;
    };
    std::optional<Pending> pending;
    // The page just received: its rows are read on the worker while its file is written.
    std::optional<Pending> arrived;
    bool applyFailed = false;
    const auto applyPending = [&]() -> Expected<void> {
        if (!pending)
            return {};
        Pending page = std::move(*pending);
        pending.reset();
        return applyFile(**apply, plan, page.name, progress, &page.rows);
    };
    PageWalk walk;
    walk.step = QStringLiteral("download");
    walk.prefix = filePrefix();
    walk.timestampField = plan.timestampField;
    // Reading a page's rows needs only the page in memory, not its file: started before the
    // file's write and fsync, it is done sooner, and the first page's apply (which nothing else
    // overlaps) starts sooner. The apply itself still waits for the file and the state row.
    walk.onArrived = [&](const Page& page, int seq) {
        if (applyAfterDownload)
            return;
        Pending early{(*apply)->files.fileName(batchId(), seq), {}};
        early.rows = prepareFile(**apply, plan, early.name, page.body);
        arrived = std::move(early);
    };
    // The page is on disk and its state row saved before it is applied; the next page's request
    // is already in flight (walkPages).
    walk.onPage = [&](const Page& page) -> Expected<void> {
        const PageInfo& info = page.info;
        if (firstPage && info.odataCount)
            progress.expectedCount = receivedBefore + *info.odataCount;
        firstPage = false;
        progress.received += info.recordCount;
        if (info.maxTimestamp > progress.maxDownloaded)
            progress.maxDownloaded = info.maxTimestamp;
        // The start is durable with the first page, so a resumed download keeps it.
        if (progress.downloadStart.isEmpty() && progress.received == info.recordCount)
            progress.downloadStart = startTime(plan, page);
        if (!info.badTimestamps.isEmpty() && firstBad.isEmpty())
            firstBad = "key " + info.badTimestamps.first().first + ", value \"" +
                       info.badTimestamps.first().second.left(200) + '"';
        reportBadTimestamps(plan, info, badTimestamps);
        if (auto r = saveProgress(progress); !r)
            return r;
        countPage(plan.resource, info.recordCount, progress.expectedCount);
        runResult().recordsDownloaded += info.recordCount;
        report(plan.resource, QStringLiteral("download"), progress.received, progress.expectedCount);
        if (applyAfterDownload)
            return {};
        // Durable and recorded: the page's rows are read on the worker (since it arrived) while
        // the page before it goes to every destination, and the next page's request is in flight.
        // What an apply changes in progress (maxDownloaded, from the same records) is saved with
        // a later row.
        Q_ASSERT(arrived);
        Pending kept = std::move(*arrived);
        arrived.reset();
        auto applied = applyPending();
        pending = std::move(kept);
        if (!applied)
            applyFailed = true;
        return applied;
    };
    // While the job waits for an answer, the page held for it is written as soon as its rows are
    // read, if that is before the answer: a real MLS takes 100-1,000 ms a page, and a short
    // sync's pages would otherwise wait for nothing. An answer that comes first is taken first,
    // as before, so that its rows are read while the held page is written. Before the first
    // answer, the destinations set up what their first write needs.
    bool writesPrepared = false;
    walk.whileWaiting = [&](const std::function<bool()>& answered) -> Expected<void> {
        if (!std::exchange(writesPrepared, true)) {
            for (auto& destination : context().destinations())
                destination->prepareWrites(plan);
            if (answered())
                return {};
        }
        if (!pending || !pending->rows.valid())
            return {};
        constexpr int kLookMs = 2; // between looks at the answer
        while (!pending->rows.readyWithin(kLookMs))
            if (answered())
                return {};
        auto applied = applyPending();
        if (!applied)
            applyFailed = true;
        return applied;
    };
    auto walked = walkPages(plan, query, progress, walk);
    // The last page kept is applied too when the walk stopped for another reason than an
    // apply: what is kept goes in as before, in order. After a failed apply the pages behind
    // it stay on disk for the next run, which applies them first.
    if (!walked && !applyFailed)
        (void)applyPending();
    if (!walked)
        return walked.error();
    if (auto r = applyPending(); !r)
        return r;
    const int restarts = walked->restarts;
    if (progress.expectedCount >= 0 && progress.received != progress.expectedCount && restarts == 0 &&
        !resumed) {
        const QString message = QStringLiteral("the server announced %1 records (@odata.count) but sent %2")
                                    .arg(progress.expectedCount)
                                    .arg(progress.received);
        log().warning(message, {{QStringLiteral("resource"), plan.resource},
                                {QStringLiteral("expected"), progress.expectedCount},
                                {QStringLiteral("received"), progress.received}});
        recordEvent(plan.resource, QStringLiteral("count-mismatch"), message);
    }
    if (badTimestamps > 0) {
        const QString message =
            QStringLiteral("%1 record(s) with an unparsable %2 (first: %3); stored as sent, "
                           "they did not move the high-water mark")
                .arg(badTimestamps)
                .arg(plan.timestampField, QString::fromUtf8(firstBad));
        log().warning(
            message, {{QStringLiteral("resource"), plan.resource}, {QStringLiteral("count"), badTimestamps}});
        recordEvent(plan.resource, QStringLiteral("unparsable-timestamp"), message);
    }
    progress.phase = ResourcePhase::Apply;
    if (auto r = saveProgress(progress); !r)
        return r;
    log().info(QStringLiteral("download done"),
               {{QStringLiteral("resource"), plan.resource}, {QStringLiteral("count"), progress.received}});
    return {};
}

} // namespace ors
