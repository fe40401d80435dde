// The schema cases of the shared SQL destination suite: fields kept in the JSON column _overflow
// (MariaDB and PostgreSQL, whose rows have a size limit; SQLite's have none), metadata that gains
// fields, widens columns or changes a type, and values longer than their column.
#include "SqlDestinationCases.h"

#include "DestinationCases.h"

#include "destinations/SqlTextDestination.h"
#include "reso/PageReader.h"

#include <QJsonArray>
#include <QTest>

#include <latch>
#include <thread>

namespace ors::test {

using namespace Qt::StringLiterals;

namespace {

// The statements that changed Property, for the server destinations (empty for SQLite, whose
// ALTER TABLE adds one column a statement).
QStringList propertyChanges(Destination& destination) {
    QStringList changes;
    if (auto* server = dynamic_cast<SqlTextDestination*>(&destination))
        for (const QString& sql : server->schemaStatements())
            if (sql.startsWith(u"ALTER TABLE"_s) && sql.contains(u"Property"_s))
                changes.append(sql);
    return changes;
}

QString fieldsOf(const ResourcePlan& plan) {
    QStringList names;
    for (const ColumnPlan& column : plan.table.columns)
        names.append(column.name);
    return names.join(u',');
}

} // namespace

QStringList SqlDestinationCases::overflowFields(const QString& table) {
    const QList<QVariantList> rows = m_backend->select(
        u"SELECT %1 FROM %2 WHERE %3 = ? ORDER BY %1"_s.arg(m_backend->quoteId(u"column_name"_s),
                                                            m_backend->quoteId(u"_openresync_overflow"_s),
                                                            m_backend->quoteId(u"table_name"_s)),
        {table});
    QStringList names;
    for (const QVariantList& row : rows)
        names.append(row.first().toString());
    return names;
}

void SqlDestinationCases::overflowRoundTrip_data() {
    addRoundTripRows();
}

// Every value of the contract, kept in _overflow instead of a column of its own: stored as JSON
// (readable with JSON_VALUE or ->>) and read back by fetchRecord exactly as its column would be.
void SqlDestinationCases::overflowRoundTrip() {
    QFETCH(QString, field);
    QFETCH(QByteArray, json);
    QFETCH(QString, type);
    QFETCH(QString, expected);
    QFETCH(bool, isJson);
    QStringList named;
    for (const ColumnPlan& column : m_plan.table.columns)
        named.append(column.name);
    auto created = m_backend->createWithOverflow(std::nullopt, named);
    if (!created)
        QSKIP("SQLite rows have no size limit: every field keeps a column of its own");
    auto destination = openWithSchema(std::move(created), m_plan);
    QVERIFY(destination);
    // Keys and timestamps stay columns whatever the configuration names.
    QCOMPARE(columnNames(u"Property"_s),
             (QStringList{u"ListingKey"_s, u"ModificationTimestamp"_s, u"_overflow"_s}));
    QCOMPARE(overflowFields(u"Property"_s).size(), m_plan.table.columns.size() - 2);

    const QByteArray body = page({"{\"ListingKey\":\"RT-1\"," + jsonString(field) + ":" + json + "}"});
    QList<QString> warnings;
    const auto r = applyBody(*destination, m_plan, body, &warnings);
    if (!m_backend->holdsNul() && expected.contains(QChar(0))) {
        const QString problem = nulRefusal(r, field);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    ORS_VERIFY_OK(r);
    const Expect expect{field, type, expected, isJson};
    QStringList problems = m_backend->check(m_plan.table, u"RT-1"_s, {expect});
    auto record = destination->fetchRecord(m_plan, "RT-1");
    ORS_VERIFY_OK(record);
    QVERIFY(record->has_value());
    problems += compareFetched(**record, m_plan.table, {expect});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

// Metadata growth into a table that keeps fields in _overflow: new fields go where the budget
// says, a field placed once never moves (not even when the budget grows), every read sees the
// fields of _overflow as ordinary fields, and a dropped table takes its placement with it.
void SqlDestinationCases::overflowGrowth() {
    auto first = m_backend->createWithOverflow(0, {});
    if (!first)
        QSKIP("SQLite rows have no size limit: every field keeps a column of its own");
    QByteArray grown = kEdmx;
    grown.replace("<!--P-->", "<Property Name='GarageSpaces' Type='Edm.Decimal' Precision='14' Scale='2'/>"
                              "<Property Name='StoriesTotal' Type='Edm.Int32'/><!--P-->");
    auto grownPlan = planFromXml(grown);
    QVERIFY2(grownPlan, qPrintable(grownPlan ? QString() : grownPlan.errorMessage()));
    QByteArray again = grown;
    again.replace("<!--P-->", "<Property Name='PhotosChangeTimestamp' Type='Edm.DateTimeOffset'/>"
                              "<Property Name='CarportSpaces' Type='Edm.Int32'/>");
    again.replace("<!--M-->", "<Property Name='MediaCategory' Type='Edm.String' MaxLength='50'/>");
    auto againPlan = planFromXml(again);
    QVERIFY2(againPlan, qPrintable(againPlan ? QString() : againPlan.errorMessage()));

    // A budget of 0: every field but keys and timestamps goes to _overflow.
    auto destination = openWithSchema(std::move(first), m_plan);
    QVERIFY(destination);
    QCOMPARE(columnNames(u"Property"_s),
             (QStringList{u"ListingKey"_s, u"ModificationTimestamp"_s, u"_overflow"_s}));
    const QStringList placed = overflowFields(u"Property"_s);
    QCOMPARE(placed.size(), m_plan.table.columns.size() - 2);
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({"{\"ListingKey\":\"OG-1\",\"ListingId\":\"A-1\",\"ListPrice\":10.50,"
                        "\"BedroomsTotal\":3,\"ModificationTimestamp\":\"2024-05-01T10:00:00.000Z\"}"})));
    destination.reset();

    // A later run with a budget that holds everything: the new fields get columns, in one ALTER
    // TABLE, and the placed ones stay where they are.
    destination = openWithSchema(m_backend->createWithOverflow(1000000, {}), *grownPlan);
    QVERIFY(destination);
    QCOMPARE(propertyChanges(*destination).size(), 1);
    QCOMPARE(columnNames(u"Property"_s), (QStringList{u"ListingKey"_s, u"ModificationTimestamp"_s,
                                                      u"_overflow"_s, u"GarageSpaces"_s, u"StoriesTotal"_s}));
    QCOMPARE(overflowFields(u"Property"_s), placed);
    ORS_VERIFY_OK(
        applyBody(*destination, *grownPlan,
                  page({"{\"ListingKey\":\"OG-2\",\"ListingId\":\"B-2\",\"GarageSpaces\":2.50,"
                        "\"StoriesTotal\":2,\"ModificationTimestamp\":\"2024-05-02T10:00:00.000Z\"}"})));
    destination.reset();

    // And a budget of 0 again: the next new fields go to _overflow; a child table too.
    destination = openWithSchema(m_backend->createWithOverflow(0, {}), *againPlan);
    QVERIFY(destination);
    QVERIFY2(!columnNames(u"Property"_s).contains(u"CarportSpaces"_s), qPrintable(fieldsOf(*againPlan)));
    QVERIFY(overflowFields(u"Property"_s).contains(u"CarportSpaces"_s));
    QVERIFY(overflowFields(u"Property"_s).contains(u"PhotosChangeTimestamp"_s));
    QVERIFY(overflowFields(u"Media"_s).contains(u"MediaCategory"_s));
    ORS_VERIFY_OK(
        applyBody(*destination, *againPlan,
                  page({"{\"ListingKey\":\"OG-3\",\"CarportSpaces\":2,\"ListPrice\":7,"
                        "\"PhotosChangeTimestamp\":\"2024-07-01T00:00:00Z\","
                        "\"ModificationTimestamp\":\"2024-05-03T10:00:00.000Z\","
                        "\"Media\":[{\"MediaKey\":\"OGM-1\",\"MediaCategory\":\"Photo\",\"Order\":4}]}"})));

    // Every read sees them as ordinary fields.
    QStringList problems = m_backend->check(againPlan->table, u"OG-1"_s,
                                            {{u"ListingId"_s, u"text"_s, u"A-1"_s},
                                             {u"ListPrice"_s, u"text"_s, u"10.50"_s},
                                             {u"BedroomsTotal"_s, u"integer"_s, u"3"_s},
                                             {u"CarportSpaces"_s, u"null"_s, QString()}});
    problems += m_backend->check(
        againPlan->table, u"OG-2"_s,
        {{u"GarageSpaces"_s, u"text"_s, u"2.50"_s}, {u"StoriesTotal"_s, u"integer"_s, u"2"_s}});
    auto record = destination->fetchRecord(*againPlan, "OG-3");
    ORS_VERIFY_OK(record);
    QVERIFY(record->has_value());
    problems += compareFetched(**record, againPlan->table,
                               {{u"CarportSpaces"_s, u"integer"_s, u"2"_s},
                                {u"ListPrice"_s, u"text"_s, u"7"_s},
                                {u"PhotosChangeTimestamp"_s, u"text"_s, u"2024-07-01T00:00:00.000Z"_s},
                                {u"GarageSpaces"_s, u"null"_s, QString()}});
    const QJsonArray media = (**record).value(u"Media"_s).toArray();
    QCOMPARE(media.size(), 1);
    problems +=
        compareFetched(media.first().toObject(), againPlan->children.first().table,
                       {{u"MediaCategory"_s, u"text"_s, u"Photo"_s}, {u"Order"_s, u"integer"_s, u"4"_s}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    // Reconcile's timestamps, one of them from _overflow.
    auto keys = destination->keysAfter(againPlan->table, std::nullopt, 10,
                                       {u"ModificationTimestamp"_s, u"PhotosChangeTimestamp"_s});
    ORS_VERIFY_OK(keys);
    QCOMPARE(keys->size(), 3);
    QVERIFY(!keys->at(1).timestamps[1]);
    QCOMPARE(keys->at(2).timestamps[0].value_or(QByteArray()), QByteArray("2024-05-03T10:00:00.000Z"));
    QCOMPARE(keys->at(2).timestamps[1].value_or(QByteArray()), QByteArray("2024-07-01T00:00:00.000Z"));
    auto newest = destination->newestTimestamp(againPlan->table);
    ORS_VERIFY_OK(newest);
    QCOMPARE(newest->value_or(QByteArray()), QByteArray("2024-05-03T10:00:00.000Z"));
    // Purge: the guard reads the timestamp column; the record goes with its Media.
    PurgeGuard guard;
    guard.olderThan = "2030-01-01T00:00:00.000Z";
    auto purged = destination->purgeKeys(*againPlan, {"OG-3"}, guard);
    ORS_VERIFY_OK(purged);
    QCOMPARE(*purged, 1);
    QCOMPARE(m_backend->count(u"Media"_s), 0);

    // A dropped table takes its placement with it: made again, it follows today's budget.
    auto dropped = destination->dropTable(u"Property"_s);
    ORS_VERIFY_OK(dropped);
    QVERIFY(*dropped);
    QVERIFY(overflowFields(u"Property"_s).isEmpty());
    destination = openWithSchema(m_backend->createWithOverflow(1000000, {}), *againPlan);
    QVERIFY(destination);
    QCOMPARE(columnNames(u"Property"_s).size(), againPlan->table.columns.size());
}

// Metadata that changed between runs: new fields are added by one ALTER TABLE a table, a longer
// MaxLength and a wider number widen their columns, and a change of kind is reported, naming the
// table, the column and both types, and not applied.
void SqlDestinationCases::metadataChanges() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({"{\"ListingKey\":\"MC-1\",\"ListingId\":\"A-1\",\"BedroomsTotal\":3,"
                                  "\"ListPrice\":10.50,\"ListingContractDate\":\"2024-04-30\"}"})));
    destination.reset();
    QByteArray changed = kEdmx;
    changed.replace("<Property Name='ListingId' Type='Edm.String' MaxLength='50'/>",
                    "<Property Name='ListingId' Type='Edm.String' MaxLength='100'/>");
    changed.replace("<Property Name='BedroomsTotal' Type='Edm.Int32'/>",
                    "<Property Name='BedroomsTotal' Type='Edm.Int64'/>");
    changed.replace("<Property Name='ListPrice' Type='Edm.Decimal' Precision='14' Scale='2'/>",
                    "<Property Name='ListPrice' Type='Edm.Decimal' Precision='16' Scale='4'/>");
    changed.replace("<Property Name='ListingContractDate' Type='Edm.Date'/>",
                    "<Property Name='ListingContractDate' Type='Edm.String' MaxLength='10'/>");
    changed.replace("<!--P-->", "<Property Name='BuilderName' Type='Edm.String' MaxLength='50'/>"
                                "<Property Name='StoriesTotal' Type='Edm.Int32'/>");
    auto plan = planFromXml(changed);
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));

    destination = openDestination(*plan);
    QVERIFY(destination);
    const QStringList warnings = destination->takeSchemaWarnings();
    const QStringList changes = propertyChanges(*destination);
    const QStringList types = m_backend->columnTypes(u"Property"_s);
    QVERIFY(types.size() == 19 || types.size() == 20); // ... and _overflow where the budget asked for it
    if (m_backend->name() != u"sqlite") {
        QCOMPARE(changes.size(), 1);
        for (const char* part : {"BuilderName", "StoriesTotal", "ListingId", "BedroomsTotal", "ListPrice"})
            QVERIFY2(changes.first().contains(QLatin1String(part)), qPrintable(changes.first()));
        QVERIFY2(!changes.first().contains(u"ListingContractDate"_s), qPrintable(changes.first()));
        QVERIFY2(types.contains(u"ListingId "_s + m_backend->stringType(100)), qPrintable(types.join(u", ")));
        QVERIFY2(types.contains(u"BedroomsTotal bigint"_s), qPrintable(types.join(u", ")));
        QVERIFY2(types.contains(u"ListPrice "_s + m_backend->decimalType(16, 4)),
                 qPrintable(types.join(u", ")));
        QVERIFY2(types.contains(u"ListingContractDate date"_s), qPrintable(types.join(u", ")));
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().contains(u"table Property, column ListingContractDate"_s) &&
                     warnings.first().contains(u"date"_s) && warnings.first().contains(u"(10)"_s) &&
                     warnings.first().contains(u"not a widening"_s),
                 qPrintable(warnings.first()));
    } else {
        // SQLite's columns have no length or precision to widen.
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    }
    // What the wider columns now hold stores exactly, and what was there is kept.
    const QString longId = QString(u"Ü"_s).repeated(100);
    ORS_VERIFY_OK(applyBody(*destination, *plan,
                            page({"{\"ListingKey\":\"MC-2\",\"ListingId\":" + jsonString(longId) +
                                  ",\"BedroomsTotal\":9007199254740993,\"ListPrice\":123456789012.3456,"
                                  "\"BuilderName\":\"B\",\"StoriesTotal\":2}"})));
    QStringList problems = m_backend->check(plan->table, u"MC-1"_s,
                                            {{u"ListingId"_s, u"text"_s, u"A-1"_s},
                                             {u"BedroomsTotal"_s, u"integer"_s, u"3"_s},
                                             {u"ListPrice"_s, u"text"_s, u"10.50"_s},
                                             {u"BuilderName"_s, u"null"_s, QString()}});
    problems += m_backend->check(plan->table, u"MC-2"_s,
                                 {{u"ListingId"_s, u"text"_s, longId},
                                  {u"BedroomsTotal"_s, u"integer"_s, u"9007199254740993"_s},
                                  {u"ListPrice"_s, u"text"_s, u"123456789012.3456"_s},
                                  {u"StoriesTotal"_s, u"integer"_s, u"2"_s}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    destination.reset();
    // Nothing left to change the next time.
    destination = openDestination(*plan);
    QVERIFY(destination);
    QVERIFY(propertyChanges(*destination).isEmpty());
}

// A value longer than its column: refused, naming the record, the column and the value's length
// (as one record only, with applyRejecting), never stored cut. SQLite's text has no length;
// _overflow holds any length.
void SqlDestinationCases::valuesTooLong() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    const QString tooLong = QString(u"é"_s).repeated(60); // ListingId has MaxLength 50
    const QByteArray body = page({"{\"ListingKey\":\"VL-1\",\"ListingId\":" + jsonString(tooLong) + "}",
                                  "{\"ListingKey\":\"VL-2\",\"ListingId\":\"fine\"}"});
    if (m_backend->name() == u"sqlite") {
        ORS_VERIFY_OK(applyBody(*destination, m_plan, body));
        QCOMPARE(m_backend->storedText(u"Property"_s, u"ListingId"_s, u"ListingKey"_s, u"VL-1"_s), tooLong);
        return;
    }
    const auto r = applyBody(*destination, m_plan, body);
    QVERIFY(!r.ok());
    QVERIFY2(r.errorMessage().contains(u"VL-1"_s) && r.errorMessage().contains(u"ListingId"_s) &&
                 r.errorMessage().contains(u"60 characters"_s) && !r.errorMessage().contains(u"VL-2"_s),
             qPrintable(r.errorMessage()));
    QCOMPARE(m_backend->count(u"Property"_s), 0);

    auto rows = PageReader::read(body, m_plan, u"test page"_s);
    ORS_VERIFY_OK(rows);
    auto rejected = destination->applyRejecting(m_plan, *rows);
    ORS_VERIFY_OK(rejected);
    QCOMPARE(rejected->size(), 1);
    QCOMPARE(rejected->first().key, QByteArray("VL-1"));
    QVERIFY2(rejected->first().reason.contains(u"60 characters"_s), qPrintable(rejected->first().reason));
    QCOMPARE(m_backend->count(u"Property"_s), 1);
    destination.reset();

    // Kept in _overflow, the value has no column to be too long for.
    QVERIFY(m_backend->reset().isEmpty());
    destination = openWithSchema(m_backend->createWithOverflow(std::nullopt, {u"ListingId"_s}), m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, body));
    const QStringList problems =
        m_backend->check(m_plan.table, u"VL-1"_s, {{u"ListingId"_s, u"text"_s, tooLong}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

// Several programs opening the same fresh database at once, each creating a table of its own that
// keeps a field in _overflow: every one creates the placement table _openresync_overflow if it is
// missing, all at the same moment. PostgreSQL's CREATE TABLE IF NOT EXISTS is not race-free (one of
// them failed with 23505 or 42P07); each must succeed, and each placement must be recorded.
void SqlDestinationCases::concurrentFirstOpen() {
    constexpr int kWriters = 6;
    constexpr int kRounds = 3;
    for (int round = 0; round < kRounds; ++round) {
        if (round > 0)
            QVERIFY(m_backend->reset().isEmpty());
        std::vector<std::unique_ptr<Destination>> destinations;
        QList<ResourcePlan> plans;
        for (int i = 0; i < kWriters; ++i) {
            auto created = m_backend->createWithOverflow(std::nullopt, {u"PublicRemarks"_s});
            if (!created)
                QSKIP("SQLite rows have no size limit: no placement table to create");
            destinations.push_back(std::move(created));
            ResourcePlan plan = m_plan;
            const QString suffix = u"_%1"_s.arg(i);
            plan.table.table += suffix;
            for (ChildPlan& child : plan.children)
                child.table.table += suffix;
            plans.append(std::move(plan));
        }
        std::latch opened(kWriters);
        QStringList errors(kWriters);
        std::vector<std::thread> writers;
        for (int i = 0; i < kWriters; ++i)
            writers.emplace_back([&, i, destination = std::move(destinations[i])]() mutable {
                // Opened, used and closed in this thread: a Qt Sql connection belongs to one.
                auto r = destination->open();
                opened.arrive_and_wait();
                if (r)
                    r = destination->ensureSchema(plans.at(i));
                if (!r)
                    errors[i] = r.errorMessage();
                destination.reset();
            });
        for (std::thread& writer : writers)
            writer.join();
        errors.removeAll(QString());
        QVERIFY2(errors.isEmpty(), qPrintable(u"round %1: %2"_s.arg(round).arg(errors.join(u'\n'))));
        for (int i = 0; i < kWriters; ++i)
            QCOMPARE(overflowFields(plans.at(i).table.table), QStringList{u"PublicRemarks"_s});
    }
}

} // namespace ors::test
