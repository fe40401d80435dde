// SQLite destination: records refused alone or failing the page, hostile values, case twins, key
// order and the guarded purge.
#include "destinations/SqliteDestination.h"
#include "records/Metadata.h"
#include "records/SchemaPlanner.h"
#include "reso/MetadataParser.h"
#include "reso/PageReader.h"

#include "DestinationCases.h"
#include "DestinationSuites.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace ors;
using ors::test::jsonString;
using ors::test::kCaseTwinColumns;
using ors::test::kCaseTwinEdmx;
using ors::test::kCaseTwinRecord;
using ors::test::kEdmx;
using ors::test::page;
using namespace Qt::StringLiterals;

using Reader = ors::test::SqliteReader;
using ors::test::applyBody;
using ors::test::Expect;
using ors::test::planFor;
using ors::test::planFromXml;

class TestSqliteDestinationRecords : public ors::test::SqliteDestinationSuite {
    Q_OBJECT

private Q_SLOTS:
    void recordWithoutKey();
    void malformedNumberRejectsRecord_data();
    void malformedNumberRejectsRecord();
    void lastCopyOfARecordDecides();
    void refusalIsNotSetAside();
    void invalidJson_data();
    void invalidJson();
    void failedPageLeavesNothing();
    void unchangedRowsAreNotWrittenAgain();
    void numericKeysInByteOrder();
    void hostileValues_data();
    void hostileValues();
    void hostileCellsAreBound();
    void caseTwinColumns();
    void purgeKeysSparesRowsChangedSinceTheKeyList();
};

void TestSqliteDestinationRecords::recordWithoutKey() {
    // A record without its key is rejected with its index and raw text; the rest of the page is read.
    const QByteArray missing = page({"{\"ListingKey\":\"K0\",\"ListPrice\":1}", "{\"ListingKey\":\"K1\"}",
                                     "{\"ListingId\":\"NO-KEY\",\"ListPrice\":2}"});
    auto rows = PageReader::read(missing, m_plan, u"Property page 4"_s);
    ORS_VERIFY_OK(rows);
    QCOMPARE(rows->parent.rows.size(), 2);
    QCOMPARE(rows->rejected.size(), 1);
    const RecordRejection& noKey = rows->rejected.first();
    QCOMPARE(noKey.index, 2);
    QVERIFY(noKey.key.isEmpty());
    QCOMPARE(noKey.raw, QByteArray("{\"ListingId\":\"NO-KEY\",\"ListPrice\":2}"));
    QVERIFY2(noKey.reason.contains(u"Property page 4"_s) && noKey.reason.contains(u"record 2"_s) &&
                 noKey.reason.contains(u"ListingKey"_s),
             qPrintable(noKey.reason));

    auto nullKey = PageReader::read(page({"{\"ListingKey\":null}"}), m_plan, u"p"_s);
    ORS_VERIFY_OK(nullKey);
    QCOMPARE(nullKey->rejected.size(), 1);
    QVERIFY2(nullKey->rejected.first().reason.contains(u"record 0"_s),
             qPrintable(nullKey->rejected.first().reason));

    // A child without its own key rejects its parent, children and all; the other records stay.
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    auto childless =
        PageReader::read(page({"{\"ListingKey\":\"C1\",\"Media\":[{\"MediaKey\":\"CM1\"}]}",
                               "{\"ListingKey\":\"C2\",\"Media\":[{\"MediaKey\":\"CM2\"},{\"Order\":1}]}"}),
                         m_plan, u"p"_s);
    ORS_VERIFY_OK(childless);
    QCOMPARE(childless->rejected.size(), 1);
    const RecordRejection& badChild = childless->rejected.first();
    QCOMPARE(badChild.key, QByteArray("C2"));
    QCOMPARE(badChild.child, u"Media"_s);
    QVERIFY2(badChild.reason.contains(u"record 1"_s) && badChild.reason.contains(u"Media item 1"_s) &&
                 badChild.reason.contains(u"MediaKey"_s),
             qPrintable(badChild.reason));
    QCOMPARE(childless->children.first().parentKeys, QList<QByteArray>{"C1"});
    ORS_VERIFY_OK(destination->apply(m_plan, *childless));
    Reader reader(m_path);
    QCOMPARE(reader.strings(u"SELECT ListingKey FROM Property"_s), QStringList{u"C1"_s});
    QCOMPARE(reader.strings(u"SELECT MediaKey FROM Media"_s), QStringList{u"CM1"_s});
}

