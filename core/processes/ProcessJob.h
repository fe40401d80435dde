#pragma once

#include "config/Config.h"
#include "config/DataDir.h"
#include "processes/BatchFiles.h"
#include "processes/JobTypes.h"
#include "reso/PageReader.h"
#include "store/RejectedStore.h"
#include "util/Expected.h"
#include "util/RateEstimator.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QRunnable>
#include <QSet>
#include <QThreadPool>
#include <QUrl>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>

namespace ors {

class SourceContext;
class StateStore;
class StatsStore;
class SourceLog;
class PagedQuery;
struct RowRejection;
struct ResourcePlan;
struct ResourceProgress;
enum class ResourcePhase;

// What sync, purge and reconcile share: one run of one process of one source on a
// QThreadPool thread, under the source's lock, recorded in the stats store and the source's
// log. Everything it creates (network manager, database connections) lives and dies in the
// job's thread; it reports through queued signals carrying plain values.
class ProcessJob : public QObject, public QRunnable {
    Q_OBJECT
public:
    ProcessJob(SourceConfig source, const QString& dataDir, ProcessType process);
    ~ProcessJob() override;

    void run() final;
    void cancel() { m_cancelled = true; }
    const JobResult& result() const { return m_result; }

Q_SIGNALS:
    void progress(const ors::JobProgress& progress);
    void finished(const ors::JobResult& result);

protected:
    // The process itself, run under the lock.
    virtual Expected<void> execute() = 0;

