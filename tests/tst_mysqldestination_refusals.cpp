// The MySQL/MariaDB destination against the test server (see tst_mysqldestination): values the
// server refuses, each rejecting only its record, rollback of a failed page, and statements cut
// to the size limit.
#include "destinations/MysqlDestination.h"
#include "records/Metadata.h"
#include "records/SchemaPlanner.h"
#include "reso/MetadataParser.h"
#include "reso/PageReader.h"

#include "DestinationCases.h"
#include "DestinationSuites.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

#include <memory>
#include <optional>

using namespace ors;
using namespace Qt::StringLiterals;
using ors::test::jsonString;
using ors::test::page;

using ors::test::applyBody;

class TestMysqlDestinationRefusals : public ors::test::MysqlDestinationSuite {
    Q_OBJECT

private Q_SLOTS:
    void refusedValues_data();
    void refusedValues();
    void refusedValuesRejectOnlyTheirRecord_data();
    void refusedValuesRejectOnlyTheirRecord();
    void refusedChildRejectsItsParent();
    void failureRollsBackEarlierStatements();
    void chunkedWrite();
};

void TestMysqlDestinationRefusals::refusedValues_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QByteArray>("json");

    // What the column cannot hold exactly fails the page, naming the record and the column,
    // rather than being rounded, cut or turned into zero.
    QTest::newRow("too long for VARCHAR(50)")
        << u"ListingId"_s << QByteArray('"' + QByteArray(51, 'x') + '"');
    QTest::newRow("too long, multibyte") << u"ListingId"_s << jsonString(QString(u"🏡"_s).repeated(51));
    QTest::newRow("word for int") << u"BedroomsTotal"_s << QByteArray("\"three\"");
    QTest::newRow("fraction for int") << u"BedroomsTotal"_s << QByteArray("2.5");
    QTest::newRow("int out of range") << u"BedroomsTotal"_s << QByteArray("99999999999");
    QTest::newRow("int64 overflow") << u"BigNumber"_s << QByteArray("99999999999999999999");
    // Digits past the Scale are rounded (decimalsRoundedToScale); digits before the point beyond
    // the precision are not, even when rounding is what adds one.
    QTest::newRow("decimal too large") << u"ListPrice"_s << QByteArray("1234567890123.5");
    QTest::newRow("decimal too large once rounded") << u"ListPrice"_s << QByteArray("999999999999.995");
    QTest::newRow("word for decimal") << u"ListPrice"_s << QByteArray("\"call\"");
    QTest::newRow("string for boolean") << u"NewConstructionYN"_s << QByteArray("\"yes\"");
    QTest::newRow("impossible date") << u"ListingContractDate"_s << QByteArray("\"2024-02-30\"");
    QTest::newRow("word for date") << u"ListingContractDate"_s << QByteArray("\"soon\"");
    QTest::newRow("word for timestamp") << u"ModificationTimestamp"_s << QByteArray("\"yesterday\"");
    QTest::newRow("word for double") << u"Latitude"_s << QByteArray("\"north\"");
}

void TestMysqlDestinationRefusals::refusedValues() {
    QFETCH(QString, field);
    QFETCH(QByteArray, json);
    // By LOAD DATA, which falls back to the statements (refusedValuesRejectOnlyTheirRecord: by
    // the statements alone).
    qputenv("OPENRESYNC_MYSQL_LOAD_DATA", "1");
    auto destination = openDestination(m_plan);
    qunsetenv("OPENRESYNC_MYSQL_LOAD_DATA");
    QVERIFY(destination);
    QVERIFY(destination->loadsData());
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({"{\"ListingKey\":\"KEEP\",\"ListingId\":\"old\"}"})));

    const auto r =
        applyBody(*destination, m_plan,
                  page({"{\"ListingKey\":\"RV-1\",\"ListingId\":\"fine\",\"Media\":[{\"MediaKey\":\"X\"}]}",
                        "{\"ListingKey\":\"RV-2\"," + jsonString(field) + ":" + json + "}",
                        "{\"ListingKey\":\"KEEP\",\"ListingId\":\"new\"}"}));
    QVERIFY(!r.ok());
    const QString message = r.errorMessage();
    // A value that is no value of the field's type is refused by PageReader already, naming the
    // record and field; one the column cannot hold exactly, by the destination.
    const bool notOfItsType =
        message.startsWith(u"test page: record 1 (ListingKey \"RV-2\"), field %1: the value "_s.arg(field));
    QVERIFY2(notOfItsType ||
                 (message.contains(u"Property"_s) && message.contains(u"RV-2"_s) &&
                  message.contains(u"column "_s + field) && message.contains(u"destination maria"_s)),
             qPrintable(message));
    QVERIFY2(!message.contains(u"RV-1"_s), qPrintable(message));
    // Nothing of the page was committed.
    QCOMPARE(strings(u"SELECT ListingKey, ListingId FROM Property"_s), QStringList{u"KEEP|old"_s});
    QCOMPARE(count(u"Media"_s), 0);
    // And the destination goes on working.
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({"{\"ListingKey\":\"AFTER\"}"})));
    QCOMPARE(count(u"Property"_s), 2);
}

