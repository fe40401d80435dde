// The stats store on every backend it runs on: a SQLite file, the test MariaDB (ORS_TEST_MYSQL_*;
// fails without it) and the test PostgreSQL (ORS_TEST_PG_*; skipped without it unless
// ORS_TEST_REQUIRE_POSTGRES=1). One suite, run once per backend with the same assertions: runs and
// their counts, history filters and pages, chart queries, the alert ledger, instances, forgetting a
// source, writers at once (threads with connections of their own) losing nothing, first opens at
// once creating the schema once; and for the servers: foreign tables refused, a newer schema
// refused, a lost connection regained, an unreachable server failing fast without its password.
#include "StatsBackends.h"

#include "alerts/AlertLedger.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QSet>
#include <QSysInfo>
#include <QTcpServer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

using namespace ors;
using namespace ors::test;

namespace {

template <typename T>
const char* why(const Expected<T>& result) {
    return result ? "" : qPrintable(result.errorMessage());
}

const QDateTime kT0(QDate(2025, 3, 1), QTime(9, 0), QTimeZone::utc());

// `count` threads each run `work(index)` at once (released together); true when all returned true.
bool atOnce(int count, const std::function<bool(int)>& work) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::atomic<int> failed{0};
    QList<QThread*> threads;
    for (int i = 0; i < count; ++i)
        threads.append(QThread::create([&, i] {
            ++ready;
            while (!go)
                QThread::yieldCurrentThread();
            if (!work(i))
                ++failed;
        }));
    for (QThread* thread : threads)
        thread->start();
    while (ready < count)
        QThread::msleep(1);
    go = true;
    for (QThread* thread : threads) {
        thread->wait();
        delete thread;
    }
    return failed == 0;
}

} // namespace

class TestStatsStore : public QObject {
    Q_OBJECT

public:
    explicit TestStatsStore(StatsBackendKind kind)
        : m_backend(kind) {}

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void runsWithTheirCounts();
    void historyFiltersAndPages();
    void chartsAndUsage();
    void alertLedgerTellsOnce();
    void instancesOfADataDirectory();
    void forgettingASourceKeepsTheOthers();
    void reopeningKeepsEverything();
    void textRoundTrips();
    void writersAtOnceLoseNothing();
    void firstOpensAtOnceCreateTheSchemaOnce();
    void foreignTablesAreRefused();
    void newerSchemaIsRefused();
    void lostConnectionIsRegained();
    void unreachableServerFailsFast();

private:
    StatsStore& store() { return *m_store; }
    bool isServer() const { return m_backend.kind() != StatsBackendKind::Sqlite; }
    QString versionTable() const {
        return isServer() ? QStringLiteral("ors_stats_version") : QStringLiteral("schema_version");
    }

    StatsBackend m_backend;
    std::unique_ptr<StatsStore> m_store;
};

void TestStatsStore::initTestCase() {
    if (const QString reason = m_backend.skipReason(); !reason.isEmpty())
        QSKIP(qPrintable(reason));
}

void TestStatsStore::init() {
    const QString error = m_backend.reset();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_store = m_backend.store();
    // Tests of the first opening open it themselves.
    const QString name = QString::fromLatin1(QTest::currentTestFunction());
    if (name == QLatin1String("firstOpensAtOnceCreateTheSchemaOnce") ||
        name == QLatin1String("foreignTablesAreRefused") ||
        name == QLatin1String("unreachableServerFailsFast"))
        return;
    auto opened = m_store->open();
    QVERIFY2(opened, why(opened));
    QCOMPARE(m_store->schemaVersion(), 6);
}

void TestStatsStore::cleanup() {
    m_store.reset();
}

