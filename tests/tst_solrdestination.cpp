// The Solr destination against the HTTP contract of Solr's JSON APIs, played by tests/fakesolr
// (no Solr server can be installed here): schema management, writes, reads, paging and errors.
#include "DdRecords.h"
#include "DestinationCases.h"
#include "FakeSolrServer.h"
#include "SqlTestBackend.h"

#include "destinations/SolrDestination.h"
#include "diff/KeyRecord.h"
#include "reso/PageReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace ors;
using namespace ors::test;

namespace {

QByteArray listing(const QString& key, const QString& timestamp, const QStringList& mediaKeys = {},
                   const QByteArray& extra = {}) {
    QByteArray json =
        "{\"ListingKey\":" + QJsonDocument(QJsonArray{key}).toJson(QJsonDocument::Compact).mid(1).chopped(1) +
        ",\"ModificationTimestamp\":\"" + timestamp.toUtf8() + "\"";
    if (!extra.isEmpty())
        json += "," + extra;
    if (!mediaKeys.isEmpty()) {
        json += ",\"Media\":[";
        for (qsizetype i = 0; i < mediaKeys.size(); ++i)
            json += QByteArray(i ? "," : "") + "{\"MediaKey\":\"" + mediaKeys.at(i).toUtf8() +
                    "\",\"Order\":" + QByteArray::number(i) + ",\"ModificationTimestamp\":\"" +
                    timestamp.toUtf8() + "\"}";
        json += "]";
    }
    return json + "}";
}

QStringList ids(const QList<QJsonObject>& docs, const QString& field = u"id"_s) {
    QStringList out;
    for (const QJsonObject& doc : docs)
        out.append(doc.value(field).toString());
    out.sort();
    return out;
}

} // namespace

class TestSolrDestination : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void schemaFromMetadata();
    void schemaFromDataDictionary_data();
    void schemaFromDataDictionary();
    void applyUpdateDelete();
    void countsAndNewestWithoutCommitPerPage();
    void cursorExportOverPages();
    void childKeysAndRecord();
    void purgeGuarded();
    void schemaErrorNamesField();
    void unknownFieldQuotesSolr();
    void valueRefusedRejectsRecordAlone();
    void transientFaultRetriedPersistentReported();
    void missingCore();
    void serverDown();
    void basicAuth();
    void uniqueKeyNamedAfterKey();
    void checkSchemaPassesReadingOnly();
    void checkSchemaNamesMissingFields();
    void checkSchemaNamesMissingCore();
    void checkSchemaRefusesKeyType();
    void unmanagedMappingChecksMappedNames();

private:
    std::unique_ptr<SolrDestination> make(const QString& url = {}, const QString& user = {},
                                          const QString& password = {});
    std::unique_ptr<SolrDestination> openedWithSchema();
    int schemaPosts() const; // add-field requests seen

    std::unique_ptr<fake::FakeSolrServer> m_solr;
    ResourcePlan m_plan;
};

void TestSolrDestination::init() {
    m_solr = std::make_unique<fake::FakeSolrServer>();
    QVERIFY(m_solr->start());
    m_solr->createCore(u"Property"_s);
    m_solr->createCore(u"Media"_s);
    auto plan = planFromXml(kEdmx);
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
    m_plan = *plan;
}

void TestSolrDestination::cleanup() {
    m_solr.reset();
}

std::unique_ptr<SolrDestination> TestSolrDestination::make(const QString& url, const QString& user,
                                                           const QString& password) {
    DestinationConfig config;
    config.name = u"search"_s;
    config.type = DestinationType::Solr;
    config.url = url.isEmpty() ? m_solr->baseUrl() : url;
    config.user = user;
    if (!password.isEmpty())
        config.password = SecretRef::parse(password);
    return std::make_unique<SolrDestination>(config, u"mls"_s);
}

std::unique_ptr<SolrDestination> TestSolrDestination::openedWithSchema() {
    return openWithSchema(make(), m_plan);
}

int TestSolrDestination::schemaPosts() const {
    int posts = 0;
    for (const auto& r : m_solr->requests())
        posts += r.path == u"schema"_s && r.method == u"POST"_s;
    return posts;
}

