// One source with three destinations at once, through the real openresync-cli against the fake
// RESO server: a SQLite file, a MariaDB database whose tables carry the prefix "mls_"
// (`tablePrefix`), and a PostgreSQL database. Property with its Media expanded (owned), and
// Member. Through the first sync, changes on the server (fields and photos), additions and
// deletions, the next sync and a purge, every destination holds field by field what it should,
// children included, and `status --json` gives the same counts for all three.
//
// Needs the test MariaDB (ORS_TEST_MYSQL_*; fails without it) and the test PostgreSQL
// (ORS_TEST_PG_*; skipped without ORS_TEST_PG_HOST unless ORS_TEST_REQUIRE_POSTGRES=1), each a
// database of its own (ors_test_e2e3_<pid>_<n>); CTest runs it under both resource locks.
#include "CliFixture.h"
#include "PostgresSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlDatabase>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

const QString kMysqlPasswordVariable = QStringLiteral("ORS_E2E_MYSQL_PASSWORD");
const QString kPostgresPasswordVariable = QStringLiteral("ORS_E2E_PG_PASSWORD");

QString joined(const QStringList& list) {
    return list.join(QLatin1Char('\n'));
}

QString fieldOf(const QByteArray& json, const QString& field) {
    return QJsonDocument::fromJson(json).object().value(field).toString();
}

// What every destination should hold, as the server sent it: the server's records, and until a
// purge runs, those it deleted as they were when last synced.
struct Expected {
    QList<QByteArray> property;
    QList<QByteArray> media;
    QList<QByteArray> member;
};

} // namespace

class TestEndToEndThree : public QObject {
    Q_OBJECT

private:
    MysqlServer m_mysql;
    PostgresServer m_pg;

    struct Fixture : CliFixture {
        QString sqlite;
        MysqlTestDatabase mysql;
        PostgresTestDatabase postgres;
    };