void TestStatsStore::runsWithTheirCounts() {
    auto run = store().startRun(QStringLiteral("east"), QStringLiteral("sync"), QStringLiteral("b1"), kT0);
    QVERIFY2(run, why(run));
    QVERIFY(*run > 0);
    auto other = store().startRun(QStringLiteral("west"), QStringLiteral("sync"), QStringLiteral("b2"), kT0);
    QVERIFY2(other, why(other));
    QVERIFY(*other != *run);
    // Counts add up page by page; the expected count keeps the largest; the first page stays.
    QVERIFY(store().addResourceCounts(*run, QStringLiteral("Property"), 100, -1, 1, kT0.addSecs(1)));
    QVERIFY(store().addResourceCounts(*run, QStringLiteral("Property"), 100, 250, 1, kT0.addSecs(2)));
    QVERIFY(store().addResourceCounts(*run, QStringLiteral("Property"), 50, 240, 1, kT0.addSecs(3)));
    QVERIFY(store().addResourceCounts(*run, QStringLiteral("Media"), 7, -1, 1, kT0.addSecs(4)));
    QVERIFY(store().addDestinationCount(*run, QStringLiteral("Property"), QStringLiteral("db"), 200,
                                        kT0.addSecs(5)));
    QVERIFY(store().addDestinationCount(*run, QStringLiteral("Property"), QStringLiteral("db"), 50,
                                        kT0.addSecs(6)));
    QVERIFY(store().recordFailure(*run, QStringLiteral("east"), QStringLiteral("sync"),
                                  QStringLiteral("Media"), QStringLiteral("db"), QStringLiteral("apply"),
                                  QStringLiteral("disk full")));
    QVERIFY(store().recordEvent(*run, QStringLiteral("east"), QStringLiteral("sync"),
                                QStringLiteral("Property"), QStringLiteral("count-mismatch"),
                                QStringLiteral("240 announced, 250 came")));
    QVERIFY(store().finishRun(*run, QStringLiteral("error"), QStringLiteral("1 of 2 resources failed"),
                              kT0.addSecs(10)));

    RunQuery query;
    query.source = QStringLiteral("east");
    auto history = store().history(query);
    QVERIFY2(history, why(history));
    QCOMPARE(history->size(), 1);
    const RunDetail& d = history->first();
    QCOMPARE(d.run.id, *run);
    QCOMPARE(d.run.source, QStringLiteral("east"));
    QCOMPARE(d.run.batchId, QStringLiteral("b1"));
    QCOMPARE(d.run.started, QStringLiteral("2025-03-01T09:00:00.000Z"));
    QCOMPARE(d.run.finished, QStringLiteral("2025-03-01T09:00:10.000Z"));
    QCOMPARE(d.run.result, QStringLiteral("error"));
    QCOMPARE(d.run.error, QStringLiteral("1 of 2 resources failed"));
    QCOMPARE(d.run.records, 257);
    QCOMPARE(d.run.host, QSysInfo::machineHostName());
    QCOMPARE(d.resources.size(), 2);
    QCOMPARE(d.resources[0].resource, QStringLiteral("Media"));
    QCOMPARE(d.resources[0].expected, -1);
    QCOMPARE(d.resources[1].resource, QStringLiteral("Property"));
    QCOMPARE(d.resources[1].downloaded, 250);
    QCOMPARE(d.resources[1].expected, 250);
    QCOMPARE(d.resources[1].pages, 3);
    QCOMPARE(d.resources[1].firstPage, QStringLiteral("2025-03-01T09:00:01.000Z"));
    QCOMPARE(d.resources[1].lastPage, QStringLiteral("2025-03-01T09:00:03.000Z"));
    QCOMPARE(d.destinations.size(), 1);
    QCOMPARE(d.destinations[0].applied, 250);
    QCOMPARE(d.destinations[0].firstPage, QStringLiteral("2025-03-01T09:00:05.000Z"));
    QCOMPARE(d.destinations[0].lastPage, QStringLiteral("2025-03-01T09:00:06.000Z"));
    QCOMPARE(d.failures.size(), 1);
    QCOMPARE(d.failures[0].step, QStringLiteral("apply"));
    QCOMPARE(d.failures[0].resource, QStringLiteral("Media"));
    QCOMPARE(d.failures[0].destination, QStringLiteral("db"));
    QCOMPARE(d.failures[0].message, QStringLiteral("disk full"));
    QCOMPARE(d.events.size(), 1);
    QCOMPARE(d.events[0].kind, QStringLiteral("count-mismatch"));
    QCOMPARE(d.events[0].runId, *run);

    auto last = store().lastRun(QStringLiteral("east"), QStringLiteral("sync"));
    QVERIFY2(last, why(last));
    QVERIFY(last->has_value());
    QCOMPARE((*last)->id, *run);
    QCOMPARE((*last)->records, 257);
    auto none = store().lastRun(QStringLiteral("east"), QStringLiteral("purge"));
    QVERIFY(none && !none->has_value());
    auto failures = store().failureCount(QStringLiteral("east"));
    QVERIFY(failures && *failures == 1);
    auto events = store().events(QStringLiteral("east"), QStringLiteral("count-mismatch"));
    QVERIFY(events && events->size() == 1);
    // A run that has not finished reads as running, with no finish time and no error.
    auto running = store().lastRun(QStringLiteral("west"));
    QVERIFY(running && running->has_value());
    QCOMPARE((*running)->result, QStringLiteral("running"));
    QVERIFY((*running)->finished.isEmpty());
    QVERIFY((*running)->error.isEmpty());
}