// Schema API: every planned field added with its EDM type's Solr type, in one request per core;
// a second pass adds nothing.
void TestSolrDestination::schemaFromMetadata() {
    auto destination = openedWithSchema();
    QVERIFY(destination);
    const auto fields = m_solr->fields(u"Property"_s);
    const auto type = [&](const QString& name) { return fields.value(name).value(u"type"_s).toString(); };
    QCOMPARE(type(u"ListingKey"_s), u"string"_s);
    QCOMPARE(type(u"ListingId"_s), u"string"_s);
    QCOMPARE(type(u"PublicRemarks"_s), u"text_general"_s);
    QCOMPARE(type(u"BedroomsTotal"_s), u"pint"_s);
    QCOMPARE(type(u"BigNumber"_s), u"plong"_s);
    QCOMPARE(type(u"ListPrice"_s), u"pdouble"_s);
    QCOMPARE(type(u"Latitude"_s), u"pdouble"_s);
    QCOMPARE(type(u"NewConstructionYN"_s), u"boolean"_s);
    QCOMPARE(type(u"ListingContractDate"_s), u"pdate"_s);
    QCOMPARE(type(u"ModificationTimestamp"_s), u"pdate"_s);
    QCOMPARE(type(u"Keywords"_s), u"string"_s);
    QCOMPARE(fields.value(u"Keywords"_s).value(u"multiValued"_s).toBool(), true);
    QCOMPARE(fields.value(u"Address"_s).value(u"indexed"_s).toBool(), false);
    const auto media = m_solr->fields(u"Media"_s);
    QCOMPARE(media.value(u"ListingKey"_s).value(u"type"_s).toString(), u"string"_s); // the parent key
    QCOMPARE(media.value(u"Order"_s).value(u"type"_s).toString(), u"pint"_s);

    int schemaPosts = 0;
    for (const auto& r : m_solr->requests())
        schemaPosts += r.path == u"schema"_s && r.method == u"POST"_s;
    QCOMPARE(schemaPosts, 2);
    m_solr->clearRequests();
    auto again = openedWithSchema();
    QVERIFY(again);
    for (const auto& r : m_solr->requests())
        QVERIFY2(r.method == u"GET"_s, qPrintable(r.path));
}

void TestSolrDestination::schemaFromDataDictionary_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("DD 2.0") << u"dd-2.0-enum.xml"_s;
    QTest::newRow("DD 2.1") << u"dd-2.1-enum.xml"_s;
}

// The whole Property of the RESO Data Dictionary becomes fields, and its fullest listing (every
// field set, five members in each multi-value lookup) is accepted by the schema it made.
void TestSolrDestination::schemaFromDataDictionary() {
    QFETCH(QString, file);
    auto dd = loadDdPlan(file);
    QVERIFY2(dd, qPrintable(dd ? QString() : dd.errorMessage()));
    auto destination = openWithSchema(make(), dd->plan);
    QVERIFY(destination);
    const auto fields = m_solr->fields(u"Property"_s);
    for (const ColumnPlan& column : dd->plan.table.columns)
        QVERIFY2(fields.contains(column.name), qPrintable(column.name));
    const DdListing full = generateListing(*dd, u"DD-1"_s, Fill{true, 5});
    ORS_VERIFY_OK(applyBody(*destination, dd->plan, page({full.json})));
    QCOMPARE(destination->count(dd->plan.table).value(), 1);
    QCOMPARE(ids(m_solr->documents(u"Media"_s)), (QStringList{u"DD-M1"_s, u"DD-M2"_s}));
    auto record = destination->fetchRecord(dd->plan, "DD-1");
    ORS_VERIFY_OK(record);
    QVERIFY(record->has_value());
    QCOMPARE((*record)->value(u"Media"_s).toArray().size(), 2);
}

