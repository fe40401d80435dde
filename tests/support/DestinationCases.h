#pragma once

// Rows and metadata every destination's tests use (SqlDestinationCases and each backend's own
// suite), so every backend is held to the same value contract.

#include <QByteArray>
#include <QByteArrayList>
#include <QJsonArray>
#include <QJsonDocument>
#include <QString>
#include <QStringList>
#include <QTest>

namespace ors::test {

using namespace Qt::StringLiterals;

// A Property with one field of every storage kind and an owned Media collection. Attributes use
// single quotes: moc mis-tokenizes '"' followed by "//" inside a raw string literal.
// <!--P--> and <!--M--> mark where the metadata-growth test adds fields.
inline const QByteArray kEdmx = R"EDMX(<?xml version='1.0' encoding='UTF-8'?>
<edmx:Edmx Version='4.0' xmlns:edmx='http://docs.oasis-open.org/odata/ns/edmx'>
  <edmx:DataServices>
    <Schema Namespace='org.reso.metadata' xmlns='http://docs.oasis-open.org/odata/ns/edm'>
      <EntityType Name='Property'>
        <Key><PropertyRef Name='ListingKey'/></Key>
        <Property Name='ListingKey' Type='Edm.String' MaxLength='255'/>
        <Property Name='ListingId' Type='Edm.String' MaxLength='50'/>
        <Property Name='PublicRemarks' Type='Edm.String'/>
        <Property Name='BedroomsTotal' Type='Edm.Int32'/>
        <Property Name='BigNumber' Type='Edm.Int64'/>
        <Property Name='ListPrice' Type='Edm.Decimal' Precision='14' Scale='2'/>
        <Property Name='PreciseRatio' Type='Edm.Decimal' Precision='28' Scale='10'/>
        <Property Name='LotSizeAcres' Type='Edm.Decimal'/>
        <Property Name='Latitude' Type='Edm.Double'/>
        <Property Name='NewConstructionYN' Type='Edm.Boolean'/>
        <Property Name='ListingContractDate' Type='Edm.Date'/>
        <Property Name='ModificationTimestamp' Type='Edm.DateTimeOffset' Precision='27'/>
        <Property Name='StandardStatus' Type='org.reso.metadata.enums.StandardStatus'/>
        <Property Name='Appliances' Type='org.reso.metadata.enums.Appliances'/>
        <Property Name='Keywords' Type='Collection(Edm.String)'/>
        <Property Name='Address' Type='org.reso.metadata.Address'/>
        <Property Name='Coordinates' Type='Edm.GeographyPoint'/>
        <!--P-->
        <NavigationProperty Name='Media' Type='Collection(org.reso.metadata.Media)'/>
      </EntityType>
      <ComplexType Name='Address'>
        <Property Name='StreetNumber' Type='Edm.String'/>
        <Property Name='City' Type='Edm.String'/>
        <Property Name='PostalCode' Type='Edm.String'/>
      </ComplexType>
      <EntityType Name='Media'>
        <Key><PropertyRef Name='MediaKey'/></Key>
        <Property Name='MediaKey' Type='Edm.String' MaxLength='255'/>
        <Property Name='MediaURL' Type='Edm.String' MaxLength='8000'/>
        <Property Name='Order' Type='Edm.Int32'/>
        <Property Name='ModificationTimestamp' Type='Edm.DateTimeOffset'/>
        <!--M-->
      </EntityType>
      <EntityContainer Name='Default'>
        <EntitySet Name='Property' EntityType='org.reso.metadata.Property'/>
        <EntitySet Name='Media' EntityType='org.reso.metadata.Media'/>
      </EntityContainer>
    </Schema>
    <Schema Namespace='org.reso.metadata.enums' xmlns='http://docs.oasis-open.org/odata/ns/edm'>
      <EnumType Name='StandardStatus'>
        <Member Name='Active' Value='0'/><Member Name='ActiveUnderContract' Value='1'/><Member Name='Closed' Value='2'/>
      </EnumType>
      <EnumType Name='Appliances' IsFlags='true'>
        <Member Name='Dishwasher' Value='1'/><Member Name='Refrigerator' Value='2'/><Member Name='Oven' Value='4'/>
      </EnumType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
)EDMX";