void TestStatsStore::historyFiltersAndPages() {
    // 30 runs of "east", one a day, every third a failed purge; 5 of "west".
    QList<qint64> ids;
    for (int i = 0; i < 30; ++i) {
        const QString process = i % 3 == 2 ? QStringLiteral("purge") : QStringLiteral("sync");
        auto run =
            store().startRun(QStringLiteral("east"), process, QStringLiteral("b%1").arg(i), kT0.addDays(i));
        QVERIFY2(run, why(run));
        QVERIFY(store().finishRun(*run, i % 3 == 2 ? QStringLiteral("error") : QStringLiteral("success"), {},
                                  kT0.addDays(i).addSecs(60)));
        ids.prepend(*run); // newest first
    }
    for (int i = 0; i < 5; ++i)
        QVERIFY(store().startRun(QStringLiteral("west"), QStringLiteral("sync"), QStringLiteral("w"),
                                 kT0.addDays(i)));

    RunQuery query;
    query.source = QStringLiteral("east");
    query.limit = 7;
    QList<qint64> seen;
    for (query.offset = 0; query.offset < 35; query.offset += 7) {
        auto page = store().history(query);
        QVERIFY2(page, why(page));
        for (const RunDetail& d : *page)
            seen.append(d.run.id);
    }
    QCOMPARE(seen, ids);
    auto total = store().runCount(query);
    QVERIFY(total && *total == 30);

    query.offset = 0;
    query.limit = 100;
    query.process = QStringLiteral("purge");
    query.result = QStringLiteral("error");
    auto purges = store().history(query);
    QVERIFY2(purges, why(purges));
    QCOMPARE(purges->size(), 10);
    QCOMPARE(*store().runCount(query), 10);
    query.process.clear();
    query.result.clear();
    query.startedFrom = kT0.addDays(10);
    query.startedTo = kT0.addDays(20);
    auto range = store().history(query);
    QVERIFY2(range, why(range));
    QCOMPARE(range->size(), 10);
    QCOMPARE(range->first().run.started, kT0.addDays(19).toUTC().toString(Qt::ISODateWithMs));
    QCOMPARE(range->last().run.started, kT0.addDays(10).toUTC().toString(Qt::ISODateWithMs));
    // Every source at once.
    RunQuery all;
    all.limit = 1000;
    QCOMPARE(*store().runCount(all), 35);
}