// Documents by key; a listing written again replaces its document and its Media (one gone, one
// new); deleteKeys removes the listing and its Media.
void TestSolrDestination::applyUpdateDelete() {
    auto destination = openedWithSchema();
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(
        *destination, m_plan,
        page(
            {listing(
                 u"L1"_s, u"2024-05-01T10:00:00.120+02:00"_s, {u"M1"_s, u"M2"_s},
                 R"("ListPrice":350000.50,"BedroomsTotal":3,"NewConstructionYN":true,"ListingContractDate":"2024-04-30","Keywords":["pool","view"],"Address":{"City":"Denver"})"),
             listing(u"L2"_s, u"2024-05-02T00:00:00Z"_s, {u"M3"_s})})));
    QCOMPARE(ids(m_solr->documents(u"Property"_s)), (QStringList{u"L1"_s, u"L2"_s}));
    QCOMPARE(ids(m_solr->documents(u"Media"_s)), (QStringList{u"M1"_s, u"M2"_s, u"M3"_s}));
    const QJsonObject l1 = m_solr->document(u"Property"_s, u"L1"_s);
    QCOMPARE(l1.value(u"ListingKey"_s).toString(), u"L1"_s);
    QCOMPARE(l1.value(u"ModificationTimestamp"_s).toString(), u"2024-05-01T08:00:00.120Z"_s);
    QCOMPARE(l1.value(u"ListPrice"_s).toDouble(), 350000.5);
    QCOMPARE(l1.value(u"BedroomsTotal"_s).toInteger(), 3);
    QCOMPARE(l1.value(u"NewConstructionYN"_s).toBool(), true);
    QCOMPARE(l1.value(u"ListingContractDate"_s).toString(), u"2024-04-30T00:00:00Z"_s);
    QCOMPARE(l1.value(u"Keywords"_s).toArray(), (QJsonArray{u"pool"_s, u"view"_s}));
    QCOMPARE(QJsonDocument::fromJson(l1.value(u"Address"_s).toString().toUtf8()).object().value(u"City"_s),
             QJsonValue(u"Denver"_s));
    QCOMPARE(m_solr->document(u"Media"_s, u"M1"_s).value(u"ListingKey"_s).toString(), u"L1"_s);

    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing(u"L1"_s, u"2024-05-03T00:00:00Z"_s, {u"M2"_s, u"M4"_s})})));
    QCOMPARE(ids(m_solr->documents(u"Media"_s)), (QStringList{u"M2"_s, u"M3"_s, u"M4"_s}));
    QVERIFY(!m_solr->document(u"Property"_s, u"L1"_s).contains(u"ListPrice"_s)); // replaced whole

    ORS_VERIFY_OK(destination->deleteKeys(m_plan, {"L1"}));
    QCOMPARE(ids(m_solr->documents(u"Property"_s)), QStringList{u"L2"_s});
    QCOMPARE(ids(m_solr->documents(u"Media"_s)), QStringList{u"M3"_s});
}

// Every update carries commitWithin and no commit; the one commit comes before this process
// reads what it wrote. Counts by rows=0's numFound; the newest timestamp with milliseconds.
void TestSolrDestination::countsAndNewestWithoutCommitPerPage() {
    auto destination = openedWithSchema();
    QVERIFY(destination);
    for (int p = 0; p < 5; ++p) {
        QList<QByteArray> records;
        for (int i = 0; i < 10; ++i)
            records.append(listing(u"K%1-%2"_s.arg(p).arg(i),
                                   u"2024-05-0%1T10:00:%2Z"_s.arg(p + 1).arg(i, 2, 10, QChar(u'0')),
                                   {u"M%1-%2"_s.arg(p).arg(i)}));
        ORS_VERIFY_OK(applyBody(*destination, m_plan, page(records)));
    }
    int updates = 0;
    for (const auto& r : m_solr->requests()) {
        if (r.path != u"update"_s)
            continue;
        ++updates;
        QVERIFY2(r.query.contains(u"commitWithin=10000"_s), qPrintable(r.query));
        QVERIFY2(!r.query.contains(u"commit=true"_s), qPrintable(r.query));
    }
    QVERIFY(updates >= 10);
    QCOMPARE(m_solr->explicitCommits(), 0);
    QCOMPARE(m_solr->searchableCount(u"Property"_s), 0); // not yet committed: commitWithin is 10 s

    QCOMPARE(destination->count(m_plan.table).value(), 50);
    QCOMPARE(destination->count(m_plan.children.first().table).value(), 50);
    QCOMPARE(m_solr->explicitCommits(), 2); // one per core read, not one per page
    auto newest = destination->newestTimestamp(m_plan.table);
    ORS_VERIFY_OK(newest);
    QCOMPARE(newest->value_or("none"), QByteArray("2024-05-05T10:00:09.000Z"));
    QCOMPARE(destination->count(m_plan.table).value(), 50);
    QCOMPARE(m_solr->explicitCommits(), 2);

    // rows=0: numFound and no documents.
    bool sawCount = false;
    for (const auto& r : m_solr->requests())
        sawCount = sawCount || (r.path == u"select"_s && r.body.contains("rows=0"));
    QVERIFY(sawCount);

    m_solr->createCore(u"Empty"_s);
    TablePlan empty = m_plan.table;
    empty.table = u"Empty"_s;
    QCOMPARE(destination->count(empty).value(), 0);
    QCOMPARE(destination->newestTimestamp(empty).value(), std::nullopt);
}

