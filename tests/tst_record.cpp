// `openresync-cli record SOURCE RESOURCE KEY [--json]` through the real executable, against
// the fake RESO server, into a SQLite file and (for the cases named *Mysql*) a MariaDB database
// of one source at once. The MariaDB cases need the test server scripts/test starts
// (ORS_TEST_MYSQL_*) and fail without it; CTest runs this suite under the resource lock
// "mariadb", because tst_endtoend_mysql stops and restarts that server.
#include "CliFixture.h"

#include <QAtomicInt>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

const QString kPasswordVariable = QStringLiteral("ORS_RECORD_MYSQL_PASSWORD");
const QString kTrickyKey = QStringLiteral("O'Brien-1001");
const QString kCaseKey = QStringLiteral("casekey-1007"); // CaseKey-1007 and CASEKEY-1007 exist too

// Runs statements on a SQLite file; returns the first error, empty on success.
QString sqliteExec(const QString& path, const QStringList& statements) {
    static QAtomicInt counter;
    const QString name = QStringLiteral("tst-record-%1").arg(counter.fetchAndAddRelaxed(1));
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            for (const QString& statement : statements) {
                if (!query.exec(statement)) {
                    error = statement + QStringLiteral(": ") + query.lastError().text();
                    break;
                }
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return error;
}

QJsonObject destinationNamed(const QJsonObject& report, const QString& name) {
    for (const QJsonValue& d : report.value(QStringLiteral("destinations")).toArray())
        if (d[QStringLiteral("name")].toString() == name)
            return d.toObject();
    return {};
}

QStringList differenceFields(const QJsonObject& destination) {
    QStringList fields;
    for (const QJsonValue& d : destination.value(QStringLiteral("differences")).toArray())
        fields.append(d[QStringLiteral("kind")].toString() + QLatin1Char(':') +
                      d[QStringLiteral("field")].toString());
    return fields;
}

QString describe(const QJsonObject& report) {
    return QString::fromUtf8(QJsonDocument(report).toJson(QJsonDocument::Indented).left(6000));
}

} // namespace

class TestRecord : public QObject {
    Q_OBJECT

private:
    std::optional<MysqlServer> m_mysql;

    struct Fixture : CliFixture {
        QString sqlite;
        MysqlTestDatabase database; // not created: SQLite only
    };