void TestStatsStore::chartsAndUsage() {
    auto run = store().startRun(QStringLiteral("east"), QStringLiteral("sync"), QStringLiteral("b"), kT0);
    QVERIFY2(run, why(run));
    QVERIFY(store().addResourceCounts(*run, QStringLiteral("Property"), 40, 40, 2, kT0));
    QVERIFY(store().addDestinationCount(*run, QStringLiteral("Property"), QStringLiteral("a"), 40, kT0));
    QVERIFY(store().addDestinationCount(*run, QStringLiteral("Property"), QStringLiteral("b"), 38, kT0));
    QVERIFY(store().finishRun(*run, QStringLiteral("success"), {}, kT0.addSecs(90)));
    auto points = store().runPoints(QStringLiteral("east"), kT0.addDays(-1), kT0.addDays(1));
    QVERIFY2(points, why(points));
    QCOMPARE(points->size(), 1);
    QCOMPARE(points->first().started, kT0);
    QCOMPARE(points->first().finished, kT0.addSecs(90));
    QCOMPARE(points->first().downloaded, 40);
    QCOMPARE(points->first().applied, 78);

    // Two flushes into one hour add up; another hour is a row of its own.
    QVERIFY(store().addUsage(QStringLiteral("east"), kT0.addSecs(60), 10, 1000, 1));
    QVERIFY(store().addUsage(QStringLiteral("east"), kT0.addSecs(1800), 5, 500, 0));
    QVERIFY(store().addUsage(QStringLiteral("east"), kT0.addSecs(3600), 1, 1, 1));
    QVERIFY(store().addUsage(QStringLiteral("west"), kT0, 99, 99, 99));
    auto usage = store().usageBetween(QStringLiteral("east"), kT0, kT0.addSecs(7200));
    QVERIFY2(usage, why(usage));
    QCOMPARE(usage->size(), 2);
    QCOMPARE(usage->at(0).hour, kT0);
    QCOMPARE(usage->at(0).requests, 15);
    QCOMPARE(usage->at(0).bytes, 1500);
    QCOMPARE(usage->at(0).throttled, 1);
    QCOMPARE(usage->at(1).hour, kT0.addSecs(3600));
    const QDateTime thisHour = QDateTime::currentDateTimeUtc();
    QVERIFY(store().addUsage(QStringLiteral("east"), thisHour, 3, 30, 0));
    auto recent = store().usage(QStringLiteral("east"), 1);
    QVERIFY2(recent, why(recent));
    QCOMPARE(recent->size(), 1);
    QCOMPARE(recent->first().requests, 3);

    QVERIFY(store().addCountSamples(
        QStringLiteral("east"),
        {CountSample{kT0, QStringLiteral("Property"), QStringLiteral("b"), 38, {}},
         CountSample{kT0, QStringLiteral("Property"), {}, 40, QStringLiteral("2025-02-28Z")},
         CountSample{kT0.addDays(1), QStringLiteral("Property"), {}, 41, {}}}));
    auto samples = store().countSamples(QStringLiteral("east"), kT0, kT0.addDays(1));
    QVERIFY2(samples, why(samples));
    QCOMPARE(samples->size(), 2);
    QCOMPARE(samples->at(0).destination, QString()); // the MLS ('') sorts first
    QCOMPARE(samples->at(0).count, 40);
    QCOMPARE(samples->at(0).newest, QStringLiteral("2025-02-28Z"));
    QCOMPARE(samples->at(1).destination, QStringLiteral("b"));
    QVERIFY(samples->at(1).newest.isEmpty());
}