// keysAfter pages through cursorMark in byte order (tricky keys included), ending when the mark
// comes back unchanged; a fresh destination resumes after a key.
void TestSolrDestination::cursorExportOverPages() {
    auto destination = openedWithSchema();
    QVERIFY(destination);
    QStringList keys{u"10"_s, u"9"_s,    u"a"_s,    u"B"_s,   u"é"_s,
                     u"😀"_s,  u"a\"b"_s, u"x\\y"_s, u"a b"_s, u"A:B"_s};
    for (int i = 0; i < 13; ++i)
        keys.append(u"K%1"_s.arg(i, 2, 10, QChar(u'0')));
    QList<QByteArray> records;
    for (int i = 0; i < keys.size(); ++i)
        records.append(listing(keys.at(i), u"2024-05-01T10:00:%1.500Z"_s.arg(i % 60, 2, 10, QChar(u'0'))));
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page(records)));

    QList<QByteArray> expected;
    for (const QString& key : keys)
        expected.append(key.toUtf8());
    std::sort(expected.begin(), expected.end(),
              [](const QByteArray& a, const QByteArray& b) { return KeyRecord::compareKeys(a, b) < 0; });

    m_solr->clearRequests();
    QList<QByteArray> got;
    std::optional<QByteArray> after;
    int pages = 0;
    for (;;) {
        auto keysPage = destination->keysAfter(m_plan.table, after, 7, {u"ModificationTimestamp"_s});
        ORS_VERIFY_OK(keysPage);
        ++pages;
        for (const KeyRecord& k : *keysPage) {
            got.append(k.key);
            QVERIFY(k.timestamps[0].has_value());
            QVERIFY2(k.timestamps[0]->endsWith(".500Z"), k.timestamps[0]->constData());
        }
        if (keysPage->isEmpty())
            break;
        after = keysPage->last().key;
        QVERIFY(pages < 10);
    }
    QCOMPARE(got, expected);
    QCOMPARE(pages, 5); // 7 + 7 + 7 + 2, then the mark comes back unchanged
    QStringList marks;
    for (const auto& r : m_solr->requests())
        if (r.path == u"select"_s && r.body.contains("cursorMark"))
            marks.append(QString::fromUtf8(r.body));
    QCOMPARE(marks.size(), 5);
    QVERIFY(marks.first().contains(u"cursorMark=%2A"_s));
    QVERIFY(!marks.last().contains(u"cursorMark=%2A"_s));

    // Resumed from a key by another instance: a cursor opened after it.
    auto fresh = make();
    ORS_VERIFY_OK(fresh->open());
    auto rest = fresh->keysAfter(m_plan.table, expected.at(20), 100, {});
    ORS_VERIFY_OK(rest);
    QCOMPARE(rest->size(), 2);
    QCOMPARE(rest->first().key, expected.at(21));
}

// Reconcile's child rows in parent key order, one parent whole; `record` reads a listing back in
// the value contract's form.
void TestSolrDestination::childKeysAndRecord() {
    auto destination = openedWithSchema();
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(
        *destination, m_plan,
        page(
            {listing(u"P2"_s, u"2024-05-01T10:00:00Z"_s, {u"M21"_s}),
             listing(
                 u"P1"_s, u"2024-05-01T10:00:00Z"_s, {u"M11"_s, u"M12"_s},
                 R"("ListPrice":100.25,"BedroomsTotal":2,"NewConstructionYN":false,"ListingContractDate":"2024-01-02","Keywords":["a"])")})));
    const ChildPlan& media = m_plan.children.first();
    const QString parent = media.table.columns.at(media.parentKeyColumn).name;
    auto rows = destination->childKeys(media.table, parent, std::nullopt, std::nullopt, 100);
    ORS_VERIFY_OK(rows);
    QCOMPARE(rows->size(), 3);
    QCOMPARE(rows->at(0).parent, QByteArray("P1"));
    QCOMPARE(rows->at(2).parent, QByteArray("P2"));
    QCOMPARE(rows->at(0).timestamp.value_or(""), QByteArray("2024-05-01T10:00:00.000Z"));
    auto after = destination->childKeys(media.table, parent, QByteArray("P1"), std::nullopt, 100);
    QCOMPARE(after->size(), 1);
    auto only = destination->childKeys(media.table, parent, std::nullopt, QByteArray("P1"), 1);
    QCOMPARE(only->size(), 2);

    auto record = destination->fetchRecord(m_plan, "P1");
    ORS_VERIFY_OK(record);
    QVERIFY(record->has_value());
    const QJsonObject r = **record;
    QCOMPARE(r.value(u"ListingKey"_s).toString(), u"P1"_s);
    QCOMPARE(r.value(u"ListPrice"_s).toString(), u"100.25"_s);
    QCOMPARE(r.value(u"BedroomsTotal"_s), QJsonValue(2));
    QCOMPARE(r.value(u"NewConstructionYN"_s), QJsonValue(0));
    QCOMPARE(r.value(u"ListingContractDate"_s).toString(), u"2024-01-02"_s);
    QCOMPARE(r.value(u"ModificationTimestamp"_s).toString(), u"2024-05-01T10:00:00.000Z"_s);
    QCOMPARE(r.value(u"Keywords"_s).toString(), u"[\"a\"]"_s);
    QVERIFY(r.contains(u"Latitude"_s) && r.value(u"Latitude"_s).isNull());
    QCOMPARE(r.value(u"Media"_s).toArray().size(), 2);
    QCOMPARE(r.value(u"Media"_s).toArray().first().toObject().value(u"MediaKey"_s).toString(), u"M11"_s);
    QCOMPARE(destination->fetchRecord(m_plan, "nope").value(), std::nullopt);
}