    // Opens the stores, resumes or starts the batch, records the run, and prepares the source:
    // secrets, $metadata and resource plans, destinations (with their schema when asked).
    Expected<void> prepare(bool ensureSchemas);
    Expected<void> finishBatch();
    // After a resumed batch: continues in the source's open batch, or starts a new one when the
    // resumed batch was closed, so what follows is checkpointed like any other work.
    Expected<void> continueInNextBatch();
    // Whether this run took up a batch an earlier run left unfinished, and when that batch began.
    bool resumedBatch() const { return m_resumed; }
    QString resumedBatchStart() const;
    // Records a failure in the stats store and the log; returns it as an error.
    Error fail(const QString& step, const QString& resource, const QString& destination,
               const QString& message);
    // A refusal (exit code 3): the job stops without changing anything.
    Error refuse(const QString& message);
    void report(const QString& resource, const QString& phase, qint64 done, qint64 total,
                const QString& message = {});
    void startPhase(qint64 doneSoFar);
    // One page of a download: fetched (retried until it is whole JSON), written to disk as page
    // `seq` before anything else happens, and the URL of the next page (empty at the end).
    struct Page {
        PageInfo info;
        QUrl next;
        QByteArray date;              // the response's Date header as sent; empty when none
        QDateTime sentAt;             // local clock just before the request was first sent
        QByteArray preferenceApplied; // the Preference-Applied header; empty when none
        QByteArray body;              // nextLinks without access tokens
        QByteArray gzip;              // what goes to disk instead: `body` as the server compressed it
        qint64 inspectNs = 0;         // PageReader::inspect's time, while the page was waited for
    };
    struct FetchOptions {
        // A nextLink: a refusal by HTTP status is returned without recording a failure, with
        // Error::httpStatus set, so the caller can start the query again.
        bool mayExpire = false;
        int pageSize = 0; // > 0: asked for with Prefer: odata.maxpagesize
        // A timeout is returned (Error::timedOut) without recording a failure, for the caller
        // to ask for a smaller page.
        bool adaptive = false;
    };
    // A page's request in flight (ProcessJobPaging.cpp): started, then finished when the page is
    // needed, so the next page can be on its way while this one is written.
    struct PageRequest;
    std::unique_ptr<PageRequest> startPage(const QUrl& url, const ResourcePlan& plan,
                                           const QString& timestampField, const FetchOptions& options);
    // Waits for the page and checks where its nextLink leads; the page is not on disk yet.
    Expected<Page> finishPage(PageRequest& request, const ResourcePlan& plan, const QString& step);
    // Writes the page to disk as page `seq` (durable before anything else happens).
    Expected<void> keepPage(const Page& page, const ResourcePlan& plan, const QString& prefix, int seq,
                            const QString& step);
    // How a download walks the pages of one query (ProcessJobPaging.cpp).
    struct PageWalk {
        QString step;           // "download", "download keys", "fetch missing": names failures
        QString prefix;         // of the page files
        QString timestampField; // read from each page (high-water mark, cursor)
        // A page as it arrives, before its file is written (`seq`: the file's number): work that
        // needs only the page in memory, which then overlaps the file's write and fsync. May be
        // empty.
        std::function<void(const Page&, int seq)> onArrived;
        // After each page is on disk, progress.nextSeq already past it: the caller's bookkeeping.
        std::function<Expected<void>(const Page&)> onPage;
        // Work held for later that the job thread can do now, since it would wait for an answer
        // otherwise: called before a wait, when this answer is not here yet and the one before it
        // had to be waited for too (the network, not the job, is what the walk waits on).
        // `answered` serves the thread's events and says whether the answer is here. May be
        // empty; a failure ends the walk.
        std::function<Expected<void>(const std::function<bool()>& answered)> whileWaiting;
        // The server forgot its nextLink and the query cannot continue by keyset: what the
        // caller discards before it starts over (may be empty).
        std::function<Expected<void>()> onStartOver;
    };
    struct WalkOutcome {
        int restarts = 0;  // expired nextLinks
        int requeries = 0; // keyset queries after a cut, a $skip nextLink or a timeout
        qint64 pages = 0;
        qint64 overlapped = 0; // pages written while the next page's request was in flight
    };
    // Every page of `query` until it is provably complete (PagedQuery's rules); an incomplete
    // download, an endless one, or one that keeps timing out fails the step.
    Expected<WalkOutcome> walkPages(const ResourcePlan& plan, PagedQuery& query, ResourceProgress& progress,
                                    const PageWalk& walk);
    // Runs `walk.whileWaiting` if `request` is not answered yet; the time it waited, beyond the
    // phases its work counted, is the download's.
    Expected<void> workWhileWaiting(const PageRequest& request, const PageWalk& walk);
    // Runs `each` for every planned resource, or only `only`; then closes the batch once every
    // resource of it is done.
    Expected<void> forEachResource(const QString& only,
                                   const std::function<Expected<void>(const ResourcePlan&)>& each);
    // The same for the named resources only (in planned order).
    Expected<void> forResources(const QStringList& names,
                                const std::function<Expected<void>(const ResourcePlan&)>& each);
    // Applies the resource's downloaded pages with this prefix, in order, to every destination
    // that has not taken them yet; deletes each file once all have. Raises progress.maxDownloaded.
    Expected<void> applyFiles(const ResourcePlan& plan, const QString& prefix, ResourceProgress& progress);
    // The apply of one resource's page files, one file at a time in download order: what
    // applyFiles does for each file, for a caller that applies each page as soon as it is kept
    // (ProcessJobApply.cpp). Holds the resource's rejected records for the run.
    struct FileApply {
        FileApply(const QString& dir, const QString& prefix, const QString& rejectedFile);
        BatchFiles files;
        RejectedStore rejected;
        bool quarantine = false;
        // Reported as the "apply" phase (false: the pages are applied during the download, whose
        // progress is what the user sees).
        bool reportProgress = true;
        qint64 applied = 0; // records applied so far
    };
    Expected<std::unique_ptr<FileApply>> beginApply(const ResourcePlan& plan, const QString& prefix);
    // A page file read and parsed (PageReader::read) on a worker thread while the job thread
    // does other work: applies the page before it, waits for or keeps the page after it.
    struct PreparedPage {
        Expected<QByteArray> body = QByteArray(); // whether it could be read; emptied once parsed
        std::optional<Expected<PageRows>> rows;   // empty when the body could not be read
        qint64 readNs = 0;                        // on the worker: the file read back
        qint64 parseNs = 0;                       // on the worker: PageReader::read
    };
    // A page being prepared on the worker; waits for the worker when destroyed or replaced, so
    // what the worker reads (the plan) outlives it whatever path the caller leaves by.
    class PreparedFuture {
    public:
        PreparedFuture() = default;
        explicit PreparedFuture(std::future<PreparedPage> future)
            : m_future(std::move(future)) {}
        PreparedFuture(PreparedFuture&&) = default;
        PreparedFuture& operator=(PreparedFuture&& other) noexcept {
            wait();
            m_future = std::move(other.m_future);
            return *this;
        }
        PreparedFuture(const PreparedFuture&) = delete;
        PreparedFuture& operator=(const PreparedFuture&) = delete;
        ~PreparedFuture() { wait(); }
        bool valid() const { return m_future.valid(); }
        // Whether the page is prepared, waiting at most `ms` for it.
        bool readyWithin(int ms) const {
            return m_future.valid() &&
                   m_future.wait_for(std::chrono::milliseconds(ms)) == std::future_status::ready;
        }
        PreparedPage get() { return m_future.get(); }