void TestStatsStore::alertLedgerTellsOnce() {
    AlertLedger ledger(store());
    Alert alert;
    alert.source = QStringLiteral("east");
    alert.process = QStringLiteral("sync");
    alert.condition = AlertCondition::StepBlocked;
    alert.subject = QStringLiteral("Property -> db");
    alert.time = kT0;
    alert.message = QStringLiteral("blocked");
    auto first = ledger.raise(alert);
    QVERIFY2(first, why(first));
    QVERIFY(*first);
    auto again = ledger.raise(alert);
    QVERIFY2(again, why(again));
    QVERIFY(!*again);
    auto open = ledger.open(QStringLiteral("east"), AlertCondition::StepBlocked);
    QVERIFY2(open, why(open));
    QCOMPARE(open->size(), 1);
    QCOMPARE(open->first().subject, QStringLiteral("Property -> db"));
    QCOMPARE(open->first().time, kT0);
    auto cleared = ledger.clear(QStringLiteral("east"), QStringLiteral("sync"), AlertCondition::StepBlocked,
                                QStringLiteral("Property -> db"));
    QVERIFY(cleared && *cleared);
    cleared = ledger.clear(QStringLiteral("east"), QStringLiteral("sync"), AlertCondition::StepBlocked,
                           QStringLiteral("Property -> db"));
    QVERIFY(cleared && !*cleared);

    for (int i = 1; i <= 3; ++i) {
        auto streak = ledger.addFailure(QStringLiteral("east"), QStringLiteral("sync"));
        QVERIFY2(streak, why(streak));
        QCOMPARE(*streak, i);
    }
    QVERIFY(ledger.resetFailures(QStringLiteral("east"), QStringLiteral("sync")));
    QCOMPARE(*ledger.addFailure(QStringLiteral("east"), QStringLiteral("sync")), 1);

    auto never = ledger.lastSuccessOrFirstTry(QStringLiteral("east"), QStringLiteral("sync"));
    QVERIFY(never && !never->has_value());
    auto run = store().startRun(QStringLiteral("east"), QStringLiteral("sync"), QStringLiteral("b"), kT0);
    auto firstTry = ledger.lastSuccessOrFirstTry(QStringLiteral("east"), QStringLiteral("sync"));
    QVERIFY(firstTry && firstTry->has_value());
    QCOMPARE(**firstTry, kT0);
    QVERIFY(store().finishRun(*run, QStringLiteral("success"), {}, kT0.addSecs(30)));
    auto success = ledger.lastSuccessOrFirstTry(QStringLiteral("east"), QStringLiteral("sync"));
    QCOMPARE(**success, kT0.addSecs(30));
}

void TestStatsStore::instancesOfADataDirectory() {
    auto a = store().startInstance(QStringLiteral("serve"), 100, QStringLiteral("alpha"),
                                   QStringLiteral("/srv/a"));
    QVERIFY2(a, why(a));
    auto b =
        store().startInstance(QStringLiteral("serve"), 200, QStringLiteral("beta"), QStringLiteral("/srv/b"));
    QVERIFY2(b, why(b));
    QVERIFY(*b > *a);
    QVERIFY(store().beatInstance(*a));
    QVERIFY(store().stopInstance(*b));
    auto all = store().instances();
    QVERIFY2(all, why(all));
    QCOMPARE(all->size(), 2);
    QCOMPARE(all->first().pid, 200); // newest first
    QVERIFY(!all->first().stopped.isEmpty());
    auto ofA = store().instances(20, QStringLiteral("/srv/a"));
    QVERIFY2(ofA, why(ofA));
    QCOMPARE(ofA->size(), 1);
    QCOMPARE(ofA->first().host, QStringLiteral("alpha"));
    QVERIFY(ofA->first().stopped.isEmpty());
}

void TestStatsStore::forgettingASourceKeepsTheOthers() {
    for (const QString& source : {QStringLiteral("east"), QStringLiteral("west")}) {
        auto run = store().startRun(source, QStringLiteral("sync"), QStringLiteral("b"), kT0);
        QVERIFY2(run, why(run));
        QVERIFY(store().addResourceCounts(*run, QStringLiteral("Property"), 5, 5, 1));
        QVERIFY(store().addDestinationCount(*run, QStringLiteral("Property"), QStringLiteral("db"), 5));
        QVERIFY(store().recordFailure(*run, source, QStringLiteral("sync"), {}, {}, QStringLiteral("auth"),
                                      QStringLiteral("401")));
        QVERIFY(store().addUsage(source, kT0, 1, 1, 0));
        QVERIFY(AlertLedger(store()).addFailure(source, QStringLiteral("sync")));
    }
    auto forgotten = store().forgetSource(QStringLiteral("east"));
    QVERIFY2(forgotten, why(forgotten));
    RunQuery east;
    east.source = QStringLiteral("east");
    QCOMPARE(*store().runCount(east), 0);
    QCOMPARE(*store().failureCount(QStringLiteral("east")), 0);
    QVERIFY(store().usageBetween(QStringLiteral("east"), kT0, kT0.addDays(1))->isEmpty());
    QCOMPARE(m_backend.scalar(QStringLiteral("SELECT COUNT(*) FROM run_resource")), QStringLiteral("1"));
    QCOMPARE(m_backend.scalar(QStringLiteral("SELECT COUNT(*) FROM alert_streak")), QStringLiteral("1"));
    RunQuery west;
    west.source = QStringLiteral("west");
    auto kept = store().history(west);
    QVERIFY(kept && kept->size() == 1);
    QCOMPARE(kept->first().resources.first().downloaded, 5);
    QCOMPARE(*store().failureCount(QStringLiteral("west")), 1);
}