void TestSqliteDestinationRecords::malformedNumberRejectsRecord_data() {
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<QString>("field");
    QTest::newRow("bad number in column")
        << QByteArray("{\"ListingKey\":\"A\",\"ListPrice\":1.2.3}") << u"ListPrice"_s;
    QTest::newRow("leading zero in decimal")
        << QByteArray("{\"ListingKey\":\"A\",\"ListPrice\":01.5}") << u"ListPrice"_s;
    QTest::newRow("bare point in decimal")
        << QByteArray("{\"ListingKey\":\"A\",\"LotSizeAcres\":1.}") << u"LotSizeAcres"_s;
    QTest::newRow("letters in integer")
        << QByteArray("{\"ListingKey\":\"A\",\"BedroomsTotal\":12abc}") << u"BedroomsTotal"_s;
    QTest::newRow("bad number in media")
        << QByteArray("{\"ListingKey\":\"A\",\"Media\":[{\"MediaKey\":\"M\",\"Order\":1e}]}")
        << u"Media.Order"_s;
    QTest::newRow("bad number before the key")
        << QByteArray("{\"ListPrice\":-,\"ListingKey\":\"A\"}") << u"ListPrice"_s;
}

void TestSqliteDestinationRecords::malformedNumberRejectsRecord() {
    QFETCH(QByteArray, record);
    QFETCH(QString, field);
    const QByteArray body =
        page({"{\"ListingKey\":\"GOOD\",\"ListPrice\":1.5,\"Media\":[{\"MediaKey\":\"GM\"}]}", record,
              "{\"ListingKey\":\"LAST\"}"});
    auto rows = PageReader::read(body, m_plan, u"Property page 2"_s);
    ORS_VERIFY_OK(rows);
    QCOMPARE(rows->rejected.size(), 1);
    const RecordRejection& bad = rows->rejected.first();
    QCOMPARE(bad.key, QByteArray("A"));
    QCOMPARE(bad.raw, record);
    QVERIFY2(bad.reason.contains(u"Property page 2: record 1."_s + field) &&
                 bad.reason.contains(u"not a valid JSON number"_s),
             qPrintable(bad.reason));
    QCOMPARE(rows->parent.rows.size(), 2);
    QCOMPARE(rows->children.first().rows.rows.size(), 1);
}

void TestSqliteDestinationRecords::lastCopyOfARecordDecides() {
    // A record sent twice in a page: the later copy decides whether it is stored or rejected.
    auto goodLast = PageReader::read(
        page({"{\"ListingKey\":\"D\",\"ListPrice\":1.2.3}", "{\"ListingKey\":\"D\",\"ListPrice\":2}"}),
        m_plan, u"p"_s);
    ORS_VERIFY_OK(goodLast);
    QCOMPARE(goodLast->rejected.size(), 0);
    QCOMPARE(goodLast->parent.rows.size(), 1);
    auto badLast =
        PageReader::read(page({"{\"ListingKey\":\"D\",\"ListPrice\":2,\"Media\":[{\"MediaKey\":\"DM\"}]}",
                               "{\"ListingKey\":\"D\",\"ListPrice\":1.2.3}"}),
                         m_plan, u"p"_s);
    ORS_VERIFY_OK(badLast);
    QCOMPARE(badLast->rejected.size(), 1);
    QCOMPARE(badLast->rejected.first().index, 1);
    QCOMPARE(badLast->parent.rows.size(), 0);
    QCOMPARE(badLast->children.first().rows.rows.size(), 0);
}

