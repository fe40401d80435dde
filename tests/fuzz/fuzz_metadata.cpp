// Feeds arbitrary bytes to the $metadata parser and plans every entity type it finds.
#include "records/SchemaPlanner.h"
#include "reso/MetadataParser.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray xml(reinterpret_cast<const char*>(data), qsizetype(size));
    auto metadata = ors::MetadataParser::parse(xml, QStringLiteral("fuzz"));
    if (!metadata)
        return 0;
    for (const ors::EntityType& entity : metadata->entityTypes) {
        ors::ResourceConfig resource;
        resource.name = entity.name;
        for (const ors::NavigationProperty& nav : entity.navigation)
            resource.expand.append(ors::ExpandConfig{nav.name, true});
        (void)ors::SchemaPlanner::plan(*metadata, resource);
    }
    return 0;
}