void TestStatsStore::reopeningKeepsEverything() {
    auto run = store().startRun(QStringLiteral("east"), QStringLiteral("sync"), QStringLiteral("b"), kT0);
    QVERIFY2(run, why(run));
    m_store = m_backend.store();
    auto opened = m_store->open();
    QVERIFY2(opened, why(opened));
    QCOMPARE(m_store->schemaVersion(), 6);
    QCOMPARE(m_backend.scalar(QStringLiteral("SELECT COUNT(*) FROM %1").arg(versionTable())),
             QStringLiteral("1"));
    QCOMPARE(m_backend.scalar(QStringLiteral("SELECT version FROM %1").arg(versionTable())),
             QStringLiteral("6"));
    auto last = store().lastRun(QStringLiteral("east"));
    QVERIFY(last && last->has_value());
    QCOMPARE((*last)->id, *run);
    // Ids keep growing after a reopening: a server's come from the server, never from a count read first.
    auto next = store().startRun(QStringLiteral("east"), QStringLiteral("sync"), QStringLiteral("c"), kT0);
    QVERIFY(next && *next > *run);
}

void TestStatsStore::textRoundTrips() {
    // Non-ASCII, quotes, a backslash, a long message, and the difference between no error and none.
    const QString message =
        QStringLiteral("Größe „x“ 'quoted' \"double\" back\\slash 東京 ") + QString(5000, u'x');
    auto run = store().startRun(QStringLiteral("east"), QStringLiteral("sync"), QStringLiteral("b'1"), kT0);
    QVERIFY2(run, why(run));
    QVERIFY(store().recordEvent(*run, QStringLiteral("east"), QStringLiteral("sync"), {},
                                QStringLiteral("note"), message));
    QVERIFY(store().finishRun(*run, QStringLiteral("success"), {}, kT0));
    RunQuery query;
    auto runs = store().history(query);
    QVERIFY2(runs, why(runs));
    QCOMPARE(runs->size(), 1);
    QCOMPARE(runs->first().run.batchId, QStringLiteral("b'1"));
    QVERIFY(runs->first().run.error.isEmpty());
    QCOMPARE(runs->first().events.first().message, message);
    QVERIFY(runs->first().events.first().resource.isEmpty());
    // Source names compare exactly: "East" is another source.
    RunQuery upper;
    upper.source = QStringLiteral("East");
    QCOMPARE(*store().runCount(upper), 0);
}

