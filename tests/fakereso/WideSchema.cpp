// ServerOptions::propertyFieldCount: Property as wide as a real MLS's (150-600 fields), for
// benchmarks that must pay what a real feed costs per record.
#include "Schema.h"

#include <QMutex>

#include <map>
#include <memory>

namespace ors::fake {

namespace {

// The extra fields cycle through the kinds a real Property mixes, so column types, null
// bitmaps and value conversions cost what they would; strings stay short, as most RESO
// fields are (the long remarks are among the built-in fields).
FieldDef extraField(int index) {
    struct Kind {
        FieldType type;
        int a = 0; // maxLength, or precision
        int b = 0; // scale
    };
    static const Kind kinds[] = {
        {FieldType::String, 50},  {FieldType::Int32},          {FieldType::Decimal, 14, 2},
        {FieldType::Boolean},     {FieldType::String, 255},    {FieldType::Date},
        {FieldType::String, 25},  {FieldType::DateTimeOffset}, {FieldType::Int64},
        {FieldType::String, 100},
    };
    const Kind& kind = kinds[index % int(std::size(kinds))];
    FieldDef f;
    f.name = QStringLiteral("X_Extra%1").arg(index + 1, 3, 10, QLatin1Char('0'));
    f.type = kind.type;
    if (kind.type == FieldType::String)
        f.maxLength = kind.a;
    if (kind.type == FieldType::Decimal) {
        f.precision = kind.a;
        f.scale = kind.b;
    }
    return f;
}

} // namespace

const ResoSchema& ResoSchema::wide(int fieldCount) {
    static QMutex mutex;
    static std::map<int, std::unique_ptr<ResoSchema>> made;
    const QMutexLocker lock(&mutex);
    auto& schema = made[fieldCount];
    if (!schema) {
        schema.reset(new ResoSchema);
        std::vector<FieldDef>& fields = schema->property.fields;
        for (int i = 0; int(fields.size()) < fieldCount; ++i)
            fields.push_back(extraField(i));
        schema->property.finalize();
    }
    return *schema;
}

} // namespace ors::fake
