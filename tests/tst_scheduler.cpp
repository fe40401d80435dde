// The scheduler's wiring: fire times from the configuration's expressions and zones, fires into
// the job queue (never stacked), pause and resume, reloads, catch-up from the stats store's run
// rows, and the real timer. fireDue() is called with chosen times, so nothing depends on the
// clock; the jobs it queues run for real against the fake RESO server.
#include "config/DataDir.h"
#include "QueueFixture.h"
#include "runner/JobQueue.h"
#include "runner/Scheduler.h"
#include "stats/StatsStore.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

constexpr int kWaitMs = 120000;

QDateTime utc(const char* text) {
    return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate);
}

QJsonObject schedules(const QStringList& sync, const QJsonObject& more = {}) {
    QJsonObject object = more;
    object.insert(QStringLiteral("sync"), QJsonArray::fromStringList(sync));
    return object;
}

JobRequest firedRequest(const QSignalSpy& spy, int i) {
    return spy.at(i).at(0).value<JobRequest>();
}
JobQueue::Enqueued firedOutcome(const QSignalSpy& spy, int i) {
    return spy.at(i).at(1).value<JobQueue::Enqueued>();
}

} // namespace

class TestScheduler : public QObject {
    Q_OBJECT

private:
    // One source "a" with these schedules, on a server whose pages answer late.
    struct Setup {
        std::unique_ptr<QueueFixture> f;
        std::optional<Config> config;
        JobQueue queue;
        Scheduler scheduler{&queue};
    };

    static bool setUp(Setup& s, const QJsonObject& sched, const QJsonObject& top = {}, int latencyMs = 50) {
        s.f = std::make_unique<QueueFixture>();
        fake::ServerOptions options;
        options.listingCount = 60;
        options.pageLatencyMs = latencyMs;
        if (!s.f->startServer(options))
            return false;
        QJsonObject source = s.f->source(QStringLiteral("a"), 10);
        source.insert(QStringLiteral("schedules"), sched);
        s.config = s.f->load({source}, top);
        if (!s.config)
            return false;
        s.queue.setConfig(*s.config, s.f->dataDir);
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        qputenv("OPENRESYNC_RETRY_BASE_MS", "20");
        qputenv("OPENRESYNC_RETRY_ATTEMPTS", "2");
    }