// The JSON text of a string value, escapes and all.
inline QByteArray jsonString(const QString& text) {
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

inline QByteArray page(const QByteArrayList& records) {
    return "{\"@odata.context\":\"$metadata#Property\",\"value\":[" + records.join(',') + "]}";
}

// The round-trip cases of the value contract: columns field (of kEdmx's Property), json (the
// value as the server sends it), type (SQLite's typeof() of the stored value: text, integer,
// real, null), expected (its text form) and isJson (compare parsed JSON, not text).
inline void addRoundTripRows() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("isJson");

    const auto text = [](const char* tag, const char* field, const QByteArray& json,
                         const QString& expected) {
        QTest::newRow(tag) << QString::fromLatin1(field) << json << u"text"_s << expected << false;
    };
    const auto integer = [](const char* tag, const char* field, const QByteArray& json) {
        QTest::newRow(tag) << QString::fromLatin1(field) << json << u"integer"_s << QString::fromLatin1(json)
                           << false;
    };
    const auto json = [](const char* tag, const char* field, const QByteArray& value) {
        QTest::newRow(tag) << QString::fromLatin1(field) << value << u"text"_s << QString::fromUtf8(value)
                           << true;
    };
    const auto null = [](const char* tag, const char* field) {
        QTest::newRow(tag) << QString::fromLatin1(field) << QByteArray("null") << u"null"_s << QString()
                           << false;
    };

    // Strings, bounded and unbounded.
    text("string short", "ListingId", "\"ABC-123\"", u"ABC-123"_s);
    text("string unicode", "PublicRemarks",
         "\"Café 🏡 — naïve e\u0301 日本語 👨‍👩‍👧 Ω\"",
         QString::fromUtf8("Café 🏡 — naïve e\u0301 日本語 👨‍👩‍👧 Ω"));
    text("string json escapes", "PublicRemarks", "\"\\u00e9\\ud83c\\udfe1e\\u0301\\u0041\\/\"",
         QString::fromUtf8("é🏡e\u0301A/"));
    text("string quotes", "PublicRemarks", "\"It's a \\\"great\\\" home, isn''t it\"",
         u"It's a \"great\" home, isn''t it"_s);
    text("string backslashes", "PublicRemarks", "\"C:\\\\Users\\\\agent \\\\n not a newline \\\\\"",
         u"C:\\Users\\agent \\n not a newline \\"_s);
    text("string newlines", "PublicRemarks", "\"line 1\\nline 2\\r\\n\\tindented\\u000b\"",
         u"line 1\nline 2\r\n\tindented\u000b"_s);
    text("string sql", "ListingId", "\"'); DROP TABLE Property; --\"", u"'); DROP TABLE Property; --"_s);
    text("string empty", "PublicRemarks", "\"\"", QString());
    text("string empty bounded", "ListingId", "\"\"", QString());
    text("string nul", "PublicRemarks", "\"a\\u0000b\"", QString(u"a\0b"_s));
    null("string null", "PublicRemarks");
    {
        const QString longText = QString(u"Spacious ✓ home. "_s).repeated(6000);
        text("string 100k", "PublicRemarks", jsonString(longText), longText);
    }

    // Integers, including beyond 2^53.
    integer("int32", "BedroomsTotal", "3");
    integer("int32 zero", "BedroomsTotal", "0");
    integer("int32 min", "BedroomsTotal", "-2147483648");
    integer("int64 above 2^53", "BigNumber", "9007199254740993");
    integer("int64 max", "BigNumber", "9223372036854775807");
    integer("int64 min", "BigNumber", "-9223372036854775808");
    null("int null", "BedroomsTotal");

    // Decimals keep the server's digits.
    text("decimal 14,2", "ListPrice", "123456789012.34", u"123456789012.34"_s);
    text("decimal trailing zero", "ListPrice", "0.10", u"0.10"_s);
    text("decimal whole", "ListPrice", "450000.00", u"450000.00"_s);
    text("decimal negative", "ListPrice", "-0.01", u"-0.01"_s);
    text("decimal 28,10", "PreciseRatio", "123456789012345678.1234567891",
         u"123456789012345678.1234567891"_s);
    text("decimal 28,10 tiny", "PreciseRatio", "0.0000000001", u"0.0000000001"_s);
    text("decimal unbounded 38 digits", "LotSizeAcres", "12345678901234567890123456789.123456789",
         u"12345678901234567890123456789.123456789"_s);
    // An exponent is expanded into plain digits, exactly (never through a double).
    text("decimal exponent", "LotSizeAcres", "1.5E+3", u"1500"_s);
    text("decimal tiny exponent", "LotSizeAcres", "1e-7", u"0.0000001"_s);
    text("decimal negative exponent", "LotSizeAcres", "-2.5e-3", u"-0.0025"_s);
    text("decimal exponent many digits", "LotSizeAcres", "-0.5e-10", u"-0.00000000005"_s);
    text("decimal exponent plus", "LotSizeAcres", "12.5e+1", u"125"_s);
    text("decimal exponent beyond a double", "PreciseRatio", "1234567890123456789012345e-7",
         u"123456789012345678.9012345"_s);
    text("decimal exponent as string", "LotSizeAcres", "\"1e-7\"", u"0.0000001"_s);
    text("decimal exponent within scale", "ListPrice", "4.5E5", u"450000"_s);
    text("decimal as string", "LotSizeAcres", "\"12.50\"", u"12.50"_s);
    text("decimal zero", "LotSizeAcres", "0", u"0"_s);
    text("decimal whitespace", "LotSizeAcres", " 0.25 ", u"0.25"_s);
    null("decimal null", "ListPrice");

    // Doubles are binary floating point by definition: they come back bit for bit.
    QTest::newRow("double") << u"Latitude"_s << QByteArray("37.7749") << u"real"_s << u"37.7749"_s << false;
    QTest::newRow("double negative") << u"Latitude"_s << QByteArray("-122.4194") << u"real"_s
                                     << u"-122.4194"_s << false;
    QTest::newRow("double max") << u"Latitude"_s << QByteArray("1.7976931348623157e308") << u"real"_s
                                << u"1.7976931348623157e308"_s << false;
    QTest::newRow("double integral") << u"Latitude"_s << QByteArray("42") << u"real"_s << u"42"_s << false;

    QTest::newRow("boolean true") << u"NewConstructionYN"_s << QByteArray("true") << u"integer"_s << u"1"_s
                                  << false;
    QTest::newRow("boolean false") << u"NewConstructionYN"_s << QByteArray("false") << u"integer"_s << u"0"_s
                                   << false;
    null("boolean null", "NewConstructionYN");

    text("date", "ListingContractDate", "\"2024-05-01\"", u"2024-05-01"_s);
    text("date old", "ListingContractDate", "\"1899-12-31\"", u"1899-12-31"_s);

    // Timestamps: UTC, milliseconds (truncated, never rounded), Z.
    text("timestamp ms Z", "ModificationTimestamp", "\"2024-05-01T10:00:00.123Z\"",
         u"2024-05-01T10:00:00.123Z"_s);
    text("timestamp no fraction", "ModificationTimestamp", "\"2024-05-01T10:00:00Z\"",
         u"2024-05-01T10:00:00.000Z"_s);
    text("timestamp one digit", "ModificationTimestamp", "\"2024-05-01T10:00:00.1Z\"",
         u"2024-05-01T10:00:00.100Z"_s);
    text("timestamp 7 digits", "ModificationTimestamp", "\"2024-05-01T10:00:00.1234567Z\"",
         u"2024-05-01T10:00:00.123Z"_s);
    text("timestamp truncated", "ModificationTimestamp", "\"2024-05-01T23:59:59.9999999Z\"",
         u"2024-05-01T23:59:59.999Z"_s);
    text("timestamp +02:00", "ModificationTimestamp", "\"2024-05-01T12:00:00.5+02:00\"",
         u"2024-05-01T10:00:00.500Z"_s);
    text("timestamp -05:00 year rollover", "ModificationTimestamp", "\"2024-12-31T23:30:00.250-05:00\"",
         u"2025-01-01T04:30:00.250Z"_s);
    text("timestamp +05:30 leap day", "ModificationTimestamp", "\"2024-03-01T01:00:00.0001+05:30\"",
         u"2024-02-29T19:30:00.000Z"_s);
    text("timestamp +00:00", "ModificationTimestamp", "\"2024-05-01T10:00:00.123+00:00\"",
         u"2024-05-01T10:00:00.123Z"_s);
    null("timestamp null", "ModificationTimestamp");

    // Enums exactly as sent.
    text("enum", "StandardStatus", "\"ActiveUnderContract\"", u"ActiveUnderContract"_s);
    text("enum flags", "Appliances", "\"Dishwasher,Refrigerator\"", u"Dishwasher,Refrigerator"_s);
    text("enum flags spaced", "Appliances", "\"Dishwasher, Oven\"", u"Dishwasher, Oven"_s);
    text("enum flags single", "Appliances", "\"Oven\"", u"Oven"_s);
    text("enum flags none", "Appliances", "\"\"", QString());

    // Collections, complex values and geography as JSON text.
    json("collection", "Keywords", "[\"Pool\",\"View \\\"ocean\\\"\",\"🏡\",\"back\\\\slash\"]");
    json("collection empty", "Keywords", "[]");
    json("collection spaced", "Keywords", "[ \"a\" , \"b\" ]");
    null("collection null", "Keywords");
    json("complex", "Address", "{\"StreetNumber\":\"12\",\"City\":\"Zürich\",\"PostalCode\":null}");
    json("geography", "Coordinates",
         "{\"type\":\"Point\",\"coordinates\":[-122.4194,37.7749],"
         "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:4326\"}}}");
}

