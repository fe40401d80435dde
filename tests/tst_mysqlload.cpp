// MysqlDestination's LOAD DATA LOCAL path (destinations/MysqlLoad.cpp, the default; turned off
// by OPENRESYNC_MYSQL_LOAD_DATA=0) against the test MariaDB:
// hostile values store exactly as the statements store them, a value the load would change
// falls back to the statements (which name the record), a server with local_infile OFF is
// written by statements, and the client serves no file the server asks for.
#include "destinations/MysqlDestination.h"

#include "reso/PageReader.h"

#include "DestinationCases.h"
#include "DestinationSuites.h"

#include <QScopeGuard>
#include <QTest>

#include <memory>

using namespace ors;
using namespace Qt::StringLiterals;
using ors::test::applyBody;
using ors::test::jsonString;
using ors::test::openWithSchema;
using ors::test::page;

class TestMysqlLoad : public ors::test::MysqlDestinationSuite {
    Q_OBJECT

public:
    TestMysqlLoad() { qputenv("OPENRESYNC_MYSQL_LOAD_DATA", "1"); }

private Q_SLOTS:
    void loadStoresWhatStatementsStore();
    void refusedValueFallsBackToStatements();
    void valueRefusedAfterRowsWentOut();
    void replaceKeepsUpsertSemantics();
    void localInfileOff();
    void serverCannotReadClientFiles();
    void onByDefaultOffByChoice();

private:
    // Every column of `table` but its key and ListingKey, hex-encoded (NULL as "null"), for the row of `key`.
    QString rowImage(const QString& table, const QString& keyColumn, const QString& key);
    // The hostile records of loadStoresWhatStatementsStore, keyed `prefix`-n.
    static QByteArrayList hostileRecords(const QByteArray& prefix);
};

QString TestMysqlLoad::rowImage(const QString& table, const QString& keyColumn, const QString& key) {
    const QStringList columns = strings(u"SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE "
                                        "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME <> ? "
                                        "AND COLUMN_NAME <> 'ListingKey' ORDER BY ORDINAL_POSITION"_s,
                                        {table, keyColumn});
    QStringList parts;
    for (const QString& column : columns)
        parts.append(u"IFNULL(HEX(`%1`), 'null')"_s.arg(column));
    const QStringList rows = strings(
        u"SELECT CONCAT_WS(',', %1) FROM `%2` WHERE `%3` = ?"_s.arg(parts.join(u", "_s), table, keyColumn),
        {key});
    return rows.size() == 1 ? rows.first() : u"(%1 rows)"_s.arg(rows.size());
}

QByteArrayList TestMysqlLoad::hostileRecords(const QByteArray& prefix) {
    // What delimits, escapes or ends a row of LOAD DATA's format, and what looks like its NULL.
    const QList<QByteArray> texts{jsonString(u"tab\there"_s),
                                  jsonString(u"line\nbreak\r\nand CR\r"_s),
                                  jsonString(u"back\\slash \\t \\n \\\\ and last \\"_s),
                                  jsonString(u"\\N"_s),
                                  jsonString(u"NULL"_s),
                                  jsonString(u"nul \u0000 inside"_s),
                                  jsonString(u"Ünïcödé 🏡 ✓ 'quote' \"dq\" `bt`"_s),
                                  jsonString(u""_s),
                                  "null",
                                  jsonString(QString(u"long \t\\ ✓ "_s).repeated(20000))};
    QByteArrayList records;
    for (int i = 0; i < texts.size(); ++i) {
        const QByteArray n = QByteArray::number(i);
        records.append(
            "{\"ListingKey\":\"" + prefix + n + "\",\"ListingId\":" +
            (i < 8 ? texts.at(i) : QByteArray("\"id\\t\\\\N\"")) + ",\"PublicRemarks\":" + texts.at(i) +
            ",\"BedroomsTotal\":" + (i % 2 ? "-2147483648" : "2147483647") +
            ",\"BigNumber\":-9223372036854775807,\"ListPrice\":" + (i % 2 ? "0.1" : "999999999999.99") +
            ",\"PreciseRatio\":-0.0000000001,\"LotSizeAcres\":12345.6789,\"Latitude\":-1.5e-7"
            ",\"NewConstructionYN\":" +
            (i % 2 ? "true" : "false") +
            ",\"ListingContractDate\":\"2024-02-29\",\"ModificationTimestamp\":\"2024-05-01T10:00:00.123Z\""
            ",\"StandardStatus\":\"Active\",\"Keywords\":[\"a\\tb\",\"c\\\\N\",\"🏡\"]"
            ",\"Address\":{\"City\":\"New\\nYork\\\\\",\"PostalCode\":null}"
            ",\"Media\":[{\"MediaKey\":\"" +
            prefix + "M" + n + "\",\"MediaURL\":" + texts.at(i == 9 ? 0 : i) + ",\"Order\":" + n + "}]}");
    }
    return records;
}