void TestSqliteDestinationRecords::refusalIsNotSetAside() {
    // SQLite takes every value, so a refused row is the database's own rule (here a trigger):
    // applyRejecting fails the page like apply, leaving nothing written, instead of setting the
    // record aside (tst_failures relies on such a refusal blocking the step).
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    {
        Reader writer(m_path, false);
        QVERIFY2(writer.exec(u"CREATE TRIGGER refuse BEFORE INSERT ON Property WHEN NEW.ListingKey = 'BAD' "
                             "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"_s),
                 qPrintable(writer.lastError()));
    }
    auto rows = PageReader::read(
        page({"{\"ListingKey\":\"R1\",\"Media\":[{\"MediaKey\":\"R1-M\"}]}", "{\"ListingKey\":\"BAD\"}"}),
        m_plan, u"p"_s);
    ORS_VERIFY_OK(rows);
    auto rejected = destination->applyRejecting(m_plan, *rows);
    QVERIFY(!rejected.ok());
    QVERIFY2(rejected.errorMessage().contains(u"refused by trigger"_s), qPrintable(rejected.errorMessage()));
    Reader reader(m_path);
    QCOMPARE(reader.count(u"Property"_s), 0);
    QCOMPARE(reader.count(u"Media"_s), 0);
}

void TestSqliteDestinationRecords::invalidJson_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("<html>502 Bad Gateway</html>");
    QTest::newRow("truncated") << QByteArray(
        "{\"value\":[{\"ListingKey\":\"A\",\"ListPrice\":1},{\"ListingKey\":\"B\"");
    QTest::newRow("truncated in string") << QByteArray("{\"value\":[{\"ListingKey\":\"A");
    QTest::newRow("trailing comma") << QByteArray("{\"value\":[{\"ListingKey\":\"A\",}]}");
    QTest::newRow("bad literal in column")
        << QByteArray("{\"value\":[{\"ListingKey\":\"A\",\"BedroomsTotal\":tru}]}");
    QTest::newRow("array root") << QByteArray("[{\"ListingKey\":\"A\"}]");
    QTest::newRow("value not array") << QByteArray("{\"value\":{\"ListingKey\":\"A\"}}");
    QTest::newRow("record not object") << QByteArray("{\"value\":[\"A\"]}");
    QTest::newRow("unterminated media")
        << QByteArray("{\"value\":[{\"ListingKey\":\"A\",\"Media\":[{\"MediaKey\":\"M\"}");
}

void TestSqliteDestinationRecords::invalidJson() {
    QFETCH(QByteArray, body);
    auto rows = PageReader::read(body, m_plan, u"Property page 2"_s);
    if (rows.ok())
        QFAIL(qPrintable(u"accepted: %1 parent rows"_s.arg(rows->parent.rows.size())));
    QVERIFY2(rows.errorMessage().contains(u"Property page 2"_s), qPrintable(rows.errorMessage()));
}

void TestSqliteDestinationRecords::failedPageLeavesNothing() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({"{\"ListingKey\":\"F0\",\"ListPrice\":1,\"Media\":[{\"MediaKey\":\"FM0\"}]}"})));
    {
        Reader writer(m_path, false);
        QVERIFY2(writer.exec(u"CREATE TRIGGER refuse BEFORE INSERT ON Property WHEN NEW.ListingKey = 'BAD' "
                             "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"_s),
                 qPrintable(writer.lastError()));
    }
    const auto r = applyBody(*destination, m_plan,
                             page({"{\"ListingKey\":\"F0\",\"ListPrice\":2,\"Media\":[]}",
                                   "{\"ListingKey\":\"F1\"}", "{\"ListingKey\":\"BAD\"}"}));
    QVERIFY(!r.ok());
    QVERIFY2(r.errorMessage().contains(u"BAD"_s) && r.errorMessage().contains(u"refused by trigger"_s),
             qPrintable(r.errorMessage()));
    {
        // The whole page was rolled back.
        Reader reader(m_path);
        QCOMPARE(reader.count(u"Property"_s), 1);
        QCOMPARE(reader.count(u"Media"_s), 1);
        QCOMPARE(reader.strings(u"SELECT ListPrice FROM Property"_s), QStringList{u"1"_s});
    }
    // And the destination is usable afterwards.
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({"{\"ListingKey\":\"F2\",\"ListPrice\":3}"})));
    QCOMPARE(destination->count(m_plan.table).value(), 2);
}

