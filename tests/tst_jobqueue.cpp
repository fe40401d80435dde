// The job queue against the fake RESO server on loopback, whose pages answer late so jobs take
// measurable time: one job per source, the global limit, no stacking, fair order, cancel of a
// running and of a queued job, and a cancelled sync that the next run resumes. Real jobs, real
// SQLite files; assertions on what the signals and the stats store's run rows say, never on time.
#include "QueueFixture.h"
#include "runner/JobQueue.h"
#include "runner/Scheduler.h"
#include "TestSupport.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace ors;
using namespace ors::test;

namespace {

constexpr int kWaitMs = 120000;

JobRequest request(const QString& source, ProcessType process, JobOrigin origin = JobOrigin::Manual) {
    return JobRequest{source, process, {}, origin};
}

JobResult resultAt(const QSignalSpy& finished, int i) {
    return finished.at(i).at(1).value<JobResult>();
}
JobEntry entryAt(const QSignalSpy& spy, int i) {
    return spy.at(i).at(0).value<JobEntry>();
}

QDateTime utc(const char* text) {
    return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate);
}

} // namespace

class TestJobQueue : public QObject {
    Q_OBJECT

private:
    // 100 light listings, 20 a page, each page 100 ms late.
    static std::unique_ptr<QueueFixture> fixture(int pageLatencyMs = 100, int listings = 100) {
        auto f = std::make_unique<QueueFixture>();
        fake::ServerOptions options;
        options.listingCount = listings;
        options.pageLatencyMs = pageLatencyMs;
        if (!f->startServer(options))
            return nullptr;
        return f;
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("OPENRESYNC_RETRY_BASE_MS", "20");
        qputenv("OPENRESYNC_RETRY_ATTEMPTS", "2");
    }

