// The download side of ProcessJob: one page fetched and kept, and the loop over a query's pages
// that every process (sync, key lists, fetch by key) goes through.
#include "processes/ProcessJob.h"

#include "logging/SourceLog.h"
#include "processes/BatchFiles.h"
#include "processes/SourceContext.h"
#include "reso/ODataQuery.h"
#include "reso/PagedQuery.h"
#include "reso/PageReader.h"
#include "reso/PagingGuard.h"
#include "reso/PendingRequest.h"
#include "stats/StatsStore.h"
#include "store/StateStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QThread>

#include <algorithm>
#include <utility>

namespace ors {

namespace {
constexpr int kMaxRestarts = 5;     // expired nextLinks in one query before giving up
constexpr int kTimeoutsAtFloor = 3; // timed-out requests with the smallest pages before giving up
constexpr int kMinPageSize = 10;    // adaptive pages never go below this
constexpr int kLoggedRequeries = 3; // keyset re-asks logged per query; the event counts them all
} // namespace

struct ProcessJob::PageRequest {
    FetchOptions options;
    // The page the request's Validator fills in: each request owns its own, since the next one
    // is inspected while this one is still being kept.
    std::shared_ptr<Page> page = std::make_shared<Page>();
    std::unique_ptr<PendingRequest> pending; // null: cancelled before it was sent
    QUrl url;