void TestMysqlLoad::loadStoresWhatStatementsStore() {
    // The same hostile records through both paths, each also with fields in _overflow: every
    // stored byte must be the same.
    DestinationConfig config = m_config;
    config.overflowFields = {u"StandardStatus"_s, u"Keywords"_s, u"Address"_s};
    auto loading = openWithSchema(std::make_unique<MysqlDestination>(config, u"src"_s), m_plan);
    QVERIFY(loading);
    QVERIFY(loading->loadsData());
    const QByteArrayList loaded = hostileRecords("L-");
    ORS_VERIFY_OK(applyBody(*loading, m_plan, page(loaded)));
    QCOMPARE(loading->rowsLoaded(), qint64(2 * loaded.size())); // Property and Media rows
    // Again: every row is now an update, which REPLACE makes in place.
    ORS_VERIFY_OK(applyBody(*loading, m_plan, page(loaded)));
    QCOMPARE(loading->rowsLoaded(), qint64(4 * loaded.size()));

    auto stating = openWithSchema(std::make_unique<MysqlDestination>(config, u"src"_s), m_plan);
    QVERIFY(stating);
    stating->useStatementsOnly();
    ORS_VERIFY_OK(applyBody(*stating, m_plan, page(hostileRecords("S-"))));
    QCOMPARE(stating->rowsLoaded(), 0);

    QCOMPARE(count(u"Property"_s), 2 * loaded.size());
    QCOMPARE(count(u"Media"_s), 2 * loaded.size());
    for (int i = 0; i < loaded.size(); ++i) {
        const QString n = QString::number(i);
        QCOMPARE(rowImage(u"Property"_s, u"ListingKey"_s, u"L-"_s + n),
                 rowImage(u"Property"_s, u"ListingKey"_s, u"S-"_s + n));
        QCOMPARE(rowImage(u"Media"_s, u"MediaKey"_s, u"L-M"_s + n),
                 rowImage(u"Media"_s, u"MediaKey"_s, u"S-M"_s + n));
    }
    // And what they store is the value sent, not only the same mistake twice.
    const QStringList problems =
        check(m_plan.table, u"L-2"_s,
              {{u"PublicRemarks"_s, u"text"_s, u"back\\slash \\t \\n \\\\ and last \\"_s},
               {u"ListingId"_s, u"text"_s, u"back\\slash \\t \\n \\\\ and last \\"_s},
               {u"ListPrice"_s, u"text"_s, u"999999999999.99"_s},
               {u"NewConstructionYN"_s, u"text"_s, u"0"_s},
               {u"StandardStatus"_s, u"text"_s, u"Active"_s}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(strings(u"SELECT PublicRemarks IS NULL, ListingId FROM Property WHERE ListingKey IN "
                     "('L-3', 'L-7', 'L-8') ORDER BY ListingKey"_s),
             (QStringList{u"0|\\N"_s, u"0|"_s, u"1|id\t\\N"_s}));
    QCOMPARE(strings(u"SELECT HEX(PublicRemarks) FROM Property WHERE ListingKey = 'L-5'"_s),
             QStringList{QString::fromLatin1(QByteArray("nul \0 inside", 12).toHex().toUpper())});
    QCOMPARE(
        strings(u"SELECT JSON_VALUE(_overflow, '$.Address.City') FROM Property WHERE ListingKey = 'L-1'"_s),
        QStringList{u"New\nYork\\"_s});
}

void TestMysqlLoad::refusedValueFallsBackToStatements() {
    // A value LOAD DATA LOCAL would cut with a warning: the load is undone and the statements
    // refuse the record, naming it and the column, as they do without the load.
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QVERIFY(destination->loadsData());
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({"{\"ListingKey\":\"KEEP\",\"ListingId\":\"old\"}"})));
    const qint64 loadedBefore = destination->rowsLoaded();
    QCOMPARE(loadedBefore, 1);
    const auto r =
        applyBody(*destination, m_plan,
                  page({"{\"ListingKey\":\"RV-1\",\"ListingId\":\"fine\",\"Media\":[{\"MediaKey\":\"X\"}]}",
                        "{\"ListingKey\":\"RV-2\",\"ListingId\":\"" + QByteArray(51, 'x') + "\"}",
                        "{\"ListingKey\":\"KEEP\",\"ListingId\":\"new\"}"}));
    QVERIFY(!r.ok());
    QVERIFY2(r.errorMessage().contains(u"writing Property record ListingKey=\"RV-2\", column ListingId"_s) &&
                 r.errorMessage().contains(u"1406"_s),
             qPrintable(r.errorMessage()));
    QCOMPARE(destination->rowsLoaded(), loadedBefore);
    QCOMPARE(strings(u"SELECT ListingKey, ListingId FROM Property"_s), QStringList{u"KEEP|old"_s});
    QCOMPARE(count(u"Media"_s), 0);
    // The session goes on loading.
    QVERIFY(destination->loadsData());
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({"{\"ListingKey\":\"AFTER\"}"})));
    QCOMPARE(destination->rowsLoaded(), loadedBefore + 1);
    QCOMPARE(count(u"Property"_s), 2);
}

