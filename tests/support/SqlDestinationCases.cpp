#include "SqlDestinationCases.h"

#include "DdRecords.h"
#include "DestinationCases.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>
#include <QTest>

namespace ors::test {

using namespace Qt::StringLiterals;

SqlDestinationCases::SqlDestinationCases(std::unique_ptr<SqlTestBackend> backend)
    : m_backend(std::move(backend)) {}

SqlDestinationCases::~SqlDestinationCases() = default;

int runSqlDestinationCases(std::unique_ptr<SqlTestBackend> backend, int argc, char** argv) {
    QCoreApplication app(argc, argv);
    SqlDestinationCases cases(std::move(backend));
    return QTest::qExec(&cases, argc, argv);
}

void SqlDestinationCases::initTestCase() {
    if (const QString skip = m_backend->skipReason(); !skip.isEmpty())
        QSKIP(qPrintable(skip));
    const QString problem = m_backend->setUp();
    if (!problem.isEmpty())
        QFAIL(qPrintable(problem));
    auto plan = planFromXml(kEdmx);
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
    m_plan = std::move(*plan);
}

void SqlDestinationCases::init() {
    const QString problem = m_backend->reset();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void SqlDestinationCases::cleanupTestCase() {
    m_backend->tearDown();
}

std::unique_ptr<Destination> SqlDestinationCases::openDestination(const ResourcePlan& plan) {
    return openWithSchema(m_backend->create(), plan);
}

QString SqlDestinationCases::nulRefusal(const Expected<void>& result, const QString& field) {
    if (result)
        return u"stored a value with U+0000 in a text that cannot hold it"_s;
    const QString message = result.errorMessage();
    if (!message.contains(u"RT-1"_s) || !message.contains(u"column "_s + field) ||
        !message.contains(u"NUL"_s))
        return u"the refusal does not name the record, the column and NUL: "_s + message;
    if (m_backend->count(u"Property"_s) != 0)
        return u"the page was partly stored"_s;
    return {};
}

void SqlDestinationCases::roundTrip_data() {
    addRoundTripRows();
}

void SqlDestinationCases::roundTrip() {
    QFETCH(QString, field);
    QFETCH(QByteArray, json);
    QFETCH(QString, type);
    QFETCH(QString, expected);
    QFETCH(bool, isJson);

    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QList<QString> warnings;
    const QByteArray body = page({"{\"ListingKey\":\"RT-1\"," + jsonString(field) + ":" + json + "}"});
    if (!m_backend->holdsNul() && expected.contains(QChar(0))) {
        // Text that cannot hold U+0000 refuses the record, naming it and the column, rather than
        // storing the value cut at the NUL.
        const QString problem = nulRefusal(applyBody(*destination, m_plan, body, &warnings), field);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    ORS_VERIFY_OK(applyBody(*destination, m_plan, body, &warnings));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    const QStringList problems =
        m_backend->check(m_plan.table, u"RT-1"_s, {Expect{field, type, expected, isJson}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(m_backend->count(u"Property"_s), 1);
    QCOMPARE(m_backend->count(u"Media"_s), 0);
}

void SqlDestinationCases::decimalsRoundedToScale_data() {
    addScaleRoundingRows();
}

// Every backend rounds alike (the shared rows), and the columns keep their declared types.
void SqlDestinationCases::decimalsRoundedToScale() {
    QFETCH(QString, field);
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    ResourcePlan plan = m_plan;
    plan.roundingNoticed = std::make_shared<NoticeSet>(); // a run of its own
    auto destination = openDestination(plan);
    QVERIFY(destination);
    const QStringList typesBefore = m_backend->columnTypes(u"Property"_s);
    QList<QString> warnings;
    ORS_VERIFY_OK(applyBody(*destination, plan,
                            page({"{\"ListingKey\":\"SC-1\"," + jsonString(field) + ":" + json + "}"}),
                            &warnings));
    const QStringList problems =
        m_backend->check(plan.table, u"SC-1"_s, {Expect{field, u"text"_s, expected}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    // Exactly the rounded digits, not merely the same value.
    QCOMPARE(m_backend->storedText(u"Property"_s, field, u"ListingKey"_s, u"SC-1"_s), expected);
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().startsWith(u"Property field %1: "_s.arg(field)), qPrintable(warnings.first()));
    QVERIFY2(warnings.first().contains(u"ListingKey \"SC-1\""_s), qPrintable(warnings.first()));
    QVERIFY2(warnings.first().contains(u" stored as %1"_s.arg(expected)), qPrintable(warnings.first()));
    QCOMPARE(m_backend->columnTypes(u"Property"_s), typesBefore);
    QVERIFY(typesBefore.contains(u"ListPrice "_s + m_backend->decimalType(14, 2)));
    QVERIFY(typesBefore.contains(u"PreciseRatio "_s + m_backend->decimalType(28, 10)));
}

void SqlDestinationCases::fullRecordWithMedia_data() {
    QTest::addColumn<QString>("key");
    // The key has quotes and non-ASCII text (a four-byte emoji), and comes after the expansion.
    QTest::newRow("quotes") << u"L'1 \"ü\" 🏡"_s;
    QTest::newRow("quotes and backslash") << u"L'1 \"ü\" \\ 🏡"_s;
}

void SqlDestinationCases::fullRecordWithMedia() {
    QFETCH(QString, key);
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    const QByteArray record =
        "{\"Media\":["
        "{\"MediaKey\":\"M1\",\"MediaURL\":\"media.example.com/1.jpg?a=1&b=\\u00e9\",\"Order\":1,"
        "\"ModificationTimestamp\":\"2024-05-01T12:00:00.5+02:00\"},"
        "{\"MediaKey\":\"M2\",\"MediaURL\":\"\",\"Order\":2,\"ModificationTimestamp\":null,\"Unknown\":[1,2]}"
        ","
        "{\"MediaKey\":\"M3\",\"MediaURL\":null,\"Order\":null}],"
        "\"ListingKey\":" +
        jsonString(key) +
        ",\"ListingId\":\"A-1\",\"PublicRemarks\":\"Line 1\\nCafé 🏡 \\\"quoted\\\" 'single' \\\\\","
        "\"BedroomsTotal\":4,\"BigNumber\":9007199254740993,\"ListPrice\":1234567.80,"
        "\"PreciseRatio\":987654321098765432.1234567891,\"LotSizeAcres\":0.3300,\"Latitude\":-33.8688,"
        "\"NewConstructionYN\":true,\"ListingContractDate\":\"2024-04-30\","
        "\"ModificationTimestamp\":\"2024-05-01T10:00:00.1239-07:00\",\"StandardStatus\":\"Active\","
        "\"Appliances\":\"Dishwasher,Oven\",\"Keywords\":[\"Pool\",\"Garage\"],"
        "\"Address\":{\"StreetNumber\":\"7\",\"City\":\"Sydney\",\"PostalCode\":\"2000\"},"
        "\"Coordinates\":{\"type\":\"Point\",\"coordinates\":[151.2093,-33.8688]},"
        "\"@odata.etag\":\"W/1\",\"NotInMetadata\":{\"nested\":[true]}}";
    QList<QString> warnings;
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({record}), &warnings));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));

    const QList<Expect> listing = {
        {u"ListingKey"_s, u"text"_s, key},
        {u"ListingId"_s, u"text"_s, u"A-1"_s},
        {u"PublicRemarks"_s, u"text"_s, u"Line 1\nCafé 🏡 \"quoted\" 'single' \\"_s},
        {u"BedroomsTotal"_s, u"integer"_s, u"4"_s},
        {u"BigNumber"_s, u"integer"_s, u"9007199254740993"_s},
        {u"ListPrice"_s, u"text"_s, u"1234567.80"_s},
        {u"PreciseRatio"_s, u"text"_s, u"987654321098765432.1234567891"_s},
        {u"LotSizeAcres"_s, u"text"_s, u"0.3300"_s},
        {u"Latitude"_s, u"real"_s, u"-33.8688"_s},
        {u"NewConstructionYN"_s, u"integer"_s, u"1"_s},
        {u"ListingContractDate"_s, u"text"_s, u"2024-04-30"_s},
        {u"ModificationTimestamp"_s, u"text"_s, u"2024-05-01T17:00:00.123Z"_s},
        {u"StandardStatus"_s, u"text"_s, u"Active"_s},
        {u"Appliances"_s, u"text"_s, u"Dishwasher,Oven"_s},
        {u"Keywords"_s, u"text"_s, u"[\"Pool\",\"Garage\"]"_s, true},
        {u"Address"_s, u"text"_s, u"{\"StreetNumber\":\"7\",\"City\":\"Sydney\",\"PostalCode\":\"2000\"}"_s,
         true},
        {u"Coordinates"_s, u"text"_s, u"{\"type\":\"Point\",\"coordinates\":[151.2093,-33.8688]}"_s, true},
    };
    QStringList problems = m_backend->check(m_plan.table, key, listing);
    // The decimals' digits are the ones sent, exactly (a DECIMAL(14,2) shows its scale).
    QCOMPARE(m_backend->storedText(u"Property"_s, u"ListPrice"_s, u"ListingKey"_s, key), u"1234567.80"_s);
    QCOMPARE(m_backend->storedText(u"Property"_s, u"PreciseRatio"_s, u"ListingKey"_s, key),
             u"987654321098765432.1234567891"_s);
    const TablePlan& media = m_plan.children.first().table;
    QCOMPARE(m_backend->count(u"Media"_s), 3);
    problems += m_backend->check(media, u"M1"_s,
                                 {{u"ListingKey"_s, u"text"_s, key},
                                  {u"MediaURL"_s, u"text"_s, u"media.example.com/1.jpg?a=1&b=é"_s},
                                  {u"Order"_s, u"integer"_s, u"1"_s},
                                  {u"ModificationTimestamp"_s, u"text"_s, u"2024-05-01T10:00:00.500Z"_s}});
    problems += m_backend->check(media, u"M2"_s,
                                 {{u"ListingKey"_s, u"text"_s, key},
                                  {u"MediaURL"_s, u"text"_s, QString()},
                                  {u"Order"_s, u"integer"_s, u"2"_s},
                                  {u"ModificationTimestamp"_s, u"null"_s, QString()}});
    problems += m_backend->check(media, u"M3"_s,
                                 {{u"ListingKey"_s, u"text"_s, key},
                                  {u"MediaURL"_s, u"null"_s, QString()},
                                  {u"Order"_s, u"null"_s, QString()}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void SqlDestinationCases::upsertReplacesValues() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"U-1\",\"ListPrice\":100.00,\"PublicRemarks\":\"old\","
                                  "\"BedroomsTotal\":3,\"ModificationTimestamp\":\"2024-01-01T00:00:00Z\"}",
                                  "{\"ListingKey\":\"U-2\",\"ListPrice\":5}"})));
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({"{\"ListingKey\":\"U-1\",\"ListPrice\":200.50,\"PublicRemarks\":null,"
                        "\"BedroomsTotal\":4,\"ModificationTimestamp\":\"2024-02-01T00:00:00Z\"}"})));
    // The same key twice in one page: the later one wins.
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"U-3\",\"ListPrice\":1}",
                                  "{\"ListingKey\":\"U-3\",\"ListPrice\":2,\"ListingId\":\"second\"}"})));
    QCOMPARE(m_backend->count(u"Property"_s), 3);
    QStringList problems =
        m_backend->check(m_plan.table, u"U-1"_s,
                         {{u"ListPrice"_s, u"text"_s, u"200.50"_s},
                          {u"PublicRemarks"_s, u"null"_s, QString()},
                          {u"BedroomsTotal"_s, u"integer"_s, u"4"_s},
                          {u"ModificationTimestamp"_s, u"text"_s, u"2024-02-01T00:00:00.000Z"_s}});
    problems += m_backend->check(m_plan.table, u"U-2"_s, {{u"ListPrice"_s, u"text"_s, u"5"_s}});
    problems +=
        m_backend->check(m_plan.table, u"U-3"_s,
                         {{u"ListPrice"_s, u"text"_s, u"2"_s}, {u"ListingId"_s, u"text"_s, u"second"_s}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

void SqlDestinationCases::childrenReplacedOnParentUpdate() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    const auto media = [](const char* key, int order) -> QByteArray {
        return "{\"MediaKey\":\"" + QByteArray(key) + "\",\"Order\":" + QByteArray::number(order) +
               ",\"MediaURL\":\"media.example.com/" + QByteArray(key) + ".jpg\"}";
    };
    const auto q = [&](const char* name) { return m_backend->quoteId(QString::fromLatin1(name)); };
    const QString mediaQuery = u"SELECT %1, %2, %3 FROM %4 WHERE %5 = ? ORDER BY %1"_s.arg(
        q("MediaKey"), q("Order"), q("MediaURL"), q("Media"), q("ListingKey"));
    const auto mediaRows = [&](const QString& listing) { return m_backend->strings(mediaQuery, {listing}); };

    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({"{\"ListingKey\":\"L1\",\"Media\":[" + media("M1", 1) + "," + media("M2", 2) + "," +
                            media("M3", 3) + "]}",
                        "{\"ListingKey\":\"L2\",\"Media\":[" + media("M4", 1) + "," + media("M5", 2) + "]}",
                        "{\"ListingKey\":\"L3\",\"Media\":[" + media("M6", 1) + "]}"})));
    QCOMPARE(mediaRows(u"L1"_s).size(), 3);
    QCOMPARE(mediaRows(u"L2"_s).size(), 2);

    // L1 comes back with one photo, one that was not there before; L2 is not in this page.
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"L1\",\"Media\":[" + media("M7", 9) + "]}"})));
    QCOMPARE(mediaRows(u"L1"_s), QStringList{u"M7|9|media.example.com/M7.jpg"_s});
    QCOMPARE(mediaRows(u"L2"_s),
             (QStringList{u"M4|1|media.example.com/M4.jpg"_s, u"M5|2|media.example.com/M5.jpg"_s}));

    // An update keeping a photo's key replaces its values too.
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"L1\",\"Media\":[{\"MediaKey\":\"M7\",\"Order\":1}]}"})));
    QCOMPARE(mediaRows(u"L1"_s), QStringList{u"M7|1|NULL"_s});

    // A parent whose JSON lacks Media keeps its children; one with an empty array has none left.
    ORS_VERIFY_OK(applyBody(
        *destination, m_plan,
        page({"{\"ListingKey\":\"L2\",\"ListingId\":\"changed\"}", "{\"ListingKey\":\"L3\",\"Media\":[]}"})));
    QCOMPARE(mediaRows(u"L2"_s).size(), 2);
    QCOMPARE(mediaRows(u"L3"_s).size(), 0);
    QCOMPARE(mediaRows(u"L1"_s).size(), 1);

    // One listing twice in a page (it changed while the server paged): only the last copy's
    // children remain, even when both copies sit next to each other.
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({"{\"ListingKey\":\"L4\",\"Media\":[" + media("M8", 1) + "," + media("M9", 2) + "]}",
                        "{\"ListingKey\":\"L4\",\"Media\":[" + media("M10", 3) + "]}",
                        "{\"ListingKey\":\"L5\",\"Media\":[" + media("M11", 1) + "]}",
                        "{\"ListingKey\":\"L5\",\"ListingId\":\"no media property\"}"})));
    QCOMPARE(mediaRows(u"L4"_s), QStringList{u"M10|3|media.example.com/M10.jpg"_s});
    QCOMPARE(mediaRows(u"L5"_s), QStringList{});
    QCOMPARE(m_backend->count(u"Media"_s), 4);
    QCOMPARE(m_backend->count(u"Property"_s), 5);
    QCOMPARE(m_backend->strings(
                 u"SELECT %1 FROM %2 WHERE %3 = 'L2'"_s.arg(q("ListingId"), q("Property"), q("ListingKey"))),
             QStringList{u"changed"_s});
}