// Purge deletes only documents older than the key download's start (and untimestamped ones only
// when allowed), with their Media; a document changed since survives with its Media.
void TestSolrDestination::purgeGuarded() {
    auto destination = openedWithSchema();
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing(u"OLD"_s, u"2024-01-01T00:00:00Z"_s, {u"MO"_s}),
                                  listing(u"NEW"_s, u"2024-06-01T00:00:00Z"_s, {u"MN"_s}),
                                  listing(u"KEEP"_s, u"2024-01-01T00:00:00Z"_s, {u"MK"_s}),
                                  R"({"ListingKey":"NOTS","Media":[{"MediaKey":"MT"}]})"})));
    PurgeGuard guard;
    guard.olderThan = "2024-03-01T00:00:00.000Z";
    auto deleted = destination->purgeKeys(m_plan, {"OLD", "NEW", "NOTS", "ABSENT"}, guard);
    ORS_VERIFY_OK(deleted);
    QCOMPARE(*deleted, 1);
    QCOMPARE(ids(m_solr->documents(u"Property"_s)), (QStringList{u"KEEP"_s, u"NEW"_s, u"NOTS"_s}));
    QCOMPARE(ids(m_solr->documents(u"Media"_s)), (QStringList{u"MK"_s, u"MN"_s, u"MT"_s}));
    guard.untimestamped = true;
    deleted = destination->purgeKeys(m_plan, {"NEW", "NOTS"}, guard);
    QCOMPARE(deleted.value(), 1);
    QCOMPARE(ids(m_solr->documents(u"Media"_s)), (QStringList{u"MK"_s, u"MN"_s}));
}

// A Schema API refusal (400 with errors per command) names the field and Solr's reason.
void TestSolrDestination::schemaErrorNamesField() {
    m_solr->removeFieldType(u"Property"_s, u"pdate"_s);
    auto destination = make();
    ORS_VERIFY_OK(destination->open());
    auto r = destination->ensureSchema(m_plan);
    QVERIFY(!r);
    QVERIFY2(r.errorMessage().contains(u"HTTP 400"_s), qPrintable(r.errorMessage()));
    QVERIFY2(r.errorMessage().contains(
                 u"field ListingContractDate: Field 'ListingContractDate': Field type 'pdate' not found."_s),
             qPrintable(r.errorMessage()));
    QVERIFY2(r.errorMessage().contains(u"error processing commands"_s), qPrintable(r.errorMessage()));
    QVERIFY(!m_solr->fields(u"Property"_s).contains(u"ListPrice"_s)); // all or nothing

    // An existing key field of another type is refused before anything is written.
    m_solr->createCore(u"Property"_s);
    m_solr->addField(u"Property"_s, u"ListingKey"_s, u"text_general"_s);
    auto again = make();
    ORS_VERIFY_OK(again->open());
    r = again->ensureSchema(m_plan);
    QVERIFY(!r);
    QVERIFY2(r.errorMessage().contains(u"field ListingKey of core Property has type text_general"_s),
             qPrintable(r.errorMessage()));
}

