// The field-mapping cases of the shared SQL destination suite: each option of a destination's
// mapping (MappingConfig) applied through MappedDestination in front of the backend, written and
// read back through every Destination call the processes make, and the refusals that name the
// configuration key.
#include "SqlDestinationCases.h"

#include "DestinationCases.h"

#include <QTest>

namespace ors::test {

using namespace Qt::StringLiterals;

namespace {

const QByteArray kMappedRecord =
    "{\"ListingKey\":\"ACT100\",\"ListingId\":\"A-1\",\"PublicRemarks\":\"Nice\",\"ListPrice\":1234.5,"
    "\"ModificationTimestamp\":\"2024-05-01T10:00:00.000Z\",\"Media\":["
    "{\"MediaKey\":\"ACTM1\",\"Order\":1,\"ModificationTimestamp\":\"2024-05-01T09:00:00.000Z\"},"
    "{\"MediaKey\":\"ACTM2\",\"Order\":2,\"ModificationTimestamp\":\"2024-05-01T09:30:00.000Z\"}]}";

MappingConfig mappingFor(const QString& option) {
    MappingConfig m;
    m.keyPath = u"sources[0].destinations[0]"_s;
    if (option == u"tablePrefix")
        m.tablePrefix = u"mls_"_s;
    else if (option == u"tableName")
        m.tableName = u"{source}_{resource}_t"_s;
    else if (option == u"snake_case")
        m.columnCase = ColumnCase::SnakeCase;
    else if (option == u"lowercase")
        m.columnCase = ColumnCase::Lowercase;
    else if (option == u"rename")
        m.rename = {{u"ListPrice"_s, u"price"_s}, {u"MediaURL"_s, u"url"_s}};
    else if (option == u"drop")
        m.drop = {u"ListPrice"_s, u"PublicRemarks"_s};
    else if (option == u"stripKeyPrefix")
        m.stripKeyPrefixLength = 3;
    else if (option == u"stripKeyPrefix pattern")
        m.stripKeyPrefixPattern = u"ACT"_s;
    else if (option == u"copyParentFields")
        m.copyParentFields = {u"ListingId"_s};
    else if (option == u"all at once") {
        m.tablePrefix = u"mls_"_s;
        m.columnCase = ColumnCase::SnakeCase;
        m.stripKeyPrefixLength = 3;
        m.copyParentFields = {u"ListingId"_s};
        m.drop = {u"PublicRemarks"_s};
    }
    return m;
}

} // namespace

QStringList SqlDestinationCases::columnNames(const QString& table) {
    QStringList names;
    for (const QString& column : m_backend->columnTypes(table))
        names.append(column.section(u' ', 0, 0));
    return names;
}

void SqlDestinationCases::fieldMapping_data() {
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("parentTable");
    QTest::addColumn<QString>("mediaTable");
    QTest::addColumn<QString>("keyColumn");
    QTest::addColumn<QString>("parentKeyColumn"); // in Media
    QTest::addColumn<QString>("storedKey");
    QTest::addColumn<QString>("mediaKey");     // the first Media's, stored
    QTest::addColumn<QString>("priceColumn");  // empty: dropped
    QTest::addColumn<QString>("copiedColumn"); // in Media; empty: none

    QTest::newRow("tablePrefix") << u"tablePrefix"_s << u"mls_Property"_s << u"mls_Media"_s << u"ListingKey"_s
                                 << u"ListingKey"_s << u"ACT100"_s << u"ACTM1"_s << u"ListPrice"_s
                                 << QString();
    QTest::newRow("tableName") << u"tableName"_s << u"src_Property_t"_s << u"src_Media_t"_s << u"ListingKey"_s
                               << u"ListingKey"_s << u"ACT100"_s << u"ACTM1"_s << u"ListPrice"_s << QString();
    QTest::newRow("snake_case") << u"snake_case"_s << u"Property"_s << u"Media"_s << u"listing_key"_s
                                << u"listing_key"_s << u"ACT100"_s << u"ACTM1"_s << u"list_price"_s
                                << QString();
    QTest::newRow("lowercase") << u"lowercase"_s << u"Property"_s << u"Media"_s << u"listingkey"_s
                               << u"listingkey"_s << u"ACT100"_s << u"ACTM1"_s << u"listprice"_s << QString();
    QTest::newRow("rename") << u"rename"_s << u"Property"_s << u"Media"_s << u"ListingKey"_s
                            << u"ListingKey"_s << u"ACT100"_s << u"ACTM1"_s << u"price"_s << QString();
    QTest::newRow("drop") << u"drop"_s << u"Property"_s << u"Media"_s << u"ListingKey"_s << u"ListingKey"_s
                          << u"ACT100"_s << u"ACTM1"_s << QString() << QString();
    QTest::newRow("stripKeyPrefix") << u"stripKeyPrefix"_s << u"Property"_s << u"Media"_s << u"ListingKey"_s
                                    << u"ListingKey"_s << u"100"_s << u"M1"_s << u"ListPrice"_s << QString();
    QTest::newRow("stripKeyPrefix pattern")
        << u"stripKeyPrefix pattern"_s << u"Property"_s << u"Media"_s << u"ListingKey"_s << u"ListingKey"_s
        << u"100"_s << u"M1"_s << u"ListPrice"_s << QString();
    QTest::newRow("copyParentFields")
        << u"copyParentFields"_s << u"Property"_s << u"Media"_s << u"ListingKey"_s << u"ListingKey"_s
        << u"ACT100"_s << u"ACTM1"_s << u"ListPrice"_s << u"ListingId"_s;
    QTest::newRow("all at once") << u"all at once"_s << u"mls_Property"_s << u"mls_Media"_s
                                 << u"listing_key"_s << u"listing_key"_s << u"100"_s << u"M1"_s
                                 << u"list_price"_s << u"listing_id"_s;
}

// What is stored is what the mapping makes of the MLS's record, and every call the processes
// make (counts, newest timestamp, key reads, child key reads, record lookup, deletes, purge)
// works through it with the MLS's plan and, where the contract says so, the MLS's keys.
void SqlDestinationCases::fieldMapping() {
    QFETCH(QString, option);
    QFETCH(QString, parentTable);
    QFETCH(QString, mediaTable);
    QFETCH(QString, keyColumn);
    QFETCH(QString, parentKeyColumn);
    QFETCH(QString, storedKey);
    QFETCH(QString, mediaKey);
    QFETCH(QString, priceColumn);
    QFETCH(QString, copiedColumn);

    auto destination = openWithSchema(withMapping(m_backend->create(), mappingFor(option), u"src"_s), m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({kMappedRecord})));