    // Fires at the expression's times, and only then; fires missed while nothing looked (a
    // suspended machine) collapse into one.
    void firesAtTheScheduledTimes() {
        Setup s;
        QVERIFY(setUp(s, schedules({QStringLiteral("0 * * * *")})));
        QSignalSpy fired(&s.scheduler, &Scheduler::fired);
        QSignalSpy finished(&s.queue, &JobQueue::finished);
        s.scheduler.setConfig(*s.config, utc("2030-01-01T10:30:00Z"));
        QCOMPARE(s.scheduler.nextFire(QStringLiteral("a"), ProcessType::Sync), utc("2030-01-01T11:00:00Z"));
        QCOMPARE(s.scheduler.nextFire(QStringLiteral("a"), ProcessType::Purge), std::nullopt);
        QCOMPARE(s.scheduler.nextFire(), utc("2030-01-01T11:00:00Z"));

        s.scheduler.fireDue(utc("2030-01-01T10:59:59Z"));
        QCOMPARE(fired.size(), 0);
        s.scheduler.fireDue(utc("2030-01-01T11:00:00Z"));
        QCOMPARE(fired.size(), 1);
        QCOMPARE(firedRequest(fired, 0).source, QStringLiteral("a"));
        QCOMPARE(firedRequest(fired, 0).process, ProcessType::Sync);
        QCOMPARE(firedRequest(fired, 0).origin, JobOrigin::Schedule);
        QCOMPARE(firedOutcome(fired, 0), JobQueue::Enqueued::Started);
        QCOMPARE(s.queue.snapshot().size(), 1);
        QCOMPARE(s.queue.snapshot().at(0).request.origin, JobOrigin::Schedule);
        QCOMPARE(s.scheduler.nextFire(QStringLiteral("a"), ProcessType::Sync), utc("2030-01-01T12:00:00Z"));
        s.scheduler.fireDue(utc("2030-01-01T11:00:30Z"));
        QCOMPARE(fired.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY(finished.at(0).at(1).value<JobResult>().ok());

        // 12:00 and 13:00 passed unseen: one fire, and the next is 14:00.
        s.scheduler.fireDue(utc("2030-01-01T13:05:00Z"));
        QCOMPARE(fired.size(), 2);
        QCOMPARE(firedOutcome(fired, 1), JobQueue::Enqueued::Started);
        QCOMPARE(s.scheduler.nextFire(QStringLiteral("a"), ProcessType::Sync), utc("2030-01-01T14:00:00Z"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
        QCOMPARE(s.f->runs(QStringLiteral("a")).size(), 2);

        // A clock set back does not fire; the next fires are computed from the new time.
        s.scheduler.fireDue(utc("2030-01-01T09:10:00Z"));
        QCOMPARE(fired.size(), 2);
        QCOMPARE(s.scheduler.nextFire(QStringLiteral("a"), ProcessType::Sync), utc("2030-01-01T10:00:00Z"));
    }

    // The zones come from the configuration (the source's, else the top-level one) and the
    // daylight-saving rules from CronExpression (tested in tst_cron): here only the wiring.
    void zonesAndDaylightSaving() {
        Setup s;
        QVERIFY(setUp(s,
                      schedules({QStringLiteral("30 2 * * *")},
                                {{QStringLiteral("timeZone"), QStringLiteral("America/Denver")}}),
                      QJsonObject{{QStringLiteral("timeZone"), QStringLiteral("Europe/Berlin")}}));
        // 2024-03-10: Denver skips 02:00-03:00, so 02:30 fires at 03:00 MDT = 09:00 UTC.
        s.scheduler.setConfig(*s.config, utc("2024-03-10T07:00:00Z"));
        QCOMPARE(s.scheduler.nextFire(QStringLiteral("a"), ProcessType::Sync), utc("2024-03-10T09:00:00Z"));
        QSignalSpy fired(&s.scheduler, &Scheduler::fired);
        QSignalSpy finished(&s.queue, &JobQueue::finished);
        s.scheduler.fireDue(utc("2024-03-10T08:59:59Z"));
        QCOMPARE(fired.size(), 0);
        s.scheduler.fireDue(utc("2024-03-10T09:00:00Z"));
        QCOMPARE(fired.size(), 1);
        // The next day is back to 02:30 MDT = 08:30 UTC.
        QCOMPARE(s.scheduler.nextFire(QStringLiteral("a"), ProcessType::Sync), utc("2024-03-11T08:30:00Z"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);

        // Without a zone of its own the source follows the top-level one: Berlin, where 2024-03-31
        // skips 02:00-03:00, so 02:30 fires at 03:00 CEST = 01:00 UTC.
        Config inherited = *s.config;
        inherited.sources[0].schedules.timeZone.clear();
        s.scheduler.setConfig(inherited, utc("2024-03-30T12:00:00Z"));
        QCOMPARE(s.scheduler.nextFire(QStringLiteral("a"), ProcessType::Sync), utc("2024-03-31T01:00:00Z"));
    }

    // Two expressions of one process at the same instant make one job; a fire while the job runs
    // queues it once, and a further fire while that one waits adds nothing.
    void firesAreNeverStacked() {
        Setup s;
        QVERIFY(setUp(s, schedules({QStringLiteral("0 * * * *"), QStringLiteral("*/30 * * * *")}), {}, 100));
        s.scheduler.setConfig(*s.config, utc("2030-01-01T10:50:00Z"));
        QSignalSpy fired(&s.scheduler, &Scheduler::fired);
        QSignalSpy finished(&s.queue, &JobQueue::finished);
        s.scheduler.fireDue(utc("2030-01-01T11:00:00Z"));
        QCOMPARE(fired.size(), 1);
        QCOMPARE(firedOutcome(fired, 0), JobQueue::Enqueued::Started);
        // No event loop runs between these calls, so the job cannot have finished meanwhile.
        s.scheduler.fireDue(utc("2030-01-01T11:30:00Z"));
        s.scheduler.fireDue(utc("2030-01-01T12:00:00Z"));
        QCOMPARE(fired.size(), 3);
        QCOMPARE(firedOutcome(fired, 1), JobQueue::Enqueued::Waiting);
        QCOMPARE(firedOutcome(fired, 2), JobQueue::Enqueued::AlreadyQueued);
        QCOMPARE(s.queue.snapshot().size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
        QVERIFY(s.queue.snapshot().isEmpty());
        const QList<RunRow> runs = s.f->runs(QStringLiteral("a"));
        QCOMPARE(runs.size(), 2);
        QCOMPARE(maxOverlap(runs), 1);
    }

    // Fires while paused are skipped, not stored up; a reload keeps the pause.
    void pauseAndResume() {
        Setup s;
        QVERIFY(setUp(s, schedules({QStringLiteral("0 * * * *")})));
        s.scheduler.setConfig(*s.config, utc("2030-01-01T10:30:00Z"));
        QSignalSpy fired(&s.scheduler, &Scheduler::fired);
        QSignalSpy skipped(&s.scheduler, &Scheduler::skipped);
        QSignalSpy paused(&s.scheduler, &Scheduler::pausedChanged);
        QSignalSpy finished(&s.queue, &JobQueue::finished);

        s.scheduler.pause();
        QVERIFY(s.scheduler.isPaused());
        QCOMPARE(paused.size(), 1);
        QCOMPARE(paused.at(0).at(0).toBool(), true);
        s.scheduler.fireDue(utc("2030-01-01T11:00:00Z"));
        QCOMPARE(fired.size(), 0);
        QCOMPARE(skipped.size(), 1);
        QCOMPARE(skipped.at(0).at(0).value<JobRequest>().source, QStringLiteral("a"));
        QVERIFY(s.queue.snapshot().isEmpty());

        s.scheduler.setConfig(*s.config, utc("2030-01-01T11:10:00Z"));
        QVERIFY(s.scheduler.isPaused());
        s.scheduler.fireDue(utc("2030-01-01T12:00:00Z"));
        QCOMPARE(skipped.size(), 2);

        // Resumed at 12:40: the 12:00 fire stays skipped; 13:00 fires.
        s.scheduler.resume(utc("2030-01-01T12:40:00Z"));
        QVERIFY(!s.scheduler.isPaused());
        QCOMPARE(paused.size(), 2);
        QCOMPARE(s.scheduler.nextFire(QStringLiteral("a"), ProcessType::Sync), utc("2030-01-01T13:00:00Z"));
        s.scheduler.fireDue(utc("2030-01-01T12:40:01Z"));
        QCOMPARE(fired.size(), 0);
        s.scheduler.fireDue(utc("2030-01-01T13:00:00Z"));
        QCOMPARE(fired.size(), 1);
        QCOMPARE(firedOutcome(fired, 0), JobQueue::Enqueued::Started);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QCOMPARE(s.f->runs().size(), 1);
    }

    // Pausing one source skips only its fires; resuming it restarts them from `now` without
    // touching the other source; the global pause and resume leave a source's own pause alone;
    // a reload keeps it while the source is configured and forgets it when it is gone.
    void pauseOneSource() {
        Setup s;
        QVERIFY(setUp(s, schedules({QStringLiteral("0 * * * *")})));
        QJsonObject b = s.f->source(QStringLiteral("b"), 10);
        b.insert(QStringLiteral("schedules"), schedules({QStringLiteral("30 * * * *")}));
        QJsonObject a = s.f->source(QStringLiteral("a"), 10);
        a.insert(QStringLiteral("schedules"), schedules({QStringLiteral("0 * * * *")}));
        const std::optional<Config> both = s.f->load({a, b});
        QVERIFY(both);
        s.queue.setConfig(*both, s.f->dataDir);
        s.scheduler.setConfig(*both, utc("2030-01-01T10:10:00Z"));
        QSignalSpy fired(&s.scheduler, &Scheduler::fired);
        QSignalSpy skipped(&s.scheduler, &Scheduler::skipped);
        QSignalSpy changed(&s.scheduler, &Scheduler::sourcePausedChanged);
        QSignalSpy finished(&s.queue, &JobQueue::finished);

        s.scheduler.pauseSource(QStringLiteral("a"));
        s.scheduler.pauseSource(QStringLiteral("a")); // no second signal
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toString(), QStringLiteral("a"));
        QCOMPARE(changed.at(0).at(1).toBool(), true);
        QVERIFY(s.scheduler.isSourcePaused(QStringLiteral("a")));
        QVERIFY(!s.scheduler.isSourcePaused(QStringLiteral("b")));
        QVERIFY(!s.scheduler.isPaused());
        QCOMPARE(s.scheduler.pausedSources(), QStringList{QStringLiteral("a")});

        // 11:00 (a) is skipped; b's 10:30 was due before and fires.
        s.scheduler.fireDue(utc("2030-01-01T11:00:00Z"));
        QCOMPARE(skipped.size(), 1);
        QCOMPARE(skipped.at(0).at(0).value<JobRequest>().source, QStringLiteral("a"));
        QCOMPARE(fired.size(), 1);
        QCOMPARE(firedRequest(fired, 0).source, QStringLiteral("b"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);

        // The global pause and resume keep a's own pause.
        s.scheduler.pause();
        s.scheduler.resume(utc("2030-01-01T11:05:00Z"));
        QVERIFY(s.scheduler.isSourcePaused(QStringLiteral("a")));
        // A reload keeps it, too.
        s.scheduler.setConfig(*both, utc("2030-01-01T11:06:00Z"));
        QVERIFY(s.scheduler.isSourcePaused(QStringLiteral("a")));
        s.scheduler.fireDue(utc("2030-01-01T12:00:00Z")); // a skipped again, b's 11:30 fires
        QCOMPARE(skipped.size(), 2);
        QCOMPARE(fired.size(), 2);
        QCOMPARE(firedRequest(fired, 1).source, QStringLiteral("b"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);

        // Resumed at 12:40: a's next fire is 13:00 (12:00 stays skipped); b keeps 12:30.
        const auto bNext = s.scheduler.nextFire(QStringLiteral("b"), ProcessType::Sync);
        s.scheduler.resumeSource(QStringLiteral("a"), utc("2030-01-01T12:40:00Z"));
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.at(1).at(1).toBool(), false);
        QVERIFY(!s.scheduler.isSourcePaused(QStringLiteral("a")));
        QCOMPARE(s.scheduler.nextFire(QStringLiteral("a"), ProcessType::Sync), utc("2030-01-01T13:00:00Z"));
        QCOMPARE(s.scheduler.nextFire(QStringLiteral("b"), ProcessType::Sync), bNext);
        s.scheduler.fireDue(utc("2030-01-01T13:00:00Z"));
        QCOMPARE(fired.size(), 4); // b's 12:30 and a's 13:00
        QVERIFY(std::any_of(fired.cbegin() + 2, fired.cend(), [](const QList<QVariant>& args) {
            return args.at(0).value<JobRequest>().source == QLatin1String("a");
        }));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, kWaitMs);

        // A reload without the source forgets its pause.
        s.scheduler.pauseSource(QStringLiteral("b"));
        s.scheduler.setConfig(*s.config, utc("2030-01-01T13:10:00Z"));
        QVERIFY(s.scheduler.pausedSources().isEmpty());
    }

    // Catch-up enqueues a process whose last fire came after its last run began, once, and
    // nothing for a fire that a run already followed, a source without catchUp, or a process
    // never run.
    void catchUpOnceForAMissedFire() {
        Setup s;
        QVERIFY(
            setUp(s, schedules({QStringLiteral("0 0 1 1 *")},
                               {{QStringLiteral("catchUp"), true},
                                {QStringLiteral("reconcile"), QJsonArray{QStringLiteral("0 * * * *")}}})));
        QSignalSpy finished(&s.queue, &JobQueue::finished);
        // Nothing ran yet: no stats store, no catch-up.
        s.scheduler.setConfig(*s.config);
        QVERIFY(s.scheduler.catchUp(QDateTime::currentDateTimeUtc().addSecs(7200)).isEmpty());

        // One sync runs now.
        QCOMPARE(s.queue.enqueue({QStringLiteral("a"), ProcessType::Sync, {}, JobOrigin::Manual}),
                 JobQueue::Enqueued::Started);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY(finished.at(0).at(1).value<JobResult>().ok());
        std::optional<RunSummary> last;
        {
            StatsStore stats(DataLayout(s.f->dataDir).statsDatabase());
            QVERIFY(stats.open());
            auto run = stats.lastRun(QStringLiteral("a"), QStringLiteral("sync"));
            QVERIFY(run && *run);
            last = **run;
        }
        const QDateTime began = QDateTime::fromString(last->started, Qt::ISODateWithMs);
        QVERIFY2(began.isValid(), qPrintable(last->started));
        const QDateTime now = began.addSecs(30 * 60);

        // An hourly fire at a minute just before the run began: the run followed it.
        const auto hourlyAt = [](const QDateTime& t) {
            return QStringLiteral("%1 * * * *").arg(t.toUTC().time().minute());
        };
        Config config = *s.config;
        config.sources[0].schedules.sync = {hourlyAt(began.addSecs(-60))};
        s.scheduler.setConfig(config, now);
        QSignalSpy fired(&s.scheduler, &Scheduler::fired);
        QVERIFY(s.scheduler.catchUp(now).isEmpty());
        QCOMPARE(fired.size(), 0);

        // Without catchUp, a missed fire (ten minutes after the run began) is not caught up.
        config.sources[0].schedules.sync = {hourlyAt(began.addSecs(600))};
        config.sources[0].schedules.catchUp = false;
        s.scheduler.setConfig(config, now);
        QVERIFY(s.scheduler.catchUp(now).isEmpty());

        // With catchUp it is, once, although asked twice; the reconcile (never run) is not.
        config.sources[0].schedules.catchUp = true;
        s.scheduler.setConfig(config, now);
        const QList<JobRequest> caught = s.scheduler.catchUp(now);
        QCOMPARE(caught.size(), 1);
        QCOMPARE(caught.at(0).process, ProcessType::Sync);
        QCOMPARE(caught.at(0).origin, JobOrigin::CatchUp);
        QCOMPARE(fired.size(), 1);
        QCOMPARE(firedOutcome(fired, 0), JobQueue::Enqueued::Started);
        QCOMPARE(s.queue.snapshot().at(0).request.origin, JobOrigin::CatchUp);
        QVERIFY(s.scheduler.catchUp(now).isEmpty());
        QCOMPARE(fired.size(), 1);
        QCOMPARE(s.queue.snapshot().size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
        QVERIFY(finished.at(1).at(1).value<JobResult>().ok());
        QCOMPARE(s.f->runs(QStringLiteral("a")).size(), 2);
    }

    // start() arms the real timer: an every-second schedule reaches the queue without fireDue().
    void timerFiresDueSchedules() {
        Setup s;
        QVERIFY(setUp(s, schedules({QStringLiteral("* * * * * *")})));
        QSignalSpy fired(&s.scheduler, &Scheduler::fired);
        QSignalSpy finished(&s.queue, &JobQueue::finished);
        s.scheduler.setConfig(*s.config);
        QVERIFY(!s.scheduler.isStarted());
        s.scheduler.start();
        QTRY_VERIFY_WITH_TIMEOUT(fired.size() >= 1, 30000);
        s.scheduler.stop();
        QCOMPARE(firedRequest(fired, 0).origin, JobOrigin::Schedule);
        const qsizetype jobs = std::count_if(fired.cbegin(), fired.cend(), [](const QList<QVariant>& args) {
            const auto outcome = args.at(1).value<JobQueue::Enqueued>();
            return outcome == JobQueue::Enqueued::Started || outcome == JobQueue::Enqueued::Waiting;
        });
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), jobs, kWaitMs);
    }
};

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