// Without schema management the fake refuses unknown fields as Solr does; the message quotes it.
void TestSolrDestination::unknownFieldQuotesSolr() {
    auto destination = make();
    ORS_VERIFY_OK(destination->open());
    auto r = applyBody(*destination, m_plan, page({listing(u"L1"_s, u"2024-05-01T10:00:00Z"_s)}));
    QVERIFY(!r);
    QVERIFY2(r.errorMessage().contains(u"destination search"_s), qPrintable(r.errorMessage()));
    QVERIFY2(r.errorMessage().contains(u"HTTP 400: \"ERROR: [doc=L1] unknown field 'ListingKey'\""_s),
             qPrintable(r.errorMessage()));
}

// A value the core's (hand-made) field refuses fails only its record under applyRejecting.
void TestSolrDestination::valueRefusedRejectsRecordAlone() {
    m_solr->addField(u"Property"_s, u"ListPrice"_s, u"pint"_s);
    auto destination = openedWithSchema();
    QVERIFY(destination);
    auto rows = PageReader::read(page({listing(u"A"_s, u"2024-05-01T10:00:00Z"_s, {}, R"("ListPrice":1)"),
                                       listing(u"B"_s, u"2024-05-01T10:00:00Z"_s, {}, R"("ListPrice":2.5)"),
                                       listing(u"C"_s, u"2024-05-01T10:00:00Z"_s, {}, R"("ListPrice":3)")}),
                                 m_plan, u"test"_s);
    ORS_VERIFY_OK(rows);
    auto rejected = destination->applyRejecting(m_plan, *rows);
    ORS_VERIFY_OK(rejected);
    QCOMPARE(rejected->size(), 1);
    QCOMPARE(rejected->first().key, QByteArray("B"));
    QVERIFY2(rejected->first().reason.contains(u"Error adding field 'ListPrice'='2.5'"_s),
             qPrintable(rejected->first().reason));
    QCOMPARE(ids(m_solr->documents(u"Property"_s)), (QStringList{u"A"_s, u"C"_s}));
}

void TestSolrDestination::transientFaultRetriedPersistentReported() {
    auto destination = openedWithSchema();
    QVERIFY(destination);
    m_solr->injectFault({u"Property"_s, u"update"_s, 500, u"Server is shutting down"_s, 1});
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing(u"L1"_s, u"2024-05-01T10:00:00Z"_s)})));
    QCOMPARE(m_solr->documents(u"Property"_s).size(), 1);
    m_solr->injectFault({u"Property"_s, u"update"_s, 503, u"Server is shutting down"_s, 10});
    auto r = applyBody(*destination, m_plan, page({listing(u"L2"_s, u"2024-05-01T10:00:00Z"_s)}));
    QVERIFY(!r);
    QVERIFY2(r.errorMessage().contains(u"HTTP 503"_s) &&
                 r.errorMessage().contains(u"Server is shutting down"_s),
             qPrintable(r.errorMessage()));
    QVERIFY2(r.errorMessage().contains(u"gave up after 3 attempts"_s), qPrintable(r.errorMessage()));
}

void TestSolrDestination::missingCore() {
    DestinationConfig config;
    config.name = u"search"_s;
    config.type = DestinationType::Solr;
    config.url = m_solr->baseUrl();
    config.core = u"{source}_{table}"_s;
    SolrDestination destination(config, u"mls"_s);
    QCOMPARE(destination.coreOf(u"Property"_s), u"mls_Property"_s);
    ORS_VERIFY_OK(destination.open());
    auto r = destination.ensureSchema(m_plan);
    QVERIFY(!r);
    QVERIFY2(r.errorMessage().contains(u"Solr has no core \"mls_Property\""_s) &&
                 r.errorMessage().contains(u"bin/solr create -c mls_Property"_s),
             qPrintable(r.errorMessage()));
    // Reads of a missing core are empty, as of a missing table.
    QCOMPARE(destination.count(m_plan.table).value(), 0);
    QVERIFY(destination.keysAfter(m_plan.table, std::nullopt, 10, {}).value().isEmpty());
}

// Connection refused names the URL and never the password.
void TestSolrDestination::serverDown() {
    const QString url = m_solr->baseUrl();
    m_solr.reset();
    auto destination = make(url, u"indexer"_s, u"s3cret-pw"_s);
    ORS_VERIFY_OK(destination->open());
    auto r = destination->ensureSchema(m_plan);
    QVERIFY(!r);
    QVERIFY2(r.errorMessage().contains(u"Solr at %1 cannot be reached"_s.arg(url)),
             qPrintable(r.errorMessage()));
    QVERIFY2(r.errorMessage().contains(u"Connection refused"_s), qPrintable(r.errorMessage()));
    QVERIFY(!r.errorMessage().contains(u"s3cret"_s));
    QVERIFY(!r.errorMessage().contains(QString::fromLatin1(QByteArray("indexer:s3cret-pw").toBase64())));
}