    private:
        void wait() {
            if (m_future.valid())
                m_future.wait();
        }
        std::future<PreparedPage> m_future;
    };
    // Starts preparing page file `name` on the job's worker thread (one long-lived thread, not
    // the job queue's pool): from `body` when the caller has it in memory, else read from disk.
    // The worker touches only copies and `plan`, which it only reads, and logs nothing.
    PreparedFuture prepareFile(const FileApply& apply, const ResourcePlan& plan, const QString& name,
                               std::optional<QByteArray> body);
    // Applies one page file to every destination still waiting for it and deletes it once all
    // have; `prepared`: the file read and parsed already (prepareFile), else done here.
    Expected<void> applyFile(FileApply& apply, const ResourcePlan& plan, const QString& name,
                             ResourceProgress& progress, PreparedFuture* prepared = nullptr);
    // Downloads every key (and the given timestamp fields) of a resource, with its filter, into
    // pages with this prefix; resumes after the last key on disk where the server orders keys.
    // Once every page is on disk the resource moves to `next`.
    Expected<void> downloadKeys(const ResourcePlan& plan, const QString& prefix,
                                const QStringList& timestampFields, ResourceProgress& progress,
                                ResourcePhase next);

    // Called when a new key list begins (progress.keysStarted just set, nothing downloaded yet),
    // before its first page is asked for; progress is saved after it.
    virtual Expected<void> keyListStarting(const ResourcePlan& plan, ResourceProgress& progress);

    // What downloadKeys asks the server to expand beside each key (an $expand value), e.g.
    // reconcile's Media($select=MediaKey,ModificationTimestamp); empty (the default): nothing.
    virtual QString keyListExpand(const ResourcePlan& plan) const;

    // The instant up to which the destination is known to hold every change of the resource (its
    // high-water mark, when the table holds rows: a table emptied by hand needs everything again);
    // empty when unknown. Pages all of whose records are at or before it are not written again.
    virtual QByteArray heldThrough(const QString& resource, const QString& destination) const;
    // Fails when the destination's step for this resource failed kBlockAfter times in a row: it
    // waits for `unblock` (the message says how) instead of failing the same way on every run.
    Expected<void> blockedCheck(const QString& resource, const QString& destination);
    // Whether destinations progress independently (sync, purge, reconcile): one that fails, is
    // blocked, cannot be opened or refuses a resource's schema falls behind for that resource and
    // the others go on; it catches up on a later run (sync: from the page files kept for it and its
    // own mark; purge and reconcile: by its own comparison again). Otherwise the first failing
    // destination stops the resource.
    virtual bool destinationsIndependent() const { return false; }
    // The configured destinations' names, in configured order (opened or not).
    QStringList destinationNames() const;
    // Destinations this run left behind for a resource, with why; a destination once behind is
    // not tried again for that resource in this run (its files must be applied in order).
    bool isBehind(const QString& resource, const QString& destination) const;
    QMap<QString, QString> behind(const QString& resource) const;
    void fallBehind(const QString& resource, const QString& destination, const QString& reason);
    bool everyDestinationBehind(const QString& resource) const;
    // The reasons every destination is behind for a resource, as one error (the job fails as if
    // there were one destination).
    Error allBehindError(const QString& resource) const;
    // Resources with a destination behind, in the order they fell behind.
    const QStringList& resourcesBehind() const { return m_behindOrder; }
    // A destination's step failed for a resource: the failure is recorded for it (state.sqlite as
    // `stateStep`, where it counts toward blocking and `status` shows it; the stats store and the
    // log as `step`) and it falls behind for the resource. Returns the recorded error.
    Error destinationFailed(const QString& resource, const QString& destination, const QString& step,
                            const QString& stateStep, const QString& message);
    // The run's outcome once the destinations left behind are counted: they fail it (exit code 1,
    // so scripts notice) although every other destination did its work; the message names each
    // destination behind, the resource and why (behindSummary).
    Expected<void> withBehind(Expected<void> outcome);
    // What the summary says after a destination's reason for a resource: how far it lags (sync:
    // its mark against the newest); empty (the default) when there is no measure.
    virtual QString lagOf(const QString& resource, const QString& destination);
    // As a resource's work begins: destinations that could not be opened fall behind for it, their
    // step "open destination" counted as failing (which blocks it after kBlockAfter, like any step).
    // `done`: destinations that finished the resource in this batch already (nothing to fall behind on).
    void noteUnavailable(const QString& resource, const QStringList& done = {});
    // Which destinations fell behind, why and how far, for the run's result; empty when none did
    // (a resource every destination failed is a failed resource, reported as such).
    QString behindSummary();
    // The resource's page files with this prefix a destination has not taken yet.
    Expected<qsizetype> filesWaitingFor(const QString& resource, const QString& prefix,
                                        const QString& destination);

    // Keys of the page's records the platform marks as deleted (MLS Grid: MlgCanView=false).
    QList<QByteArray> hiddenKeys(const ResourcePlan& plan, const PageRows& rows) const;

