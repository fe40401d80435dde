#include "DdRecords.h"

#include "records/Metadata.h"
#include "reso/MetadataParser.h"

#include <QRegularExpression>
#include <QTest>

using namespace ors;
using ors::test::ddPath;
using namespace Qt::StringLiterals;

namespace {

Metadata parseOrFail(const QByteArray& xml) {
    Expected<Metadata> result = MetadataParser::parse(xml, u"inline"_s);
    if (!result)
        qWarning("%s", qPrintable(result.errorMessage()));
    return result ? std::move(result).value() : Metadata{};
}

// Types are used before they are declared, across two schemas, one of them through an alias.
// Attributes use single quotes: moc mis-tokenizes '"' followed by "//" inside a raw string literal
// and then silently finds no Q_OBJECT class in this file.
const QByteArray kInlineEdmx = R"EDMX(<?xml version='1.0' encoding='UTF-8'?>
<edmx:Edmx Version='4.0' xmlns:edmx='http://docs.oasis-open.org/odata/ns/edmx'>
  <edmx:Reference Uri='https://example.com/vocab.xml'><edmx:Include Namespace='Core.V1'/></edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace='com.example.data' Alias='ex' xmlns='http://docs.oasis-open.org/odata/ns/edm'>
      <Annotation Term='Core.Description' String='ignored'/>
      <EntityType Name='Listing'>
        <Key><PropertyRef Name='Id'/></Key>
        <Property Name='Id' Type='Edm.String' MaxLength='max' Nullable='false'/>
        <Property Name='Code' Type='Edm.String' MaxLength='20'/>
        <Property Name='Status' Type='com.example.enums.Status'/>
        <Property Name='Features' Type='Collection(com.example.enums.Features)'/>
        <Property Name='Single' Type='com.example.enums.Features'/>
        <Property Name='Price' Type='Edm.Decimal' Precision='14' Scale='variable'/>
        <Property Name='Ratio' Type='Edm.Decimal'/>
        <Property Name='Area' Type='Edm.Decimal' Precision='10' Scale='2'/>
        <Property Name='Where' Type='Edm.GeographyPoint'/>
        <Property Name='Shape' Type='Edm.GeometryPolygon'/>
        <Property Name='Address' Type='ex.Address'/>
        <Property Name='Tags' Type='Collection(Edm.String)'/>
        <Property Name='Mystery' Type='com.other.Thing'/>
        <Property Name='When' Type='Edm.DateTimeOffset' Precision='3'>
          <Annotation Term='Core.Description' String='with a child element'/>
        </Property>
        <NavigationProperty Name='Photos' Type='Collection(ex.Photo)' ContainsTarget='true'/>
        <NavigationProperty Name='Agent' Type='com.example.data.Agent'><OnDelete Action='None'/></NavigationProperty>
        <Unknown><Nested/></Unknown>
      </EntityType>
      <ComplexType Name='Address'>
        <Property Name='Street' Type='Edm.String'/>
        <Property Name='Kind' Type='com.example.enums.Status'/>
      </ComplexType>
      <EntityType Name='Photo'><Key><PropertyRef Name='PhotoId'/></Key>
        <Property Name='PhotoId' Type='Edm.Int64'/></EntityType>
      <EntityType Name='Agent'><Key><PropertyRef Name='AgentId'/></Key>
        <Property Name='AgentId' Type='Edm.Guid'/></EntityType>
      <EntityType Name='VipAgent' BaseType='ex.Agent'>
        <Property Name='Tier' Type='Edm.Int32'/></EntityType>
      <EntityContainer Name='Default'>
        <EntitySet Name='Listings' EntityType='com.example.data.Listing'>
          <NavigationPropertyBinding Path='Agent' Target='Agents'/>
        </EntitySet>
        <EntitySet Name='Agents' EntityType='ex.Agent'/>
        <Singleton Name='Me' Type='ex.Agent'/>
      </EntityContainer>
    </Schema>
    <Schema Namespace='com.example.enums' xmlns='http://docs.oasis-open.org/odata/ns/edm'>
      <EnumType Name='Status'><Member Name='Active' Value='1'/><Member Name='Closed' Value='2'/></EnumType>
      <EnumType Name='Features' UnderlyingType='Edm.Int64' IsFlags='true'>
        <Member Name='Pool' Value='1'/><Member Name='Garage' Value='2'/><Member Name='View' Value='4'/>
      </EnumType>
      <EnumType Name='Implicit'><Member Name='A'/><Member Name='B'/><Member Name='C' Value='10'/><Member Name='D'/></EnumType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
)EDMX";

} // namespace

