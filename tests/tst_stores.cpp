// state.sqlite and stats.sqlite as older programs left them: every older schema version opens and
// migrates to the current one keeping its rows, a newer version is refused without being touched,
// and a step that fails leaves the file at the version before it. Real SQLite files throughout.
#include "stats/StatsStore.h"
#include "store/StateStore.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace ors;

namespace {

// The message of a failed Expected, for QVERIFY2, which builds its message also on success.
template <typename E>
const char* why(const E& result) {
    static QByteArray text;
    text = result ? QByteArray() : result.errorMessage().toLocal8Bit();
    return text.constData();
}

// Opens `path` outside the stores, runs `sql` and returns the first column of the first row of
// the last statement (an invalid QVariant when it returns no row or fails).
QVariant rawQuery(const QString& path, const QStringList& sql) {
    const QString name = QStringLiteral("tst_stores-raw");
    QVariant value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            for (const QString& statement : sql)
                if (!q.exec(statement))
                    qWarning("%s: %s", qPrintable(statement), qPrintable(q.lastError().text()));
            if (q.isSelect() && q.next())
                value = q.value(0);
        }
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

int storedVersion(const QString& path) {
    return rawQuery(path, {QStringLiteral("SELECT version FROM schema_version")}).toInt();
}

QStringList columns(const QString& path, const QString& table) {
    const QString name = QStringLiteral("tst_stores-columns");
    QStringList names;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            q.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table));
            while (q.next())
                names.append(q.value(1).toString());
        }
    }
    QSqlDatabase::removeDatabase(name);
    return names;
}

// A file as the program of schema `version` left it: the first `version` steps of `all`.
void makeFileAt(const QString& path, std::span<const SqliteStore::Migration> all, int version) {
    SqliteStore old(path, QStringLiteral("old store"));
    auto r = old.open(all.first(size_t(version)));
    QVERIFY2(r, why(r));
    QCOMPARE(old.schemaVersion(), version);
}

} // namespace

class TestStores : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stateStoreMigratesFromEveryOlderVersion_data();
    void stateStoreMigratesFromEveryOlderVersion();
    void statsStoreMigratesFromEveryOlderVersion_data();
    void statsStoreMigratesFromEveryOlderVersion();
    void finishingBatchKeepsWaitingFiles();
    void newerVersionIsRefused();
    void failedStepLeavesThePreviousVersion();
    void reopeningChangesNothing();
    void concurrentFirstOpens();
};

void TestStores::stateStoreMigratesFromEveryOlderVersion_data() {
    QTest::addColumn<int>("from");
    for (int v = 0; v < int(StateStore::migrations().size()); ++v)
        QTest::addRow("version %d", v) << v;
}

