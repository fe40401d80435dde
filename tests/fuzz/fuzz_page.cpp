// Feeds arbitrary bytes to every way the page reader reads a downloaded page of Property with
// Media: inspect, read (both decimal modes), the key-list reader and the raw-record extractor.
#include "records/SchemaPlanner.h"
#include "records/Timestamps.h"
#include "reso/MetadataParser.h"
#include "reso/PageReader.h"

#include <cstdint>
#include <cstdlib>

namespace {

const ors::ResourcePlan& plan() {
    static const ors::ResourcePlan resourcePlan = [] {
        const QByteArray xml =
            "<edmx:Edmx xmlns:edmx='http://docs.oasis-open.org/odata/ns/edmx' "
            "Version='4.0'><edmx:DataServices>"
            "<Schema xmlns='http://docs.oasis-open.org/odata/ns/edm' Namespace='org.reso.metadata'>"
            "<EnumType Name='Flags' IsFlags='true'><Member Name='A' Value='1'/><Member Name='B' "
            "Value='2'/></EnumType>"
            "<EntityType Name='Property'><Key><PropertyRef Name='ListingKey'/></Key>"
            "<Property Name='ListingKey' Type='Edm.String' MaxLength='255'/>"
            "<Property Name='ModificationTimestamp' Type='Edm.DateTimeOffset'/>"
            "<Property Name='ListPrice' Type='Edm.Decimal' Precision='14' Scale='2'/>"
            "<Property Name='Beds' Type='Edm.Int32'/><Property Name='Big' Type='Edm.Int64'/>"
            "<Property Name='Ok' Type='Edm.Boolean'/><Property Name='Day' Type='Edm.Date'/>"
            "<Property Name='Ratio' Type='Edm.Double'/><Property Name='F' Type='org.reso.metadata.Flags'/>"
            "<Property Name='Tags' Type='Collection(Edm.String)'/>"
            "<NavigationProperty Name='Media' Type='Collection(org.reso.metadata.Media)'/></EntityType>"
            "<EntityType Name='Media'><Key><PropertyRef Name='MediaKey'/></Key>"
            "<Property Name='MediaKey' Type='Edm.String'/><Property Name='Order' "
            "Type='Edm.Int32'/></EntityType>"
            "</Schema></edmx:DataServices></edmx:Edmx>";
        auto metadata = ors::MetadataParser::parse(xml, QStringLiteral("fuzz"));
        if (!metadata)
            std::abort();
        ors::ResourceConfig resource;
        resource.name = QStringLiteral("Property");
        resource.expand.append(ors::ExpandConfig{QStringLiteral("Media"), true});
        auto planned = ors::SchemaPlanner::plan(*metadata, resource);
        if (!planned)
            std::abort();
        return *planned;
    }();
    return resourcePlan;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray body(reinterpret_cast<const char*>(data), qsizetype(size));
    (void)ors::PageReader::inspect(body, QStringLiteral("ListingKey"),
                                   QStringLiteral("ModificationTimestamp"));
    (void)ors::PageReader::read(body, plan(), QStringLiteral("fuzz"));
    (void)ors::PageReader::read(body, plan(), QStringLiteral("fuzz"), ors::DecimalScale::AsSent);
    (void)ors::PageReader::keys(body, QStringLiteral("ListingKey"),
                                {QStringLiteral("ModificationTimestamp"), QStringLiteral("Day")},
                                QStringLiteral("fuzz"));
    (void)ors::PageReader::rawRecords(body, QStringLiteral("ListingKey"), {QByteArrayLiteral("L1")});
    (void)ors::normalizeTimestamp(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