    QCOMPARE(m_backend->count(parentTable), 1);
    QCOMPARE(m_backend->count(mediaTable), 2);
    const QString q = m_backend->quoteId(parentTable);
    QCOMPARE(m_backend->strings(u"SELECT %1 FROM %2"_s.arg(m_backend->quoteId(keyColumn), q)),
             QStringList{storedKey});
    // The child's key column as the mapping's case made it (PostgreSQL's quoted names are exact).
    const QStringList mediaColumns = columnNames(mediaTable);
    QString mediaKeyColumn = u"MediaKey"_s;
    for (const QString& candidate : {u"media_key"_s, u"mediakey"_s})
        if (mediaColumns.contains(candidate))
            mediaKeyColumn = candidate;
    const QStringList mediaRows = m_backend->strings(u"SELECT %1, %2 FROM %3 ORDER BY %1"_s.arg(
        m_backend->quoteId(mediaKeyColumn), m_backend->quoteId(parentKeyColumn),
        m_backend->quoteId(mediaTable)));
    QCOMPARE(mediaRows.value(0), mediaKey + u'|' + storedKey);
    const QStringList columns = columnNames(parentTable);
    if (priceColumn.isEmpty()) {
        QVERIFY2(!columns.contains(u"ListPrice"_s) && !columns.contains(u"PublicRemarks"_s),
                 qPrintable(columns.join(u',')));
    } else {
        QVERIFY2(columns.contains(priceColumn), qPrintable(columns.join(u',')));
        QCOMPARE(
            m_backend
                ->strings(u"SELECT CAST(%1 AS CHAR(20)) FROM %2"_s.arg(m_backend->quoteId(priceColumn), q))
                .value(0)
                .startsWith(u"1234.5"_s),
            true);
    }
    if (!copiedColumn.isEmpty())
        QCOMPARE(m_backend->strings(u"SELECT DISTINCT %1 FROM %2"_s.arg(m_backend->quoteId(copiedColumn),
                                                                        m_backend->quoteId(mediaTable))),
                 QStringList{u"A-1"_s});

    // Reads through the mapping, in the MLS's plan.
    QCOMPARE(*destination->count(m_plan.table), 1);
    auto newest = destination->newestTimestamp(m_plan.table);
    ORS_VERIFY_OK(newest);
    QCOMPARE(newest->value_or(QByteArray()), QByteArray("2024-05-01T10:00:00.000Z"));
    auto keys = destination->keysAfter(m_plan.table, std::nullopt, 10, {u"ModificationTimestamp"_s});
    ORS_VERIFY_OK(keys);
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first().key, storedKey.toUtf8());
    QCOMPARE(destination->storedKey("ACT100"), storedKey.toUtf8());
    const ChildPlan& media = m_plan.children.first();
    auto children = destination->childKeys(media.table, media.table.columns.at(media.parentKeyColumn).name,
                                           std::nullopt, std::nullopt, 10);
    ORS_VERIFY_OK(children);
    QCOMPARE(children->size(), 2);
    QCOMPARE(children->first().parent, storedKey.toUtf8());
    QCOMPARE(children->first().key, mediaKey.toUtf8());

    auto record = destination->fetchRecord(m_plan, "ACT100");
    ORS_VERIFY_OK(record);
    QVERIFY(record->has_value());
    QCOMPARE((*record)->value(keyColumn).toString(), storedKey);
    QCOMPARE((*record)->value(u"Media"_s).toArray().size(), 2);

    // Deletes take the MLS's keys, purge the stored ones (what keysAfter returned).
    ORS_VERIFY_OK(destination->deleteKeys(m_plan, {"ACT100"}));
    QCOMPARE(m_backend->count(parentTable), 0);
    QCOMPARE(m_backend->count(mediaTable), 0);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({kMappedRecord})));
    auto purged = destination->purgeKeys(m_plan, {storedKey.toUtf8()},
                                         PurgeGuard{"2100-01-01T00:00:00.000Z", true, {}});
    ORS_VERIFY_OK(purged);
    QCOMPARE(*purged, 1);
    QCOMPARE(m_backend->count(parentTable), 0);
    QCOMPARE(m_backend->count(mediaTable), 0);
}