void TestStores::stateStoreMigratesFromEveryOlderVersion() {
    QFETCH(int, from);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("state.sqlite"));
    makeFileAt(path, StateStore::migrations(), from);
    if (QTest::currentTestFailed())
        return;
    if (from >= 1) {
        // A resume point and a mark written by the version-1 program, with only its columns.
        rawQuery(path, {QStringLiteral("INSERT INTO batch_resource (source, process, resource, phase, "
                                       "lower_bound, next_seq, expected_count, received, max_downloaded, "
                                       "download_started) VALUES ('mls', 'sync', 'Property', 'download', "
                                       "'2024-01-01T00:00:00Z', 4, 100, 30, '2024-02-01T00:00:00Z', 1)"),
                        QStringLiteral("INSERT INTO high_water (source, resource, destination, timestamp) "
                                       "VALUES ('mls', 'Property', 'local0', '2024-03-01T00:00:00Z')")});
    }

    StateStore store(path);
    auto opened = store.open();
    QVERIFY2(opened, why(opened));
    QCOMPARE(store.schemaVersion(), 4);
    QCOMPARE(storedVersion(path), 4);
    QCOMPARE(columns(path, QStringLiteral("batch_resource")),
             QStringLiteral("source,process,resource,phase,lower_bound,next_seq,expected_count,received,"
                            "max_downloaded,download_started,keys_started,count_before,download_start")
                 .split(QLatin1Char(',')));

    if (from >= 1) {
        auto progress =
            store.resource(QStringLiteral("mls"), QStringLiteral("sync"), QStringLiteral("Property"));
        QVERIFY2(progress, why(progress));
        QVERIFY(progress->has_value());
        const ResourceProgress& p = **progress;
        QCOMPARE(p.lowerBound, QByteArray("2024-01-01T00:00:00Z"));
        QCOMPARE(p.nextSeq, 4);
        QCOMPARE(p.received, 30);
        QVERIFY(p.downloadStarted);
        if (from < 2)
            QCOMPARE(p.countBefore, -1); // the default version 2 gives rows that predate it
        QVERIFY(p.downloadStart.isEmpty());
        auto mark =
            store.highWater(QStringLiteral("mls"), QStringLiteral("Property"), QStringLiteral("local0"));
        QVERIFY2(mark, why(mark));
        QCOMPARE(mark->value_or(QByteArray()), QByteArray("2024-03-01T00:00:00Z"));
    }
    // The columns the later versions added are written and read back.
    ResourceProgress next(QStringLiteral("Media"));
    next.keysStarted = "2024-04-01T00:00:00Z";
    next.countBefore = 7;
    next.downloadStart = "2024-04-02T00:00:00Z";
    QVERIFY(store.saveResource(QStringLiteral("mls"), QStringLiteral("purge"), next));
    auto back = store.resource(QStringLiteral("mls"), QStringLiteral("purge"), QStringLiteral("Media"));
    QVERIFY(back && back->has_value());
    QCOMPARE((*back)->countBefore, 7);
    QCOMPARE((*back)->downloadStart, QByteArray("2024-04-02T00:00:00Z"));
    // Version 4: downloads kept for a destination behind, oldest first.
    QVERIFY(store.keepDownload(QStringLiteral("mls"),
                               KeptDownload{QStringLiteral("Property"),
                                            QStringLiteral("sync_batch_B_seq_000002.json"),
                                            "2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z"}));
    QVERIFY(
        store.keepDownload(QStringLiteral("mls"), KeptDownload{QStringLiteral("Property"),
                                                               QStringLiteral("sync_batch_A_seq_000009.json"),
                                                               {},
                                                               "2023-12-01T00:00:00.000Z"}));
    auto kept = store.keptDownloads(QStringLiteral("mls"), QStringLiteral("Property"));
    QVERIFY2(kept, why(kept));
    QCOMPARE(kept->size(), 2);
    QCOMPARE(kept->at(0).lastFile, QStringLiteral("sync_batch_A_seq_000009.json"));
    QVERIFY(kept->at(0).lowerBound.isEmpty());
    QCOMPARE(kept->at(1).lowerBound, QByteArray("2024-01-01T00:00:00.000Z"));
    QCOMPARE(kept->at(1).mark, QByteArray("2024-02-01T00:00:00.000Z"));
}