class TestMetadata : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void realDictionaries_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("entityTypes");
        QTest::addColumn<int>("propertyFields");
        QTest::addColumn<int>("enumTypes");
        QTest::addColumn<int>("propertyCollections");
        QTest::addColumn<int>("propertyEnumFields");
        QTest::addColumn<int>("propertyUnknownFields");

        QTest::newRow("dd-2.0-enum") << u"dd-2.0-enum.xml"_s << 41 << 632 << 193 << 93 << 150 << 28;
        QTest::newRow("dd-2.0-lookup") << u"dd-2.0-lookup-resource.xml"_s << 41 << 632 << 0 << 93 << 0 << 0;
        QTest::newRow("dd-2.1-enum") << u"dd-2.1-enum.xml"_s << 44 << 722 << 210 << 99 << 173 << 27;
    }

    void realDictionaries() {
        QFETCH(QString, file);
        QFETCH(int, entityTypes);
        QFETCH(int, propertyFields);
        QFETCH(int, enumTypes);
        QFETCH(int, propertyCollections);
        QFETCH(int, propertyEnumFields);
        QFETCH(int, propertyUnknownFields);

        const Expected<Metadata> parsed = MetadataParser::parseFile(ddPath(file));
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
        const Metadata& md = *parsed;

        QCOMPARE(md.entityTypes.size(), entityTypes);
        QCOMPARE(md.enumTypes.size(), enumTypes);
        QCOMPARE(md.entitySets.size(), entityTypes);
        QVERIFY(md.complexTypes.isEmpty());

        const EntityType* property = md.entityTypeForResource(u"Property"_s);
        QVERIFY(property);
        QCOMPARE(property->name, u"Property"_s);
        QCOMPARE(property->nameSpace, u"org.reso.metadata"_s);
        QCOMPARE(property->fields.size(), propertyFields);
        QCOMPARE(property->keys, QStringList{u"ListingKey"_s});
        QCOMPARE(md.entityType(u"org.reso.metadata.Property"_s), property);

        // The published dictionaries reference enums they never declare (City, CountyOrParish, AOR,
        // MlsStatus, ...: open lookups left to each MLS). Those must come out Unknown, not Enum.
        int collections = 0;
        int enums = 0;
        int unknown = 0;
        for (const Field& f : property->fields) {
            collections += f.isCollection ? 1 : 0;
            enums += f.kind == EdmKind::Enum ? 1 : 0;
            unknown += f.kind == EdmKind::Unknown ? 1 : 0;
            if (f.kind == EdmKind::Unknown)
                QVERIFY2(f.elementType.startsWith(u"org.reso.metadata.enums."_s), qPrintable(f.type));
        }
        QCOMPARE(collections, propertyCollections);
        QCOMPARE(enums, propertyEnumFields);
        QCOMPARE(unknown, propertyUnknownFields);
        if (propertyUnknownFields > 0) {
            const Field* city = property->field(u"City"_s);
            QVERIFY(city);
            QCOMPARE(city->kind, EdmKind::Unknown);
            QVERIFY(!md.enumType(city->elementType));
            const Field* buildingFeatures = property->field(u"BuildingFeatures"_s);
            QCOMPARE(buildingFeatures->kind, EdmKind::Unknown);
            QVERIFY(buildingFeatures->isCollection);
        }

        const Field* key = property->field(u"ListingKey"_s);
        QVERIFY(key);
        QCOMPARE(key->kind, EdmKind::String);
        QCOMPARE(key->maxLength, std::optional<int>(255));

        const Field* modified = property->field(u"ModificationTimestamp"_s);
        QVERIFY(modified);
        QCOMPARE(modified->kind, EdmKind::DateTimeOffset);
        QVERIFY(modified->nullable);

        const Field* price = property->field(u"ListPrice"_s);
        QVERIFY(price);
        QCOMPARE(price->kind, EdmKind::Decimal);
        QCOMPARE(price->precision, std::optional<int>(14));
        QCOMPARE(price->scale, std::optional<int>(2));
        QCOMPARE(property->field(u"BedroomsTotal"_s)->kind, EdmKind::Int64);
        QVERIFY(!property->field(u"BedroomsTotal"_s)->precision);
        QVERIFY(!property->field(u"NoSuchField"_s));

        // Multi-select lookups: a collection of an enum, or of strings in the lookup-resource flavour.
        const Field* features = property->field(u"AccessibilityFeatures"_s);
        QVERIFY(features);
        QVERIFY(features->isCollection);
        QVERIFY(!features->nullable);
        if (enumTypes > 0) {
            QCOMPARE(features->kind, EdmKind::Enum);
            QCOMPARE(features->elementType, u"org.reso.metadata.enums.AccessibilityFeatures"_s);
            QCOMPARE(features->type, u"Collection(org.reso.metadata.enums.AccessibilityFeatures)"_s);
            QVERIFY(!features->enumIsFlags);
            const EnumType* country = md.enumType(u"org.reso.metadata.enums.Country"_s);
            QVERIFY(country);
            QCOMPARE(md.enumType(u"Country"_s), country);
            QCOMPARE(country->members.size(), 246);
            QCOMPARE(country->members.first().name, u"AD"_s);
            QCOMPARE(country->members.first().value, u"0"_s);
            QCOMPARE(country->underlyingType, u"Edm.Int32"_s);
        } else {
            QCOMPARE(features->kind, EdmKind::String);
            QCOMPARE(features->elementType, u"Edm.String"_s);
            QCOMPARE(features->maxLength, std::optional<int>(1024));
        }
        // RESO publishes multi-select lookups as Collection(enum), never as IsFlags enums: the files
        // contain no IsFlags attribute, so no enum may come out flagged. Flags are covered inline below.
        for (const EnumType& e : md.enumTypes)
            QVERIFY2(!e.isFlags, qPrintable(e.name));

        const NavigationProperty* media = property->navigationProperty(u"Media"_s);
        QVERIFY(media);
        QCOMPARE(media->targetType, u"Media"_s);
        QVERIFY(media->isCollection);
        QCOMPARE(media->type, u"Collection(org.reso.metadata.Media)"_s);
        const NavigationProperty* listAgent = property->navigationProperty(u"ListAgent"_s);
        QVERIFY(listAgent);
        QCOMPARE(listAgent->targetType, u"Member"_s);
        QVERIFY(!listAgent->isCollection);
        QCOMPARE(property->navigation.size(), 20);
        QVERIFY(md.entityType(media->targetType));

        // All three declare the Lookup resource; the lookup-resource flavour is the one that needs it,
        // because its fields are plain strings whose values are listed there.
        const EntityType* lookup = md.entityTypeForResource(u"Lookup"_s);
        QVERIFY(lookup);
        QCOMPARE(lookup->name, u"Lookup"_s);
        QCOMPARE(lookup->keys, QStringList{u"LookupKey"_s});
        for (const QString& name :
             {u"LookupKey"_s, u"LookupName"_s, u"LookupValue"_s, u"StandardLookupValue"_s,
              u"LegacyODataValue"_s, u"ModificationTimestamp"_s})
            QVERIFY2(lookup->field(name), qPrintable(name));
        QCOMPARE(lookup->field(u"ModificationTimestamp"_s)->kind, EdmKind::DateTimeOffset);
    }

    void inlineTypeResolution() {
        const Metadata md = parseOrFail(kInlineEdmx);
        QCOMPARE(md.entityTypes.size(), 4);
        QCOMPARE(md.enumTypes.size(), 3);
        QCOMPARE(md.complexTypes.size(), 1);
        QCOMPARE(md.entitySets.size(), 2);

        const EntityType* listing = md.entityTypeForResource(u"Listings"_s);
        QVERIFY(listing);
        QCOMPARE(listing->name, u"Listing"_s);
        QCOMPARE(md.entityTypeForResource(u"Listing"_s), listing); // type-name fallback
        QVERIFY(!md.entityTypeForResource(u"Nope"_s));
        QCOMPARE(listing->keys, QStringList{u"Id"_s});
        QCOMPARE(listing->fields.size(), 14);

        const Field* id = listing->field(u"Id"_s);
        QCOMPARE(id->kind, EdmKind::String);
        QVERIFY(!id->maxLength); // "max"
        QVERIFY(!id->nullable);
        QCOMPARE(listing->field(u"Code"_s)->maxLength, std::optional<int>(20));

        const Field* status = listing->field(u"Status"_s);
        QCOMPARE(status->kind, EdmKind::Enum); // declared after use, in a later schema
        QVERIFY(!status->enumIsFlags);
        QVERIFY(!status->isCollection);

        const Field* features = listing->field(u"Features"_s);
        QCOMPARE(features->kind, EdmKind::Enum);
        QVERIFY(features->enumIsFlags);
        QVERIFY(features->isCollection);
        QCOMPARE(features->elementType, u"com.example.enums.Features"_s);
        QCOMPARE(listing->field(u"Single"_s)->kind, EdmKind::Enum);
        QVERIFY(listing->field(u"Single"_s)->enumIsFlags);

        const Field* price = listing->field(u"Price"_s);
        QCOMPARE(price->precision, std::optional<int>(14));
        QVERIFY(!price->scale); // "variable"
        const Field* ratio = listing->field(u"Ratio"_s);
        QCOMPARE(ratio->kind, EdmKind::Decimal);
        QVERIFY(!ratio->precision);
        QVERIFY(!ratio->scale);
        QCOMPARE(listing->field(u"Area"_s)->scale, std::optional<int>(2));

        QCOMPARE(listing->field(u"Where"_s)->kind, EdmKind::Geography);
        QCOMPARE(listing->field(u"Shape"_s)->kind, EdmKind::Geography);
        QCOMPARE(listing->field(u"Address"_s)->kind, EdmKind::Complex); // via the schema alias
        QCOMPARE(listing->field(u"Tags"_s)->kind, EdmKind::String);
        QVERIFY(listing->field(u"Tags"_s)->isCollection);
        QCOMPARE(listing->field(u"Mystery"_s)->kind, EdmKind::Unknown);
        QCOMPARE(listing->field(u"When"_s)->kind, EdmKind::DateTimeOffset);
        QCOMPARE(listing->field(u"When"_s)->precision, std::optional<int>(3));

        const NavigationProperty* photos = listing->navigationProperty(u"Photos"_s);
        QVERIFY(photos && photos->isCollection);
        QCOMPARE(photos->targetType, u"Photo"_s);
        const NavigationProperty* agent = listing->navigationProperty(u"Agent"_s);
        QVERIFY(agent && !agent->isCollection);
        QCOMPARE(agent->targetType, u"Agent"_s);

        QCOMPARE(md.complexTypes.first().fields.at(1).kind, EdmKind::Enum);

        const EnumType* flags = md.enumType(u"com.example.enums.Features"_s);
        QVERIFY(flags && flags->isFlags);
        QCOMPARE(flags->underlyingType, u"Edm.Int64"_s);
        QCOMPARE(flags->members.size(), 3);
        QCOMPARE(flags->members.at(2).value, u"4"_s);
        QCOMPARE(md.enumType(u"Status"_s)->underlyingType, u"Edm.Int32"_s);
        QVERIFY(!md.enumType(u"com.example.data.Status"_s));

        QStringList implicitValues;
        for (const EnumMember& m : md.enumType(u"Implicit"_s)->members)
            implicitValues.append(m.value);
        QCOMPARE(implicitValues, (QStringList{u"0"_s, u"1"_s, u"10"_s, u"11"_s}));

        const EntityType* vip = md.entityType(u"VipAgent"_s);
        QVERIFY(vip);
        QCOMPARE(vip->keys, QStringList{u"AgentId"_s}); // inherited through BaseType
        QCOMPARE(vip->fields.size(), 2);
        QCOMPARE(vip->fields.first().kind, EdmKind::Guid);
    }

    void badInput_data() {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<QString>("expected"); // regular expression over the message

        const QString at = u"^http://mls\\.example/\\$metadata: line \\d+, column \\d+: "_s;
        QTest::newRow("truncated") << kInlineEdmx.left(kInlineEdmx.indexOf("<ComplexType")) << at;
        QTest::newRow("tag mismatch")
            << QByteArray("<edmx:Edmx xmlns:edmx=\"x\">\n  <a>\n    <b></a>\n</edmx:Edmx>")
            << QString(at + u".+"_s);
        QTest::newRow("garbage") << QByteArray("\x01\x02 not xml at all {\"value\":[]}") << at;
        QTest::newRow("json") << QByteArray("{\"error\":{\"code\":\"401\"}}") << at;
        QTest::newRow("html root") << QByteArray("<html><body>Login</body></html>")
                                   << QString(at + u"expected an edmx:Edmx root element, found <html>"_s);
        QTest::newRow("empty") << QByteArray() << u"^http://mls\\.example/\\$metadata: .*empty"_s;
        QTest::newRow("whitespace") << QByteArray("  \n ") << u"^http://mls\\.example/\\$metadata: .*empty"_s;
        QTest::newRow("no entity types")
            << QByteArray(
                   "<edmx:Edmx xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\"><edmx:DataServices>"
                   "<Schema Namespace=\"a\"/></edmx:DataServices></edmx:Edmx>")
            << u"^http://mls\\.example/\\$metadata: .*no EntityType"_s;
    }

    void badInput() {
        QFETCH(QByteArray, xml);
        QFETCH(QString, expected);
        const Expected<Metadata> result = MetadataParser::parse(xml, u"http://mls.example/$metadata"_s);
        QVERIFY(!result.ok());
        const QRegularExpression re(expected);
        QVERIFY(re.isValid());
        QVERIFY2(re.match(result.errorMessage()).hasMatch(), qPrintable(result.errorMessage()));
    }

    void tagMismatchNamesPosition() {
        const QByteArray xml = "<edmx:Edmx xmlns:edmx=\"x\">\n  <a>\n    <b></a>\n</edmx:Edmx>";
        const Expected<Metadata> result = MetadataParser::parse(xml, u"origin.xml"_s);
        QVERIFY(!result.ok());
        QVERIFY2(result.errorMessage().startsWith(u"origin.xml: line 3, column "_s),
                 qPrintable(result.errorMessage()));
    }

    void missingFile() {
        const Expected<Metadata> result = MetadataParser::parseFile(u"/nonexistent/metadata.xml"_s);
        QVERIFY(!result.ok());
        QVERIFY(result.errorMessage().startsWith(u"/nonexistent/metadata.xml: "_s));
    }
};

QTEST_GUILESS_MAIN(TestMetadata)
#include "tst_metadata.moc"
