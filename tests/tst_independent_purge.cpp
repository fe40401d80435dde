// Purge and reconcile with destinations that progress independently (issue 15): a destination
// that cannot be opened, is blocked, or fails while its rows are deleted or the fetched records
// written falls behind for the resource; the other destination is purged or reconciled exactly,
// the run ends with exit code 1 naming the destination behind, the resource and the reason, and
// status shows the failure. Once the destination works again, the next run compares it afresh
// and both end equal to the server. Through the real openresync-cli against the fake RESO server,
// into a SQLite file and a database on the test MariaDB (ORS_TEST_MYSQL_*; fails without it).
#include "ServerFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

const QString kPasswordVariable = QStringLiteral("ORS_INDEPENDENT_MYSQL_PASSWORD");

QString joined(const QStringList& list) {
    return list.join(QLatin1Char('\n'));
}

// Runs statements on a SQLite file, as a user might behind the program's back.
bool sqliteExec(const QString& path, const QStringList& statements) {
    const QString name = QStringLiteral("independent-purge-exec");
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        ok = db.open();
        for (const QString& sql : statements)
            ok = ok && QSqlQuery(db).exec(sql);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

class TestIndependentPurge : public QObject {
    Q_OBJECT

private:
    MysqlServer m_mysql;

    std::unique_ptr<ServerFixture> synced(int listings) {
        fake::ServerOptions options;
        options.listingCount = listings;
        options.maxPageSize = 70; // several key pages
        auto f = ServerFixture::make(ServerKind::Mysql, m_mysql, options, 50, QStringLiteral("generic"),
                                     kPasswordVariable);
        if (!f)
            return nullptr;
        const CliResult sync = f->run(QStringLiteral("sync"), good(*f));
        if (sync.exitCode != 0) {
            qWarning("%s", sync.err.constData());
            return nullptr;
        }
        return f;
    }

    QProcessEnvironment good(const ServerFixture& f) const { return f.environment(kPasswordVariable); }
    // The MariaDB destination "db" cannot be opened: its password is wrong.
    QProcessEnvironment unreachable(const ServerFixture& f) const {
        QProcessEnvironment env = good(f);
        env.insert(kPasswordVariable, QStringLiteral("not-the-password"));
        return env;
    }

    // The keys of a table in the SQLite destination and in "db".
    static QSet<QString> sqliteKeys(const ServerFixture& f, const QString& table = QStringLiteral("Property"),
                                    const QString& key = QStringLiteral("ListingKey")) {
        const auto rows = readTable(f.sqlite, table, key);
        return {rows.keyBegin(), rows.keyEnd()};
    }
    QSet<QString> mysqlKeys(const ServerFixture& f) const {
        QString error;
        const auto rows = readMysqlTable(m_mysql, f.database(), QStringLiteral("Property"),
                                         QStringLiteral("ListingKey"), &error);
        if (!error.isEmpty())
            qWarning("%s", qPrintable(error));
        return {rows.keyBegin(), rows.keyEnd()};
    }

    // status --json's failures of `process` for a destination, as "resource/step: error".
    static QStringList failures(const ServerFixture& f, const QString& process, const QString& destination) {
        const CliResult status =
            f.cli({QStringLiteral("status"), QStringLiteral("--json")}, f.environment(kPasswordVariable));
        QStringList out;
        const QJsonObject source =
            QJsonDocument::fromJson(status.out).object()[QStringLiteral("sources")][0].toObject();
        for (const QJsonValue v : source[QStringLiteral("failures")].toArray())
            if (v[QStringLiteral("process")].toString() == process &&
                v[QStringLiteral("destination")].toString() == destination)
                out.append(
                    QStringLiteral("%1/%2%3: %4")
                        .arg(v[QStringLiteral("resource")].toString(), v[QStringLiteral("step")].toString(),
                             v[QStringLiteral("blocked")].toBool() ? QStringLiteral(" BLOCKED") : QString(),
                             v[QStringLiteral("error")].toString()));
        out.sort();
        return out;
    }

private Q_SLOTS:
    void initTestCase() {
        const std::optional<MysqlServer> server = mysqlServer();
        if (!server)
            QFAIL("ORS_TEST_MYSQL_* are not set: start a MariaDB with scripts/mariadb-test");
        QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QMYSQL")),
                 "the Qt MySQL driver is missing (Debian: libqt6sql6-mysql)");
        m_mysql = *server;
    }

    // MariaDB unreachable: SQLite is purged exactly, MariaDB keeps its rows, the run fails naming
    // "db"; after kBlockAfter such runs "db" is blocked (not tried even when reachable) until
    // `unblock`, and the next purge then brings it exactly to the server's keys.
    void purgeWhileOneDestinationIsUnreachableThenBlocked() {
        auto f = synced(200);
        QVERIFY(f);
        const QSet<QString> original = sqliteKeys(*f);
        QCOMPARE(mysqlKeys(*f), original);
        QSet<QString> deleted;
        for (int run = 1; run <= 3; ++run) {
            for (const QString& key : f->server->deleteRecords(3))
                deleted.insert(key);
            const CliResult purge = f->run(QStringLiteral("purge"), unreachable(*f));
            QCOMPARE(purge.exitCode, 1);
            QVERIFY2(
                purge.err.contains("purge mls failed: destination db fell behind (Property: destination db "
                                   "could not be opened: ") &&
                    purge.err.contains("| Member: ") && purge.err.contains("local0 kept going"),
                purge.err.constData());
            QVERIFY2(purge.err.contains("purge mls Property -> local0: deleted 3 of "),
                     purge.err.constData());
            QCOMPARE(sqliteKeys(*f), original - deleted);
            const QStringList diff = listingDifferences(*f->server, f->sqlite, true);
            QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
            QCOMPARE(mysqlKeys(*f), original);
        }
        // The job log names it too.
        QVERIFY(f->sourceLog().contains("destination db falls behind for Property"));
        QStringList failing = failures(*f, QStringLiteral("purge"), QStringLiteral("db"));
        QCOMPARE(failing.size(), 2);
        QVERIFY2(failing.at(1).startsWith(QStringLiteral("Property/open destination BLOCKED: ")),
                 qPrintable(joined(failing)));
        QVERIFY(failures(*f, QStringLiteral("purge"), QStringLiteral("local0")).isEmpty());

        // Reachable again but blocked: still not purged, and the message says how to go on.
        const CliResult blocked = f->run(QStringLiteral("purge"), good(*f));
        QCOMPARE(blocked.exitCode, 1);
        QVERIFY2(blocked.err.contains("destination db fell behind (Property: blocked: purging Property from "
                                      "destination db failed 3 times") &&
                     blocked.err.contains("openresync-cli unblock mls purge"),
                 blocked.err.constData());
        QCOMPARE(mysqlKeys(*f), original);

        const CliResult unblocked =
            f->cli({QStringLiteral("unblock"), QStringLiteral("mls"), QStringLiteral("purge")}, good(*f));
        QVERIFY2(unblocked.exitCode == 0, unblocked.err.constData());
        const CliResult caughtUp = f->run(QStringLiteral("purge"), good(*f));
        QVERIFY2(caughtUp.exitCode == 0, caughtUp.err.constData());
        QVERIFY2(caughtUp.err.contains("purge mls Property -> db: deleted 9 of 200 rows") &&
                     caughtUp.err.contains("purge mls Property -> local0: deleted 0 of 191 rows"),
                 caughtUp.err.constData());
        QCOMPARE(mysqlKeys(*f), original - deleted);
        QVERIFY2(f->differences().isEmpty(), qPrintable(joined(f->differences())));
        QVERIFY(failures(*f, QStringLiteral("purge"), QStringLiteral("db")).isEmpty());
        QVERIFY2(filesUnder(f->dataDir, QStringLiteral("purge_batch_*")).isEmpty(),
                 qPrintable(joined(filesUnder(f->dataDir, QStringLiteral("purge_batch_*")))));
    }

    // MariaDB refusing deletions from Property (a trigger) fails in the middle of the purge:
    // SQLite is purged, MariaDB keeps every row, the run fails naming db, Property and the
    // refusal, and status shows the failing step. Without the trigger the next purge catches
    // MariaDB up.
    void purgeFailingInOneDestinationWhileTheOtherCompletes() {
        auto f = synced(120);
        QVERIFY(f);
        const QSet<QString> original = sqliteKeys(*f);
        const QString trigger =
            f->exec({QStringLiteral("CREATE TRIGGER refuse_delete BEFORE DELETE ON Property FOR EACH ROW "
                                    "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no deletions here'")});
        QVERIFY2(trigger.isEmpty(), qPrintable(trigger));
        const QStringList removed = f->server->deleteRecords(4);
        const QSet<QString> deleted(removed.cbegin(), removed.cend());
        const CliResult purge = f->run(QStringLiteral("purge"), good(*f));
        QCOMPARE(purge.exitCode, 1);
        QVERIFY2(purge.err.contains("purge mls failed: destination db fell behind (Property: ") &&
                     purge.err.contains("no deletions here") && purge.err.contains("local0 kept going") &&
                     !purge.err.contains("| Member"),
                 purge.err.constData());
        QVERIFY2(purge.err.contains("purge mls Property -> local0: deleted 4 of 120 rows") &&
                     purge.err.contains("purge mls Property -> db: deleted 0 of 120 rows before it failed: "),
                 purge.err.constData());
        QCOMPARE(sqliteKeys(*f), original - deleted);
        const QStringList diff = listingDifferences(*f->server, f->sqlite, true);
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
        QCOMPARE(mysqlKeys(*f), original);
        const QStringList failing = failures(*f, QStringLiteral("purge"), QStringLiteral("db"));
        QCOMPARE(failing.size(), 1);
        QVERIFY2(failing.first().startsWith(QStringLiteral("Property/purge Property: ")) &&
                     failing.first().contains(QStringLiteral("no deletions here")),
                 qPrintable(joined(failing)));

        QVERIFY(f->exec({QStringLiteral("DROP TRIGGER refuse_delete")}).isEmpty());
        const CliResult again = f->run(QStringLiteral("purge"), good(*f));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(mysqlKeys(*f), original - deleted);
        QVERIFY2(f->differences().isEmpty(), qPrintable(joined(f->differences())));
        QVERIFY(failures(*f, QStringLiteral("purge"), QStringLiteral("db")).isEmpty());
    }

    // Reconcile with MariaDB unreachable: records the server gained and rows removed by hand from
    // both destinations are fetched and written to SQLite only; the run fails naming db. Back,
    // the next reconcile compares MariaDB afresh and fills it.
    void reconcileWhileOneDestinationIsUnreachable() {
        auto f = synced(100);
        QVERIFY(f);
        const QStringList keys = sqliteKeys(*f).values();
        const QStringList victims = keys.mid(0, 3);
        for (const QString& key : victims) {
            QVERIFY(sqliteExec(f->sqlite,
                               {QStringLiteral("DELETE FROM Property WHERE ListingKey = '%1'")
                                    .arg(QString(key).replace(QLatin1Char('\''), QStringLiteral("''")))}));
            QVERIFY(f->exec({QStringLiteral("DELETE FROM Property WHERE ListingKey = '%1'")
                                 .arg(QString(key).replace(QLatin1Char('\''), QStringLiteral("''")))})
                        .isEmpty());
        }
        const QStringList added = f->server->addRecords(4);
        const CliResult reconcile = f->run(QStringLiteral("reconcile"), unreachable(*f));
        QCOMPARE(reconcile.exitCode, 1);
        QVERIFY2(
            reconcile.err.contains("reconcile mls failed: destination db fell behind (Property: destination "
                                   "db could not be opened: ") &&
                reconcile.err.contains("local0 kept going"),
            reconcile.err.constData());
        QVERIFY2(reconcile.err.contains("reconcile mls: 7 missing or stale records fetched"),
                 reconcile.err.constData());
        const QStringList diff = listingDifferences(*f->server, f->sqlite, true);
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
        const QSet<QString> held = mysqlKeys(*f);
        for (const QString& key : victims + added)
            QVERIFY2(!held.contains(key), qPrintable(key));
        QCOMPARE(held.size(), 97);
        QVERIFY(!failures(*f, QStringLiteral("reconcile"), QStringLiteral("db")).isEmpty());
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(joined(f->leftovers())));

        const CliResult again = f->run(QStringLiteral("reconcile"), good(*f));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY2(again.err.contains("reconcile mls: 7 missing or stale records fetched"),
                 again.err.constData());
        QVERIFY2(f->differences().isEmpty(), qPrintable(joined(f->differences())));
        QVERIFY(failures(*f, QStringLiteral("reconcile"), QStringLiteral("db")).isEmpty());
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(joined(f->leftovers())));
    }

    // MariaDB refusing new Property rows (a trigger) fails while the fetched records are written:
    // SQLite takes them, MariaDB lacks them, the run fails naming db and the refusal; the fetched
    // pages do not wait on disk for it. Without the trigger the next reconcile fills it.
    void reconcileFailingInOneDestinationWhileTheOtherCompletes() {
        auto f = synced(100);
        QVERIFY(f);
        const QString trigger =
            f->exec({QStringLiteral("CREATE TRIGGER refuse_insert BEFORE INSERT ON Property FOR EACH ROW "
                                    "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no new rows here'")});
        QVERIFY2(trigger.isEmpty(), qPrintable(trigger));
        const QStringList added = f->server->addRecords(5);
        const CliResult reconcile = f->run(QStringLiteral("reconcile"), good(*f));
        QCOMPARE(reconcile.exitCode, 1);
        QVERIFY2(reconcile.err.contains("reconcile mls failed: destination db fell behind (Property: ") &&
                     reconcile.err.contains("no new rows here") &&
                     reconcile.err.contains("local0 kept going"),
                 reconcile.err.constData());
        const QStringList diff = listingDifferences(*f->server, f->sqlite, true);
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
        const QSet<QString> held = mysqlKeys(*f);
        for (const QString& key : added)
            QVERIFY2(!held.contains(key), qPrintable(key));
        const QStringList failing = failures(*f, QStringLiteral("reconcile"), QStringLiteral("db"));
        QCOMPARE(failing.size(), 1);
        QVERIFY2(failing.first().startsWith(QStringLiteral("Property/apply missing_batch_")) &&
                     failing.first().contains(QStringLiteral("no new rows here")),
                 qPrintable(joined(failing)));
        QVERIFY2(f->leftovers().isEmpty(), qPrintable(joined(f->leftovers())));

        QVERIFY(f->exec({QStringLiteral("DROP TRIGGER refuse_insert")}).isEmpty());
        const CliResult again = f->run(QStringLiteral("reconcile"), good(*f));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY2(again.err.contains("reconcile mls: 5 missing or stale records fetched"),
                 again.err.constData());
        QVERIFY2(f->differences().isEmpty(), qPrintable(joined(f->differences())));
        QVERIFY(failures(*f, QStringLiteral("reconcile"), QStringLiteral("db")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestIndependentPurge)
#include "tst_independent_purge.moc"