void TestMysqlLoad::valueRefusedAfterRowsWentOut() {
    // Rows are formatted as the server reads them, so a value the client refuses may come after
    // hundreds of rows went out: the load ends there, what the server took is undone, the error
    // names the record, and the session goes on loading. With applyRejecting the record alone
    // is left out.
    QByteArrayList records;
    for (int i = 0; i < 300; ++i) {
        const QByteArray n = QByteArray::number(i);
        records.append("{\"ListingKey\":\"MID-" + n + "\",\"PublicRemarks\":\"" + QByteArray(1000, 'r') +
                       "\",\"ListPrice\":" + (i == 250 ? "1234567890123.5" : "1") +
                       ",\"Media\":[{\"MediaKey\":\"MID-M" + n + "\"}]}");
    }
    auto rows = PageReader::read(page(records), m_plan, u"test page"_s);
    ORS_VERIFY_OK(rows);
    QVERIFY(rows->rejected.isEmpty());
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QVERIFY(destination->loadsData());
    const auto r = destination->apply(m_plan, *rows);
    QVERIFY(!r.ok());
    QVERIFY2(r.errorMessage().contains(u"record ListingKey=\"MID-250\", column ListPrice"_s),
             qPrintable(r.errorMessage()));
    QCOMPARE(destination->rowsLoaded(), 0);
    QCOMPARE(count(u"Property"_s), 0);
    QCOMPARE(count(u"Media"_s), 0);
    QVERIFY(destination->loadsData());

    auto rejected = destination->applyRejecting(m_plan, *rows);
    ORS_VERIFY_OK(rejected);
    QCOMPARE(rejected->size(), 1);
    QCOMPARE(rejected->first().key, QByteArray("MID-250"));
    QCOMPARE(count(u"Property"_s), 299);
    QCOMPARE(count(u"Media"_s), 299);
    QCOMPARE(
        strings(
            u"SELECT COUNT(*) FROM Property WHERE ListingKey = 'MID-250' OR LENGTH(PublicRemarks) <> 1000"_s),
        QStringList{u"0"_s});
    // Both tables went by LOAD DATA, not by the statements.
    QCOMPARE(destination->rowsLoaded(), 2 * 299);
}

void TestMysqlLoad::replaceKeepsUpsertSemantics() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({"{\"ListingKey\":\"R-1\",\"ListingId\":\"one\"}"})));
    // A column the sync does not write would be reset by REPLACE: that table takes statements,
    // which keep it.
    QVERIFY(exec(u"ALTER TABLE Property ADD COLUMN LocalNote VARCHAR(20) NULL"_s));
    QVERIFY(exec(u"UPDATE Property SET LocalNote = 'mine'"_s));
    auto again = openDestination(m_plan);
    QVERIFY(again);
    const qint64 loaded = again->rowsLoaded();
    ORS_VERIFY_OK(applyBody(*again, m_plan, page({"{\"ListingKey\":\"R-1\",\"ListingId\":\"two\"}"})));
    QCOMPARE(again->rowsLoaded(), loaded);
    QCOMPARE(strings(u"SELECT ListingId, LocalNote FROM Property"_s), QStringList{u"two|mine"_s});
    QVERIFY(exec(u"ALTER TABLE Property DROP COLUMN LocalNote"_s));
    // A trigger (REPLACE fires no UPDATE trigger) or a second unique key: statements too.
    QVERIFY(exec(u"CREATE TABLE TriggerLog (ListingKey VARCHAR(255))"_s));
    QVERIFY(exec(u"CREATE TRIGGER PropertyUpdated AFTER UPDATE ON Property FOR EACH ROW "
                 "INSERT INTO TriggerLog VALUES (NEW.ListingKey)"_s));
    auto triggered = openDestination(m_plan);
    QVERIFY(triggered);
    ORS_VERIFY_OK(applyBody(*triggered, m_plan, page({"{\"ListingKey\":\"R-1\",\"ListingId\":\"three\"}"})));
    QCOMPARE(triggered->rowsLoaded(), 0);
    QCOMPARE(strings(u"SELECT ListingKey FROM TriggerLog"_s), QStringList{u"R-1"_s});
    QVERIFY(exec(u"DROP TRIGGER PropertyUpdated"_s));
    QVERIFY(exec(u"ALTER TABLE Media ADD UNIQUE KEY OrderUnique (`Order`)"_s));
    auto unique = openDestination(m_plan);
    QVERIFY(unique);
    ORS_VERIFY_OK(applyBody(*unique, m_plan,
                            page({"{\"ListingKey\":\"R-1\",\"Media\":[{\"MediaKey\":\"A\",\"Order\":1}]}"})));
    QCOMPARE(unique->rowsLoaded(), 1); // Property loaded, Media by statements
    QCOMPARE(strings(u"SELECT MediaKey FROM Media"_s), QStringList{u"A"_s});
}