// Decimals with more fractional digits than their column's Scale, as real servers send them (a
// Latitude with 12 digits against Scale 8): every destination stores them rounded to the Scale,
// half away from zero, digit by digit. Columns: field (of kEdmx's Property), json, expected.
inline void addScaleRoundingRows() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char* tag, const char* field, const QByteArray& json, const char* expected) {
        QTest::newRow(tag) << QString::fromLatin1(field) << json << QString::fromLatin1(expected);
    };
    row("half rounds up", "ListPrice", "1.235", "1.24");
    row("half away from zero, negative", "ListPrice", "-1.235", "-1.24");
    row("below half rounds down", "ListPrice", "1.2349999999", "1.23");
    row("carry", "ListPrice", "9.995", "10.00");
    row("carry into a new digit", "ListPrice", "99999.999", "100000.00");
    row("rounds to zero, no sign", "ListPrice", "-0.004", "0.00");
    row("as a string", "ListPrice", "\"2.345\"", "2.35");
    row("exponent, then rounded", "PreciseRatio", "1.23456789012345e-2", "0.0123456789");
    row("latitude-like, 15 digits against 10", "PreciseRatio", "37.774912345678905", "37.7749123457");
    row("beyond a double", "PreciseRatio", "123456789012345678.12345678905", "123456789012345678.1234567891");
}

