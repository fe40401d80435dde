// ServerOptions::caseTwinFields: Property fields whose names differ from others only in case.
// RESO servers do send such pairs (Remarks and remarks); SQL column names ignore case.
#include "Schema.h"

namespace ors::fake {

namespace {

FieldDef field(const char* name, FieldType type, int maxLength = 0) {
    FieldDef f;
    f.name = QString::fromLatin1(name);
    f.type = type;
    f.maxLength = maxLength;
    return f;
}

} // namespace

const ResoSchema& ResoSchema::caseTwins() {
    static const ResoSchema schema = [] {
        ResoSchema s;
        std::vector<FieldDef> fields;
        for (const FieldDef& f : s.property.fields) {
            // Declared before its twin, so the twin the client syncs by is the second one.
            if (f.name == QLatin1String("ModificationTimestamp"))
                fields.push_back(field("modificationtimestamp", FieldType::DateTimeOffset));
            fields.push_back(f);
            if (f.name == QLatin1String("PublicRemarks"))
                fields.push_back(field("publicremarks", FieldType::String, 255));
        }
        s.property.fields = std::move(fields);
        s.property.finalize();
        return s;
    }();
    return schema;
}

} // namespace ors::fake