    std::unique_ptr<Fixture> makeFixture(const fake::ServerOptions& options, int pageSize) {
        auto f = std::make_unique<Fixture>();
        if (!f->startServer(options) || !f->mysql.create(m_mysql, QStringLiteral("e2e3")))
            return nullptr;
        if (const QString e = f->postgres.create(m_pg, QStringLiteral("e2e3")); !e.isEmpty()) {
            qWarning("%s", qPrintable(e));
            return nullptr;
        }
        f->sqlite = f->path(QStringLiteral("dest/local.sqlite"));
        QJsonObject source =
            sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->sqlite}, pageSize);
        f->mysql.addDestination(source, kMysqlPasswordVariable);
        QJsonArray destinations = source.value(QStringLiteral("destinations")).toArray();
        QJsonObject mysql = destinations.last().toObject();
        mysql.insert(QStringLiteral("tablePrefix"), QStringLiteral("mls_"));
        destinations.replace(destinations.size() - 1, mysql);
        destinations.append(QJsonObject{
            {QStringLiteral("name"), QStringLiteral("pg")},
            {QStringLiteral("type"), QStringLiteral("postgresql")},
            {QStringLiteral("host"), m_pg.host},
            {QStringLiteral("port"), m_pg.port},
            {QStringLiteral("database"), f->postgres.name},
            {QStringLiteral("user"), m_pg.user},
            {QStringLiteral("password"), QString(QStringLiteral("env:") + kPostgresPasswordVariable)}});
        source.insert(QStringLiteral("destinations"), destinations);
        f->writeSource(source);
        return f;
    }

    // Both passwords only through the variables the config names, none of the test servers'
    // variables, and a local time zone far from UTC (mysqlCliEnvironment's), so that a timestamp
    // written or read in local time cannot pass.
    QProcessEnvironment environment() const {
        QProcessEnvironment env = mysqlCliEnvironment(kMysqlPasswordVariable, m_mysql);
        for (const QString& key : env.keys())
            if (key.startsWith(QLatin1String("ORS_TEST_PG_")))
                env.remove(key);
        env.insert(kPostgresPasswordVariable, m_pg.password);
        return env;
    }

    static Expected serverRecords(const Fixture& f) {
        return {f.server->rawRecords(QStringLiteral("Property")),
                f.server->rawRecords(QStringLiteral("Media")),
                f.server->rawRecords(QStringLiteral("Member"))};
    }

    QStringList differences(const Fixture& f, const Expected& expected) const {
        const QString listing = QStringLiteral("ListingKey");
        const QString media = QStringLiteral("MediaKey");
        const QString member = QStringLiteral("MemberKey");
        const QString parent = QStringLiteral("ResourceRecordKey");
        QStringList all;
        const auto add = [&all](const QString& where, const QStringList& found) {
            for (const QString& d : found)
                all.append(where + QStringLiteral(": ") + d);
        };
        add(QStringLiteral("sqlite"),
            compareRecords(expected.property, f.sqlite, QStringLiteral("Property"), listing));
        add(QStringLiteral("sqlite"),
            compareRecords(expected.media, f.sqlite, QStringLiteral("Media"), media, listing, parent));
        add(QStringLiteral("sqlite"),
            compareRecords(expected.member, f.sqlite, QStringLiteral("Member"), member));
        add(QStringLiteral("mariadb"), compareRecordsMysql(expected.property, m_mysql, f.mysql.name,
                                                           QStringLiteral("mls_Property"), listing));
        add(QStringLiteral("mariadb"),
            compareRecordsMysql(expected.media, m_mysql, f.mysql.name, QStringLiteral("mls_Media"), media,
                                listing, parent));
        add(QStringLiteral("mariadb"), compareRecordsMysql(expected.member, m_mysql, f.mysql.name,
                                                           QStringLiteral("mls_Member"), member));
        add(QStringLiteral("postgresql"), compareRecordsPostgres(expected.property, m_pg, f.postgres.name,
                                                                 QStringLiteral("Property"), listing));
        add(QStringLiteral("postgresql"),
            compareRecordsPostgres(expected.media, m_pg, f.postgres.name, QStringLiteral("Media"), media,
                                   listing, parent));
        add(QStringLiteral("postgresql"),
            compareRecordsPostgres(expected.member, m_pg, f.postgres.name, QStringLiteral("Member"), member));
        return all;
    }

    // `status --json`: for Property and Member, every destination holds `counts` rows (the same
    // for all three) without an error; `level` adds that each equals the MLS's count and newest.
    void checkStatus(const Fixture& f, const QHash<QString, qsizetype>& counts, bool level) const {
        const CliResult status = f.cli({QStringLiteral("status"), QStringLiteral("--json")}, environment());
        QVERIFY2(status.exitCode == 0, QByteArray(status.err + status.out).constData());
        const QJsonArray resources = QJsonDocument::fromJson(status.out)
                                         .object()[QStringLiteral("sources")][0][QStringLiteral("resources")]
                                         .toArray();
        QCOMPARE(resources.size(), 2);
        for (const QJsonValue& r : resources) {
            const QString resource = r[QStringLiteral("name")].toString();
            QVERIFY2(counts.contains(resource), qPrintable(resource));
            const QJsonArray destinations = r[QStringLiteral("destinations")].toArray();
            QStringList names;
            for (const QJsonValue& d : destinations) {
                const QByteArray where = resource.toUtf8() + " " +
                                         d[QStringLiteral("name")].toString().toUtf8() + ": " +
                                         QJsonDocument(d.toObject()).toJson(QJsonDocument::Compact);
                names.append(d[QStringLiteral("name")].toString());
                QVERIFY2(d[QStringLiteral("error")].isNull(), where.constData());
                QVERIFY2(d[QStringLiteral("count")].toInteger() == counts.value(resource), where.constData());
                if (level) {
                    QVERIFY2(d[QStringLiteral("countMatches")].toBool(), where.constData());
                    QVERIFY2(d[QStringLiteral("newestMatches")].toBool(), where.constData());
                }
            }
            QCOMPARE(names,
                     (QStringList{QStringLiteral("local0"), QStringLiteral("db"), QStringLiteral("pg")}));
            if (level)
                QCOMPARE(r[QStringLiteral("mls")][QStringLiteral("count")].toInteger(),
                         counts.value(resource));
        }
    }