void TestSqliteDestinationRecords::unchangedRowsAreNotWrittenAgain() {
    // A changed listing's children are replaced by deleting only those its JSON no longer has;
    // a row (parent or child) that arrives as stored is left alone, one that changed is updated.
    // Triggers record every write the destination makes.
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(
        *destination, m_plan,
        page({"{\"ListingKey\":\"P1\",\"ListPrice\":1,\"Media\":[{\"MediaKey\":\"M1\",\"MediaURL\":\"a\"},"
              "{\"MediaKey\":\"M2\",\"MediaURL\":\"b\"},{\"MediaKey\":\"M3\",\"MediaURL\":\"c\"}]}",
              "{\"ListingKey\":\"P2\",\"ListPrice\":5,\"Media\":[{\"MediaKey\":\"N1\",\"MediaURL\":\"n\"}]"
              "}"})));
    {
        Reader writer(m_path, false);
        QVERIFY2(writer.exec(u"CREATE TABLE writes (what TEXT)"_s), qPrintable(writer.lastError()));
        for (const auto& [table, key] :
             {std::pair(u"Property"_s, u"ListingKey"_s), {u"Media"_s, u"MediaKey"_s}})
            for (const QString& op : {u"INSERT"_s, u"UPDATE"_s, u"DELETE"_s}) {
                const QString row = op == u"DELETE"_s ? u"OLD"_s : u"NEW"_s;
                QVERIFY2(writer.exec(u"CREATE TRIGGER log_%1_%2 AFTER %2 ON %1 BEGIN INSERT INTO writes "
                                     "VALUES ('%2 %1 ' || %3.%4); END"_s.arg(table, op, row, key)),
                         qPrintable(writer.lastError()));
            }
    }
    const auto writes = [&] {
        Reader reader(m_path);
        QStringList all = reader.strings(u"SELECT what FROM writes"_s);
        all.sort();
        return all;
    };
    const auto media = [&] {
        Reader reader(m_path);
        return reader.strings(
            u"SELECT MediaKey || ':' || ListingKey || ':' || MediaURL FROM Media ORDER BY MediaKey"_s);
    };

    // P1 changed: M1 as it was, M2 changed, M3 gone, M4 new. P2 and its N1 arrive as stored.
    ORS_VERIFY_OK(applyBody(
        *destination, m_plan,
        page({"{\"ListingKey\":\"P1\",\"ListPrice\":2,\"Media\":[{\"MediaKey\":\"M1\",\"MediaURL\":\"a\"},"
              "{\"MediaKey\":\"M2\",\"MediaURL\":\"b2\"},{\"MediaKey\":\"M4\",\"MediaURL\":\"d\"}]}",
              "{\"ListingKey\":\"P2\",\"ListPrice\":5,\"Media\":[{\"MediaKey\":\"N1\",\"MediaURL\":\"n\"}]"
              "}"})));
    QCOMPARE(writes(), (QStringList{u"DELETE Media M3"_s, u"INSERT Media M4"_s, u"UPDATE Media M2"_s,
                                    u"UPDATE Property P1"_s}));
    QCOMPARE(media(), (QStringList{u"M1:P1:a"_s, u"M2:P1:b2"_s, u"M4:P1:d"_s, u"N1:P2:n"_s}));

    // A child that moves to another parent of the page, and a parent whose children all went.
    {
        Reader writer(m_path, false);
        QVERIFY2(writer.exec(u"DELETE FROM writes"_s), qPrintable(writer.lastError()));
    }
    ORS_VERIFY_OK(applyBody(
        *destination, m_plan,
        page({"{\"ListingKey\":\"P1\",\"ListPrice\":2,\"Media\":[]}",
              "{\"ListingKey\":\"P2\",\"ListPrice\":5,\"Media\":["
              "{\"MediaKey\":\"N1\",\"MediaURL\":\"n\"},{\"MediaKey\":\"M1\",\"MediaURL\":\"a\"}]}"})));
    QCOMPARE(media(), (QStringList{u"M1:P2:a"_s, u"N1:P2:n"_s}));
    QCOMPARE(writes(), (QStringList{u"DELETE Media M1"_s, u"DELETE Media M2"_s, u"DELETE Media M4"_s,
                                    u"INSERT Media M1"_s}));
}