void TestStatsStore::writersAtOnceLoseNothing() {
    // Four programs' connections add to the same rows at once: every count arrives, and every
    // failure streak value is handed out once (no read-modify-write between them).
    auto run = store().startRun(QStringLiteral("east"), QStringLiteral("sync"), QStringLiteral("b"), kT0);
    QVERIFY2(run, why(run));
    constexpr int kWriters = 4;
    constexpr int kRounds = 40;
    QMutex mutex;
    QList<int> streaks;
    QStringList problems;
    const bool ok = atOnce(kWriters, [&](int writer) {
        auto own = m_backend.store();
        if (auto opened = own->open(); !opened) {
            QMutexLocker lock(&mutex);
            problems << opened.errorMessage();
            return false;
        }
        AlertLedger ledger(*own);
        for (int i = 0; i < kRounds; ++i) {
            const QList<Expected<void>> writes{
                own->addResourceCounts(*run, QStringLiteral("Property"), 1, 100 + writer, 1),
                own->addDestinationCount(*run, QStringLiteral("Property"), QStringLiteral("db"), 2),
                own->addUsage(QStringLiteral("east"), kT0, 1, 10, 0),
                own->recordEvent(*run, QStringLiteral("east"), QStringLiteral("sync"), {},
                                 QStringLiteral("tick"), QString::number(writer)),
            };
            auto streak = ledger.addFailure(QStringLiteral("east"), QStringLiteral("sync"));
            QMutexLocker lock(&mutex);
            for (const Expected<void>& w : writes)
                if (!w)
                    problems << w.errorMessage();
            if (streak)
                streaks << *streak;
            else
                problems << streak.errorMessage();
        }
        return true;
    });
    QVERIFY2(ok && problems.isEmpty(), qPrintable(problems.join(u'\n')));
    RunQuery query;
    auto runs = store().history(query);
    QVERIFY2(runs, why(runs));
    QCOMPARE(runs->size(), 1);
    const RunDetail& d = runs->first();
    QCOMPARE(d.resources.size(), 1);
    QCOMPARE(d.destinations.size(), 1);
    QCOMPARE(d.resources.first().downloaded, kWriters * kRounds);
    QCOMPARE(d.resources.first().pages, kWriters * kRounds);
    QCOMPARE(d.resources.first().expected, 100 + kWriters - 1);
    QCOMPARE(d.destinations.first().applied, 2 * kWriters * kRounds);
    QCOMPARE(d.events.size(), kWriters * kRounds);
    auto usage = store().usageBetween(QStringLiteral("east"), kT0, kT0.addSecs(3600));
    QVERIFY2(usage, why(usage));
    QCOMPARE(usage->size(), 1);
    QCOMPARE(usage->first().requests, kWriters * kRounds);
    QCOMPARE(usage->first().bytes, 10 * kWriters * kRounds);
    std::sort(streaks.begin(), streaks.end());
    QList<int> expected;
    for (int i = 1; i <= kWriters * kRounds; ++i)
        expected << i;
    QCOMPARE(streaks, expected);
}

void TestStatsStore::firstOpensAtOnceCreateTheSchemaOnce() {
    // Six programs start against an empty place at once: all open, the schema is made once.
    constexpr int kOpeners = 6;
    QMutex mutex;
    QStringList problems;
    const bool ok = atOnce(kOpeners, [&](int) {
        auto own = m_backend.store();
        auto opened = own->open();
        if (opened && own->schemaVersion() == 6)
            opened = own->startRun(QStringLiteral("east"), QStringLiteral("sync"), QStringLiteral("b"), kT0)
                         ? Expected<void>()
                         : Expected<void>(makeError(QStringLiteral("startRun failed")));
        if (!opened) {
            QMutexLocker lock(&mutex);
            problems << opened.errorMessage();
        }
        return bool(opened);
    });
    QVERIFY2(ok, qPrintable(problems.join(u'\n')));
    QCOMPARE(m_backend.scalar(QStringLiteral("SELECT COUNT(*) FROM %1").arg(versionTable())),
             QStringLiteral("1"));
    QCOMPARE(m_backend.scalar(QStringLiteral("SELECT version FROM %1").arg(versionTable())),
             QStringLiteral("6"));
    QCOMPARE(m_backend.scalar(QStringLiteral("SELECT COUNT(*) FROM run")), QString::number(kOpeners));
}