// Values a hostile (or broken) server could send, one field of every storage class, each meant
// to end a quoted SQL string and start a statement of its own. Columns: field (of kEdmx's
// Property), json (the value as sent), refused (the value does not parse as the field's type:
// the page is refused naming record and field) and expected (the text stored when accepted).
// The suites check that nothing but the intended row changed (the canary table survives).
inline void addHostileRows() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("refused");
    QTest::addColumn<QString>("expected");

    const QString drop = u"'); DROP TABLE canary; -- "_s;
    const auto stored = [](const char* tag, const char* field, const QString& value) {
        QTest::newRow(tag) << QString::fromLatin1(field) << jsonString(value) << false << value;
    };
    const auto refused = [](const char* tag, const char* field, const QByteArray& json) {
        QTest::newRow(tag) << QString::fromLatin1(field) << json << true << QString();
    };
    stored("text", "ListingId", drop);
    stored("text backslash quote", "ListingId", u"\\'; DROP TABLE canary; #"_s);
    stored("long text", "PublicRemarks", u"x\\\\'),(1); DROP TABLE canary; /* */ -- \n"_s + drop);
    stored("long text comment close", "PublicRemarks", u"*/DROP TABLE canary;#"_s);
    stored("enum", "StandardStatus", u"Active'; DROP TABLE canary; --"_s);
    stored("flags enum", "Appliances", u"Oven,'); DROP TABLE canary; --"_s);
    QTest::newRow("json collection") << u"Keywords"_s << QByteArray("[\"'); DROP TABLE canary; -- \"]")
                                     << false << u"[\"'); DROP TABLE canary; -- \"]"_s;
    refused("integer", "BedroomsTotal", jsonString(u"1); DROP TABLE canary; --"_s));
    refused("integer or", "BigNumber", jsonString(u"0 OR 1=1"_s));
    refused("decimal", "ListPrice", jsonString(u"1'); DROP TABLE canary; --"_s));
    refused("decimal exponent", "LotSizeAcres", jsonString(u"1e1); DROP TABLE canary; --"_s));
    refused("real", "Latitude", jsonString(u"1.5); DROP TABLE canary; --"_s));
    refused("real inf", "Latitude", jsonString(u"inf"_s));
    refused("real nan", "Latitude", jsonString(u"nan"_s));
    refused("boolean", "NewConstructionYN", jsonString(u"true'); DROP TABLE canary; --"_s));
    refused("date", "ListingContractDate", jsonString(u"2024-01-01'); DROP TABLE canary; --"_s));
    refused("date impossible", "ListingContractDate", jsonString(u"2024-02-30"_s));
    // 24 characters, T at 10 and Z at 23: the shape MySQL's writer once pasted unescaped.
    refused("timestamp shaped", "ModificationTimestamp", jsonString(u"2024-01-01T00',NULL);/*Z"_s));
    refused("timestamp suffix", "ModificationTimestamp",
            jsonString(u"2024-01-01T10:00:00.000Z'; DROP TABLE canary; --"_s));
    refused("timestamp as object", "ModificationTimestamp",
            QByteArray("{\"a\":\"');DROP TABLE canary;--\"}"));
}