void TestMysqlLoad::localInfileOff() {
    const QString problem = asRoot(u"SET GLOBAL local_infile = 0"_s);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    auto restore = qScopeGuard([this] { asRoot(u"SET GLOBAL local_infile = 1"_s); });
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QVERIFY(!destination->loadsData());
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"OFF-1\",\"Media\":[{\"MediaKey\":\"M1\"}]}",
                                  "{\"ListingKey\":\"OFF-2\",\"PublicRemarks\":\"a\\tb\"}"})));
    QCOMPARE(destination->rowsLoaded(), 0);
    QCOMPARE(count(u"Property"_s), 2);
    QCOMPARE(count(u"Media"_s), 1);

    // Turned off while a destination is open: its next load is refused, the page is written by
    // statements all the same, and the session stops trying.
    QCOMPARE(asRoot(u"SET GLOBAL local_infile = 1"_s), QString());
    auto opened = openDestination(m_plan);
    QVERIFY(opened);
    QVERIFY(opened->loadsData());
    QCOMPARE(asRoot(u"SET GLOBAL local_infile = 0"_s), QString());
    ORS_VERIFY_OK(
        applyBody(*opened, m_plan, page({"{\"ListingKey\":\"OFF-3\",\"Media\":[{\"MediaKey\":\"M3\"}]}"})));
    QVERIFY(!opened->loadsData());
    QCOMPARE(opened->rowsLoaded(), 0);
    QCOMPARE(strings(u"SELECT ListingKey FROM Property ORDER BY ListingKey"_s),
             (QStringList{u"OFF-1"_s, u"OFF-2"_s, u"OFF-3"_s}));
    QCOMPARE(count(u"Media"_s), 2);
}

void TestMysqlLoad::serverCannotReadClientFiles() {
    // The client library's own handler would send any file a LOAD DATA LOCAL names; ours sends
    // only the page it is loading.
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    for (const QByteArray& file : {QByteArray("/etc/hostname"), QByteArray("ors-page")}) {
        const auto r = destination->runStatement("LOAD DATA LOCAL INFILE '" + file +
                                                 "' INTO TABLE Property (ListingKey)");
        QVERIFY2(!r.ok(), file.constData());
    }
    QCOMPARE(count(u"Property"_s), 0);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({"{\"ListingKey\":\"STILL\"}"})));
    QCOMPARE(count(u"Property"_s), 1);
}

void TestMysqlLoad::onByDefaultOffByChoice() {
    qunsetenv("OPENRESYNC_MYSQL_LOAD_DATA");
    auto restore = qScopeGuard([] { qputenv("OPENRESYNC_MYSQL_LOAD_DATA", "1"); });
    auto byDefault = openDestination(m_plan);
    QVERIFY(byDefault);
    QVERIFY(byDefault->loadsData());
    ORS_VERIFY_OK(applyBody(*byDefault, m_plan, page({"{\"ListingKey\":\"D-0\"}"})));
    QCOMPARE(byDefault->rowsLoaded(), 1);
    QCOMPARE(count(u"Property"_s), 1);
    byDefault.reset();

    qputenv("OPENRESYNC_MYSQL_LOAD_DATA", "0");
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QVERIFY(!destination->loadsData());
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({"{\"ListingKey\":\"D-1\"}"})));
    QCOMPARE(destination->rowsLoaded(), 0);
    QCOMPARE(count(u"Property"_s), 2);
    // Even so, the server gets no local file.
    QVERIFY(
        !destination->runStatement("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE Property (ListingKey)")
             .ok());
    QCOMPARE(count(u"Property"_s), 2);
}

QTEST_GUILESS_MAIN(TestMysqlLoad)
#include "tst_mysqlload.moc"