void TestSqliteDestinationRecords::numericKeysInByteOrder() {
    // An integer key (ListingKeyNumeric on some platforms) is stored as text so that the key
    // list purge and reconcile read back is in byte order, like the MLS keys sorted locally.
    QByteArray xml = kEdmx;
    xml.replace("<Property Name='ListingKey' Type='Edm.String' MaxLength='255'/>",
                "<Property Name='ListingKey' Type='Edm.Int64'/>");
    auto plan = planFromXml(xml);
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
    QVERIFY(plan->numericKey);
    QCOMPARE(plan->table.columns.at(plan->table.keyColumn).storage, ColumnStorage::Text);
    auto destination = openDestination(*plan);
    QVERIFY(destination);
    auto rows = PageReader::read(
        page({"{\"ListingKey\":9}", "{\"ListingKey\":100}", "{\"ListingKey\":10}", "{\"ListingKey\":-3}"}),
        *plan, u"inline"_s);
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.errorMessage()));
    QVERIFY(destination->apply(*plan, *rows));
    auto keys = destination->keysAfter(plan->table, std::nullopt, 10, {});
    QVERIFY2(keys, qPrintable(keys ? QString() : keys.errorMessage()));
    QByteArrayList order;
    for (const KeyRecord& key : std::as_const(*keys))
        order << key.key;
    QCOMPARE(order, (QByteArrayList{"-3", "10", "100", "9"}));
    auto after = destination->keysAfter(plan->table, QByteArray("100"), 10, {});
    QVERIFY(after);
    QCOMPARE(after->size(), 1);
    QCOMPARE(after->first().key, QByteArray("9"));
}

void TestSqliteDestinationRecords::hostileValues_data() {
    ors::test::addHostileRows();
}

// Every value is bound, never pasted: hostile text is stored as sent, a value that is no value of
// its column's type is refused naming record and field, and nothing else in the file changes.
void TestSqliteDestinationRecords::hostileValues() {
    QFETCH(QString, field);
    QFETCH(QByteArray, json);
    QFETCH(bool, refused);
    QFETCH(QString, expected);

    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    {
        Reader writer(m_path, false);
        QVERIFY2(writer.exec(u"CREATE TABLE canary (x TEXT)"_s), qPrintable(writer.lastError()));
        QVERIFY2(writer.exec(u"INSERT INTO canary VALUES ('alive')"_s), qPrintable(writer.lastError()));
    }
    const QString hostileKey = u"K'); DROP TABLE canary; --"_s;
    const QByteArray body = page({"{\"ListingKey\":\"H-1\"," + jsonString(field) + ":" + json + "}",
                                  "{\"ListingKey\":" + jsonString(hostileKey) + ",\"ListingId\":\"x\"}"});
    const auto result = applyBody(*destination, m_plan, body);

    Reader reader(m_path);
    if (refused) {
        QVERIFY(!result.ok());
        const QString where = u"record 0 (ListingKey \"H-1\"), field %1: the value"_s.arg(field);
        QVERIFY2(result.errorMessage().contains(where), qPrintable(result.errorMessage()));
        QCOMPARE(reader.count(u"Property"_s), 0);
        // Under "quarantine" the record is set aside with that reason and the rest is written.
        auto rows = PageReader::read(body, m_plan, u"test page"_s);
        ORS_VERIFY_OK(rows);
        QCOMPARE(rows->rejected.size(), 1);
        QCOMPARE(rows->rejected.first().key, QByteArray("H-1"));
        QVERIFY2(rows->rejected.first().reason.contains(where), qPrintable(rows->rejected.first().reason));
        auto refusedRows = destination->applyRejecting(m_plan, *rows);
        ORS_VERIFY_OK(refusedRows);
        QVERIFY(refusedRows->isEmpty());
        QCOMPARE(reader.strings(u"SELECT ListingKey FROM Property"_s), QStringList{hostileKey});
    } else {
        ORS_VERIFY_OK(result);
        const QStringList problems = reader.check(u"Property"_s, u"ListingKey"_s, u"H-1"_s,
                                                  {Expect{field, u"text"_s, expected, field == u"Keywords"}});
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QCOMPARE(reader.strings(u"SELECT ListingId FROM Property WHERE ListingKey = ?"_s, {hostileKey}),
                 QStringList{u"x"_s});
        QCOMPARE(reader.count(u"Property"_s), 2);
    }
    QCOMPARE(reader.strings(u"SELECT x FROM canary"_s), QStringList{u"alive"_s});
    QCOMPARE(reader.strings(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s),
             (QStringList{u"Media"_s, u"Property"_s, u"canary"_s}));
    QCOMPARE(reader.count(u"Media"_s), 0);
}