    const QString& processText() const { return m_processText; }
    const SourceConfig& source() const { return m_source; }
    const DataLayout& layout() const { return m_layout; }
    bool cancelled() const { return m_cancelled; }

    // The run's parts, for the processes: each exists once prepare() has succeeded.
    SourceContext& context() const { return *m_context; }
    StateStore& state() const { return *m_state; }
    SourceLog& log() const { return *m_log; }
    // The result this run reports when it ends; the processes add their counts to it.
    JobResult& runResult() { return m_result; }
    const QString& batchId() const { return m_batchId; }

    // This process's progress on one resource of the source, as saved last (none: not begun).
    Expected<std::optional<ResourceProgress>> savedProgress(const QString& resource);
    Expected<void> saveProgress(const ResourceProgress& progress);
    // Where the resource's pages are downloaded to.
    QString downloadDir(const QString& resource) const;
    // Records an event of this run in the stats store. The statistics are a report, not a
    // checkpoint: a failure to record does not stop the job.
    void recordEvent(const QString& resource, const QString& kind, const QString& message);
    // Counts one downloaded page of a resource (expected: the server's count, -1 when unknown).
    void countPage(const QString& resource, qint64 records, qint64 expected);
    // Counts records applied to (or deleted from) one destination.
    void countApplied(const QString& resource, const QString& destination, qint64 records);

private:
    SourceConfig m_source;
    DataLayout m_layout;
    JobResult m_result;
    QString m_batchId;
    qint64 m_runId = 0;
    bool m_resumed = false;
    std::atomic<bool> m_cancelled{false};
    std::unique_ptr<SourceContext> m_context;
    std::unique_ptr<StateStore> m_state;
    std::unique_ptr<StatsStore> m_stats;
    std::unique_ptr<SourceLog> m_log;

    // The apply step's parts (ProcessJobApply.cpp).
    // Whether a destination already holds every record of the page: heldThrough is at or after
    // each record's timestamp (all valid instants), so the page can be marked applied unwritten.
    Expected<bool> holdsPage(const ResourcePlan& plan, const PageRows& rows, const QString& destination);

    Error failFile(const ResourcePlan& plan, const QString& name, const QStringList& done,
                   const QString& message);
    Expected<void> setAside(const ResourcePlan& plan, const BatchFiles& files, const QString& fileName,
                            const PageRows& rows, const QList<RowRejection>& refused,
                            const QString& destination, RejectedStore& store, QSet<QByteArray>& counted);
    // The run's rejected records, as a warning of the result and an event per resource.
    void reportRejected();
    // A write to the stats store that failed: a warning of the result and the log, once a run.
    void noteStats(const Expected<void>& written);

    QString m_processText;
    QMap<QString, qint64> m_rejected; // records set aside in this run, per resource
    bool m_refused = false;
    bool m_statsWarned = false;
    QHash<QString, QString> m_schemaFailures;        // resource → message, from prepare()
    QMap<QString, QString> m_unavailable;            // destination → why it could not be opened
    QHash<QString, QMap<QString, QString>> m_behind; // resource → destination → why
    QStringList m_behindOrder;
    QSet<QString> m_preferenceLogged; // downloads whose Preference-Applied was logged
    QElapsedTimer m_clock;            // monotonic time of the progress samples
    RateEstimator m_rate;             // records/s and ETA of the current phase
    // Where the run's time went, summed over its pages and logged with "<process> done" (see
    // docs/PERFORMANCE.md): two clock reads around each step, nothing a page would notice.
    struct PhaseTimes {
        qint64 downloadNs = 0; // waiting for a page the job needs (what the apply did not hide)
        // PageReader on the job thread: a page inspected on arrival, and the waits for a page's
        // rows read on the worker (what the worker did not hide)
        qint64 parseNs = 0;
        qint64 workerNs = 0; // pages read back and parsed on the worker thread, overlapped
        qint64 writeNs = 0;  // the destinations taking a page (apply, deletions of hidden keys)
        qint64 filesNs = 0;  // page files written to disk, read back and deleted
        // The job thread's own phases (the worker's overlaps them).
        qint64 jobNs() const { return downloadNs + parseNs + writeNs + filesNs; }
    };
    PhaseTimes m_times;
    // One thread that reads and parses pages beside the job thread (prepareFile): long-lived, so
    // its allocations stay in one malloc arena instead of one per page.
    std::unique_ptr<QThreadPool> m_worker;
    QElapsedTimer m_running; // since run() began
    QJsonObject phaseTimes() const;
};

QString newBatchId(); // 2024-05-01-T-10-00-00-000Z, sortable as text

} // namespace ors