void TestStatsStore::foreignTablesAreRefused() {
    if (!isServer())
        QSKIP("a stats.sqlite file is the program's own");
    // Another program's table named like one of the store's: never taken over.
    QCOMPARE(m_backend.exec({QStringLiteral("CREATE TABLE event (happened INTEGER)")}), QString());
    auto opened = store().open();
    QVERIFY(!opened);
    QVERIFY2(
        opened.errorMessage().contains(QStringLiteral("already holds table(s) event that OpenReSync did not "
                                                      "create")),
        qPrintable(opened.errorMessage()));
    QVERIFY2(opened.errorMessage().contains(m_backend.server()->database), qPrintable(opened.errorMessage()));
    QCOMPARE(m_backend.scalar(QStringLiteral("SELECT COUNT(*) FROM event")), QStringLiteral("0"));
    QVERIFY(m_backend.scalar(QStringLiteral("SELECT COUNT(*) FROM run")).isEmpty()); // nothing created
}

void TestStatsStore::newerSchemaIsRefused() {
    QCOMPARE(m_backend.exec({QStringLiteral("UPDATE %1 SET version = 7").arg(versionTable())}), QString());
    auto again = m_backend.store();
    auto opened = again->open();
    QVERIFY(!opened);
    QVERIFY2(opened.errorMessage().contains(QStringLiteral("schema version 7 is newer than this program "
                                                           "understands (6)")),
             qPrintable(opened.errorMessage()));
}

void TestStatsStore::lostConnectionIsRegained() {
    if (!isServer())
        QSKIP("a SQLite file has no connection to lose");
    const bool mysql = m_backend.kind() == StatsBackendKind::Mysql;
    auto id = store().run(mysql ? QStringLiteral("SELECT CONNECTION_ID()")
                                : QStringLiteral("SELECT pg_backend_pid()"));
    QVERIFY2(id, why(id));
    QVERIFY(id->next());
    const QString session = id->value(0).toString();
    id->finish();
    QCOMPARE(m_backend.exec({mysql ? QStringLiteral("KILL %1").arg(session)
                                   : QStringLiteral("SELECT pg_terminate_backend(%1)").arg(session)}),
             QString());
    // The statement that meets the killed session fails (it may or may not have been done: it is
    // not repeated); the next one has a new connection.
    (void)store().startRun(QStringLiteral("east"), QStringLiteral("sync"), QStringLiteral("lost?"), kT0);
    auto run = store().startRun(QStringLiteral("east"), QStringLiteral("sync"), QStringLiteral("after"), kT0);
    QVERIFY2(run, why(run));
    auto last = store().lastRun(QStringLiteral("east"));
    QVERIFY(last && last->has_value());
    QCOMPARE((*last)->batchId, QStringLiteral("after"));
}

void TestStatsStore::unreachableServerFailsFast() {
    if (!isServer())
        QSKIP("a SQLite file cannot be unreachable");
    // A port nothing listens on: the connection is refused at once.
    int port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    SqlServerConfig server = *m_backend.server();
    server.host = QStringLiteral("127.0.0.1");
    server.port = port;
    server.password = SecretRef{SecretRef::Kind::Literal, QStringLiteral("Sup3r-Secret-Stats-Pw")};
    StatsStore unreachable(server, m_backend.dataDir());
    QElapsedTimer timer;
    timer.start();
    auto opened = unreachable.open();
    QVERIFY(!opened);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(opened.errorMessage().contains(QStringLiteral("cannot connect to 127.0.0.1:%1").arg(port)),
             qPrintable(opened.errorMessage()));
    QVERIFY2(opened.errorMessage().startsWith(QStringLiteral("stats store %1").arg(server.describe())),
             qPrintable(opened.errorMessage()));
    QVERIFY(!opened.errorMessage().contains(QStringLiteral("Sup3r-Secret-Stats-Pw")));
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    int failures = 0;
    for (StatsBackendKind kind :
         {StatsBackendKind::Sqlite, StatsBackendKind::Mysql, StatsBackendKind::Postgresql}) {
        TestStatsStore suite(kind);
        qInfo("=== stats store on %s", qPrintable(StatsBackend(kind).name()));
        failures += QTest::qExec(&suite, argc, argv);
    }
    return failures;
}

#include "tst_statsstore.moc"
