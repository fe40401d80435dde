// End to end through the real openresync-cli against the fake RESO server, into a SQLite file and
// a PostgreSQL database of one source at once (the test server of scripts/postgres-test:
// ORS_TEST_PG_*; skipped without ORS_TEST_PG_HOST unless ORS_TEST_REQUIRE_POSTGRES=1). Each test
// function uses a database of its own (ors_test_e2e_<pid>_<n>).
#include "ServerFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

const QString kPasswordVariable = QStringLiteral("ORS_E2E_PG_PASSWORD");

QString joined(const QStringList& list) {
    return list.join(QLatin1Char('\n'));
}

} // namespace

class TestEndToEndPostgres : public QObject {
    Q_OBJECT

private:
    PostgresServer m_pg;

    using Fixture = ServerFixture;

    std::unique_ptr<Fixture> makeFixture(const fake::ServerOptions& options, int pageSize,
                                         const QString& platform = QStringLiteral("generic")) {
        return ServerFixture::make(ServerKind::Postgres, m_pg, options, pageSize, platform,
                                   kPasswordVariable);
    }

    QProcessEnvironment environment() const {
        return serverCliEnvironment(QStringLiteral("ORS_TEST_PG_"), kPasswordVariable, m_pg);
    }

private Q_SLOTS:
    void initTestCase() {
        if (const QString skip = postgresSkipReason(); !skip.isEmpty())
            QSKIP(qPrintable(skip));
        const auto server = postgresServer();
        if (!server)
            QFAIL(
                "ORS_TEST_PG_* are not set: run this suite through scripts/test, which starts a PostgreSQL");
        m_pg = *server;
        PostgresConnection probe(m_pg, m_pg.database);
        QVERIFY2(probe.ok(), qPrintable(probe.error()));
    }

    // The comparison itself reads PostgreSQL's types as the contract says, so an empty or wrong
    // reading cannot make the tests below pass.
    void readsPostgresTypes() {
        PostgresTestDatabase database;
        QString e = database.create(m_pg, QStringLiteral("e2e_types"));
        QVERIFY2(e.isEmpty(), qPrintable(e));
        {
            PostgresConnection c(m_pg, database.name);
            QVERIFY2(c.ok(), qPrintable(c.error()));
            e = c.exec(
                QStringLiteral("CREATE TABLE \"T\" (\"K\" varchar(10) PRIMARY KEY, \"N\" numeric(14,2), "
                               "\"D\" double precision, \"B\" boolean, \"TS\" timestamptz, \"J\" jsonb, "
                               "\"I\" bigint)"));
            QVERIFY2(e.isEmpty(), qPrintable(e));
            e = c.exec(QStringLiteral("INSERT INTO \"T\" VALUES ('k', 12.50, 0.1, true, "
                                      "'2024-05-01T10:00:00.123Z', '{\"a\": [1]}', 9007199254740993)"));
            QVERIFY2(e.isEmpty(), qPrintable(e));
        }
        QString error;
        QHash<QString, QString> types;
        const auto rows =
            readPostgresTable(m_pg, database.name, QStringLiteral("T"), QStringLiteral("K"), &error, &types);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(rows.size(), 1);
        const QVariantMap row = rows.value(QStringLiteral("k"));
        QCOMPARE(row.value(QStringLiteral("N")).toString(), QStringLiteral("12.50"));
        QCOMPARE(row.value(QStringLiteral("D")).toDouble(), 0.1);
        QCOMPARE(row.value(QStringLiteral("B")).toLongLong(), 1);
        QCOMPARE(row.value(QStringLiteral("TS")).toString(), QStringLiteral("2024-05-01T10:00:00.123Z"));
        QCOMPARE(QJsonDocument::fromJson(row.value(QStringLiteral("J")).toString().toUtf8()),
                 QJsonDocument::fromJson("{\"a\":[1]}"));
        QCOMPARE(row.value(QStringLiteral("I")).toLongLong(), 9007199254740993LL);
        QCOMPARE(types.value(QStringLiteral("N")), QStringLiteral("decimal"));
        QCOMPARE(types.value(QStringLiteral("D")), QStringLiteral("double"));
    }

