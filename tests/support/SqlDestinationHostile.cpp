// Metadata made to inject SQL, and metadata too wide or odd for a table: every destination either
// creates a schema with safely quoted identifiers and stores the values under them, or refuses the
// entity with a message; never does an identifier run as a statement (a canary table survives).
#include "SqlDestinationCases.h"

#include "DestinationCases.h"
#include "reso/MetadataParser.h"

#include <QTest>

namespace ors::test {

using namespace Qt::StringLiterals;

namespace {

QString xmlAttribute(const QString& text) {
    QString out = text.toHtmlEscaped(); // & < > "
    return out.replace(QLatin1Char('\''), u"&apos;"_s);
}

QByteArray edmx(const QStringList& properties) {
    QByteArray xml = "<?xml version='1.0' encoding='UTF-8'?>\n"
                     "<edmx:Edmx Version='4.0' xmlns:edmx='http://docs.oasis-open.org/odata/ns/edmx'>"
                     "<edmx:DataServices><Schema Namespace='org.reso.metadata' "
                     "xmlns='http://docs.oasis-open.org/odata/ns/edm'><EntityType Name='Property'>"
                     "<Key><PropertyRef Name='ListingKey'/></Key>"
                     "<Property Name='ListingKey' Type='Edm.String' MaxLength='255'/>"
                     "<Property Name='ModificationTimestamp' Type='Edm.DateTimeOffset'/>";
    for (const QString& property : properties)
        xml += property.toUtf8();
    xml += "</EntityType><EntityContainer Name='RESO'><EntitySet Name='Property' "
           "EntityType='org.reso.metadata.Property'/></EntityContainer></Schema></edmx:DataServices></"
           "edmx:Edmx>";
    return xml;
}

// Field names that would end a quoted identifier in one SQL dialect or another.
const QStringList kHostileNames = {
    u"Evil\"; DROP TABLE canary; --"_s,
    u"Back`tick`); DROP TABLE canary;#"_s,
    u"Quote'); DROP TABLE canary; --"_s,
    u"Bracket]; DROP TABLE canary"_s,
    u"Semi;colon"_s,
    u"Spa ce"_s,
    u"Back\\slash"_s,
    u"Ünïcödé名前"_s,
};

// Names a table can have, that are keywords of SQL.
const QStringList kKeywordNames = {u"select"_s, u"Order"_s, u"GROUP"_s, u"Table"_s,  u"Key"_s,
                                   u"Index"_s,  u"from"_s,  u"Where"_s, u"Default"_s};

} // namespace

void SqlDestinationCases::hostileMetadata() {
    QVERIFY2(m_backend->exec(u"CREATE TABLE canary (x INTEGER)"_s), qPrintable(m_backend->lastError()));
    // Each hostile name refuses the entity, naming the field, before anything reaches a database.
    for (const QString& name : kHostileNames) {
        const QByteArray xml = edmx(
            {u"<Property Name=\"%1\" Type=\"Edm.String\" MaxLength=\"100\"/>"_s.arg(xmlAttribute(name))});
        const Expected<Metadata> metadata = MetadataParser::parse(xml, u"hostile.xml"_s);
        ORS_VERIFY_OK(metadata);
        const Expected<ResourcePlan> plan = planFor(*metadata, u"Property"_s, {});
        QVERIFY2(!plan, qPrintable(name));
        QVERIFY2(plan.errorMessage().contains(u"field Property.%1 cannot be a column name"_s.arg(name)),
                 qPrintable(plan.errorMessage()));
    }
    // Keywords are quoted: the table has them as columns and stores their values. A type no
    // dictionary has is kept as text.
    // The later declaration of a name stands (the earlier Int32 "Order" gives way to text).
    QStringList properties{u"<Property Name=\"Order\" Type=\"Edm.Int32\"/>"_s};
    for (const QString& name : kKeywordNames)
        properties.append(u"<Property Name=\"%1\" Type=\"Edm.String\" MaxLength=\"100\"/>"_s.arg(name));
    properties.append(u"<Property Name=\"Weird\" Type=\"Edm.Frobnicate\"/>"_s);
    const Expected<Metadata> metadata = MetadataParser::parse(edmx(properties), u"keywords.xml"_s);
    ORS_VERIFY_OK(metadata);
    const Expected<ResourcePlan> plan = planFor(*metadata, u"Property"_s, {});
    ORS_VERIFY_OK(plan);
    std::unique_ptr<Destination> destination = openWithSchema(m_backend->create(), *plan);
    QVERIFY(destination);
    QByteArray record = "{\"ListingKey\":\"H-1\",\"ModificationTimestamp\":\"2024-05-01T10:00:00Z\"";
    for (const QString& name : kKeywordNames)
        record += "," + jsonString(name) + ":" + jsonString(u"value of "_s + name);
    record += ",\"Weird\":\"frob\"}";
    ORS_VERIFY_OK(applyBody(*destination, *plan, page({record})));
    for (const QString& name : kKeywordNames) {
        const QString column = plan->table.columnFor(name);
        QVERIFY2(!column.isEmpty(), qPrintable(name));
        QCOMPARE(m_backend->storedText(u"Property"_s, column, u"ListingKey"_s, u"H-1"_s),
                 u"value of "_s + name);
    }
    QCOMPARE(
        m_backend->storedText(u"Property"_s, plan->table.columnFor(u"Weird"_s), u"ListingKey"_s, u"H-1"_s),
        u"frob"_s);
    QCOMPARE(m_backend->count(u"canary"_s), 0); // still there: count() of a missing table fails
    QVERIFY2(m_backend->lastError().isEmpty(), qPrintable(m_backend->lastError()));
}

// 5,000 fields in one entity: SQLite allows 2,000 columns, MariaDB 4,096 and a row of 65,535
// bytes, PostgreSQL 1,600 columns. Each destination stores the record (fields beyond what the
// table can hold kept in _overflow) or refuses the entity with a message naming it.
void SqlDestinationCases::fiveThousandFields() {
    QStringList properties;
    for (int i = 0; i < 5000; ++i)
        properties.append(u"<Property Name=\"F%1\" Type=\"Edm.String\" MaxLength=\"20\"/>"_s.arg(
            i, 4, 10, QLatin1Char('0')));
    const Expected<Metadata> metadata = MetadataParser::parse(edmx(properties), u"wide.xml"_s);
    ORS_VERIFY_OK(metadata);
    const Expected<ResourcePlan> plan = planFor(*metadata, u"Property"_s, {});
    ORS_VERIFY_OK(plan);
    std::unique_ptr<Destination> destination = m_backend->create();
    ORS_VERIFY_OK(destination->open());
    const Expected<void> schema = destination->ensureSchema(*plan);
    if (m_backend->name() == u"sqlite") {
        QVERIFY(!schema);
        QCOMPARE(schema.errorMessage(),
                 u"destination test: table Property would need 5002 columns, more than SQLite allows (2000); "
                 "leave fields out with the resource's \"select\", or write it to a MySQL/MariaDB or "
                 "PostgreSQL destination, which keeps the rest in _overflow"_s);
        return;
    }
    ORS_VERIFY_OK(schema);
    QByteArray record = "{\"ListingKey\":\"W-1\",\"ModificationTimestamp\":\"2024-05-01T10:00:00Z\"";
    for (int i = 0; i < 5000; i += 7)
        record +=
            ",\"F" + QByteArray::number(i).rightJustified(4, '0') + "\":\"v" + QByteArray::number(i) + "\"";
    record += "}";
    ORS_VERIFY_OK(applyBody(*destination, *plan, page({record})));
    QCOMPARE(m_backend->count(u"Property"_s), 1);
    const QStringList problems = m_backend->check(plan->table, u"W-1"_s,
                                                  {{u"F0000"_s, u"text"_s, u"v0"_s},
                                                   {u"F4998"_s, u"text"_s, u"v4998"_s},
                                                   {u"F4999"_s, u"null"_s, u"NULL"_s}});
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

} // namespace ors::test