void SqlDestinationCases::mappingRefusals_data() {
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");
    QTest::newRow("drop the key") << u"dropKey"_s
                                  << u"sources[0].destinations[0].drop[0]: ListingKey is the key"_s;
    QTest::newRow("drop a child's key")
        << u"dropChildKey"_s << u"sources[0].destinations[0].drop[0]: MediaKey is the key"_s;
    QTest::newRow("two fields, one column")
        << u"collision"_s << u"fields ListingId and ListPrice both become column"_s;
    QTest::newRow("case meets rename") << u"caseCollision"_s << u"both become column list_price"_s;
    QTest::newRow("no identifier") << u"badName"_s
                                   << u"becomes column \"list-price\", which is not an identifier"_s;
    QTest::newRow("unknown parent field")
        << u"badCopy"_s << u"sources[0].destinations[0].copyParentFields[0]: Property has no field Nope"_s;
    QTest::newRow("copy meets a child's column")
        << u"copyCollision"_s << u"copyParentFields[0]: Property's Media has a column"_s;
}

void SqlDestinationCases::mappingRefusals() {
    QFETCH(QString, what);
    QFETCH(QString, expected);
    MappingConfig m;
    m.keyPath = u"sources[0].destinations[0]"_s;
    if (what == u"dropKey")
        m.drop = {u"ListingKey"_s};
    else if (what == u"dropChildKey")
        m.drop = {u"MediaKey"_s};
    else if (what == u"collision")
        m.rename = {{u"ListPrice"_s, u"ListingId"_s}};
    else if (what == u"caseCollision") {
        m.columnCase = ColumnCase::SnakeCase;
        m.rename = {{u"PublicRemarks"_s, u"list_price"_s}};
    } else if (what == u"badName")
        m.rename = {{u"ListPrice"_s, u"list-price"_s}};
    else if (what == u"badCopy")
        m.copyParentFields = {u"Nope"_s};
    else if (what == u"copyCollision")
        m.copyParentFields = {u"ModificationTimestamp"_s};
    auto destination = withMapping(m_backend->create(), m, u"src"_s);
    ORS_VERIFY_OK(destination->open());
    auto r = destination->ensureSchema(m_plan);
    QVERIFY(!r);
    QVERIFY2(r.errorMessage().contains(expected), qPrintable(r.errorMessage()));
    // Refused before anything was created.
    QVERIFY(columnNames(u"Property"_s).isEmpty());
}

// manageSchema: false never creates or alters; the tables users made must hold every column.
void SqlDestinationCases::unmanagedSchema() {
    MappingConfig unmanaged;
    unmanaged.tablePrefix = u"own_"_s;
    unmanaged.manageSchema = false;
    auto destination = withMapping(m_backend->create(), unmanaged, u"src"_s);
    ORS_VERIFY_OK(destination->open());
    auto missing = destination->ensureSchema(m_plan);
    QVERIFY(!missing);
    QVERIFY2(missing.errorMessage().contains(u"table own_Property does not exist"_s),
             qPrintable(missing.errorMessage()));
    QVERIFY2(missing.errorMessage().contains(u"manageSchema: false"_s), qPrintable(missing.errorMessage()));
    QVERIFY(columnNames(u"own_Property"_s).isEmpty());

    // The user's tables, made here by a managing destination that leaves PublicRemarks out.
    MappingConfig maker = unmanaged;
    maker.manageSchema = true;
    maker.drop = {u"PublicRemarks"_s};
    QVERIFY(openWithSchema(withMapping(m_backend->create(), maker, u"src"_s), m_plan));
    auto lacking = destination->ensureSchema(m_plan);
    QVERIFY(!lacking);
    QVERIFY2(lacking.errorMessage().contains(u"table own_Property lacks the columns PublicRemarks"_s),
             qPrintable(lacking.errorMessage()));
    QVERIFY(!columnNames(u"own_Property"_s).contains(u"PublicRemarks"_s));

    // Mapped to what the tables hold, it writes into them.
    unmanaged.drop = {u"PublicRemarks"_s};
    auto writer = openWithSchema(withMapping(m_backend->create(), unmanaged, u"src"_s), m_plan);
    QVERIFY(writer);
    ORS_VERIFY_OK(applyBody(*writer, m_plan, page({kMappedRecord})));
    QCOMPARE(m_backend->count(u"own_Property"_s), 1);
    QCOMPARE(m_backend->count(u"own_Media"_s), 2);
}

} // namespace ors::test