// Closing a batch forgets its applied marks except those of files still waiting on disk for a
// destination behind; the kept downloads go with forgetKeptDownload(s) and forgetSource.
void TestStores::finishingBatchKeepsWaitingFiles() {
    QTemporaryDir dir;
    StateStore store(dir.filePath(QStringLiteral("state.sqlite")));
    QVERIFY(store.open());
    const QString mls = QStringLiteral("mls");
    const QString sync = QStringLiteral("sync");
    QVERIFY(store.startBatch(mls, sync, QStringLiteral("B")));
    QVERIFY(store.markApplied(mls, sync, QStringLiteral("/d/waiting.json"), QStringLiteral("local0")));
    QVERIFY(store.markApplied(mls, sync, QStringLiteral("/d/gone.json"), QStringLiteral("local0")));
    QVERIFY(store.markApplied(mls, QStringLiteral("purge"), QStringLiteral("Property"),
                              QStringLiteral("local0")));
    QVERIFY(store.keepDownload(mls, KeptDownload{QStringLiteral("Property"), QStringLiteral("f"), {}, "x"}));
    QVERIFY(store.keepDownload(mls, KeptDownload{QStringLiteral("Member"), QStringLiteral("g"), {}, "y"}));
    QVERIFY(store.finishBatch(mls, sync, {QStringLiteral("/d/waiting.json")}));
    auto batch = store.currentBatch(mls, sync);
    QVERIFY(batch && !batch->has_value());
    QCOMPARE(*store.appliedDestinations(mls, sync, QStringLiteral("/d/waiting.json")),
             QStringList{QStringLiteral("local0")});
    QVERIFY(store.appliedDestinations(mls, sync, QStringLiteral("/d/gone.json"))->isEmpty());
    // Another process's marks are its own.
    QCOMPARE(store.appliedDestinations(mls, QStringLiteral("purge"), QStringLiteral("Property"))->size(), 1);
    QCOMPARE(store.keptDownloads(mls, QStringLiteral("Property"))->size(), 1);
    QVERIFY(store.forgetKeptDownload(mls, QStringLiteral("Property"), QStringLiteral("f")));
    QVERIFY(store.keptDownloads(mls, QStringLiteral("Property"))->isEmpty());
    QCOMPARE(store.keptDownloads(mls, QStringLiteral("Member"))->size(), 1);
    QVERIFY(store.forgetSource(mls));
    QVERIFY(store.keptDownloads(mls, QStringLiteral("Member"))->isEmpty());
    QVERIFY(store.appliedDestinations(mls, sync, QStringLiteral("/d/waiting.json"))->isEmpty());
}

void TestStores::statsStoreMigratesFromEveryOlderVersion_data() {
    QTest::addColumn<int>("from");
    for (int v = 0; v < int(StatsStore::migrations().size()); ++v)
        QTest::addRow("version %d", v) << v;
}

