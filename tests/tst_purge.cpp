// Purge through the real openresync-cli against the fake RESO server, into real SQLite files.
#include "CliFixture.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include <csignal>

using namespace ors;
using namespace ors::test;

class TestPurge : public QObject {
    Q_OBJECT

private:
    struct Fixture : CliFixture {
        QString one;
        QString two;
    };

    std::unique_ptr<Fixture> synced(int listings, const QJsonObject& purge = {}, bool trickyKeys = true,
                                    const QJsonObject& sourceFields = {}) {
        auto f = std::make_unique<Fixture>();
        fake::ServerOptions options;
        options.listingCount = listings;
        options.trickyKeys = trickyKeys;
        options.maxPageSize = 70; // several key pages
        if (!f->startServer(options))
            return nullptr;
        f->one = f->path(QStringLiteral("one.sqlite"));
        f->two = f->path(QStringLiteral("two.sqlite"));
        QJsonObject source =
            sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->one, f->two}, 100);
        if (!purge.isEmpty())
            source.insert(QStringLiteral("purge"), purge);
        for (auto it = sourceFields.begin(); it != sourceFields.end(); ++it)
            source.insert(it.key(), it.value());
        f->writeSource(source);
        const CliResult sync = f->run(QStringLiteral("sync"));
        if (sync.exitCode != 0) {
            qWarning() << sync.err;
            return nullptr;
        }
        return f;
    }

    int rows(const QString& sqlite, const QString& table, const QString& key) {
        return int(readTable(sqlite, table, key).size());
    }

    // Starts a purge whose deletes wait, and SIGKILLs it once its key list is on disk and both
    // destinations' deletions are computed, before anything is deleted.
    bool killAfterKeyDownload(const Fixture& f) {
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_DELAY_MS"), QStringLiteral("5000"));
        auto process = f.launch(QStringLiteral("purge"), env);
        QElapsedTimer timer;
        timer.start();
        while (filesUnder(f.dataDir, QStringLiteral("purge_batch_*.deletes")).size() < 2) {
            if (timer.elapsed() > 30000 || process->state() == QProcess::NotRunning)
                return false;
            QTest::qWait(20);
        }
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        return true;
    }