    // Fields kept in _overflow (named in overflowFields, and beyond a small budget) through every
    // command: record agrees with the MLS, status counts and newest match, purge deletes, and
    // reconcile finds a record whose PhotosChangeTimestamp in _overflow is stale.
    void overflowThroughEveryCommand() {
        const QStringList problems =
            overflowThroughTheCli(ServerKind::Postgres, m_pg, kPasswordVariable, environment());
        QVERIFY2(problems.isEmpty(), qPrintable(joined(problems)));
    }

    // Sync, changes, deletes through purge, and damage repaired by reconcile: SQLite and
    // PostgreSQL stay equal to the server, with and without server-side ordering.
    void syncPurgeAndReconcile_data() { addOrderingRows(); }

    void syncPurgeAndReconcile() {
        QFETCH(QString, platform);
        QFETCH(int, flavour);
        fake::ServerOptions options = orderingCaseOptions(flavour);
        options.sameTimestampGroupSize = 150;
        auto f = makeFixture(options, 100, platform);
        QVERIFY(f);
        const CliResult first = f->run(QStringLiteral("sync"), environment());
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QStringList diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));

        // Changes and additions: the incremental run brings both destinations level again.
        QVERIFY(f->server->changeRecords(0.1).size() >= 20);
        f->server->addRecords(7);
        const CliResult second = f->run(QStringLiteral("sync"), environment());
        QVERIFY2(second.exitCode == 0, second.err.constData());
        diff = f->differences();
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));

        const QStringList problems = purgeAndReconcileThroughTheCli(*f, environment());
        QVERIFY2(problems.isEmpty(), qPrintable(joined(problems)));

        // status --json: the PostgreSQL destination's counts and newest timestamps match the MLS
        // (whose newest is only comparable where the server orders: Bridge's replication does not).
        const CliResult status = f->cli({QStringLiteral("status"), QStringLiteral("--json")}, environment());
        QVERIFY2(status.exitCode == 0, status.err.constData());
        const QJsonDocument doc = QJsonDocument::fromJson(status.out);
        const QJsonArray resources =
            doc.object()[QStringLiteral("sources")][0][QStringLiteral("resources")].toArray();
        QCOMPARE(resources.size(), 2);
        for (const QJsonValue& r : resources)
            for (const QJsonValue& d : r[QStringLiteral("destinations")].toArray()) {
                const QByteArray where = d[QStringLiteral("name")].toString().toUtf8() + ": " + status.out;
                QVERIFY2(d[QStringLiteral("error")].isNull(), where.constData());
                QVERIFY2(d[QStringLiteral("countMatches")].toBool(), where.constData());
                QVERIFY2(platform != QLatin1String("generic") || d[QStringLiteral("newestMatches")].toBool(),
                         where.constData());
            }

        // `record` reads the stored record back from PostgreSQL and finds it equal to the MLS's.
        const QString key = f->server->records(QStringLiteral("Property"))
                                .first()
                                .toObject()
                                .value(QStringLiteral("ListingKey"))
                                .toString();
        const CliResult record = f->cli({QStringLiteral("record"), QStringLiteral("mls"),
                                         QStringLiteral("Property"), key, QStringLiteral("--json")},
                                        environment());
        QVERIFY2(record.exitCode == 0, QByteArray(record.err + record.out).constData());
        QVERIFY2(QJsonDocument::fromJson(record.out).object().value(QStringLiteral("agree")).toBool(),
                 record.out.constData());

        // The password came from the environment and is nowhere the program wrote.
        const QByteArray password = m_pg.password.toUtf8();
        QVERIFY(!first.out.contains(password) && !first.err.contains(password));
        QVERIFY(!status.out.contains(password));
        QVERIFY(!contentsUnder(f->dir.path()).contains(password));
    }
};

QTEST_GUILESS_MAIN(TestEndToEndPostgres)
#include "tst_endtoend_postgres.moc"