void TestStores::statsStoreMigratesFromEveryOlderVersion() {
    QFETCH(int, from);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stats.sqlite"));
    makeFileAt(path, StatsStore::migrations(), from);
    if (QTest::currentTestFailed())
        return;
    if (from >= 1) {
        rawQuery(path,
                 {QStringLiteral("INSERT INTO run (source, process, batch_id, started, finished, result) "
                                 "VALUES ('mls', 'sync', 'b1', '2024-01-01T00:00:00Z', "
                                 "'2024-01-01T00:05:00Z', 'success')"),
                  QStringLiteral("INSERT INTO run_resource (run_id, resource, records_downloaded) "
                                 "VALUES (1, 'Property', 42)"),
                  QStringLiteral("INSERT INTO run_destination (run_id, resource, destination, "
                                 "records_applied) VALUES (1, 'Property', 'local0', 40)")});
    }

    StatsStore store(path);
    auto opened = store.open();
    QVERIFY2(opened, why(opened));
    QCOMPARE(store.schemaVersion(), 6);
    QCOMPARE(storedVersion(path), 6);
    if (from >= 1) {
        auto last = store.lastRun(QStringLiteral("mls"), QString());
        QVERIFY2(last, why(last));
        QVERIFY(last->has_value());
        QCOMPARE((*last)->batchId, QStringLiteral("b1"));
        QCOMPARE((*last)->records, 42);
    }
    // Version 2's tables are there and used.
    QVERIFY(store.addUsage(QStringLiteral("mls"), QDateTime::currentDateTimeUtc(), 3, 1000, 1));
    auto usage = store.usage(QStringLiteral("mls"), 1);
    QVERIFY2(usage, why(usage));
    QCOMPARE(usage->size(), 1);
    QCOMPARE(usage->first().requests, 3);
    QVERIFY(store.recordEvent(0, QStringLiteral("mls"), QStringLiteral("sync"), QStringLiteral("Property"),
                              QStringLiteral("count"), QStringLiteral("wrong count")));
    auto events = store.events(QStringLiteral("mls"), QString(), 10);
    QVERIFY(events && events->size() == 1);
    // Version 3's alert tables are there.
    QCOMPARE(rawQuery(path, {QStringLiteral("SELECT COUNT(*) FROM alert_open")}).toInt(), 0);
    QCOMPARE(rawQuery(path, {QStringLiteral("SELECT COUNT(*) FROM alert_streak")}).toInt(), 0);
    // Version 4's heartbeat rows: one per instance, stopped when it ends.
    auto instance = store.startInstance(QStringLiteral("serve"), 4242, QStringLiteral("host"));
    QVERIFY2(instance, why(instance));
    QVERIFY(store.beatInstance(*instance));
    QVERIFY(store.stopInstance(*instance));
    auto instances = store.instances();
    QVERIFY2(instances, why(instances));
    QCOMPARE(instances->size(), 1);
    QCOMPARE(instances->first().pid, 4242);
    QVERIFY(!instances->first().stopped.isEmpty());
    // Version 6: an instance names the data directory it runs the schedules of.
    QVERIFY(store.startInstance(QStringLiteral("desktop"), 4343, QStringLiteral("host"),
                                QStringLiteral("/data/a")));
    auto ofA = store.instances(20, QStringLiteral("/data/a"));
    QVERIFY2(ofA, why(ofA));
    QCOMPARE(ofA->size(), 1);
    QCOMPARE(ofA->first().pid, 4343);
    // Version 5: rows of older versions have no page times; new rows have them, the first kept.
    if (from >= 1) {
        RunQuery query;
        query.source = QStringLiteral("mls");
        auto old = store.history(query);
        QVERIFY2(old, why(old));
        QCOMPARE(old->size(), 1);
        QCOMPARE(old->first().resources.size(), 1);
        QVERIFY(old->first().resources.first().firstPage.isEmpty());
        QVERIFY(old->first().run.host.isEmpty()); // version 6 added it
        QCOMPARE(old->first().destinations.first().applied, 40);
        QVERIFY(old->first().destinations.first().lastPage.isEmpty());
    }
    const QDateTime t0(QDate(2024, 6, 1), QTime(10, 0), Qt::UTC);
    auto run = store.startRun(QStringLiteral("mls"), QStringLiteral("sync"), QStringLiteral("b5"), t0);
    QVERIFY2(run, why(run));
    QVERIFY(store.addResourceCounts(*run, QStringLiteral("Media"), 10, 20, 1, t0.addSecs(5)));
    QVERIFY(store.addResourceCounts(*run, QStringLiteral("Media"), 10, 20, 1, t0.addSecs(9)));
    QVERIFY(store.addDestinationCount(*run, QStringLiteral("Media"), QStringLiteral("local0"), 20,
                                      t0.addSecs(12)));
    RunQuery recent;
    recent.startedFrom = t0;
    auto detail = store.history(recent);
    QVERIFY2(detail, why(detail));
    QCOMPARE(detail->size(), 1);
    QCOMPARE(detail->first().run.started, QStringLiteral("2024-06-01T10:00:00.000Z"));
    QCOMPARE(detail->first().run.host, QSysInfo::machineHostName());
    QCOMPARE(detail->first().resources.first().downloaded, 20);
    QCOMPARE(detail->first().resources.first().firstPage, QStringLiteral("2024-06-01T10:00:05.000Z"));
    QCOMPARE(detail->first().resources.first().lastPage, QStringLiteral("2024-06-01T10:00:09.000Z"));
    QCOMPARE(detail->first().destinations.first().firstPage, QStringLiteral("2024-06-01T10:00:12.000Z"));
    // The count samples of version 5.
    QVERIFY(store.addCountSamples(
        QStringLiteral("mls"), {CountSample{t0, QStringLiteral("Media"), {}, 20, {}},
                                CountSample{t0, QStringLiteral("Media"), QStringLiteral("local0"), 19, {}}}));
    auto samples = store.countSamples(QStringLiteral("mls"), t0, t0.addSecs(1));
    QVERIFY2(samples, why(samples));
    QCOMPARE(samples->size(), 2);
    QCOMPARE(samples->at(0).destination, QString());
    QCOMPARE(samples->at(1).count, 19);
}