void TestMysqlDestinationRefusals::refusedValuesRejectOnlyTheirRecord_data() {
    refusedValues_data();
}

void TestMysqlDestinationRefusals::refusedValuesRejectOnlyTheirRecord() {
    // The same refusals with applyRejecting: the record at fault is left out and named, the rest
    // of the page (its other records and their children) is written. By the statements alone
    // (refusedValues goes by LOAD DATA, which falls back to them).
    QFETCH(QString, field);
    QFETCH(QByteArray, json);
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    destination->useStatementsOnly();
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({"{\"ListingKey\":\"KEEP\",\"ListingId\":\"old\"}"})));
    auto rows = PageReader::read(
        page({"{\"ListingKey\":\"RV-1\",\"ListingId\":\"fine\",\"Media\":[{\"MediaKey\":\"X\"}]}",
              "{\"ListingKey\":\"RV-2\"," + jsonString(field) + ":" + json +
                  ",\"Media\":[{\"MediaKey\":\"Y\"}]}",
              "{\"ListingKey\":\"KEEP\",\"ListingId\":\"new\"}"}),
        m_plan, u"test page"_s);
    ORS_VERIFY_OK(rows);
    auto rejected = destination->applyRejecting(m_plan, *rows);
    ORS_VERIFY_OK(rejected);
    // A value that is no value of the field's type is rejected by PageReader already, naming the
    // record and field; one the column cannot hold exactly, by the destination, naming the column.
    QCOMPARE(rows->rejected.size() + rejected->size(), 1);
    if (!rows->rejected.isEmpty()) {
        QCOMPARE(rows->rejected.first().key, QByteArray("RV-2"));
        QVERIFY2(rows->rejected.first().reason.startsWith(
                     u"test page: record 1 (ListingKey \"RV-2\"), field %1: the value "_s.arg(field)),
                 qPrintable(rows->rejected.first().reason));
        QVERIFY(rows->rejected.first().child.isEmpty());
    } else {
        QCOMPARE(rejected->first().key, QByteArray("RV-2"));
        QVERIFY2(rejected->first().reason.contains(u"column "_s + field),
                 qPrintable(rejected->first().reason));
        QVERIFY(rejected->first().child.isEmpty());
    }
    QCOMPARE(strings(u"SELECT ListingKey, ListingId FROM Property ORDER BY ListingKey"_s),
             (QStringList{u"KEEP|new"_s, u"RV-1|fine"_s}));
    QCOMPARE(strings(u"SELECT MediaKey FROM Media"_s), QStringList{u"X"_s});
}

void TestMysqlDestinationRefusals::refusedChildRejectsItsParent() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    // The parent is stored with its old photo; the new version's photo does not fit: an Order
    // beyond INT's range, which only the database refuses.
    ORS_VERIFY_OK(applyBody(
        *destination, m_plan,
        page({"{\"ListingKey\":\"P-1\",\"ListingId\":\"old\",\"Media\":[{\"MediaKey\":\"OLD\"}]}"})));
    auto rows =
        PageReader::read(page({"{\"ListingKey\":\"P-1\",\"ListingId\":\"new\",\"Media\":[{\"MediaKey\":\"M-"
                               "1\",\"Order\":99999999999}]}",
                               "{\"ListingKey\":\"P-2\",\"Media\":[{\"MediaKey\":\"M-2\",\"Order\":2}]}"}),
                         m_plan, u"test page"_s);
    ORS_VERIFY_OK(rows);
    QVERIFY(rows->rejected.isEmpty());
    auto rejected = destination->applyRejecting(m_plan, *rows);
    ORS_VERIFY_OK(rejected);
    QCOMPARE(rejected->size(), 1);
    QCOMPARE(rejected->first().key, QByteArray("P-1"));
    QCOMPARE(rejected->first().child, u"Media"_s);
    QVERIFY2(rejected->first().reason.contains(u"M-1"_s) && rejected->first().reason.contains(u"Order"_s),
             qPrintable(rejected->first().reason));
    // P-1 keeps its previous version whole, its children included; P-2 is written.
    QCOMPARE(strings(u"SELECT ListingKey, ListingId FROM Property ORDER BY ListingKey"_s),
             (QStringList{u"P-1|old"_s, u"P-2|NULL"_s}));
    QCOMPARE(strings(u"SELECT MediaKey FROM Media ORDER BY MediaKey"_s), (QStringList{u"M-2"_s, u"OLD"_s}));

    // A child value that is no value of its field's type: PageReader rejects the parent already,
    // naming the child item, and the destination never sees it.
    rows = PageReader::read(page({"{\"ListingKey\":\"P-1\",\"ListingId\":\"newer\",\"Media\":[{\"MediaKey\":"
                                  "\"M-1\",\"Order\":\"first\"}]}",
                                  "{\"ListingKey\":\"P-3\"}"}),
                            m_plan, u"test page"_s);
    ORS_VERIFY_OK(rows);
    QCOMPARE(rows->rejected.size(), 1);
    QCOMPARE(rows->rejected.first().key, QByteArray("P-1"));
    QCOMPARE(rows->rejected.first().child, u"Media"_s);
    QCOMPARE(rows->rejected.first().reason,
             u"test page: record 0 (ListingKey \"P-1\"), field Media[0].Order: the value \"first\" is not "
             "an integer"_s);
    rejected = destination->applyRejecting(m_plan, *rows);
    ORS_VERIFY_OK(rejected);
    QVERIFY(rejected->isEmpty());
    QCOMPARE(strings(u"SELECT ListingKey, ListingId FROM Property ORDER BY ListingKey"_s),
             (QStringList{u"P-1|old"_s, u"P-2|NULL"_s, u"P-3|NULL"_s}));
    QCOMPARE(strings(u"SELECT MediaKey FROM Media ORDER BY MediaKey"_s), (QStringList{u"M-2"_s, u"OLD"_s}));
}

