// End to end through the real openresync-cli executable against the fake RESO server on
// loopback, into real SQLite files.
#include "TestSupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

using namespace ors;
using namespace ors::test;

class TestEndToEnd : public QObject {
    Q_OBJECT

private:
    struct Fixture {
        std::unique_ptr<fake::FakeResoServer> server;
        QTemporaryDir dir;
        QString config;
        QString dataDir;
        QString sqlite;
        QString sqlite2;
    };

    std::unique_ptr<Fixture> makeFixture(fake::ServerOptions options, int pageSize = 100,
                                         bool twoDestinations = false) {
        auto f = std::make_unique<Fixture>();
        f->server = std::make_unique<fake::FakeResoServer>(options);
        if (!f->server->start())
            return nullptr;
        f->dataDir = f->dir.filePath(QStringLiteral("data"));
        f->sqlite = f->dir.filePath(QStringLiteral("dest/one.sqlite"));
        f->sqlite2 = f->dir.filePath(QStringLiteral("dest/two.sqlite"));
        QStringList paths{f->sqlite};
        if (twoDestinations)
            paths.append(f->sqlite2);
        f->config = writeConfig(
            f->dir.path(),
            configWith(sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), paths, pageSize)));
        return f;
    }

    QStringList args(const Fixture& f, const QStringList& command) {
        return QStringList{QStringLiteral("--config"), f.config, QStringLiteral("--data-dir"), f.dataDir} +
               command;
    }

    QStringList differences(const Fixture& f, const QString& sqlite) {
        QStringList all = compareWithServer(*f.server, QStringLiteral("Property"), sqlite,
                                            QStringLiteral("Property"), QStringLiteral("ListingKey"));
        all += compareWithServer(*f.server, QStringLiteral("Media"), sqlite, QStringLiteral("Media"),
                                 QStringLiteral("MediaKey"), QStringLiteral("ListingKey"),
                                 QStringLiteral("ResourceRecordKey"));
        all += compareWithServer(*f.server, QStringLiteral("Member"), sqlite, QStringLiteral("Member"),
                                 QStringLiteral("MemberKey"));
        return all;
    }

    QStringList leftovers(const Fixture& f) {
        return filesUnder(QDir(f.dataDir).filePath(QStringLiteral("sources")), QStringLiteral("*.json"));
    }

    // Starts a sync of every page, waits until all ten Property pages are on disk and some were
    // applied, and kills it with SIGKILL while it applies the rest.
    bool killDuringApply(Fixture& f) {
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_DELAY_MS"), QStringLiteral("200"));
        auto process = startCli(args(f, {QStringLiteral("sync"), QStringLiteral("mls")}), env);
        const QString dir = QDir(f.dataDir).filePath(QStringLiteral("sources/mls/downloadedData/Property"));
        auto pages = [&] { return filesUnder(dir, QStringLiteral("sync_batch_*.json")).size(); };
        bool ok = QTest::qWaitFor([&] { return pages() == 10; }, 30000) &&
                  QTest::qWaitFor([&] { return pages() <= 7; }, 30000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        if (!ok || pages() == 0) {
            qWarning("the run was not killed while applying (%lld page files left)", qint64(pages()));
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initialAndIncrementalSync() {
        fake::ServerOptions options;
        options.listingCount = 400;
        options.sameTimestampGroupSize = 150; // a group sharing one timestamp spans pages of 100
        options.trickyKeys = true;
        auto f = makeFixture(options, 100, true);
        QVERIFY(f);

        CliResult first = runCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        QVERIFY2(first.exitCode == 0, first.err.constData());
        for (const QString& path : {f->sqlite, f->sqlite2}) {
            const QStringList diff = differences(*f, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        QVERIFY2(leftovers(*f).isEmpty(), qPrintable(leftovers(*f).join(QLatin1Char(' '))));

        // The server changes 10% of the listings and adds a few: the next sync asks only for
        // what is newer than the high-water mark and ends equal again.
        const QStringList changed = f->server->changeRecords(0.1);
        QVERIFY(changed.size() >= 40);
        f->server->addRecords(7);
        f->server->clearRequestLog();
        CliResult second = runCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        QVERIFY2(second.exitCode == 0, second.err.constData());
        for (const QString& path : {f->sqlite, f->sqlite2}) {
            const QStringList diff = differences(*f, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        bool incremental = false;
        for (const QString& target : f->server->requestLog())
            if (target.contains(QStringLiteral("/Property?")) &&
                target.contains(QStringLiteral("ModificationTimestamp%20gt%20")))
                incremental = true;
        QVERIFY2(incremental, qPrintable(f->server->requestLog().join(QLatin1Char('\n'))));

        // status --json: exactly one JSON document on stdout, counts equal on both sides.
        CliResult status = runCli(args(*f, {QStringLiteral("status"), QStringLiteral("--json")}));
        QCOMPARE(status.exitCode, 0);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(status.out, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, status.out.constData());
        const QJsonObject property =
            doc.object()[QStringLiteral("sources")][0][QStringLiteral("resources")][0].toObject();
        QCOMPARE(property[QStringLiteral("name")].toString(), QStringLiteral("Property"));
        const qint64 mlsCount = property[QStringLiteral("mls")][QStringLiteral("count")].toInteger();
        QCOMPARE(mlsCount, qint64(f->server->records(QStringLiteral("Property")).size()));
        for (const QJsonValue& d : property[QStringLiteral("destinations")].toArray()) {
            QCOMPARE(d[QStringLiteral("count")].toInteger(), mlsCount);
            QVERIFY(d[QStringLiteral("newestMatches")].toBool());
        }
        QCOMPARE(doc.object()[QStringLiteral("sources")][0][QStringLiteral("lastRuns")]
                             [QStringLiteral("sync")][QStringLiteral("result")]
                                 .toString(),
                 QStringLiteral("success"));

        CliResult text = runCli(args(*f, {QStringLiteral("status"), QStringLiteral("mls")}));
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("Property"));
        QVERIFY(text.out.contains("in sync"));
    }

    void resumesAfterKillDuringDownload() {
        fake::ServerOptions options;
        options.listingCount = 600;
        options.sameTimestampGroupSize = 120;
        auto f = makeFixture(options, 50);
        QVERIFY(f);
        fake::Fault slow;
        slow.kind = fake::Fault::Kind::Slow;
        slow.pathContains = QStringLiteral("Property");
        slow.delayMs = 150;
        slow.count = 1000;
        f->server->injectFault(slow);

        auto process = startCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        const QString dir = QDir(f->dataDir).filePath(QStringLiteral("sources/mls/downloadedData/Property"));
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size() >= 3, 30000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        QVERIFY(!filesUnder(dir, QStringLiteral("sync_batch_*.json")).isEmpty());
        f->server->clearFaults();
        // The server moves on while the program is down.
        f->server->changeRecords(0.05);

        CliResult resumed = runCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QStringList diff = differences(*f, f->sqlite);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QVERIFY(leftovers(*f).isEmpty());
    }

    void resumesAfterKillDuringApply() {
        fake::ServerOptions options;
        options.listingCount = 500;
        auto f = makeFixture(options, 50, true);
        QVERIFY(f);
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_DELAY_MS"), QStringLiteral("200"));
        auto process = startCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}), env);
        const QString dir = QDir(f->dataDir).filePath(QStringLiteral("sources/mls/downloadedData/Property"));
        // All ten pages downloaded, then files disappear one by one as they are applied.
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size() == 10, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size() <= 7, 30000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        const int remaining = int(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size());
        QVERIFY2(remaining > 0, "the run should have been killed while applying");

        CliResult resumed = runCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        for (const QString& path : {f->sqlite, f->sqlite2}) {
            const QStringList diff = differences(*f, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        QVERIFY(leftovers(*f).isEmpty());
        // Resuming applied the remaining files instead of downloading everything again.
        QVERIFY(resumed.err.contains("records downloaded"));
    }

    // A sync that resumes a batch downloaded by a killed run also fetches what the server changed
    // since, in the same run: exit 0 means every destination is current.
    void resumedBatchThenChangesSinceInOneRun() {
        fake::ServerOptions options;
        options.listingCount = 500;
        auto f = makeFixture(options, 50, true);
        QVERIFY(f);
        QVERIFY(killDuringApply(*f));
        const QStringList changed = f->server->changeRecords(0.1);
        QVERIFY(changed.size() >= 40);
        const QStringList added = f->server->addRecords(12);

        CliResult resumed = runCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(resumed.err.contains("sync mls: resumed the unfinished batch begun at 20"),
                 resumed.err.constData());
        for (const QString& path : {f->sqlite, f->sqlite2}) {
            const QStringList diff = differences(*f, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        QVERIFY(leftovers(*f).isEmpty());
        // The run's stats record both parts.
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("resumedStats"));
        db.setDatabaseName(QDir(f->dataDir).filePath(QStringLiteral("stats.sqlite")));
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT message FROM event WHERE kind = 'resumed-batch'")));
            QVERIFY(q.next());
            QVERIFY2(q.value(0).toString().contains(QLatin1String("fetching what changed since")),
                     qPrintable(q.value(0).toString()));
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("resumedStats"));

        // The next sync finds nothing left to resume.
        CliResult next = runCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        QVERIFY2(next.exitCode == 0, next.err.constData());
        QVERIFY2(!next.err.contains("resumed"), next.err.constData());
    }

    // --resume-only keeps the old behaviour for those who want it: the batch on disk is applied
    // and nothing newer is asked for.
    void resumeOnlyAppliesTheBatchAlone() {
        fake::ServerOptions options;
        options.listingCount = 500;
        auto f = makeFixture(options, 50, false);
        QVERIFY(f);
        QVERIFY(killDuringApply(*f));
        QVERIFY(f->server->changeRecords(0.1).size() >= 40);
        f->server->clearRequestLog();

        CliResult resumed = runCli(
            args(*f, {QStringLiteral("sync"), QStringLiteral("mls"), QStringLiteral("--resume-only")}));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(resumed.err.contains("sync mls: resumed the unfinished batch begun at"),
                 resumed.err.constData());
        QVERIFY2(!differences(*f, f->sqlite).isEmpty(), "--resume-only must not fetch the newer changes");
        for (const QString& target : f->server->requestLog())
            QVERIFY2(!target.contains(QStringLiteral("/Property?")), qPrintable(target));
        QVERIFY(leftovers(*f).isEmpty());

        CliResult next = runCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        QVERIFY2(next.exitCode == 0, next.err.constData());
        const QStringList diff = differences(*f, f->sqlite);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void destinationAddedLaterIsFilled() {
        fake::ServerOptions options;
        options.listingCount = 150;
        auto f = makeFixture(options, 100);
        QVERIFY(f);
        CliResult first = runCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        QVERIFY2(first.exitCode == 0, first.err.constData());
        f->server->changeRecords(0.1);
        // A second, empty destination joins: the high-water mark of the first must not keep
        // the new one from receiving everything.
        f->config =
            writeConfig(f->dir.path(), configWith(sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(),
                                                               {f->sqlite, f->sqlite2}, 100)));
        CliResult second = runCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        QVERIFY2(second.exitCode == 0, second.err.constData());
        for (const QString& path : {f->sqlite, f->sqlite2}) {
            const QStringList diff = differences(*f, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        // Rows deleted from a destination by hand, emptying it, are restored the same way.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("wipe"));
            db.setDatabaseName(f->sqlite);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("DELETE FROM Property")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("wipe"));
        CliResult third = runCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        QVERIFY2(third.exitCode == 0, third.err.constData());
        QCOMPARE(readTable(f->sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 150);
    }

    void plusSignInFilterReachesServer() {
        fake::ServerOptions options;
        options.listingCount = 60;
        auto f = makeFixture(options);
        QVERIFY(f);
        QJsonObject source = sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->sqlite});
        QJsonArray resources{
            QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")},
                        {QStringLiteral("filter"),
                         QStringLiteral("ModificationTimestamp gt 2000-01-01T00:00:00+00:00 and "
                                        "ListingKey ne 'a+b&c#d;e''f'")}}};
        source.insert(QStringLiteral("resources"), resources);
        f->config = writeConfig(f->dir.path(), configWith(source));
        CliResult result = runCli(args(*f, {QStringLiteral("sync"), QStringLiteral("mls")}));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(readTable(f->sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 60);
        bool encoded = false;
        for (const QString& target : f->server->requestLog())
            if (target.contains(QStringLiteral("%2B00%3A00")) &&
                target.contains(QStringLiteral("a%2Bb%26c%23d%3Be%27%27f")))
                encoded = true;
        QVERIFY2(encoded, qPrintable(f->server->requestLog().join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestEndToEnd)
#include "tst_endtoend.moc"