// Source ▸ Remove… with its tables: a table goes with its rows, the others stay, a missing one
// reports false, and a destination opened read-only refuses.
void SqlDestinationCases::dropTable() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"D1\",\"ModificationTimestamp\":\"2024-05-01T10:00:00Z\","
                                  "\"Media\":[{\"MediaKey\":\"DM1\"}]}"})));
    const QString media = m_plan.children.first().table.table;
    QCOMPARE(m_backend->count(media), 1);

    auto dropped = destination->dropTable(m_plan.table.table);
    ORS_VERIFY_OK(dropped);
    QVERIFY(*dropped);
    QCOMPARE(m_backend->count(media), 1);
    auto count = destination->count(m_plan.table); // a missing table counts as empty
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 0);
    QCOMPARE(m_backend->count(m_plan.table.table), -1); // the suite's own connection finds no table

    dropped = destination->dropTable(m_plan.table.table);
    ORS_VERIFY_OK(dropped);
    QVERIFY(!*dropped);
    destination.reset();

    auto readOnly = m_backend->create();
    readOnly->setReadOnly(true);
    ORS_VERIFY_OK(readOnly->open());
    QVERIFY(!readOnly->dropTable(media).ok());
    QCOMPARE(m_backend->count(media), 1);
}

void SqlDestinationCases::countAndNewestTimestamp() {
    auto destination = m_backend->create();
    ORS_VERIFY_OK(destination->open());

    // Before the tables exist.
    auto count = destination->count(m_plan.table);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 0);
    auto newest = destination->newestTimestamp(m_plan.table);
    ORS_VERIFY_OK(newest);
    QVERIFY(!newest->has_value());

    ORS_VERIFY_OK(destination->ensureSchema(m_plan));
    count = destination->count(m_plan.table);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 0);
    newest = destination->newestTimestamp(m_plan.table);
    ORS_VERIFY_OK(newest);
    QVERIFY(!newest->has_value());

    // The newest instant is not the lexically greatest text as sent: offsets are normalized first.
    ORS_VERIFY_OK(applyBody(
        *destination, m_plan,
        page({"{\"ListingKey\":\"T1\",\"ModificationTimestamp\":\"2024-05-01T10:00:00.100Z\"}",
              "{\"ListingKey\":\"T2\",\"ModificationTimestamp\":\"2024-05-01T12:30:00.5+02:00\","
              "\"Media\":[{\"MediaKey\":\"TM1\",\"ModificationTimestamp\":\"2024-04-01T00:00:00Z\"},"
              "{\"MediaKey\":\"TM2\",\"ModificationTimestamp\":\"2024-04-02T01:00:00.0009+01:00\"}]}",
              "{\"ListingKey\":\"T3\",\"ModificationTimestamp\":\"2024-05-01T18:00:00-08:00\"}",
              "{\"ListingKey\":\"T4\",\"ModificationTimestamp\":null}"})));
    count = destination->count(m_plan.table);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 4);
    newest = destination->newestTimestamp(m_plan.table);
    ORS_VERIFY_OK(newest);
    QCOMPARE(newest->value_or(QByteArray()), QByteArray("2024-05-02T02:00:00.000Z"));

    const TablePlan& mediaTable = m_plan.children.first().table;
    count = destination->count(mediaTable);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 2);
    newest = destination->newestTimestamp(mediaTable);
    ORS_VERIFY_OK(newest);
    QCOMPARE(newest->value_or(QByteArray()), QByteArray("2024-04-02T00:00:00.000Z"));

    // A table without ModificationTimestamp has no newest timestamp.
    TablePlan noTimestamp = m_plan.table;
    noTimestamp.timestampColumn = -1;
    newest = destination->newestTimestamp(noTimestamp);
    ORS_VERIFY_OK(newest);
    QVERIFY(!newest->has_value());
    destination.reset();

    // A read-only destination on the filled place sees the same.
    auto readOnly = m_backend->create();
    readOnly->setReadOnly(true);
    ORS_VERIFY_OK(readOnly->open());
    count = readOnly->count(m_plan.table);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 4);
    newest = readOnly->newestTimestamp(m_plan.table);
    ORS_VERIFY_OK(newest);
    QCOMPARE(newest->value_or(QByteArray()), QByteArray("2024-05-02T02:00:00.000Z"));
    // ... and a table it has never written reads as empty.
    TablePlan other = m_plan.table;
    other.table = u"OpenHouse"_s;
    count = readOnly->count(other);
    ORS_VERIFY_OK(count);
    QCOMPARE(*count, 0);
}