// Rows that never went through PageReader (as a later caller might build them): text in every
// typed column is still bound as a value, so the file holds that row and nothing else changes.
void TestSqliteDestinationRecords::hostileCellsAreBound() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    {
        Reader writer(m_path, false);
        QVERIFY(writer.exec(u"CREATE TABLE canary (x TEXT)"_s));
        QVERIFY(writer.exec(u"INSERT INTO canary VALUES ('alive')"_s));
    }
    PageRows rows;
    rows.children.resize(m_plan.children.size());
    Row row(m_plan.table.columns.size());
    for (int i = 0; i < row.size(); ++i)
        row[i] = Cell::fromText(i == m_plan.table.keyColumn ? QByteArray("B-1")
                                                            : QByteArray("2024-01-01T00',NULL);/*Z"));
    rows.parent.rows.append(row);
    ORS_VERIFY_OK(destination->apply(m_plan, rows));

    Reader reader(m_path);
    QCOMPARE(reader.strings(u"SELECT x FROM canary"_s), QStringList{u"alive"_s});
    QCOMPARE(reader.count(u"Property"_s), 1);
    QCOMPARE(reader.strings(u"SELECT ModificationTimestamp, BedroomsTotal FROM Property"_s),
             QStringList{u"2024-01-01T00',NULL);/*Z|2024-01-01T00',NULL);/*Z"_s});
}

// Field names differing only in case (and a derived type redeclaring a base property) get the
// documented distinct columns; values land in their own column, and the timestamp reads use the
// mapping (ModificationTimestamp lives in ModificationTimestamp_2 here).
void TestSqliteDestinationRecords::caseTwinColumns() {
    auto metadata = MetadataParser::parse(kCaseTwinEdmx, u"inline"_s);
    QVERIFY2(metadata, qPrintable(metadata ? QString() : metadata.errorMessage()));
    auto plan = planFor(*metadata, u"Property"_s, {u"Media"_s});
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
    QStringList names;
    for (const ColumnPlan& column : plan->table.columns)
        names.append(column.name);
    QCOMPARE(names, kCaseTwinColumns);
    QCOMPARE(plan->table.columns.at(plan->table.fieldIndex(u"City"_s)).field.maxLength,
             std::optional<int>(50));
    QCOMPARE(plan->table.columns.at(plan->table.timestampColumn).name, u"ModificationTimestamp_2"_s);
    QCOMPARE(plan->table.indexes, QStringList{u"ModificationTimestamp_2"_s});
    QCOMPARE(plan->keyField, u"ListingKey"_s);
    const TablePlan& media = plan->children.first().table;
    QCOMPARE(media.columns.at(plan->children.first().parentKeyColumn).name, u"ListingKey_2"_s);
    QCOMPARE(media.columnFor(u"listingkey"_s), u"listingkey"_s);

    // A selection, or fields added later, never move a field to another column.
    ResourceConfig selected;
    selected.name = u"Property"_s;
    selected.select = {u"remarks"_s, u"REMARKS"_s};
    auto narrow = SchemaPlanner::plan(*metadata, selected);
    QVERIFY2(narrow, qPrintable(narrow ? QString() : narrow.errorMessage()));
    QCOMPARE(narrow->table.columnFor(u"remarks"_s), u"remarks_2"_s);
    QCOMPARE(narrow->table.columnFor(u"REMARKS"_s), u"REMARKS_3"_s);
    QCOMPARE(narrow->table.columnFor(u"ModificationTimestamp"_s), u"ModificationTimestamp_2"_s);

    auto destination = openDestination(*plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, *plan, page({kCaseTwinRecord})));
    // Again, through the narrow plan: the same table, nothing added.
    ORS_VERIFY_OK(destination->ensureSchema(*narrow));

    Reader reader(m_path);
    QStringList problems =
        reader.check(u"Property"_s, u"ListingKey"_s, u"T-1"_s,
                     {{u"City"_s, u"text"_s, u"Springfield"_s},
                      {u"Remarks"_s, u"text"_s, u"upper"_s},
                      {u"modificationTimestamp"_s, u"text"_s, u"2020-01-01T00:00:00.000Z"_s},
                      {u"remarks_2"_s, u"text"_s, u"lower"_s},
                      {u"ModificationTimestamp_2"_s, u"text"_s, u"2024-05-01T10:00:00.123Z"_s},
                      {u"REMARKS_3"_s, u"integer"_s, u"7"_s},
                      {u"remarks_2_2"_s, u"text"_s, u"suffix"_s}});
    problems +=
        reader.check(u"Media"_s, u"MediaKey"_s, u"M-1"_s,
                     {{u"listingkey"_s, u"text"_s, u"own"_s}, {u"ListingKey_2"_s, u"text"_s, u"T-1"_s}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QStringList columns;
    for (const QVariantList& info : reader.select(u"PRAGMA table_info(Property)"_s))
        columns.append(info.at(1).toString());
    QCOMPARE(columns, kCaseTwinColumns);

    auto newest = destination->newestTimestamp(plan->table);
    QVERIFY2(newest, qPrintable(newest ? QString() : newest.errorMessage()));
    QCOMPARE(newest->value_or(QByteArray()), QByteArray("2024-05-01T10:00:00.123Z"));
    auto keys = destination->keysAfter(plan->table, std::nullopt, 10, {u"ModificationTimestamp"_s});
    QVERIFY2(keys, qPrintable(keys ? QString() : keys.errorMessage()));
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first().timestamps[0], QByteArray("2024-05-01T10:00:00.123Z"));
    auto record = destination->fetchRecord(*plan, "T-1");
    QVERIFY2(record, qPrintable(record ? QString() : record.errorMessage()));
    QVERIFY(record->has_value());
    QCOMPARE((**record).value(u"remarks_2"_s).toString(), u"lower"_s);
    QCOMPARE((**record).value(u"Media"_s).toArray().size(), 1);
}