void TestSolrDestination::basicAuth() {
    m_solr->requireBasicAuth(u"indexer"_s, u"s3cret-pw"_s);
    auto good = openWithSchema(make({}, u"indexer"_s, u"s3cret-pw"_s), m_plan);
    QVERIFY(good);
    ORS_VERIFY_OK(applyBody(*good, m_plan, page({listing(u"L1"_s, u"2024-05-01T10:00:00Z"_s)})));
    auto bad = make({}, u"indexer"_s, u"wrong-pw"_s);
    ORS_VERIFY_OK(bad->open());
    auto r = bad->count(m_plan.table);
    QVERIFY(!r);
    QVERIFY2(r.errorMessage().contains(u"HTTP 401: \"require authentication\""_s),
             qPrintable(r.errorMessage()));
    QVERIFY(!r.errorMessage().contains(u"wrong-pw"_s));
}

// A core whose uniqueKey is the resource's key field (made by hand) works as well, without id.
void TestSolrDestination::uniqueKeyNamedAfterKey() {
    m_solr->createCore(u"Property"_s, u"ListingKey"_s);
    auto destination = openedWithSchema();
    QVERIFY(destination);
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan, page({listing(u"L1"_s, u"2024-05-01T10:00:00Z"_s, {u"M1"_s})})));
    QVERIFY(!m_solr->document(u"Property"_s, u"L1"_s).contains(u"id"_s));
    QCOMPARE(destination->keysAfter(m_plan.table, std::nullopt, 10, {}).value().size(), 1);
    ORS_VERIFY_OK(destination->deleteKeys(m_plan, {"L1"}));
    QVERIFY(m_solr->documents(u"Property"_s).isEmpty());
    QVERIFY(m_solr->documents(u"Media"_s).isEmpty());
}

// manageSchema: false. Cores holding every field of the plan pass with reads only (GET
// schema/uniquekey and schema/fields), and the destination then writes to them.
void TestSolrDestination::checkSchemaPassesReadingOnly() {
    QVERIFY(openedWithSchema()); // the fields, as a user (or an earlier managed run) made them
    m_solr->clearRequests();
    auto destination = make();
    ORS_VERIFY_OK(destination->open());
    ORS_VERIFY_OK(destination->checkSchema(m_plan));
    QVERIFY(!m_solr->requests().isEmpty());
    for (const auto& r : m_solr->requests())
        QVERIFY2(r.method == u"GET"_s && r.path.startsWith(u"schema/"_s),
                 qPrintable(r.method + u' ' + r.path));
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan, page({listing(u"L1"_s, u"2024-05-01T10:00:00Z"_s, {u"M1"_s})})));
    QCOMPARE(ids(m_solr->documents(u"Property"_s)), QStringList{u"L1"_s});
    QCOMPARE(ids(m_solr->documents(u"Media"_s)), QStringList{u"M1"_s});
}

// A plan with fields the cores lack (metadata grew, say): one message names every missing field
// of every core, and nothing is added.
void TestSolrDestination::checkSchemaNamesMissingFields() {
    QVERIFY(openedWithSchema());
    ResourcePlan grown = m_plan;
    for (const QString& name : {u"NewFieldA"_s, u"NewFieldB"_s}) {
        ColumnPlan column = grown.table.columns.at(grown.table.columnIndex(u"ListingId"_s));
        column.name = name;
        column.field.name = name;
        grown.table.addColumn(column);
    }
    ColumnPlan caption =
        grown.children.first().table.columns.at(grown.children.first().table.columnIndex(u"MediaKey"_s));
    caption.name = u"Caption"_s;
    caption.field.name = u"Caption"_s;
    grown.children.first().table.addColumn(caption);
    const auto before = m_solr->fields(u"Property"_s);
    m_solr->clearRequests();
    auto destination = make();
    ORS_VERIFY_OK(destination->open());
    auto r = destination->checkSchema(grown);
    QVERIFY(!r);
    const QString message = r.errorMessage();
    QVERIFY2(message.contains(u"destination search (solr "_s), qPrintable(message));
    QVERIFY2(message.contains(u"does not manage its schema (manageSchema: false)"_s), qPrintable(message));
    QVERIFY2(message.contains(u"core Property lacks the fields NewFieldA, NewFieldB"_s), qPrintable(message));
    QVERIFY2(message.contains(u"core Media lacks the fields Caption"_s), qPrintable(message));
    QVERIFY2(!message.contains(u"ListingId"_s), qPrintable(message)); // present fields are not named
    QCOMPARE(schemaPosts(), 0);
    QCOMPARE(m_solr->fields(u"Property"_s).keys(), before.keys());
    QVERIFY(!m_solr->fields(u"Media"_s).contains(u"Caption"_s));
}