void SqlDestinationCases::metadataGrowth_data() {
    QTest::addColumn<bool>("sameConnection");
    QTest::newRow("same connection") << true;
    QTest::newRow("next run") << false;
}

// The metadata gains fields (in the open destination, or in a later run): columns are added at the
// end, rows kept, new fields written. A later run whose metadata dropped a field keeps its column
// and values.
void SqlDestinationCases::metadataGrowth() {
    QFETCH(bool, sameConnection);
    QByteArray grown = kEdmx;
    grown.replace("<!--P-->", "<Property Name='VirtualTourURLUnbranded' Type='Edm.String' MaxLength='8000'/>"
                              "<Property Name='GarageSpaces' Type='Edm.Decimal' Precision='14' Scale='2'/>");
    grown.replace("<!--M-->", "<Property Name='MediaCategory' Type='Edm.String' MaxLength='50'/>");
    auto grownPlan = planFromXml(grown);
    QVERIFY2(grownPlan, qPrintable(grownPlan ? QString() : grownPlan.errorMessage()));
    QCOMPARE(grownPlan->table.columns.size(), m_plan.table.columns.size() + 2);
    QByteArray shrunk = grown;
    shrunk.replace("<Property Name='PublicRemarks' Type='Edm.String'/>", "");
    auto shrunkPlan = planFromXml(shrunk);
    QVERIFY2(shrunkPlan, qPrintable(shrunkPlan ? QString() : shrunkPlan.errorMessage()));
    QCOMPARE(shrunkPlan->table.columns.size(), m_plan.table.columns.size() + 1);
    const TablePlan& property = grownPlan->table;
    const TablePlan& media = grownPlan->children.first().table;

    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"G1\",\"PublicRemarks\":\"kept\",\"ListPrice\":10.00,"
                                  "\"Media\":[{\"MediaKey\":\"GM1\",\"Order\":1}]}"})));
    if (sameConnection) {
        ORS_VERIFY_OK(destination->ensureSchema(*grownPlan));
    } else {
        destination.reset();
        destination = openDestination(*grownPlan);
        QVERIFY(destination);
    }
    const QStringList columns = m_backend->columnTypes(u"Property"_s);
    QCOMPARE(columns.size(), 19);
    QCOMPARE(columns.at(17), u"VirtualTourURLUnbranded "_s + m_backend->stringType(8000));
    QCOMPARE(columns.at(18), u"GarageSpaces "_s + m_backend->decimalType(14, 2));
    QVERIFY(m_backend->columnTypes(u"Media"_s).contains(u"MediaCategory "_s + m_backend->stringType(50)));
    QStringList problems = m_backend->check(property, u"G1"_s,
                                            {{u"PublicRemarks"_s, u"text"_s, u"kept"_s},
                                             {u"ListPrice"_s, u"text"_s, u"10.00"_s},
                                             {u"VirtualTourURLUnbranded"_s, u"null"_s, QString()},
                                             {u"GarageSpaces"_s, u"null"_s, QString()}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(m_backend->count(u"Media"_s), 1);

    ORS_VERIFY_OK(applyBody(
        *destination, *grownPlan,
        page({"{\"ListingKey\":\"G2\",\"VirtualTourURLUnbranded\":\"tours.example.com/2\","
              "\"GarageSpaces\":2.50,\"Media\":[{\"MediaKey\":\"GM2\",\"MediaCategory\":\"Photo\"}]}"})));
    problems = m_backend->check(property, u"G2"_s,
                                {{u"VirtualTourURLUnbranded"_s, u"text"_s, u"tours.example.com/2"_s},
                                 {u"GarageSpaces"_s, u"text"_s, u"2.50"_s}});
    problems += m_backend->check(
        media, u"GM2"_s,
        {{u"MediaCategory"_s, u"text"_s, u"Photo"_s}, {u"ListingKey"_s, u"text"_s, u"G2"_s}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    destination.reset();

    // A later run whose metadata no longer has PublicRemarks: the column and its values stay.
    destination = openDestination(*shrunkPlan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, *shrunkPlan,
                            page({"{\"ListingKey\":\"G1\",\"ListPrice\":11.00,\"GarageSpaces\":1}",
                                  "{\"ListingKey\":\"G3\",\"ListPrice\":3}"})));
    QStringList names;
    for (const QString& column : m_backend->columnTypes(u"Property"_s))
        names.append(column.section(u' ', 0, 0));
    QCOMPARE(names.size(), 19);
    QVERIFY(names.contains(u"PublicRemarks"_s));
    problems = m_backend->check(property, u"G1"_s,
                                {{u"PublicRemarks"_s, u"text"_s, u"kept"_s},
                                 {u"ListPrice"_s, u"text"_s, u"11.00"_s},
                                 {u"GarageSpaces"_s, u"text"_s, u"1"_s}});
    problems += m_backend->check(property, u"G3"_s, {{u"PublicRemarks"_s, u"null"_s, QString()}});
    problems += m_backend->check(media, u"GM2"_s, {{u"MediaCategory"_s, u"text"_s, u"Photo"_s}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(m_backend->count(u"Property"_s), 3);
    // G1's JSON had no Media: its photo is still there.
    QCOMPARE(m_backend->count(u"Media"_s), 2);
}

void SqlDestinationCases::dataDictionary_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("columns");
    QTest::addColumn<bool>("fullest");
    QTest::addColumn<int>("lookupMembers");
    // Every backend stores all of these: MariaDB and PostgreSQL keep the fields beyond their
    // row's budget in _overflow (tst_mysqldestination and tst_postgresdestination have what
    // happens without it).
    QTest::newRow("DD 2.0 realistic") << u"dd-2.0-enum.xml"_s << 632 << false << 1;
    QTest::newRow("DD 2.1 realistic, no lookups") << u"dd-2.1-enum.xml"_s << 722 << false << 0;
    QTest::newRow("DD 2.0 two-member lookups") << u"dd-2.0-enum.xml"_s << 632 << false << 2;
    QTest::newRow("DD 2.1 two-member lookups") << u"dd-2.1-enum.xml"_s << 722 << false << 2;
    QTest::newRow("DD 2.0 fullest") << u"dd-2.0-enum.xml"_s << 632 << true << 5;
    QTest::newRow("DD 2.1 fullest") << u"dd-2.1-enum.xml"_s << 722 << true << 5;
}

// The RESO Data Dictionary's Property with Media: a listing with every field set, and two photos,
// stored and read back exactly, by the suite's own connection and by fetchRecord.
void SqlDestinationCases::dataDictionary() {
    QFETCH(QString, file);
    QFETCH(int, columns);
    QFETCH(bool, fullest);
    QFETCH(int, lookupMembers);
    auto dd = loadDdPlan(file);
    QVERIFY2(dd, qPrintable(dd ? QString() : dd.errorMessage()));
    const ResourcePlan& plan = dd->plan;
    QCOMPARE(plan.table.columns.size(), columns);
    QCOMPARE(plan.keyField, u"ListingKey"_s);
    QCOMPARE(plan.timestampField, u"ModificationTimestamp"_s);
    QCOMPARE(plan.children.size(), 1);
    // Every kind of field the dictionary uses must have been generated at least once.
    QSet<int> kinds;
    for (const ColumnPlan& column : plan.table.columns)
        kinds.insert(int(column.field.kind) * 2 + (column.field.isCollection ? 1 : 0));
    QVERIFY(kinds.contains(int(EdmKind::Enum) * 2 + 1));
    QVERIFY(kinds.contains(int(EdmKind::Decimal) * 2));

    auto destination = openDestination(plan);
    QVERIFY(destination);
    // Every field is a column, or recorded as kept in _overflow (which is then a column too).
    const QStringList inRow = columnNames(u"Property"_s);
    const QStringList placed = m_backend->name() == u"sqlite" ? QStringList() : overflowFields(u"Property"_s);
    QCOMPARE(inRow.size() + placed.size(), columns + (placed.isEmpty() ? 0 : 1));
    ORS_VERIFY_OK(destination->ensureSchema(plan)); // nothing left to add
    QCOMPARE(columnNames(u"Property"_s), inRow);

    const DdListing listing = generateListing(*dd, u"DD-1"_s, Fill{fullest, lookupMembers});
    QCOMPARE(listing.parent.expects.size(), columns);
    QList<QString> warnings;
    ORS_VERIFY_OK(applyBody(*destination, plan,
                            page({"{\"ListingKey\":\"DD-0\",\"ListingId\":\"small\"}", listing.json}),
                            &warnings));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    QCOMPARE(m_backend->count(u"Property"_s), 2);
    QCOMPARE(m_backend->count(u"Media"_s), 2);
    const TablePlan& media = plan.children.first().table;
    QStringList problems = m_backend->check(plan.table, u"DD-1"_s, listing.parent.expects);
    problems += m_backend->check(media, u"DD-M1"_s, listing.photo1.expects);
    problems += m_backend->check(media, u"DD-M2"_s, listing.photo2.expects);
    auto record = destination->fetchRecord(plan, "DD-1");
    ORS_VERIFY_OK(record);
    QVERIFY(record->has_value());
    problems += compareFetched(**record, plan.table, listing.parent.expects);
    const QJsonArray photos = (**record).value(u"Media"_s).toArray();
    QCOMPARE(photos.size(), 2);
    problems += compareFetched(photos.at(0).toObject(), media, listing.photo1.expects);
    problems += compareFetched(photos.at(1).toObject(), media, listing.photo2.expects);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

} // namespace ors::test