    // A sync and a reconcile scheduled at the same minute: both are queued at the fire, the
    // reconcile starts only once the sync has finished (signals and run rows agree).
    void twoSchedulesOfOneSourceRunInTurn() {
        auto f = fixture();
        QVERIFY(f);
        QJsonObject source = f->source(QStringLiteral("a"), 20);
        source.insert(QStringLiteral("schedules"),
                      QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("0 3 * * *")}},
                                  {QStringLiteral("reconcile"), QJsonArray{QStringLiteral("0 3 * * *")}}});
        const auto config = f->load({source});
        QVERIFY(config);
        JobQueue queue;
        queue.setConfig(*config, f->dataDir);
        Scheduler scheduler(&queue);
        scheduler.setConfig(*config, utc("2030-01-01T02:00:00Z"));

        QStringList events;
        connect(&queue, &JobQueue::started, this, [&](const JobEntry& e) {
            events.append(QStringLiteral("start ") + processName(e.request.process));
        });
        connect(&queue, &JobQueue::finished, this, [&](const JobEntry& e, const JobResult&) {
            events.append(QStringLiteral("finish ") + processName(e.request.process));
        });
        QSignalSpy fired(&scheduler, &Scheduler::fired);
        QSignalSpy finished(&queue, &JobQueue::finished);

        scheduler.fireDue(utc("2030-01-01T03:00:00Z"));
        QCOMPARE(fired.size(), 2);
        QCOMPARE(fired.at(0).at(1).value<JobQueue::Enqueued>(), JobQueue::Enqueued::Started);
        QCOMPARE(fired.at(1).at(1).value<JobQueue::Enqueued>(), JobQueue::Enqueued::Waiting);
        const QList<JobEntry> snapshot = queue.snapshot();
        QCOMPARE(snapshot.size(), 2);
        QCOMPARE(snapshot.at(0).state, JobEntry::State::Running);
        QCOMPARE(snapshot.at(0).request.process, ProcessType::Sync);
        QCOMPARE(snapshot.at(0).request.origin, JobOrigin::Schedule);
        QCOMPARE(snapshot.at(1).state, JobEntry::State::Queued);
        QCOMPARE(snapshot.at(1).request.process, ProcessType::Reconcile);

        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
        QVERIFY2(resultAt(finished, 0).ok(), qPrintable(resultAt(finished, 0).error));
        QVERIFY2(resultAt(finished, 1).ok(), qPrintable(resultAt(finished, 1).error));
        QCOMPARE(events,
                 (QStringList{QStringLiteral("start sync"), QStringLiteral("finish sync"),
                              QStringLiteral("start reconcile"), QStringLiteral("finish reconcile")}));
        QVERIFY(queue.snapshot().isEmpty());

        const QList<RunRow> runs = f->runs(QStringLiteral("a"));
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs.at(0).process, QStringLiteral("sync"));
        QCOMPARE(runs.at(1).process, QStringLiteral("reconcile"));
        QVERIFY2(runs.at(1).started >= runs.at(0).finished,
                 qPrintable(runs.at(0).finished + QStringLiteral(" / ") + runs.at(1).started));
        QCOMPARE(maxOverlap(runs), 1);
    }

    // A request for a (source, process) that already waits is not queued again; one for a
    // running (source, process) waits once behind it.
    void duplicateWhileQueuedIsNotStacked() {
        auto f = fixture();
        QVERIFY(f);
        const auto config = f->load({f->source(QStringLiteral("a"), 20)});
        QVERIFY(config);
        JobQueue queue;
        queue.setConfig(*config, f->dataDir);
        QSignalSpy queued(&queue, &JobQueue::queued);
        QSignalSpy started(&queue, &JobQueue::started);
        QSignalSpy finished(&queue, &JobQueue::finished);
        QSignalSpy dropped(&queue, &JobQueue::dropped);

        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Sync)), JobQueue::Enqueued::Started);
        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Sync, JobOrigin::Schedule)),
                 JobQueue::Enqueued::Waiting);
        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Sync, JobOrigin::Schedule)),
                 JobQueue::Enqueued::AlreadyQueued);
        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Sync)),
                 JobQueue::Enqueued::AlreadyQueued);
        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Purge)),
                 JobQueue::Enqueued::Waiting);
        QCOMPARE(queued.size(), 3);
        QCOMPARE(started.size(), 1);
        QVERIFY(queue.isQueued(QStringLiteral("a"), ProcessType::Sync));

        const QList<JobEntry> snapshot = queue.snapshot();
        QCOMPARE(snapshot.size(), 3);
        QCOMPARE(snapshot.at(0).state, JobEntry::State::Running);
        QCOMPARE(snapshot.at(0).request.origin, JobOrigin::Manual);
        QVERIFY(snapshot.at(0).startedAt.isValid());
        QCOMPARE(snapshot.at(1).state, JobEntry::State::Queued);
        QCOMPARE(snapshot.at(1).request.process, ProcessType::Sync);
        QCOMPARE(snapshot.at(1).request.origin, JobOrigin::Schedule);
        QVERIFY(!snapshot.at(1).startedAt.isValid());
        QCOMPARE(snapshot.at(2).request.process, ProcessType::Purge);
        QVERIFY(snapshot.at(0).id < snapshot.at(1).id && snapshot.at(1).id < snapshot.at(2).id);

        // The queued purge goes; the queued sync stays.
        QCOMPARE(queue.cancelQueued(QStringLiteral("a"), ProcessType::Purge), 1);
        QCOMPARE(dropped.size(), 1);
        QCOMPARE(entryAt(dropped, 0).request.process, ProcessType::Purge);
        QCOMPARE(entryAt(dropped, 0).state, JobEntry::State::Dropped);

        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
        QCOMPARE(started.size(), 2);
        QVERIFY(resultAt(finished, 0).ok());
        QVERIFY(resultAt(finished, 1).ok());
        QCOMPARE(entryAt(started, 1).request.origin, JobOrigin::Schedule);
        QVERIFY(queue.snapshot().isEmpty());
        const QList<RunRow> runs = f->runs(QStringLiteral("a"));
        QCOMPARE(runs.size(), 2);
        QCOMPARE(maxOverlap(runs), 1);
    }

    // Ten sources with a limit of 3: three start at once, never more run together, the rest
    // start in the order they were queued as slots free up.
    void globalLimitAcrossTenSources() {
        auto f = fixture();
        QVERIFY(f);
        QList<QJsonObject> sources;
        QStringList names;
        for (int i = 0; i < 10; ++i) {
            names.append(QStringLiteral("s%1").arg(i));
            sources.append(f->source(names.last(), 20));
        }
        const auto config = f->load(sources, QJsonObject{{QStringLiteral("maxConcurrentJobs"), 3}});
        QVERIFY(config);
        JobQueue queue;
        queue.setConfig(*config, f->dataDir);
        QCOMPARE(queue.maxConcurrentJobs(), 3);

        int running = 0, most = 0;
        QStringList startOrder;
        connect(&queue, &JobQueue::started, this, [&](const JobEntry& e) {
            most = std::max(most, ++running);
            startOrder.append(e.request.source);
            QVERIFY(queue.runningCount() <= 3);
        });
        connect(&queue, &JobQueue::finished, this, [&](const JobEntry&, const JobResult&) { --running; });
        QSignalSpy finished(&queue, &JobQueue::finished);

        for (int i = 0; i < 10; ++i)
            QCOMPARE(queue.enqueue(request(names.at(i), ProcessType::Sync)),
                     i < 3 ? JobQueue::Enqueued::Started : JobQueue::Enqueued::Waiting);
        QCOMPARE(queue.runningCount(), 3);
        QCOMPARE(queue.snapshot().size(), 10);

        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 10, kWaitMs * 2);
        for (int i = 0; i < 10; ++i)
            QVERIFY2(resultAt(finished, i).ok(), qPrintable(resultAt(finished, i).error));
        QCOMPARE(most, 3);
        QCOMPARE(startOrder, names);

        const QList<RunRow> runs = f->runs();
        QCOMPARE(runs.size(), 10);
        const int overlap = maxOverlap(runs);
        QVERIFY2(overlap <= 3, qPrintable(QString::number(overlap)));
        for (const QString& name : names)
            QCOMPARE(listingDifferencesOf(*f, name), QStringList());
    }

    // Cancel of a running sync ends it at its next checkpoint; the next run resumes the batch
    // and ends exact.
    void cancelRunningThenResume() {
        auto f = fixture(200, 150);
        QVERIFY(f);
        const auto config = f->load({f->source(QStringLiteral("a"), 5)});
        QVERIFY(config);
        JobQueue queue;
        queue.setConfig(*config, f->dataDir);
        QSignalSpy finished(&queue, &JobQueue::finished);
        bool downloading = false;
        connect(&queue, &JobQueue::progress, this, [&](const JobEntry&, const JobProgress& p) {
            downloading = downloading || (p.phase == QLatin1String("download") && p.done > 0);
        });

        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Sync)), JobQueue::Enqueued::Started);
        QTRY_VERIFY_WITH_TIMEOUT(downloading, kWaitMs);
        QVERIFY(queue.snapshot().at(0).progress.has_value());
        QVERIFY(queue.cancel(QStringLiteral("a")));
        QVERIFY(queue.snapshot().at(0).cancelRequested);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        const JobResult stopped = resultAt(finished, 0);
        QVERIFY(!stopped.ok());
        QVERIFY2(stopped.error.contains(QStringLiteral("cancelled")), qPrintable(stopped.error));
        QVERIFY(entryAt(finished, 0).cancelRequested);
        QVERIFY(!queue.isRunning(QStringLiteral("a")));
        QVERIFY(!queue.cancel(QStringLiteral("a"))); // nothing left to cancel

        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Sync)), JobQueue::Enqueued::Started);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
        const JobResult resumed = resultAt(finished, 1);
        QVERIFY2(resumed.ok(), qPrintable(resumed.error));
        QVERIFY2(!resumed.resumedFrom.isEmpty(), "the second run did not resume the cancelled batch");
        QVERIFY(!entryAt(finished, 1).cancelRequested);
        QCOMPARE(listingDifferencesOf(*f, QStringLiteral("a")), QStringList());
    }

    // Cancel of a source drops its queued requests too; cancelQueued leaves the running job.
    void cancelQueuedJobs() {
        auto f = fixture();
        QVERIFY(f);
        const auto config = f->load({f->source(QStringLiteral("a"), 20), f->source(QStringLiteral("b"), 20)},
                                    QJsonObject{{QStringLiteral("maxConcurrentJobs"), 1}});
        QVERIFY(config);
        JobQueue queue;
        queue.setConfig(*config, f->dataDir);
        QSignalSpy started(&queue, &JobQueue::started);
        QSignalSpy finished(&queue, &JobQueue::finished);
        QSignalSpy dropped(&queue, &JobQueue::dropped);

        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Sync)), JobQueue::Enqueued::Started);
        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Reconcile)),
                 JobQueue::Enqueued::Waiting);
        // b waits for the one slot.
        QCOMPARE(queue.enqueue(request(QStringLiteral("b"), ProcessType::Sync)), JobQueue::Enqueued::Waiting);
        QCOMPARE(queue.cancelQueued(QStringLiteral("b")), 1);
        QCOMPARE(queue.cancelQueued(QStringLiteral("b")), 0);
        QVERIFY(queue.isRunning(QStringLiteral("a")));

        QVERIFY(queue.cancel(QStringLiteral("a")));
        QCOMPARE(dropped.size(), 2);
        QCOMPARE(entryAt(dropped, 1).request.process, ProcessType::Reconcile);
        QVERIFY(!queue.isQueued(QStringLiteral("a")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY(entryAt(finished, 0).cancelRequested);
        // Nothing queued is left to start.
        QCOMPARE(started.size(), 1);
        QVERIFY(queue.snapshot().isEmpty());
        QCOMPARE(f->runs().size(), 1);
    }

    void refusals() {
        auto f = fixture();
        QVERIFY(f);
        JobQueue queue;
        // No configuration yet: nothing is known.
        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Sync)),
                 JobQueue::Enqueued::UnknownSource);
        const auto config = f->load({f->source(QStringLiteral("a"), 20)});
        QVERIFY(config);
        queue.setConfig(*config, f->dataDir);
        QCOMPARE(queue.enqueue(request(QStringLiteral("zz"), ProcessType::Sync)),
                 JobQueue::Enqueued::UnknownSource);
        QSignalSpy finished(&queue, &JobQueue::finished);
        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Sync)), JobQueue::Enqueued::Started);
        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Purge)),
                 JobQueue::Enqueued::Waiting);
        // Shutdown drops the queued purge, stops the sync and waits for it.
        QVERIFY(queue.shutdown(kWaitMs));
        QVERIFY(!queue.isQueued(QStringLiteral("a")));
        QCOMPARE(queue.enqueue(request(QStringLiteral("a"), ProcessType::Sync)),
                 JobQueue::Enqueued::ShuttingDown);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY(entryAt(finished, 0).cancelRequested);
        const QList<RunRow> runs = f->runs(QStringLiteral("a"));
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.at(0).process, QStringLiteral("sync"));
        QVERIFY(!runs.at(0).finished.isEmpty());
    }

private:
    static QStringList listingDifferencesOf(const QueueFixture& f, const QString& source) {
        return compareWithServer(*f.server, QStringLiteral("Property"), f.sqlite(source),
                                 QStringLiteral("Property"), QStringLiteral("ListingKey"));
    }
};

QTEST_GUILESS_MAIN(TestJobQueue)
#include "tst_jobqueue.moc"
