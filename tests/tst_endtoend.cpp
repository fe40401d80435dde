// End to end through the real openresync-cli executable against the fake RESO server on
// loopback, into real SQLite files.
#include "CliFixture.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <QUrl>

#include <csignal>

using namespace ors;
using namespace ors::test;

class TestEndToEnd : public QObject {
    Q_OBJECT

private:
    struct Fixture : CliFixture {
        QString sqlite;
        QString sqlite2;
    };

    std::unique_ptr<Fixture> makeFixture(fake::ServerOptions options, int pageSize = 100,
                                         bool twoDestinations = false) {
        auto f = std::make_unique<Fixture>();
        if (!f->startServer(options))
            return nullptr;
        f->sqlite = f->path(QStringLiteral("dest/one.sqlite"));
        f->sqlite2 = f->path(QStringLiteral("dest/two.sqlite"));
        QStringList paths{f->sqlite};
        if (twoDestinations)
            paths.append(f->sqlite2);
        f->writeSource(sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), paths, pageSize));
        return f;
    }

    static QStringList differences(const Fixture& f, const QString& sqlite) {
        return listingDifferences(*f.server, sqlite, true);
    }

    // Starts a sync of every page, waits until all ten Property pages are on disk and some were
    // applied, and kills it with SIGKILL while it applies the rest.
    bool killDuringApply(Fixture& f) {
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_DELAY_MS"), QStringLiteral("200"));
        // The whole batch on disk before it is applied, as a run stopped before per-page apply
        // or during the last page's apply leaves it.
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
        auto process = f.launch(QStringLiteral("sync"), env);
        const QString dir = f.pageDir();
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

        CliResult first = f->run(QStringLiteral("sync"));
        QVERIFY2(first.exitCode == 0, first.err.constData());
        for (const QString& path : {f->sqlite, f->sqlite2}) {
            const QStringList diff = differences(*f, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(f->leftovers().join(QLatin1Char(' '))));

        // The server changes 10% of the listings and adds a few: the next sync asks only for
        // what is newer than the high-water mark and ends equal again.
        const QStringList changed = f->server->changeRecords(0.1);
        QVERIFY(changed.size() >= 40);
        f->server->addRecords(7);
        f->server->clearRequestLog();
        CliResult second = f->run(QStringLiteral("sync"));
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
        CliResult status = f->cli({QStringLiteral("status"), QStringLiteral("--json")});
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

        CliResult text = f->run(QStringLiteral("status"));
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

        QProcessEnvironment env = cliEnvironment();
        // Pages stay on disk until the download ends, so the run is caught with several there.
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
        auto process = f->launch(QStringLiteral("sync"), env);
        const QString dir = f->pageDir();
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size() >= 3, 30000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        QVERIFY(!filesUnder(dir, QStringLiteral("sync_batch_*.json")).isEmpty());
        f->server->clearFaults();
        // The server moves on while the program is down.
        f->server->changeRecords(0.05);

        CliResult resumed = f->run(QStringLiteral("sync"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QStringList diff = differences(*f, f->sqlite);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        QVERIFY(f->leftovers().isEmpty());
    }

    void resumesAfterKillDuringApply() {
        fake::ServerOptions options;
        options.listingCount = 500;
        auto f = makeFixture(options, 50, true);
        QVERIFY(f);
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_DELAY_MS"), QStringLiteral("200"));
        // The whole batch on disk before it is applied, as a run stopped before per-page apply
        // or during the last page's apply leaves it.
        env.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
        auto process = f->launch(QStringLiteral("sync"), env);
        const QString dir = f->pageDir();
        // All ten pages downloaded, then files disappear one by one as they are applied.
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size() == 10, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size() <= 7, 30000);
        ::kill(pid_t(process->processId()), SIGKILL);
        process->waitForFinished();
        const int remaining = int(filesUnder(dir, QStringLiteral("sync_batch_*.json")).size());
        QVERIFY2(remaining > 0, "the run should have been killed while applying");

        CliResult resumed = f->run(QStringLiteral("sync"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        for (const QString& path : {f->sqlite, f->sqlite2}) {
            const QStringList diff = differences(*f, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        QVERIFY(f->leftovers().isEmpty());
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

        CliResult resumed = f->run(QStringLiteral("sync"));
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(resumed.err.contains("sync mls: resumed the unfinished batch begun at 20"),
                 resumed.err.constData());
        for (const QString& path : {f->sqlite, f->sqlite2}) {
            const QStringList diff = differences(*f, path);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
        }
        QVERIFY(f->leftovers().isEmpty());
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
        CliResult next = f->run(QStringLiteral("sync"));
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

        CliResult resumed =
            f->cli({QStringLiteral("sync"), QStringLiteral("mls"), QStringLiteral("--resume-only")});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(resumed.err.contains("sync mls: resumed the unfinished batch begun at"),
                 resumed.err.constData());
        QVERIFY2(!differences(*f, f->sqlite).isEmpty(), "--resume-only must not fetch the newer changes");
        for (const QString& target : f->server->requestLog())
            QVERIFY2(!target.contains(QStringLiteral("/Property?")), qPrintable(target));
        QVERIFY(f->leftovers().isEmpty());

        CliResult next = f->run(QStringLiteral("sync"));
        QVERIFY2(next.exitCode == 0, next.err.constData());
        const QStringList diff = differences(*f, f->sqlite);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void destinationAddedLaterIsFilled() {
        fake::ServerOptions options;
        options.listingCount = 150;
        auto f = makeFixture(options, 100);
        QVERIFY(f);
        CliResult first = f->run(QStringLiteral("sync"));
        QVERIFY2(first.exitCode == 0, first.err.constData());
        f->server->changeRecords(0.1);
        // A second, empty destination joins: the high-water mark of the first must not keep
        // the new one from receiving everything.
        f->writeSource(
            sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->sqlite, f->sqlite2}, 100));
        CliResult second = f->run(QStringLiteral("sync"));
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
        CliResult third = f->run(QStringLiteral("sync"));
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
        f->writeSource(source);
        CliResult result = f->run(QStringLiteral("sync"));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(readTable(f->sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 60);
        bool encoded = false;
        for (const QString& target : f->server->requestLog())
            if (target.contains(QStringLiteral("%2B00%3A00")) &&
                target.contains(QStringLiteral("a%2Bb%26c%23d%3Be%27%27f")))
                encoded = true;
        QVERIFY2(encoded, qPrintable(f->server->requestLog().join(QLatin1Char('\n'))));
    }
    // Property carries fields differing only in case (modificationtimestamp before
    // ModificationTimestamp, publicremarks after PublicRemarks), as real servers send them: the
    // twins get distinct columns, and sync's high-water mark, status, reconcile's timestamp reads
    // and record all use ModificationTimestamp's own column (ModificationTimestamp_2).
    void caseTwinFields() {
        fake::ServerOptions options;
        options.listingCount = 80;
        options.caseTwinFields = true;
        auto f = makeFixture(options);
        QVERIFY(f);
        const auto sameAsServer = [&]() -> QStringList {
            QStringList problems;
            const QHash<QString, QVariantMap> rows =
                readTable(f->sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey"));
            const QJsonArray records = f->server->records(QStringLiteral("Property"));
            if (rows.size() != records.size())
                problems.append(QStringLiteral("%1 rows, %2 records").arg(rows.size()).arg(records.size()));
            const auto instant = [](const QJsonValue& v) {
                return v.isNull() ? QString()
                                  : QDateTime::fromString(v.toString(), Qt::ISODateWithMs)
                                        .toUTC()
                                        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
            };
            for (const QJsonValue& value : records) {
                const QJsonObject record = value.toObject();
                const QVariantMap row = rows.value(record.value(QStringLiteral("ListingKey")).toString());
                const QList<std::pair<QString, QString>> expected{
                    {QStringLiteral("ModificationTimestamp_2"),
                     instant(record.value(QStringLiteral("ModificationTimestamp")))},
                    {QStringLiteral("modificationtimestamp"),
                     instant(record.value(QStringLiteral("modificationtimestamp")))},
                    {QStringLiteral("PublicRemarks"),
                     record.value(QStringLiteral("PublicRemarks")).toString()},
                    {QStringLiteral("publicremarks_2"),
                     record.value(QStringLiteral("publicremarks")).toString()}};
                for (const auto& [column, text] : expected)
                    if (row.value(column).toString() != text)
                        problems.append(QStringLiteral("%1 %2: \"%3\", expected \"%4\"")
                                            .arg(record.value(QStringLiteral("ListingKey")).toString(),
                                                 column, row.value(column).toString(), text));
            }
            return problems.mid(0, 10);
        };

        CliResult first = f->run(QStringLiteral("sync"));
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QStringList problems = sameAsServer();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));

        // Incremental: the mark is the newest ModificationTimestamp, not its twin's.
        QString newest;
        for (const QJsonValue& value : f->server->records(QStringLiteral("Property")))
            newest = std::max(newest, value[QStringLiteral("ModificationTimestamp")].toString());
        f->server->changeRecords(0.1);
        f->server->clearRequestLog();
        CliResult second = f->run(QStringLiteral("sync"));
        QVERIFY2(second.exitCode == 0, second.err.constData());
        problems = sameAsServer();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        bool fromMark = false;
        for (const QString& target : f->server->requestLog())
            if (target.contains(QStringLiteral("/Property?")) &&
                QUrl::fromPercentEncoding(target.toUtf8())
                    .contains(QStringLiteral("ModificationTimestamp gt ") + newest.left(19)))
                fromMark = true;
        QVERIFY2(fromMark,
                 qPrintable(newest + QLatin1Char('\n') + f->server->requestLog().join(QLatin1Char('\n'))));

        CliResult status = f->cli({QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(status.exitCode, 0);
        const QJsonObject property =
            QJsonDocument::fromJson(status.out)
                .object()[QStringLiteral("sources")][0][QStringLiteral("resources")][0]
                .toObject();
        QVERIFY2(property[QStringLiteral("destinations")][0][QStringLiteral("newestMatches")].toBool(),
                 status.out.constData());

        // One row made stale by hand: reconcile fetches it alone and nothing else.
        const QString key = f->server->records(QStringLiteral("Property"))
                                .at(3)
                                .toObject()
                                .value(QStringLiteral("ListingKey"))
                                .toString();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("stale"));
            db.setDatabaseName(f->sqlite);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.prepare(QStringLiteral("UPDATE Property SET ModificationTimestamp_2 = "
                                                 "'2000-01-01T00:00:00.000Z', publicremarks_2 = 'stale' "
                                                 "WHERE ListingKey = ?")));
            query.addBindValue(key);
            QVERIFY(query.exec());
            QCOMPARE(query.numRowsAffected(), 1);
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("stale"));
        f->server->clearRequestLog();
        CliResult reconcile = f->run(QStringLiteral("reconcile"));
        QVERIFY2(reconcile.exitCode == 0, reconcile.err.constData());
        problems = sameAsServer();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        int fetches = 0;
        for (const QString& target : f->server->requestLog()) {
            const QString decoded = QUrl::fromPercentEncoding(target.toUtf8());
            if (decoded.contains(QStringLiteral("/Property?")) &&
                decoded.contains(QStringLiteral("ListingKey in (")))
                fetches += decoded.contains(QStringLiteral("ListingKey in ('%1')").arg(key)) ? 1 : 100;
        }
        QVERIFY2(fetches == 1, qPrintable(f->server->requestLog().join(QLatin1Char('\n'))));

        CliResult record = f->cli({QStringLiteral("record"), QStringLiteral("mls"),
                                   QStringLiteral("Property"), key, QStringLiteral("--json")});
        QVERIFY2(record.exitCode == 0, record.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(record.out).object();
        QVERIFY2(report[QStringLiteral("agree")].toBool(), record.out.constData());
        QCOMPARE(report[QStringLiteral("destinations")][0][QStringLiteral("fields")]
                       [QStringLiteral("publicremarks_2")]
                           .toString(),
                 f->server->records(QStringLiteral("Property"))
                     .at(3)
                     .toObject()
                     .value(QStringLiteral("publicremarks"))
                     .toString());
    }

    // A resource whose table cannot be created (here a view stands where Member's table would)
    // fails alone: Property still syncs, the run ends failed naming Member, the failure is logged
    // with step "schema", and once the obstacle is gone the next run completes.
    void schemaFailureFailsOnlyItsResource() {
        fake::ServerOptions options;
        options.listingCount = 60;
        auto f = makeFixture(options);
        QVERIFY(f);
        QVERIFY(QDir().mkpath(QFileInfo(f->sqlite).absolutePath()));
        const auto execute = [&](const QString& sql) {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("view"));
            db.setDatabaseName(f->sqlite);
            bool ok = db.open() && QSqlQuery(db).exec(sql);
            db.close();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(QStringLiteral("view"));
            return ok;
        };
        QVERIFY(execute(QStringLiteral("CREATE VIEW Member AS SELECT 'x' AS MemberKey")));

        CliResult first = f->run(QStringLiteral("sync"));
        QCOMPARE(first.exitCode, 1);
        QVERIFY2(first.err.contains("sync mls failed: 1 of 2 resources failed: resource Member: schema of "
                                    "destination local0 failed: "),
                 first.err.constData());
        const QStringList property =
            compareWithServer(*f->server, QStringLiteral("Property"), f->sqlite, QStringLiteral("Property"),
                              QStringLiteral("ListingKey"));
        QVERIFY2(property.isEmpty(), qPrintable(property.join(QLatin1Char('\n'))));
        QFile log(QDir(f->dataDir).filePath(QStringLiteral("logs/mls.ndjson")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        bool logged = false;
        for (const QByteArray& line : log.readAll().split('\n')) {
            const QJsonObject entry = QJsonDocument::fromJson(line).object();
            if (entry[QStringLiteral("step")] == QStringLiteral("schema") &&
                entry[QStringLiteral("resource")] == QStringLiteral("Member") &&
                entry[QStringLiteral("destination")] == QStringLiteral("local0"))
                logged = true;
        }
        QVERIFY(logged);

        QVERIFY(execute(QStringLiteral("DROP VIEW Member")));
        CliResult second = f->run(QStringLiteral("sync"));
        QVERIFY2(second.exitCode == 0, second.err.constData());
        const QStringList diff = differences(*f, f->sqlite);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestEndToEnd)
#include "tst_endtoend.moc"