private Q_SLOTS:
    void deletedRecordsArePurgedWithTheirMedia() {
        auto f = synced(300);
        QVERIFY(f);
        const QStringList deleted = f->server->deleteRecords(6);
        QCOMPARE(deleted.size(), 6);
        const int mediaBefore = rows(f->one, QStringLiteral("Media"), QStringLiteral("MediaKey"));
        const CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        for (const QString& path : {f->one, f->two}) {
            const QStringList diff = listingDifferences(*f->server, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
            const auto table = readTable(path, QStringLiteral("Property"), QStringLiteral("ListingKey"));
            for (const QString& key : deleted)
                QVERIFY2(!table.contains(key), qPrintable(key));
        }
        QVERIFY(rows(f->one, QStringLiteral("Media"), QStringLiteral("MediaKey")) <= mediaBefore);
        QVERIFY(purge.err.contains("deleted 6 of 300 rows"));
        QVERIFY(filesUnder(f->dataDir, QStringLiteral("purge_batch_*")).isEmpty());
        // Nothing left to purge: a second run deletes nothing.
        const CliResult again = f->run(QStringLiteral("purge"));
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.err.contains("deleted 0 of 294 rows"));
    }

    void dryRunListsKeysAndChangesNothing() {
        auto f = synced(120);
        QVERIFY(f);
        const QStringList deleted = f->server->deleteRecords(3);
        const CliResult dry =
            f->cli({QStringLiteral("purge"), QStringLiteral("mls"), QStringLiteral("--dry-run")});
        QVERIFY2(dry.exitCode == 0, dry.err.constData());
        const QList<QByteArray> lines = dry.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 6); // three keys, two destinations
        for (const QString& key : deleted) {
            for (const char* destination : {"local0", "local1"}) {
                const QByteArray line = QByteArray(destination) + "\tProperty\t" + key.toUtf8() + '\n';
                QVERIFY2(dry.out.contains(line), line.constData());
            }
        }
        QCOMPARE(rows(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")), 120);
        QCOMPARE(rows(f->two, QStringLiteral("Property"), QStringLiteral("ListingKey")), 120);
        QVERIFY(filesUnder(f->dataDir, QStringLiteral("purge_batch_*")).isEmpty());
    }

    void limitsRefuseAndLeaveDestinationsUntouched_data() {
        QTest::addColumn<QJsonObject>("purge");
        QTest::addColumn<int>("deletes");
        QTest::newRow("maxDeletes") << QJsonObject{{QStringLiteral("maxDeletes"), 4}} << 5;
        QTest::newRow("maxDeletePercent") << QJsonObject{{QStringLiteral("maxDeletePercent"), 2}} << 5;
        QTest::newRow("default percent (5)") << QJsonObject{} << 12;
    }

    void limitsRefuseAndLeaveDestinationsUntouched() {
        QFETCH(QJsonObject, purge);
        QFETCH(int, deletes);
        auto f = synced(200, purge, false);
        QVERIFY(f);
        f->server->deleteRecords(deletes);
        const CliResult refused = f->run(QStringLiteral("purge"));
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains("refused") && refused.err.contains("--allow-large-delete"),
                 refused.err.constData());
        QCOMPARE(rows(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")), 200);
        QCOMPARE(rows(f->two, QStringLiteral("Property"), QStringLiteral("ListingKey")), 200);
        // The refusal is in the stats store, shown by status.
        const CliResult status = f->cli({QStringLiteral("status"), QStringLiteral("--json")});
        const QJsonObject last =
            QJsonDocument::fromJson(status.out)
                .object()[QStringLiteral("sources")][0][QStringLiteral("lastRuns")][QStringLiteral("purge")]
                .toObject();
        QCOMPARE(last[QStringLiteral("result")].toString(), QStringLiteral("refused"));
        QVERIFY(last[QStringLiteral("error")].toString().contains(QStringLiteral("refused")));
        // The user looked and agrees: the override deletes exactly the missing records.
        const CliResult allowed =
            f->cli({QStringLiteral("purge"), QStringLiteral("mls"), QStringLiteral("--allow-large-delete")});
        QVERIFY2(allowed.exitCode == 0, allowed.err.constData());
        QCOMPARE(rows(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")), 200 - deletes);
        const QStringList diff = listingDifferences(*f->server, f->two);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void countMismatchRefuses() {
        auto f = synced(150);
        QVERIFY(f);
        f->server->deleteRecords(2);
        f->server->setCountBias(1); // the server claims one record more than it lists
        const CliResult refused = f->run(QStringLiteral("purge"));
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains("@odata.count"), refused.err.constData());
        QCOMPARE(rows(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")), 150);
        f->server->setCountBias(0);
        const CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        QCOMPARE(rows(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")), 148);
    }

    void resumesAfterKillDuringKeyDownload() {
        auto f = synced(400, {}, true);
        QVERIFY(f);
        f->server->deleteRecords(4);
        fake::Fault slow;
        slow.kind = fake::Fault::Kind::Slow;
        slow.pathContains = QStringLiteral("Property");
        slow.delayMs = 250;
        slow.count = 1000;
        f->server->injectFault(slow);
        auto process = f->launch(QStringLiteral("purge"));
        const QString dir = f->pageDir();
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(dir, QStringLiteral("purge_batch_*.json")).size() >= 2, 30000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        f->server->clearFaults();
        const CliResult resumed = f->run(QStringLiteral("purge"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(resumed.err.contains("purge mls: resumed the unfinished batch begun at 20"),
                 resumed.err.constData());
        for (const QString& path : {f->one, f->two}) {
            const QStringList diff = listingDifferences(*f->server, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        // It continued after the last key on disk instead of starting over.
        bool continued = false;
        for (const QString& target : f->server->requestLog())
            if (target.contains(QStringLiteral("ListingKey%20gt%20")))
                continued = true;
        QVERIFY(continued);
    }

    void resumesAfterKillDuringDeletes() {
        auto f = synced(300, {{QStringLiteral("maxDeletePercent"), 10}}, true);
        QVERIFY(f);
        f->server->deleteRecords(6);
        // Each delete transaction waits first: once the first destination has its deletions, the
        // second is still waiting when the kill arrives.
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_DELAY_MS"), QStringLiteral("4000"));
        auto process = f->launch(QStringLiteral("purge"), env);
        QTRY_VERIFY_WITH_TIMEOUT(
            rows(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")) == 294, 60000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        QCOMPARE(rows(f->two, QStringLiteral("Property"), QStringLiteral("ListingKey")), 300);
        const CliResult resumed = f->run(QStringLiteral("purge"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        for (const QString& path : {f->one, f->two}) {
            const QStringList diff = listingDifferences(*f->server, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        QVERIFY(filesUnder(f->dataDir, QStringLiteral("purge_batch_*")).isEmpty());
    }

    // A record the MLS gains after the purge's key download began, and that a sync brings in
    // before the purge resumes, is not in the key list: the guarded delete keeps it.
    void recordSyncedAfterKeyDownloadSurvivesResumedPurge() {
        auto f = synced(300, {}, false);
        QVERIFY(f);
        const QStringList deleted = f->server->deleteRecords(3);
        QVERIFY(killAfterKeyDownload(*f));
        QCOMPARE(rows(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")), 300);
        f->server->setWallClockTimestamps(true);
        const QStringList added = f->server->addRecords(1);
        const CliResult sync = f->run(QStringLiteral("sync"));
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        QCOMPARE(rows(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")), 301);

        const CliResult resumed = f->run(QStringLiteral("purge"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        for (const QString& path : {f->one, f->two}) {
            const auto table = readTable(path, QStringLiteral("Property"), QStringLiteral("ListingKey"));
            QVERIFY2(table.contains(added.first()), qPrintable(path));
            for (const QString& key : deleted)
                QVERIFY2(!table.contains(key), qPrintable(key));
            const QStringList diff = listingDifferences(*f->server, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        QVERIFY2(resumed.err.contains("deleted 3 of 301 rows (kept 1 changed since the key download began)"),
                 resumed.err.constData());
    }

    // A resumed purge deletes what its key list lacks; a record the MLS deleted after that list
    // began is in it, so it stays until the next purge, which lists the keys afresh.
    void deletionAfterTheKeyListBeganWaitsForTheNextPurge() {
        auto f = synced(300, {}, false);
        QVERIFY(f);
        const QStringList first = f->server->deleteRecords(3);
        QVERIFY(killAfterKeyDownload(*f));
        const QStringList later = f->server->deleteRecords(2);
        const CliResult resumed = f->run(QStringLiteral("purge"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(resumed.err.contains("purge mls: resumed the unfinished batch begun at 20"),
                 resumed.err.constData());
        for (const QString& path : {f->one, f->two}) {
            const auto table = readTable(path, QStringLiteral("Property"), QStringLiteral("ListingKey"));
            for (const QString& key : first)
                QVERIFY2(!table.contains(key), qPrintable(key));
            for (const QString& key : later)
                QVERIFY2(table.contains(key), qPrintable(key));
        }
        const CliResult next = f->run(QStringLiteral("purge"));
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QVERIFY2(!next.err.contains("resumed the unfinished batch"), next.err.constData());
        for (const QString& path : {f->one, f->two}) {
            const QStringList diff = listingDifferences(*f->server, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
    }

    // A resumed purge whose key list is older than purge.maxKeyListAgeMinutes downloads the keys
    // again: a record the MLS deleted after the old list was taken is purged too.
    void oldKeyListIsDownloadedAgain() {
        auto f = synced(300, {{QStringLiteral("maxKeyListAgeMinutes"), 30}}, false);
        QVERIFY(f);
        f->server->deleteRecords(3);
        QVERIFY(killAfterKeyDownload(*f));
        const QStringList later = f->server->deleteRecords(2);
        {
            // The list on disk began 31 minutes ago.
            const QString name = QStringLiteral("age-state");
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(QDir(f->dataDir).filePath(QStringLiteral("state.sqlite")));
            QVERIFY(db.open());
            QSqlQuery query(db);
            query.prepare(
                QStringLiteral("UPDATE batch_resource SET keys_started = ? WHERE process = 'purge'"));
            query.addBindValue(QDateTime::currentDateTimeUtc().addSecs(-31 * 60).toString(
                QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'")));
            QVERIFY(query.exec());
            QVERIFY(query.numRowsAffected() >= 1);
            query.finish();
            db.close();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
        }
        f->server->clearRequestLog();
        const CliResult resumed = f->run(QStringLiteral("purge"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        for (const QString& path : {f->one, f->two}) {
            const auto table = readTable(path, QStringLiteral("Property"), QStringLiteral("ListingKey"));
            for (const QString& key : later)
                QVERIFY2(!table.contains(key), qPrintable(key));
            const QStringList diff = listingDifferences(*f->server, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        bool keysAgain = false;
        for (const QString& target : f->server->requestLog())
            if (target.contains(QStringLiteral("%24select=ListingKey&")) ||
                target.contains(QStringLiteral("$select=ListingKey&")))
                keysAgain = true;
        QVERIFY(keysAgain);
        QVERIFY(
            f->sourceLog().contains("more than purge.maxKeyListAgeMinutes=30: downloading the keys again"));
    }

    // Profiles whose key download asks no @odata.count: the count is asked apart, before and after.
    void countAskedApartWhenTheKeyDownloadHasNone_data() {
        QTest::addColumn<int>("support");
        QTest::newRow("$top=0&$count=true") << int(fake::CountSupport::Both);
        QTest::newRow("/$count") << int(fake::CountSupport::PathOnly);
    }

    void countAskedApartWhenTheKeyDownloadHasNone() {
        QFETCH(int, support);
        auto f = synced(150, {}, true,
                        {{QStringLiteral("profile"), QJsonObject{{QStringLiteral("count"), false}}}});
        QVERIFY(f);
        f->server->deleteRecords(2);
        f->server->setCountSupport(fake::CountSupport(support));
        f->server->setCountBias(1); // the MLS counts one record its key list lacks
        f->server->clearRequestLog();
        const CliResult refused = f->run(QStringLiteral("purge"));
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(
            refused.err.contains("the MLS counts 149 records (before the key download: 149, after: 149) but "
                                 "148 distinct keys arrived"),
            refused.err.constData());
        QCOMPARE(rows(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")), 150);
        // The key pages themselves asked no count.
        for (const QString& target : f->server->requestLog())
            if (target.contains(QStringLiteral("select=ListingKey")))
                QVERIFY2(!target.contains(QStringLiteral("count=true")), qPrintable(target));
        f->server->setCountBias(0);
        const CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        QCOMPARE(rows(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")), 148);
        QVERIFY(!purge.err.contains("only guard"));
    }

    void noCountAtAllSaysTheLimitsAreTheOnlyGuard() {
        auto f = synced(150, {}, true,
                        {{QStringLiteral("profile"), QJsonObject{{QStringLiteral("count"), false}}}});
        QVERIFY(f);
        f->server->deleteRecords(2);
        f->server->setCountSupport(fake::CountSupport::None);
        const CliResult purge = f->run(QStringLiteral("purge"));
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        QCOMPARE(rows(f->one, QStringLiteral("Property"), QStringLiteral("ListingKey")), 148);
        const QByteArray only =
            "the deletion limits purge.maxDeletes and purge.maxDeletePercent are the only guard";
        QVERIFY2(purge.err.contains("warning: purge mls: the server sent no record count for Property") &&
                     purge.err.contains(only),
                 purge.err.constData());
        QVERIFY(f->sourceLog().contains(only));
        const CliResult json =
            f->cli({QStringLiteral("purge"), QStringLiteral("mls"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray warnings =
            QJsonDocument::fromJson(json.out).object()[QStringLiteral("warnings")].toArray();
        QVERIFY(!warnings.isEmpty() && warnings.first().toString().contains(QString::fromLatin1(only)));
    }
};

QTEST_GUILESS_MAIN(TestPurge)
#include "tst_purge.moc"