// Field names that differ only in case, as real servers send them, a derived type redeclaring
// a base property, a field named like a twin's suffix, and a child with a twin of the parent's
// key. Columns (SchemaPlanner::columnNames): ListingKey, City, Remarks, modificationTimestamp,
// remarks_2, ModificationTimestamp_2, REMARKS_3, remarks_2_2; Media: MediaKey, listingkey,
// ModificationTimestamp, and the parent key ListingKey_2.
inline const QByteArray kCaseTwinEdmx = R"EDMX(<?xml version='1.0' encoding='UTF-8'?>
<edmx:Edmx Version='4.0' xmlns:edmx='http://docs.oasis-open.org/odata/ns/edmx'>
  <edmx:DataServices>
    <Schema Namespace='org.reso.metadata' xmlns='http://docs.oasis-open.org/odata/ns/edm'>
      <EntityType Name='ListingBase'>
        <Key><PropertyRef Name='ListingKey'/></Key>
        <Property Name='ListingKey' Type='Edm.String' MaxLength='255'/>
        <Property Name='City' Type='Edm.String' MaxLength='10'/>
      </EntityType>
      <EntityType Name='Property' BaseType='org.reso.metadata.ListingBase'>
        <Property Name='City' Type='Edm.String' MaxLength='50'/>
        <Property Name='Remarks' Type='Edm.String'/>
        <Property Name='modificationTimestamp' Type='Edm.DateTimeOffset'/>
        <Property Name='remarks' Type='Edm.String' MaxLength='50'/>
        <Property Name='ModificationTimestamp' Type='Edm.DateTimeOffset'/>
        <Property Name='REMARKS' Type='Edm.Int32'/>
        <Property Name='remarks_2' Type='Edm.String' MaxLength='20'/>
        <NavigationProperty Name='Media' Type='Collection(org.reso.metadata.Media)'/>
      </EntityType>
      <EntityType Name='Media'>
        <Key><PropertyRef Name='MediaKey'/></Key>
        <Property Name='MediaKey' Type='Edm.String' MaxLength='255'/>
        <Property Name='listingkey' Type='Edm.String' MaxLength='50'/>
        <Property Name='ModificationTimestamp' Type='Edm.DateTimeOffset'/>
      </EntityType>
      <EntityContainer Name='Default'>
        <EntitySet Name='Property' EntityType='org.reso.metadata.Property'/>
        <EntitySet Name='Media' EntityType='org.reso.metadata.Media'/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
)EDMX";

inline const QStringList kCaseTwinColumns{u"ListingKey"_s, u"City"_s,
                                          u"Remarks"_s,    u"modificationTimestamp"_s,
                                          u"remarks_2"_s,  u"ModificationTimestamp_2"_s,
                                          u"REMARKS_3"_s,  u"remarks_2_2"_s};

// One record of kCaseTwinEdmx with a different value in every twin, and one Media item.
inline const QByteArray kCaseTwinRecord =
    "{\"ListingKey\":\"T-1\",\"City\":\"Springfield\",\"Remarks\":\"upper\","
    "\"modificationTimestamp\":\"2020-01-01T00:00:00Z\",\"remarks\":\"lower\","
    "\"ModificationTimestamp\":\"2024-05-01T10:00:00.123Z\",\"REMARKS\":7,\"remarks_2\":\"suffix\","
    "\"Media\":[{\"MediaKey\":\"M-1\",\"listingkey\":\"own\",\"ModificationTimestamp\":\"2024-05-01T09:00:"
    "00Z\"}]}";

} // namespace ors::test