void TestStores::newerVersionIsRefused() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("state.sqlite"));
    const int current = int(StateStore::migrations().size());
    makeFileAt(path, StateStore::migrations(), current);
    if (QTest::currentTestFailed())
        return;
    rawQuery(path, {QStringLiteral("UPDATE schema_version SET version = %1").arg(current + 1)});

    StateStore store(path);
    auto opened = store.open();
    QVERIFY(!opened);
    QVERIFY2(opened.errorMessage().contains(path), qPrintable(opened.errorMessage()));
    QVERIFY2(opened.errorMessage().contains(QStringLiteral("schema version %1 is newer than this program "
                                                           "understands (%2)")
                                                .arg(current + 1)
                                                .arg(current)),
             qPrintable(opened.errorMessage()));
    QCOMPARE(storedVersion(path), current + 1);
}

void TestStores::failedStepLeavesThePreviousVersion() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("state.sqlite"));
    makeFileAt(path, StateStore::migrations(), 1);
    if (QTest::currentTestFailed())
        return;
    // A column of version 2's second statement already there: its first statement succeeds, the
    // second fails, and the transaction must take the first back too.
    rawQuery(path, {QStringLiteral("ALTER TABLE batch_resource ADD COLUMN count_before INTEGER")});

    {
        StateStore store(path);
        auto opened = store.open();
        QVERIFY(!opened);
        QVERIFY2(opened.errorMessage().contains(QStringLiteral("migration to schema version 2")),
                 qPrintable(opened.errorMessage()));
        QVERIFY2(opened.errorMessage().contains(path), qPrintable(opened.errorMessage()));
    }
    QCOMPARE(storedVersion(path), 1);
    QVERIFY(!columns(path, QStringLiteral("batch_resource")).contains(QStringLiteral("keys_started")));
}

// Jobs of several sources open a new state.sqlite at the same moment (the job queue starts them
// together): every opening succeeds and the schema is created once.
void TestStores::concurrentFirstOpens() {
    for (int round = 0; round < 20; ++round) {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("state.sqlite"));
        std::atomic<int> failures{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (int i = 0; i < 6; ++i)
            threads.emplace_back([&] {
                while (!go.load())
                    std::this_thread::yield();
                StateStore store(path);
                if (auto opened = store.open(); !opened) {
                    qWarning().noquote() << opened.errorMessage();
                    ++failures;
                }
            });
        go = true;
        for (std::thread& t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(storedVersion(path), int(StateStore::migrations().size()));
        QCOMPARE(rawQuery(path, {QStringLiteral("SELECT COUNT(*) FROM schema_version")}).toInt(), 1);
    }
}

void TestStores::reopeningChangesNothing() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stats.sqlite"));
    {
        StatsStore store(path);
        QVERIFY(store.open());
        QVERIFY(store.startRun(QStringLiteral("mls"), QStringLiteral("sync"), QStringLiteral("b1")));
    }
    StatsStore again(path);
    auto opened = again.open();
    QVERIFY2(opened, why(opened));
    QCOMPARE(again.schemaVersion(), 6);
    QCOMPARE(rawQuery(path, {QStringLiteral("SELECT COUNT(*) FROM schema_version")}).toInt(), 1);
    auto last = again.lastRun(QStringLiteral("mls"), QString());
    QVERIFY(last && last->has_value());
}

QTEST_GUILESS_MAIN(TestStores)
#include "tst_stores.moc"