// Purge's guarded delete: only rows older than the key download's start go, rows without a
// timestamp only while the key list is young; the children of a kept parent stay.
void TestSqliteDestinationRecords::purgeKeysSparesRowsChangedSinceTheKeyList() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    const auto listing = [](const char* key, const char* ts, const char* media) -> QByteArray {
        QByteArray json = "{\"ListingKey\":\"" + QByteArray(key) + "\",";
        if (ts)
            json += "\"ModificationTimestamp\":\"" + QByteArray(ts) + "\",";
        return json + "\"Media\":[{\"MediaKey\":\"" + QByteArray(media) + "\",\"Order\":1}]}";
    };
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({listing("OLD", "2024-01-01T00:00:00.000Z", "M1"),
                        listing("NEW", "2025-01-01T00:00:00.001Z", "M2"), listing("NULL", nullptr, "M3"),
                        listing("OTHER", "2020-01-01T00:00:00Z", "M4")})));
    const QList<QByteArray> keys{"OLD", "NEW", "NULL", "ABSENT"};
    const auto held = [this]() {
        Reader reader(m_path);
        return reader.strings(u"SELECT p.ListingKey || ':' || m.MediaKey FROM Property p JOIN Media m ON "
                              "m.ListingKey = p.ListingKey ORDER BY p.ListingKey"_s);
    };

    // An old key list: the timestamped row older than its start goes, with its Media.
    auto removed = destination->purgeKeys(m_plan, keys, PurgeGuard{"2025-01-01T00:00:00.000Z", false, {}});
    ORS_VERIFY_OK(removed);
    QCOMPARE(*removed, qint64(1));
    QCOMPARE(held(), (QStringList{u"NEW:M2"_s, u"NULL:M3"_s, u"OTHER:M4"_s}));
    QCOMPARE(Reader(m_path).count(u"Media"_s), 3);

    // A young one: the row without a timestamp goes too; the one changed since stays.
    removed = destination->purgeKeys(m_plan, keys, PurgeGuard{"2025-01-01T00:00:00.000Z", true, {}});
    ORS_VERIFY_OK(removed);
    QCOMPARE(*removed, qint64(1));
    QCOMPARE(held(), (QStringList{u"NEW:M2"_s, u"OTHER:M4"_s}));
    QCOMPARE(Reader(m_path).count(u"Media"_s), 2);

    // Nothing to delete is no error.
    removed = destination->purgeKeys(m_plan, {}, PurgeGuard{"2025-01-01T00:00:00.000Z", true, {}});
    ORS_VERIFY_OK(removed);
    QCOMPARE(*removed, qint64(0));
}

QTEST_GUILESS_MAIN(TestSqliteDestinationRecords)
#include "tst_sqlitedestination_records.moc"