// A core that does not exist is named with its table, beside another core's missing fields;
// no core is created and no field added.
void TestSolrDestination::checkSchemaNamesMissingCore() {
    m_solr->createCore(u"mls_Property"_s);
    m_solr->addField(u"mls_Property"_s, u"ListingKey"_s, u"string"_s);
    m_solr->addField(u"mls_Property"_s, u"ModificationTimestamp"_s, u"pdate"_s);
    DestinationConfig config;
    config.name = u"search"_s;
    config.type = DestinationType::Solr;
    config.url = m_solr->baseUrl();
    config.core = u"{source}_{table}"_s;
    SolrDestination destination(config, u"mls"_s);
    ORS_VERIFY_OK(destination.open());
    m_solr->clearRequests();
    auto r = destination.checkSchema(m_plan);
    QVERIFY(!r);
    const QString message = r.errorMessage();
    QVERIFY2(message.contains(u"Solr has no core \"mls_Media\" for table Media"_s), qPrintable(message));
    QVERIFY2(message.contains(u"core mls_Property lacks the fields ListingId, PublicRemarks"_s),
             qPrintable(message));
    QVERIFY2(!message.contains(u"fields ListingKey"_s) && !message.contains(u", ModificationTimestamp"_s),
             qPrintable(message));
    QCOMPARE(schemaPosts(), 0);
    QVERIFY(m_solr->fields(u"mls_Media"_s).isEmpty());
    QCOMPARE(m_solr->fields(u"mls_Property"_s).size(), 6); // id, _version_, _root_, _text_ and the two
}

// A key field of another type than string is reported as well: keys are compared in byte order.
void TestSolrDestination::checkSchemaRefusesKeyType() {
    QVERIFY(openedWithSchema());
    m_solr->createCore(u"Media"_s); // made afresh by hand, its parent key a text field
    m_solr->addField(u"Media"_s, u"ListingKey"_s, u"text_general"_s);
    auto destination = make();
    ORS_VERIFY_OK(destination->open());
    auto r = destination->checkSchema(m_plan);
    QVERIFY(!r);
    QVERIFY2(r.errorMessage().contains(u"field ListingKey of core Media has type text_general; a key needs "
                                       u"the type string"_s),
             qPrintable(r.errorMessage()));
    QVERIFY2(r.errorMessage().contains(u"core Media lacks the fields MediaKey"_s),
             qPrintable(r.errorMessage()));
}

// Through the field mapping (manageSchema: false with a rename), ensureSchema only checks, under
// the mapped names: the renamed field is missing until the user adds it, then records write to it.
void TestSolrDestination::unmanagedMappingChecksMappedNames() {
    QVERIFY(openedWithSchema());
    MappingConfig mapping;
    mapping.keyPath = u"sources[0].destinations[0]"_s;
    mapping.manageSchema = false;
    mapping.rename.append({u"ListPrice"_s, u"Price"_s});
    auto destination = withMapping(make(), mapping, u"mls"_s);
    ORS_VERIFY_OK(destination->open());
    m_solr->clearRequests();
    auto r = destination->ensureSchema(m_plan);
    QVERIFY(!r);
    QVERIFY2(r.errorMessage().contains(u"core Property lacks the fields Price;"_s),
             qPrintable(r.errorMessage()));
    QCOMPARE(schemaPosts(), 0);
    QVERIFY(!m_solr->fields(u"Property"_s).contains(u"Price"_s));

    m_solr->addField(u"Property"_s, u"Price"_s, u"pdouble"_s);
    ORS_VERIFY_OK(destination->ensureSchema(m_plan));
    QCOMPARE(schemaPosts(), 0);
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan,
                  page({listing(u"L1"_s, u"2024-05-01T10:00:00Z"_s, {}, R"("ListPrice":250000.5)")})));
    QCOMPARE(m_solr->document(u"Property"_s, u"L1"_s).value(u"Price"_s).toDouble(), 250000.5);
    QVERIFY(!m_solr->document(u"Property"_s, u"L1"_s).contains(u"ListPrice"_s));
}

QTEST_GUILESS_MAIN(TestSolrDestination)
#include "tst_solrdestination.moc"