void TestMysqlDestinationRefusals::failureRollsBackEarlierStatements() {
    // With a small statement limit the page takes many statements; the bad record is in a late
    // one, after earlier statements already ran inside the transaction.
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    destination->setStatementLimit(16 * 1024);
    QByteArrayList records;
    const QByteArray remarks = jsonString(QString(u"Long remarks ✓ "_s).repeated(40));
    for (int i = 0; i < 300; ++i) {
        const QByteArray listingId = i == 250 ? QByteArray(60, 'y') : "ID-" + QByteArray::number(i);
        records.append("{\"ListingKey\":\"CH-" + QByteArray::number(i) + "\",\"ListingId\":\"" + listingId +
                       "\",\"PublicRemarks\":" + remarks + ",\"Media\":[{\"MediaKey\":\"CM-" +
                       QByteArray::number(i) + "\"}]}");
    }
    const qint64 before = destination->statementsSent();
    const auto r = applyBody(*destination, m_plan, page(records));
    QVERIFY(!r.ok());
    QVERIFY2(r.errorMessage().contains(u"ListingKey=\"CH-250\""_s) &&
                 r.errorMessage().contains(u"column ListingId"_s) && r.errorMessage().contains(u"1406"_s),
             qPrintable(r.errorMessage()));
    QVERIFY2(destination->statementsSent() - before > 3, "the page was not cut into statements");
    QCOMPARE(count(u"Property"_s), 0);
    QCOMPARE(count(u"Media"_s), 0);
}

void TestMysqlDestinationRefusals::chunkedWrite() {
    // The statements' path (with local_infile OFF, or when a load falls back) cuts a page.
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    destination->useStatementsOnly();
    auto packet = destination->sessionVariable(u"max_allowed_packet"_s);
    ORS_VERIFY_OK(packet);
    // More than half of max_allowed_packet in one page (capped, so a server configured with a
    // huge packet does not make the test slow: the statement limit is 4 MB at most anyway).
    const qint64 target = std::min<qint64>(packet->toLongLong() / 2, 8 * 1024 * 1024) * 3 / 2;
    const QString remarks = QString(u"Écrit ✓ 'x' \\ "_s).repeated(200);
    const QByteArray remarksJson = jsonString(remarks);
    QByteArrayList records;
    qint64 bytes = 0;
    for (int i = 0; bytes < target; ++i) {
        records.append("{\"ListingKey\":\"BIG-" + QByteArray::number(i) + "\",\"PublicRemarks\":" +
                       remarksJson + ",\"ListPrice\":" + QByteArray::number(i) + ".25}");
        bytes += records.last().size();
    }
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page(records)));
    QCOMPARE(count(u"Property"_s), records.size());
    QVERIFY(destination->largestStatement() <= destination->statementLimit());
    QVERIFY(destination->largestStatement() > destination->statementLimit() / 2);
    const QString last = u"BIG-%1"_s.arg(records.size() - 1);
    const QStringList problems =
        check(m_plan.table, last,
              {{u"PublicRemarks"_s, u"text"_s, remarks},
               {u"ListPrice"_s, u"text"_s, QString::number(records.size() - 1) + u".25"_s}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestMysqlDestinationRefusals)
#include "tst_mysqldestination_refusals.moc"