private Q_SLOTS:
    void initTestCase() {
        const std::optional<MysqlServer> mysql = mysqlServer();
        if (!mysql)
            QFAIL("ORS_TEST_MYSQL_* are not set: start the test MariaDB (scripts/mariadb-test) first");
        QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QMYSQL")),
                 "the Qt MySQL driver is missing (Debian: libqt6sql6-mysql)");
        m_mysql = *mysql;
        if (const QString skip = postgresSkipReason(); !skip.isEmpty())
            QSKIP(qPrintable(skip));
        const auto pg = postgresServer();
        if (!pg)
            QFAIL("ORS_TEST_PG_* are not set: start the test PostgreSQL (scripts/postgres-test) first");
        m_pg = *pg;
        PostgresConnection probe(m_pg, m_pg.database);
        QVERIFY2(probe.ok(), qPrintable(probe.error()));
    }

    // The comparison cannot pass on a destination that holds nothing or the wrong rows.
    void comparisonSeesDifferences() {
        fake::ServerOptions options;
        options.listingCount = 20;
        auto f = makeFixture(options, 100);
        QVERIFY(f);
        QVERIFY(!differences(*f, serverRecords(*f)).isEmpty()); // nothing synced yet
        const CliResult sync = f->run(QStringLiteral("sync"), environment());
        QVERIFY2(sync.exitCode == 0, sync.err.constData());
        Expected expected = serverRecords(*f);
        QVERIFY2(differences(*f, expected).isEmpty(), qPrintable(joined(differences(*f, expected))));
        expected.property.removeLast();
        const QStringList one = differences(*f, expected);
        QCOMPARE(one.size(), 3); // a row too many, in each destination
        QVERIFY2(one.at(1).startsWith(QStringLiteral("mariadb: mls_Property: server has 19 records")),
                 qPrintable(joined(one)));
    }

    void syncChangesDeletesPurge() {
        fake::ServerOptions options;
        options.listingCount = 240;
        options.memberCount = 30;
        options.sameTimestampGroupSize = 120;
        options.trickyKeys = true; // keys differing only in case, with quotes, '+', non-ASCII
        options.maxPageSize = 60;
        auto f = makeFixture(options, 100);
        QVERIFY(f);

        // 1. The first sync fills all three.
        const CliResult first = f->run(QStringLiteral("sync"), environment());
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const Expected synced = serverRecords(*f);
        QVERIFY(synced.media.size() > synced.property.size()); // listings with photos, so children count
        QStringList diff = differences(*f, synced);
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
        checkStatus(*f,
                    {{QStringLiteral("Property"), synced.property.size()},
                     {QStringLiteral("Member"), synced.member.size()}},
                    true);
        if (QTest::currentTestFailed())
            return;
        // The prefix is MariaDB's alone: its tables are mls_*, the others' are not.
        QString error;
        (void)readMysqlTable(m_mysql, f->mysql.name, QStringLiteral("Property"), QStringLiteral("ListingKey"),
                             &error);
        QVERIFY2(error.contains(QStringLiteral("does not exist")), qPrintable(error));

        // 2. The server changes listings (a third of them their photos too: one goes, one comes),
        //    adds some and deletes some; the next sync brings the changes and additions, and
        //    keeps the deleted ones as they were until a purge.
        const QStringList changed = f->server->changeRecords(0.1);
        QVERIFY(changed.size() >= 20);
        const QStringList added = f->server->addRecords(9);
        const QStringList deletedList = f->server->deleteRecords(6);
        QCOMPARE(deletedList.size(), 6);
        const QSet<QString> deleted(deletedList.begin(), deletedList.end());
        Expected pending = serverRecords(*f);
        int deletedChanged = 0;
        for (const QByteArray& record : synced.property)
            if (deleted.contains(fieldOf(record, QStringLiteral("ListingKey")))) {
                pending.property.append(record);
                deletedChanged += changed.contains(fieldOf(record, QStringLiteral("ListingKey")));
            }
        for (const QByteArray& record : synced.media)
            if (deleted.contains(fieldOf(record, QStringLiteral("ResourceRecordKey"))))
                pending.media.append(record);
        qInfo("%lld changed, %lld added, %lld deleted (%d of them changed first)", qlonglong(changed.size()),
              qlonglong(added.size()), qlonglong(deleted.size()), deletedChanged);
        QVERIFY(!differences(*f, pending).isEmpty()); // the destinations have not seen the changes
        const CliResult second = f->run(QStringLiteral("sync"), environment());
        QVERIFY2(second.exitCode == 0, second.err.constData());
        diff = differences(*f, pending);
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
        checkStatus(*f,
                    {{QStringLiteral("Property"), pending.property.size()},
                     {QStringLiteral("Member"), pending.member.size()}},
                    false);
        if (QTest::currentTestFailed())
            return;

        // 3. Purge takes the deleted listings out of all three, with their Media.
        const CliResult purge = f->run(QStringLiteral("purge"), environment());
        QVERIFY2(purge.exitCode == 0, purge.err.constData());
        const Expected now = serverRecords(*f);
        diff = differences(*f, now);
        QVERIFY2(diff.isEmpty(), qPrintable(joined(diff)));
        checkStatus(*f,
                    {{QStringLiteral("Property"), now.property.size()},
                     {QStringLiteral("Member"), now.member.size()}},
                    true);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(f->leftovers().isEmpty());

        // `record` finds a changed listing equal to the MLS's in all three (MariaDB's through
        // its prefix).
        QString key;
        for (const QString& k : changed)
            if (!deleted.contains(k)) {
                key = k;
                break;
            }
        const CliResult record = f->cli({QStringLiteral("record"), QStringLiteral("mls"),
                                         QStringLiteral("Property"), key, QStringLiteral("--json")},
                                        environment());
        QVERIFY2(record.exitCode == 0, QByteArray(record.err + record.out).constData());
        const QJsonObject answer = QJsonDocument::fromJson(record.out).object();
        QVERIFY2(answer.value(QStringLiteral("agree")).toBool(), record.out.constData());
        QCOMPARE(answer.value(QStringLiteral("destinations")).toArray().size(), 3);

        // Neither password is anywhere the program wrote.
        for (const QString& secret : {m_mysql.password, m_pg.password}) {
            const QByteArray password = secret.toUtf8();
            QVERIFY(!password.isEmpty());
            QVERIFY(!first.err.contains(password) && !purge.err.contains(password));
            QVERIFY(!contentsUnder(f->dir.path()).contains(password));
        }
    }
};

QTEST_GUILESS_MAIN(TestEndToEndThree)
#include "tst_endtoend_three.moc"