    // A source with a SQLite destination "local0" and, with MariaDB, a destination "db", synced.
    std::unique_ptr<Fixture> synced(bool withMysql, fake::ServerOptions options = {},
                                    const QJsonObject& auth = {}) {
        auto f = std::make_unique<Fixture>();
        options.listingCount = 40;
        options.trickyKeys = true;
        if (!f->startServer(options))
            return nullptr;
        f->sqlite = f->path(QStringLiteral("dest/local.sqlite"));
        QJsonObject source = sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), {f->sqlite}, 100);
        if (!auth.isEmpty())
            source.insert(QStringLiteral("auth"), auth);
        if (withMysql) {
            if (!f->database.create(*m_mysql, QStringLiteral("record")))
                return nullptr;
            f->database.addDestination(source, kPasswordVariable);
        }
        f->writeSource(source);
        const CliResult sync = f->run(QStringLiteral("sync"), environment());
        if (sync.exitCode != 0) {
            qWarning("sync failed: %s", sync.err.constData());
            return nullptr;
        }
        return f;
    }

    // A local time zone far from UTC (mysqlCliEnvironment), so that a timestamp read back in
    // local time cannot pass; few retries, so that failures stay quick.
    QProcessEnvironment environment() const {
        QProcessEnvironment env = mysqlCliEnvironment(kPasswordVariable, m_mysql);
        env.insert(QStringLiteral("OPENRESYNC_RETRY_ATTEMPTS"), QStringLiteral("2"));
        return env;
    }

    CliResult record(const Fixture& f, const QString& key, bool json = true,
                     const QString& resource = QStringLiteral("Property")) const {
        QStringList command{QStringLiteral("record"), QStringLiteral("mls"), resource, key};
        if (json)
            command.append(QStringLiteral("--json"));
        return f.cli(command, environment());
    }

    static QJsonObject parsed(const CliResult& result) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(result.out, &error);
        if (error.error != QJsonParseError::NoError)
            qWarning("not JSON (%s): %s", qPrintable(error.errorString()), result.out.left(2000).constData());
        return doc.object();
    }

    // Keys of listings that have Media in the destination, in order.
    static QStringList keysWithMedia(const Fixture& f) {
        QStringList keys;
        // Keys without quotes, so that the tests can put them into SQL text as they are.
        for (const QVariantMap& row :
             readTable(f.sqlite, QStringLiteral("Media"), QStringLiteral("MediaKey")))
            if (!row.value(QStringLiteral("ListingKey")).toString().contains(QLatin1Char('\'')))
                keys.append(row.value(QStringLiteral("ListingKey")).toString());
        keys.removeDuplicates();
        std::sort(keys.begin(), keys.end());
        return keys;
    }

    bool requireMysql() {
        if (!m_mysql) {
            qWarning("ORS_TEST_MYSQL_* are not set: run this suite through scripts/test, which starts a "
                     "MariaDB");
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        m_mysql = mysqlServer();
        // Without the variables the MariaDB cases fail (a skip would read as a pass in CTest).
        if (m_mysql)
            QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QMYSQL")),
                     "the Qt MySQL driver is missing (Debian: libqt6sql6-mysql)");
    }

    void freshSyncAgreesEverywhereMysql() {
        QVERIFY2(requireMysql(), "ORS_TEST_MYSQL_* are not set");
        auto f = synced(true);
        QVERIFY(f);
        // Decimals come back from MariaDB padded to their scale, timestamps as DATETIME(3),
        // booleans as TINYINT, collections as text: all equal as values.
        QStringList keys = keysWithMedia(*f).mid(0, 3);
        keys << kTrickyKey << kCaseKey << QStringLiteral("  spaces  1013");
        QStringList writtenDifferently;
        for (const QString& key : std::as_const(keys)) {
            const CliResult result = record(*f, key);
            QVERIFY2(result.exitCode == 0, result.err.constData());
            const QJsonObject report = parsed(result);
            QVERIFY2(report.value(QStringLiteral("agree")).toBool(), qPrintable(describe(report)));
            QVERIFY(report[QStringLiteral("mls")][QStringLiteral("found")].toBool());
            QCOMPARE(report[QStringLiteral("mls")][QStringLiteral("fields")][QStringLiteral("ListingKey")]
                         .toString(),
                     key);
            const QJsonObject mls = report[QStringLiteral("mls")][QStringLiteral("fields")].toObject();
            const QJsonObject db =
                destinationNamed(report, QStringLiteral("db"))[QStringLiteral("fields")].toObject();
            for (auto it = mls.begin(); it != mls.end(); ++it)
                if (it.value().isString() && db.value(it.key()).isString() &&
                    it.value().toString() != db.value(it.key()).toString())
                    writtenDifferently.append(it.key() + QStringLiteral(": ") + it.value().toString() +
                                              QStringLiteral(" / ") + db.value(it.key()).toString());
            for (const QString& name : {QStringLiteral("local0"), QStringLiteral("db")}) {
                const QJsonObject d = destinationNamed(report, name);
                QCOMPARE(d.value(QStringLiteral("status")).toString(), QStringLiteral("same"));
                QCOMPARE(d[QStringLiteral("fields")][QStringLiteral("ListingKey")].toString(), key);
                QCOMPARE(d[QStringLiteral("children")][QStringLiteral("Media")].toInt(),
                         report[QStringLiteral("mls")][QStringLiteral("children")][QStringLiteral("Media")]
                             .toInt());
            }
        }
        // Some values really are written differently in MariaDB (DECIMAL(65,30) pads an undeclared
        // decimal to 30 places), so the agreement above was one of values, not of text.
        QVERIFY2(!writtenDifferently.isEmpty(), "no value was written differently: nothing was tested");
        qInfo("equal as values, written differently: %s",
              qPrintable(writtenDifferently.mid(0, 5).join(QStringLiteral("; "))));
    }

    void changedFieldIsReportedForThatDestinationOnlyMysql() {
        QVERIFY2(requireMysql(), "ORS_TEST_MYSQL_* are not set");
        auto f = synced(true);
        QVERIFY(f);
        const QString key = kTrickyKey;
        const QString error = mysqlExec(
            f->database.server, f->database.name,
            {QStringLiteral("UPDATE Property SET ListPrice = 1234.5 WHERE ListingKey = 'O''Brien-1001'")});
        QVERIFY2(error.isEmpty(), qPrintable(error));

        const CliResult result = record(*f, key);
        QVERIFY2(result.exitCode == 0, result.err.constData()); // differences are output, not errors
        const QJsonObject report = parsed(result);
        QVERIFY(!report.value(QStringLiteral("agree")).toBool());
        const QJsonObject db = destinationNamed(report, QStringLiteral("db"));
        const QJsonObject local = destinationNamed(report, QStringLiteral("local0"));
        QCOMPARE(db.value(QStringLiteral("status")).toString(), QStringLiteral("differs"));
        QCOMPARE(differenceFields(db), QStringList{QStringLiteral("value:ListPrice")});
        QCOMPARE(db.value(QStringLiteral("fieldsDiffering")).toInt(), 1);
        const QJsonObject difference = db[QStringLiteral("differences")][0].toObject();
        QCOMPARE(difference.value(QStringLiteral("destination")).toString(), QStringLiteral("1234.50"));
        QCOMPARE(
            difference.value(QStringLiteral("mls")).toString(),
            report[QStringLiteral("mls")][QStringLiteral("fields")][QStringLiteral("ListPrice")].toString());
        QCOMPARE(local.value(QStringLiteral("status")).toString(), QStringLiteral("same"));
        QVERIFY2(differenceFields(local).isEmpty(), qPrintable(differenceFields(local).join(u' ')));

        // The human table marks that row, and only that row.
        const CliResult text = record(*f, key, false);
        QVERIFY2(text.exitCode == 0, text.err.constData());
        const QString out = QString::fromUtf8(text.out);
        QStringList markedRows;
        for (const QString& line : out.split(QLatin1Char('\n')))
            if (line.startsWith(QLatin1Char('*')))
                markedRows.append(line);
        QCOMPARE(markedRows.size(), 1);
        QVERIFY2(
            QRegularExpression(QStringLiteral("^\\*\\s+ListPrice\\s")).match(markedRows.first()).hasMatch(),
            qPrintable(out));
        QVERIFY2(markedRows.first().contains(QStringLiteral("1234.50")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("1 field differs in destination db (mysql)")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("destination local0 (sqlite): agrees with the MLS")),
                 qPrintable(out));

        // A key differing only in case is another record: untouched, and found byte for byte.
        const QJsonObject twin = parsed(record(*f, QStringLiteral("CaseKey-1007")));
        QVERIFY2(twin.value(QStringLiteral("agree")).toBool(), qPrintable(describe(twin)));
    }

    void recordDeletedOnTheMlsIsReportedMysql() {
        QVERIFY2(requireMysql(), "ORS_TEST_MYSQL_* are not set");
        auto f = synced(true);
        QVERIFY(f);
        const QStringList deleted = f->server->deleteRecords(1);
        QCOMPARE(deleted.size(), 1);
        const CliResult result = record(*f, deleted.first());
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject report = parsed(result);
        QVERIFY(!report[QStringLiteral("mls")][QStringLiteral("found")].toBool());
        for (const QString& name : {QStringLiteral("local0"), QStringLiteral("db")}) {
            const QJsonObject d = destinationNamed(report, name);
            QVERIFY(d.value(QStringLiteral("found")).toBool());
            QCOMPARE(d.value(QStringLiteral("status")).toString(), QStringLiteral("onlyInDestination"));
            QCOMPARE(differenceFields(d), QStringList{QStringLiteral("onlyInDestination:")});
            QCOMPARE(d[QStringLiteral("fields")][QStringLiteral("ListingKey")].toString(), deleted.first());
        }
        const CliResult text = record(*f, deleted.first(), false);
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.contains(QStringLiteral(
                     "destination db (mysql): holds the record, but the MLS no longer has it")),
                 qPrintable(out));
        QVERIFY2(out.contains(
                     QStringLiteral("destination local0 (sqlite): holds the record, but the MLS no longer")),
                 qPrintable(out));
    }

    void unknownKeyIsNotFoundAnywhere() {
        auto f = synced(false);
        QVERIFY(f);
        const CliResult result = record(*f, QStringLiteral("NO-SUCH-KEY-42"));
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("not found on the MLS nor in any destination"), result.err.constData());
        const QJsonObject report = parsed(result);
        QVERIFY(!report[QStringLiteral("mls")][QStringLiteral("found")].toBool());
        const QJsonObject local = destinationNamed(report, QStringLiteral("local0"));
        QVERIFY(!local.value(QStringLiteral("found")).toBool());
        QCOMPARE(local.value(QStringLiteral("status")).toString(), QStringLiteral("notFound"));
        QVERIFY(differenceFields(local).isEmpty());
        const CliResult text = record(*f, QStringLiteral("NO-SUCH-KEY-42"), false);
        QCOMPARE(text.exitCode, 1);
        QVERIFY2(text.out.contains("the record is neither on the MLS nor in any destination"),
                 text.out.constData());
    }

    void equalValuesWrittenDifferentlyAreNotDifferences() {
        auto f = synced(false);
        QVERIFY(f);
        const QString key = keysWithMedia(*f).first();
        const auto before =
            readTable(f->sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).value(key);
        // The same instants with more digits or another spelling of UTC, the same decimals with
        // zeros added, the same JSON with other spacing.
        const QString error = sqliteExec(
            f->sqlite,
            {QStringLiteral(
                 "UPDATE Property SET ModificationTimestamp = replace(ModificationTimestamp, 'Z', '+00:00'), "
                 "OriginalEntryTimestamp = substr(OriginalEntryTimestamp, 1, 23) || '4567Z', "
                 "ListPrice = '000' || ListPrice || CASE WHEN instr(ListPrice, '.') > 0 THEN '000' "
                 "ELSE '.000' END, "
                 "Appliances = replace(replace(Appliances, '\",\"', '\" , \"'), '[', '[ ')"),
             QStringLiteral(
                 "UPDATE Media SET ModificationTimestamp = substr(ModificationTimestamp, 1, 19) || "
                 "substr(ModificationTimestamp, 20, 4) || '0Z'")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto after =
            readTable(f->sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).value(key);
        for (const QString& field : {QStringLiteral("ModificationTimestamp"),
                                     QStringLiteral("OriginalEntryTimestamp"), QStringLiteral("ListPrice")})
            QVERIFY2(before.value(field) != after.value(field), qPrintable(field));

        const CliResult result = record(*f, key);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject report = parsed(result);
        QVERIFY2(report.value(QStringLiteral("agree")).toBool(), qPrintable(describe(report)));
        const QJsonObject local = destinationNamed(report, QStringLiteral("local0"));
        QCOMPARE(local.value(QStringLiteral("status")).toString(), QStringLiteral("same"));
        QCOMPARE(local[QStringLiteral("fields")][QStringLiteral("ListPrice")].toString(),
                 after.value(QStringLiteral("ListPrice")).toString());

        // A real change next to them still shows, and only it.
        QVERIFY(
            sqliteExec(f->sqlite, {QStringLiteral("UPDATE Property SET ListPrice = '1.01', BedroomsTotal = "
                                                  "coalesce(BedroomsTotal, 0) + 1 WHERE ListingKey = '%1'")
                                       .arg(key)})
                .isEmpty());
        const QJsonObject changed = destinationNamed(parsed(record(*f, key)), QStringLiteral("local0"));
        QCOMPARE(differenceFields(changed),
                 (QStringList{QStringLiteral("value:ListPrice"), QStringLiteral("value:BedroomsTotal")}));
    }

    // The MLS sends more fractional digits than Latitude's Scale (8): the destinations store the
    // value rounded, and record counts that (and the value as sent) as equal, nothing else.
    void decimalsPastTheScaleCompareRounded() {
        auto f = synced(false);
        QVERIFY(f);
        const QString key = keysWithMedia(*f).first();
        QByteArray raw;
        for (const QByteArray& r : f->server->rawRecords(QStringLiteral("Property")))
            if (QJsonDocument::fromJson(r).object().value(QStringLiteral("ListingKey")).toString() == key)
                raw = r;
        QVERIFY(!raw.isEmpty());
        static const QRegularExpression latitude(QStringLiteral("\"Latitude\":[-+0-9.eE]+"));
        QString text = QString::fromUtf8(raw);
        QVERIFY(text.contains(latitude));
        text.replace(latitude, QStringLiteral("\"Latitude\":37.774912345678"));
        f->server->setRecordText(QStringLiteral("Property"), key, text.toUtf8());

        const auto latitudeOf = [&](const char* stored) {
            const QString error = sqliteExec(
                f->sqlite, {QStringLiteral("UPDATE Property SET Latitude = '%1' WHERE ListingKey = '%2'")
                                .arg(QLatin1String(stored), key)});
            if (!error.isEmpty())
                qWarning("%s", qPrintable(error));
            return parsed(record(*f, key));
        };
        QJsonObject report = latitudeOf("37.77491235"); // as sync stores it
        QVERIFY2(report.value(QStringLiteral("agree")).toBool(), qPrintable(describe(report)));
        // The MLS side shows what the MLS sent.
        QCOMPARE(
            report[QStringLiteral("mls")][QStringLiteral("fields")][QStringLiteral("Latitude")].toString(),
            QStringLiteral("37.774912345678"));
        report = latitudeOf("37.774912345678"); // as an earlier version kept it in SQLite
        QVERIFY2(report.value(QStringLiteral("agree")).toBool(), qPrintable(describe(report)));
        report = latitudeOf("37.77491234"); // cut, not rounded: a real difference
        QCOMPARE(differenceFields(destinationNamed(report, QStringLiteral("local0"))),
                 QStringList{QStringLiteral("value:Latitude")});
        report = latitudeOf("37.7749123457"); // rounded to another scale
        QCOMPARE(differenceFields(destinationNamed(report, QStringLiteral("local0"))),
                 QStringList{QStringLiteral("value:Latitude")});
    }

    void childrenAndMissingRecordsAreReported() {
        auto f = synced(false);
        QVERIFY(f);
        const QStringList keys = keysWithMedia(*f);
        QVERIFY(keys.size() >= 2);
        const QString key = keys.first();
        QString removedMedia;
        for (const QVariantMap& row :
             readTable(f->sqlite, QStringLiteral("Media"), QStringLiteral("MediaKey")))
            if (row.value(QStringLiteral("ListingKey")).toString() == key)
                removedMedia = row.value(QStringLiteral("MediaKey")).toString();
        const QString error = sqliteExec(
            f->sqlite,
            {QStringLiteral("DELETE FROM Media WHERE MediaKey = '%1'").arg(removedMedia),
             QStringLiteral(
                 "INSERT INTO Media (MediaKey, ListingKey, MediaURL) VALUES ('EXTRA-1', '%1', 'x')")
                 .arg(key),
             QStringLiteral("DELETE FROM Property WHERE ListingKey = '%1'").arg(keys.at(1))});
        QVERIFY2(error.isEmpty(), qPrintable(error));

        const CliResult result = record(*f, key);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject report = parsed(result);
        const QJsonObject local = destinationNamed(report, QStringLiteral("local0"));
        QCOMPARE(local.value(QStringLiteral("status")).toString(), QStringLiteral("differs"));
        QCOMPARE(local.value(QStringLiteral("fieldsDiffering")).toInt(), 0);
        // One Media missing, one extra: the summary counts them, so "differs" is never "0 differ".
        QCOMPARE(local.value(QStringLiteral("childrenDiffering")).toInt(), 2);
        const QStringList fields = differenceFields(local);
        QVERIFY2(fields.contains(QStringLiteral("missingChild:Media[%1]").arg(removedMedia)),
                 qPrintable(fields.join(u' ')));
        QVERIFY2(fields.contains(QStringLiteral("extraChild:Media[EXTRA-1]")), qPrintable(fields.join(u' ')));
        QCOMPARE(fields.size(), 2);
        const int mlsMedia =
            report[QStringLiteral("mls")][QStringLiteral("children")][QStringLiteral("Media")].toInt();
        QCOMPARE(local[QStringLiteral("children")][QStringLiteral("Media")].toInt(), mlsMedia);
        const QString text = QString::fromUtf8(record(*f, key, false).out);
        QVERIFY2(QRegularExpression(QStringLiteral("^\\*\\s+Media \\(count\\)"),
                                    QRegularExpression::MultilineOption)
                     .match(text)
                     .hasMatch(),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Media[EXTRA-1]: only in local0")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("0 fields and 2 child records differ in destination local0")),
                 qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("0 fields differ")), qPrintable(text));

        // A child that differs in several columns counts once; the record's own field beside it.
        QVERIFY(keys.size() >= 3);
        const QString third = keys.at(2);
        QString changedMedia;
        for (const QVariantMap& row :
             readTable(f->sqlite, QStringLiteral("Media"), QStringLiteral("MediaKey")))
            if (row.value(QStringLiteral("ListingKey")).toString() == third)
                changedMedia = row.value(QStringLiteral("MediaKey")).toString();
        QVERIFY(
            sqliteExec(f->sqlite,
                       {QStringLiteral("UPDATE Media SET MediaURL = 'changed', \"Order\" = 999 WHERE "
                                       "MediaKey = '%1'")
                            .arg(changedMedia),
                        QStringLiteral("UPDATE Property SET BedroomsTotal = coalesce(BedroomsTotal, 0) + 1 "
                                       "WHERE ListingKey = '%1'")
                            .arg(third)})
                .isEmpty());
        const QJsonObject both = destinationNamed(parsed(record(*f, third)), QStringLiteral("local0"));
        QCOMPARE(both.value(QStringLiteral("fieldsDiffering")).toInt(), 1);
        QCOMPARE(both.value(QStringLiteral("childrenDiffering")).toInt(), 1);
        QCOMPARE(differenceFields(both).size(), 3); // BedroomsTotal, the child's MediaURL and Order
        const QString bothText = QString::fromUtf8(record(*f, third, false).out);
        QVERIFY2(bothText.contains(QStringLiteral("1 field and 1 child record differ in destination local0")),
                 qPrintable(bothText));

        const QJsonObject missing = parsed(record(*f, keys.at(1)));
        const QJsonObject gone = destinationNamed(missing, QStringLiteral("local0"));
        QCOMPARE(gone.value(QStringLiteral("status")).toString(), QStringLiteral("missing"));
        QCOMPARE(differenceFields(gone), QStringList{QStringLiteral("missingRecord:")});
    }

    void usageAndErrors() {
        auto f = synced(false);
        QVERIFY(f);
        const QString key = keysWithMedia(*f).first();
        // Wrong number of arguments: usage, exit 2.
        QCOMPARE(f->cli({QStringLiteral("record"), QStringLiteral("mls"), QStringLiteral("Property")},
                        environment())
                     .exitCode,
                 2);
        QCOMPARE(f->cli({QStringLiteral("record"), QStringLiteral("mls"), QStringLiteral("Property"), key,
                         QStringLiteral("extra")},
                        environment())
                     .exitCode,
                 2);
        QCOMPARE(f->cli({QStringLiteral("record"), QStringLiteral("--bogus")}, environment()).exitCode, 2);
        // An unknown source is a usage error as for every command; an unknown resource or an
        // empty key fails (exit 1); nothing on stdout.
        const CliResult source =
            f->cli({QStringLiteral("record"), QStringLiteral("nope"), QStringLiteral("Property"), key},
                   environment());
        QCOMPARE(source.exitCode, 2);
        QVERIFY2(source.err.contains("unknown source \"nope\""), source.err.constData());
        QVERIFY(source.out.isEmpty());
        const CliResult resource = record(*f, key, true, QStringLiteral("Office"));
        QCOMPARE(resource.exitCode, 1);
        QVERIFY2(resource.err.contains("has no resource \"Office\""), resource.err.constData());
        QCOMPARE(record(*f, QString()).exitCode, 1);
        // The MLS failing: exit 1, the destinations still shown.
        fake::Fault fault;
        fault.kind = fake::Fault::Kind::Status500;
        fault.pathContains = QStringLiteral("/Property?");
        fault.count = 100;
        f->server->injectFault(fault);
        const CliResult failing = record(*f, key);
        QCOMPARE(failing.exitCode, 1);
        QVERIFY2(failing.err.contains("the MLS could not be read"), failing.err.constData());
        const QJsonObject report = parsed(failing);
        QVERIFY(!report[QStringLiteral("mls")][QStringLiteral("error")].toString().isEmpty());
        QCOMPARE(
            destinationNamed(report, QStringLiteral("local0")).value(QStringLiteral("status")).toString(),
            QStringLiteral("unchecked"));
    }

    void secretsNeverAppear() {
        fake::ServerOptions options;
        options.auth = fake::AuthMode::Bearer;
        options.bearerToken = QStringLiteral("record-bearer-secret-5151");
        qputenv("ORS_RECORD_TOKEN", options.bearerToken.toUtf8());
        auto f = synced(false, options,
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("bearer")},
                                    {QStringLiteral("token"), QStringLiteral("env:ORS_RECORD_TOKEN")}});
        QVERIFY(f);
        const QString key = keysWithMedia(*f).first();
        QByteArray all;
        for (bool json : {true, false}) {
            const CliResult shown = record(*f, key, json);
            QVERIFY2(shown.exitCode == 0, shown.err.constData());
            const CliResult missing = record(*f, QStringLiteral("NO-SUCH-KEY"), json);
            all += shown.out + shown.err + missing.out + missing.err;
        }
        fake::Fault fault;
        fault.kind = fake::Fault::Kind::Status401;
        fault.count = 100;
        f->server->injectFault(fault);
        const CliResult refused = record(*f, key);
        QCOMPARE(refused.exitCode, 1);
        all += refused.out + refused.err;
        QVERIFY(!all.contains(options.bearerToken.toUtf8()));
        QVERIFY(all.contains(key.toUtf8()));
    }
};

QTEST_GUILESS_MAIN(TestRecord)
#include "tst_record.moc"