    bool inFlight() const { return pending && !pending->isFinished(); }
};

std::unique_ptr<ProcessJob::PageRequest> ProcessJob::startPage(const QUrl& url, const ResourcePlan& plan,
                                                               const QString& timestampField,
                                                               const FetchOptions& options) {
    auto request = std::make_unique<PageRequest>();
    request->options = options;
    request->url = url;
    if (cancelled())
        return request;
    // Lets the crash-recovery tests stop a run reliably while it downloads; never set in production.
    static const int debugDelayMs = qEnvironmentVariableIntValue("OPENRESYNC_DEBUG_DOWNLOAD_DELAY_MS");
    if (debugDelayMs > 0)
        QThread::msleep(quint64(debugDelayMs));
    request->page->sentAt = QDateTime::currentDateTimeUtc();
    RequestOptions http;
    // OData's way to ask for a page size; servers that do not know it ignore it.
    if (options.pageSize > 0)
        http.headers.append({"Prefer", "odata.maxpagesize=" + QByteArray::number(options.pageSize)});
    http.timeoutEndsRequest = options.adaptive;
    request->pending = m_context->http().start(
        url, "application/json",
        [page = request->page, keyField = plan.keyField,
         timestampField](const HttpResponse& r) -> Expected<void> {
            QElapsedTimer inspecting;
            inspecting.start();
            auto inspected = PageReader::inspect(r.body, keyField, timestampField);
            page->inspectNs += inspecting.nsecsElapsed();
            if (!inspected)
                return inspected.error();
            page->info = *inspected;
            return {};
        },
        http);
    return request;
}

Expected<ProcessJob::Page> ProcessJob::finishPage(PageRequest& request, const ResourcePlan& plan,
                                                  const QString& step) {
    if (!request.pending)
        return makeError(QStringLiteral("cancelled"));
    const FetchOptions& options = request.options;
    // An answer can be here already: a MySQL destination serves the thread's events while the
    // server writes a page. Its inspection then happened inside that step's time.
    const bool arrived = request.pending->isFinished();
    QElapsedTimer waiting;
    waiting.start();
    auto response = request.pending->wait();
    request.pending.reset();
    if (!arrived) {
        // The page was inspected while it was waited for: that part is parsing, not the network.
        const qint64 inspectNs = request.page->inspectNs;
        m_times.parseNs += inspectNs;
        m_times.downloadNs += std::max<qint64>(0, waiting.nsecsElapsed() - inspectNs);
    }
    if (!response && options.adaptive && response.error().timedOut)
        return response.error();
    if (!response && options.mayExpire && response.error().httpStatus >= 400 &&
        response.error().httpStatus < 500 && response.error().httpStatus != 401 &&
        response.error().httpStatus != 429)
        return response.error();
    if (!response)
        return fail(step, plan.resource, {}, response.errorMessage());
    Page page = std::move(*request.page);
    page.date = response->header("Date");
    page.preferenceApplied = response->header("Preference-Applied");
    // Checked before the page is kept: a link off to another origin ends the download here.
    if (!page.info.nextLink.isEmpty()) {
        auto next = m_context->http().origins().followNextLink(request.url, page.info.nextLink);
        if (!next)
            return fail(step, plan.resource, {}, next.errorMessage());
        page.next = *next;
    }
    page.body = OriginPolicy::withoutAccessTokenInNextLinks(response->body);
    // The server's own gzip goes to disk when it holds exactly that body: a page file is then a
    // fifth to a tenth of the JSON to write and fsync (docs/PERFORMANCE.md). A body whose links
    // lost an access token is a new one, and is written as the text it now is.
    if (page.body.isSharedWith(response->body))
        page.gzip = std::move(response->gzip);
    return page;
}

Expected<void> ProcessJob::workWhileWaiting(const PageRequest& request, const PageWalk& walk) {
    // What the HTTP thread has received is queued for this thread: seen before each look.
    const auto answered = [&request]() {
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
        return !request.inFlight();
    };
    if (!request.inFlight() || answered())
        return {};
    const qint64 countedBefore = m_times.jobNs();
    QElapsedTimer working;
    working.start();
    auto r = walk.whileWaiting(answered);
    m_times.downloadNs += std::max<qint64>(0, working.nsecsElapsed() - (m_times.jobNs() - countedBefore));
    return r;
}

Expected<void> ProcessJob::keepPage(const Page& page, const ResourcePlan& plan, const QString& prefix,
                                    int seq, const QString& step) {
    QElapsedTimer keeping;
    keeping.start();
    BatchFiles files(downloadDir(plan.resource), prefix);
    auto written = files.write(files.fileName(m_batchId, seq), page.gzip.isEmpty() ? page.body : page.gzip);
    m_times.filesNs += keeping.nsecsElapsed();
    if (!written)
        return fail(step, plan.resource, {}, written.errorMessage());
    return {};
}

// Pipelined: once page N is inspected and what follows is decided, the request for page N+1 is
// started, and only then is page N written and its state row saved; N+1 is waited for after
// that. The checkpoints are those of a loop that fetches one page at a time: a page file is
// durable before its state row, and page N+1 is handled only after page N's row. A failure
// while keeping page N abandons the request in flight (its PageRequest is destroyed).
Expected<ProcessJob::WalkOutcome> ProcessJob::walkPages(const ResourcePlan& plan, PagedQuery& query,
                                                        ResourceProgress& progress, const PageWalk& walk) {
    WalkOutcome outcome;
    QUrl url = query.firstUrl();
    const QString what = query.what();
    PagingGuard paging(what, url);
    bool nextLink = false;
    int timeoutsAtFloor = 0;
    auto event = [&](const QString& kind, const QString& message) {
        recordEvent(plan.resource, kind, message);
    };
    auto optionsFor = [&](bool mayExpire) {
        FetchOptions options;
        options.mayExpire = mayExpire;
        options.pageSize = query.pageSize();
        options.adaptive = true;
        return options;
    };
    std::unique_ptr<PageRequest> prefetched; // the request for `url`, when started already
    bool waitedBefore = true;                // for the answer before this one: the first is always
    while (true) {
        std::unique_ptr<PageRequest> request = std::exchange(prefetched, nullptr);
        if (!request)
            request = startPage(url, plan, walk.timestampField, optionsFor(nextLink));
        if (walk.whileWaiting && waitedBefore)
            if (auto r = workWhileWaiting(*request, walk); !r)
                return r.error();
        waitedBefore = request->inFlight();
        auto page = finishPage(*request, plan, walk.step);
        request.reset();
        if (!page && page.error().timedOut) {
            const QString& reason = page.errorMessage();
            if (auto smaller = query.afterTimeout(url)) {
                // One arg() call: the URL in the reason may hold "%2C" and the like.
                const QString message = QStringLiteral("%1; asking again with pages of %2 records")
                                            .arg(reason, QString::number(query.pageSize()));
                m_log->warning(message, {{QStringLiteral("resource"), plan.resource}});
                event(QStringLiteral("page-timeout"), message);
                paging.allowPageSize(query.pageSize());
                nextLink = *smaller == url && nextLink;
                url = *smaller;
                continue;
            }
            if (++timeoutsAtFloor < kTimeoutsAtFloor) {
                m_log->warning(QStringLiteral("%1; asking again (pages of %2 records, the smallest)")
                                   .arg(reason, QString::number(query.pageSize())),
                               {{QStringLiteral("resource"), plan.resource}});
                continue;
            }
            return fail(walk.step, plan.resource, {},
                        QStringLiteral("%1 (%2 times in a row, with pages of %3 records); the server "
                                       "answers slower than timeoutSeconds=%4 of source %5 allows")
                            .arg(reason, QString::number(timeoutsAtFloor), QString::number(query.pageSize()),
                                 QString::number(m_context->http().timeoutSeconds()), m_source.name));
        }
        if (!page && page.error().httpStatus != 0 && nextLink && outcome.restarts < kMaxRestarts) {
            // A nextLink the server has forgotten (Trestle: 5 idle minutes). The pages on disk
            // stay; by keyset the query continues after the last record received, otherwise it
            // starts over and upserts absorb the overlap.
            ++outcome.restarts;
            const QString message =
                QStringLiteral("the server no longer knows the next page link (%1); asking again %2")
                    .arg(page.errorMessage(), query.keyset()
                                                  ? QStringLiteral("after the last record received")
                                                  : QStringLiteral("from the start"));
            m_log->warning(message, {{QStringLiteral("resource"), plan.resource}});
            event(QStringLiteral("nextlink-expired"), message);
            if (!query.keyset() && walk.onStartOver)
                if (auto r = walk.onStartOver(); !r)
                    return r.error();
            url = query.restart();
            if (!query.keyset())
                paging = PagingGuard(what, url);
            nextLink = false;
            continue;
        }
        if (!page && page.error().httpStatus != 0)
            return fail(walk.step, plan.resource, {}, page.errorMessage());
        if (!page)
            return page.error();
        timeoutsAtFloor = 0;
        if (outcome.pages == 0 && !m_preferenceLogged.contains(query.what())) {
            m_preferenceLogged.insert(query.what());
            // Whether the server honours Prefer tells the user where the page size comes from.
            m_log->info(page->preferenceApplied.isEmpty()
                            ? QStringLiteral("%1: the server did not confirm Prefer: odata.maxpagesize=%2 "
                                             "(Preference-Applied); its first page held %3 records")
                                  .arg(query.what())
                                  .arg(query.pageSize())
                                  .arg(page->info.recordCount)
                            : QStringLiteral("%1: the server applied %2 (asked: odata.maxpagesize=%3)")
                                  .arg(query.what(), QString::fromLatin1(page->preferenceApplied.left(100)))
                                  .arg(query.pageSize()),
                        {{QStringLiteral("resource"), plan.resource}});
        }
        // What follows is decided from the inspected page alone, so that the next request is on
        // its way while this page is written and saved.
        const PageInfo& info = page->info;
        const PagedQuery::Step step = query.afterPage(PageFacts{
            info.recordCount, info.odataCount, page->next, PageCursor{info.cursorTimestamp, info.cursorKey}});
        auto guarded = paging.next(info.recordCount, info.odataCount,
                                   step.kind == PagedQuery::Step::Kind::Fetch ? step.url : QUrl());
        // A CountCheck asks its count first (countMatching waits for its own answer).
        if (guarded && step.kind == PagedQuery::Step::Kind::Fetch)
            prefetched = startPage(step.url, plan, walk.timestampField, optionsFor(step.url == page->next));
        if (walk.onArrived)
            walk.onArrived(*page, progress.nextSeq);
        if (auto r = keepPage(*page, plan, walk.prefix, progress.nextSeq, walk.step); !r)
            return r.error();
        if (prefetched && prefetched->inFlight())
            ++outcome.overlapped;
        ++outcome.pages;
        progress.nextSeq += 1;
        if (auto r = walk.onPage(*page); !r)
            return r.error();
        if (!guarded)
            return fail(walk.step, plan.resource, {}, guarded.errorMessage());
        PagedQuery::Step decided = step;
        if (step.kind == PagedQuery::Step::Kind::CountCheck) {
            // Neither sorted nor counted, and the last page was full: only a count asked apart
            // tells a finished download from a cut one.
            auto count = m_context->countMatching(plan.resource, query.countFilter());
            if (!count)
                return fail(walk.step, plan.resource, {},
                            QStringLiteral("%1: %2; asking for the count failed: %3")
                                .arg(query.what(), step.reason, count.errorMessage()));
            decided = query.afterCount(*count);
        }
        switch (decided.kind) {
        case PagedQuery::Step::Kind::Done:
            outcome.requeries = query.requeries();
            if (outcome.requeries > 0)
                event(QStringLiteral("keyset-paging"),
                      QStringLiteral("%1: %2 keyset queries after the server's own paging stopped short or "
                                     "used $skip")
                          .arg(what)
                          .arg(outcome.requeries));
            m_log->log(LogLevel::Debug,
                       QStringLiteral("%1: %2 pages, %3 of them written while the next page's request was "
                                      "in flight")
                           .arg(what)
                           .arg(outcome.pages)
                           .arg(outcome.overlapped),
                       {{QStringLiteral("resource"), plan.resource},
                        {QStringLiteral("pages"), outcome.pages},
                        {QStringLiteral("overlapped"), outcome.overlapped}});
            return outcome;
        case PagedQuery::Step::Kind::Incomplete:
        case PagedQuery::Step::Kind::CountCheck:
            event(QStringLiteral("download-incomplete"), decided.reason);
            return fail(walk.step, plan.resource, {}, decided.reason);
        case PagedQuery::Step::Kind::Fetch:
            if (!step.reason.isEmpty() && query.requeries() <= kLoggedRequeries)
                m_log->info(QStringLiteral("%1: %2").arg(what, step.reason),
                            {{QStringLiteral("resource"), plan.resource}});
            nextLink = step.url == page->next;
            url = step.url;
            break;
        }
    }
}

Expected<void> ProcessJob::downloadKeys(const ResourcePlan& plan, const QString& prefix,
                                        const QStringList& timestampFields, ResourceProgress& progress,
                                        ResourcePhase next) {
    if (auto r = m_layout.ensureDownloadedDataDir(m_source.name, plan.resource); !r)
        return r;
    BatchFiles files(downloadDir(plan.resource), prefix);
    const bool ordered = m_context->allowsOrderBy();
    // Without server-side key order a partial list says nothing about what is left: start over.
    auto startOver = [&]() {
        for (const QString& name : files.list())
            QFile::remove(files.path(name));
        progress = ResourceProgress{plan.resource};
    };
    // The moment a key list begins is durable: a resumed purge spares what changed after it
    // and downloads a list that has grown too old again.
    auto beginList = [&]() -> Expected<void> {
        progress.keysStarted = odata::formatTimestamp(QDateTime::currentDateTimeUtc()).toUtf8();
        if (auto r = keyListStarting(plan, progress); !r)
            return r;
        return saveProgress(progress);
    };
    if (!ordered && progress.received > 0)
        startOver();
    if (progress.keysStarted.isEmpty())
        if (auto r = beginList(); !r)
            return r;

    PagedQuerySpec spec;
    spec.what = QStringLiteral("key download of %1").arg(plan.resource);
    spec.endpoint = m_context->replicationUrl(plan.resource);
    // The key list is what the destination should hold: visible records only (MLS Grid).
    spec.filter = [this, resource = plan.resource](const QString& condition) {
        return m_context->filter(resource, condition, true);
    };
    spec.select = QStringList{plan.keyField} + timestampFields;
    spec.keyField = plan.keyField;
    spec.numericKey = plan.numericKey;
    spec.orderBy = ordered;
    spec.topIsPageSize = m_context->profile().topIsPageSize;
    spec.count = m_context->profile().count;
    spec.pageSize = m_context->keyPageSize(!timestampFields.isEmpty());
    // Expanded children make a key page as heavy as a page with $expand.
    if (spec.expand = keyListExpand(plan); !spec.expand.isEmpty())
        spec.pageSize = std::min(spec.pageSize, m_context->pageSize(true));
    spec.minPageSize = kMinPageSize;
    // Resuming an ordered download: everything up to the last key on disk is already there.
    if (ordered && progress.received > 0 && !progress.maxDownloaded.isEmpty())
        spec.start = PageCursor{{}, progress.maxDownloaded};
    PagedQuery query(spec);

    qint64 receivedBefore = progress.received;
    bool firstPage = true;
    PageWalk walk;
    walk.step = QStringLiteral("download keys");
    walk.prefix = prefix;
    walk.onPage = [&](const Page& page) -> Expected<void> {
        const PageInfo& info = page.info;
        if (firstPage)
            progress.expectedCount = info.odataCount ? receivedBefore + *info.odataCount : -1;
        firstPage = false;
        progress.received += info.recordCount;
        if (!info.lastKey.isEmpty())
            progress.maxDownloaded = info.lastKey;
        progress.downloadStarted = true;
        if (auto r = saveProgress(progress); !r)
            return r;
        countPage(plan.resource, info.recordCount, progress.expectedCount);
        report(plan.resource, QStringLiteral("download keys"), progress.received, progress.expectedCount);
        return {};
    };
    walk.onStartOver = [&]() -> Expected<void> {
        startOver();
        receivedBefore = 0;
        firstPage = true;
        return beginList();
    };
    m_log->info(QStringLiteral("key download started"), {{QStringLiteral("resource"), plan.resource}});
    startPhase(progress.received);
    if (auto r = walkPages(plan, query, progress, walk); !r)
        return r.error();
    progress.phase = next;
    return saveProgress(progress);
}

} // namespace ors
