// SolrDestination's schema management through the Schema API: the fields a core has
// (GET schema/fields, schema/uniquekey) and the ones a plan adds (POST schema, add-field).
#include "destinations/SolrDestination.h"

#include "reso/HttpClient.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ors {

namespace {

// The field types of Solr's default configset (_default) for one EDM element type.
QString elementType(const Field& field) {
    switch (field.kind) {
    case EdmKind::Boolean:
        return QStringLiteral("boolean");
    case EdmKind::Byte:
    case EdmKind::SByte:
    case EdmKind::Int16:
    case EdmKind::Int32:
        return QStringLiteral("pint");
    case EdmKind::Int64:
        return QStringLiteral("plong");
    case EdmKind::Decimal:
    case EdmKind::Double:
    case EdmKind::Single:
        return QStringLiteral("pdouble");
    case EdmKind::Date:
    case EdmKind::DateTimeOffset:
        return QStringLiteral("pdate");
    default:
        return QStringLiteral("string");
    }
}

bool isStructured(const Field& field) {
    return field.kind == EdmKind::Complex || field.kind == EdmKind::Geography;
}

} // namespace

SolrFieldType solrFieldType(const ColumnPlan& column, bool isKey) {
    SolrFieldType type;
    // Keys sort as strings: purge and reconcile compare key lists in byte order.
    if (isKey || column.isParentKey) {
        type.type = QStringLiteral("string");
        return type;
    }
    const Field& field = column.field;
    if (isStructured(field)) {
        // Complex values and geography stay JSON text, stored to be read back, not searched
        // (an indexed string holds at most 32,766 bytes).
        type.type = QStringLiteral("string");
        type.indexed = false;
        type.docValues = false;
        return type;
    }
    if (field.isCollection) {
        type.type = elementType(field);
        type.multiValued = true;
        return type;
    }
    switch (column.storage) {
    case ColumnStorage::LongText:
        // Free text (remarks, long or unbounded strings, flags lists): searched by words.
        type.type = QStringLiteral("text_general");
        type.docValues = false;
        return type;
    case ColumnStorage::Text:
        type.type = QStringLiteral("string");
        return type;
    default:
        type.type = elementType(field);
        return type;
    }
}

Expected<SolrDestination::CoreSchema> SolrDestination::schemaOf(const QString& core) {
    if (auto it = m_schemas.constFind(core); it != m_schemas.constEnd())
        return *it;
    CoreSchema schema;
    auto unique = request(core, QStringLiteral("schema/uniquekey"), {}, {},
                          QStringLiteral("reading the unique key of core %1").arg(core));
    if (!unique)
        return unique.error();
    if (*unique) {
        schema.exists = true;
        schema.uniqueKey = (*unique)->value(QLatin1String("uniqueKey")).toString();
        auto fields = request(core, QStringLiteral("schema/fields"), {}, {},
                              QStringLiteral("reading the fields of core %1").arg(core));
        if (!fields)
            return fields.error();
        if (*fields)
            for (const QJsonValue& value : (*fields)->value(QLatin1String("fields")).toArray()) {
                const QJsonObject field = value.toObject();
                schema.fieldTypes.insert(field.value(QLatin1String("name")).toString(),
                                         field.value(QLatin1String("type")).toString());
            }
    }
    // A missing core is not remembered: it may be created before the next look.
    if (schema.exists)
        m_schemas.insert(core, schema);
    return schema;
}

Expected<void> SolrDestination::ensureCore(const TablePlan& table) {
    const QString core = coreOf(table.table);
    m_schemas.remove(core);
    auto schema = schemaOf(core);
    if (!schema)
        return schema.error();
    if (!schema->exists)
        return makeError(QStringLiteral("%1: Solr has no core \"%2\" for table %3 at %4; create it first "
                                        "(e.g. bin/solr create -c %2), or name other cores with \"core\"")
                             .arg(where(), core, table.table, describeUrl(QUrl(m_config.url))));
    const QString uniqueKey = schema->uniqueKey;
    if (uniqueKey.isEmpty())
        return makeError(QStringLiteral("%1: core %2 declares no uniqueKey; records are written by key")
                             .arg(where(), core));
    QJsonArray additions;
    QStringList added;
    for (int i = 0; i < table.columns.size(); ++i) {
        const ColumnPlan& column = table.columns.at(i);
        const bool isKey = i == table.keyColumn;
        const auto existing = schema->fieldTypes.constFind(column.name);
        if (existing != schema->fieldTypes.constEnd()) {
            // Existing fields are never changed; a key must still sort byte for byte.
            if ((isKey || column.isParentKey) && *existing != QLatin1String("string"))
                return makeError(QStringLiteral("%1: field %2 of core %3 has type %4; a key needs the "
                                                "type string (keys are compared in byte order)")
                                     .arg(where(), column.name, core, *existing));
            continue;
        }
        const SolrFieldType type = solrFieldType(column, isKey);
        QJsonObject field{{u"name"_qs, column.name},
                          {u"type"_qs, type.type},
                          {u"stored"_qs, true},
                          {u"indexed"_qs, type.indexed}};
        if (type.multiValued)
            field.insert(u"multiValued"_qs, true);
        if (!type.docValues)
            field.insert(u"docValues"_qs, false);
        additions.append(field);
        added.append(column.name);
    }
    if (uniqueKey != table.columns.at(table.keyColumn).name &&
        schema->fieldTypes.value(uniqueKey) != QLatin1String("string"))
        return makeError(QStringLiteral("%1: the uniqueKey %2 of core %3 has type %4; it holds the "
                                        "record's key, which needs the type string")
                             .arg(where(), uniqueKey, core, schema->fieldTypes.value(uniqueKey)));
    if (additions.isEmpty())
        return {};
    if (m_readOnly)
        return makeError(
            QStringLiteral("%1: core %2 lacks the fields %3 (opened read-only: nothing is added)")
                .arg(where(), core, added.join(QLatin1String(", "))));
    // One request with every missing field: the Schema API applies a command list all or
    // nothing, and reloads the core once.
    const QJsonObject commands{{u"add-field"_qs, additions}};
    auto answer = request(core, QStringLiteral("schema"), {},
                          Body{"application/json", QJsonDocument(commands).toJson(QJsonDocument::Compact)},
                          QStringLiteral("adding %1 field(s) to core %2").arg(additions.size()).arg(core));
    m_schemas.remove(core);
    if (!answer)
        return answer.error();
    if (!*answer)
        return makeError(
            QStringLiteral("%1: core %2 went away while its fields were added").arg(where(), core));
    return {};
}

Expected<void> SolrDestination::ensureSchema(const ResourcePlan& plan) {
    if (auto r = ensureCore(plan.table); !r)
        return r;
    for (const ChildPlan& child : plan.children)
        if (auto r = ensureCore(child.table); !r)
            return r;
    return {};
}

} // namespace ors
