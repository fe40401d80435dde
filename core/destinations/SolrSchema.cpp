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
            for (const auto& value : (*fields)->value(QLatin1String("fields")).toArray()) {
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

QStringList SolrDestination::keyProblems(const TablePlan& table, const QString& core,
                                         const CoreSchema& schema) const {
    QStringList problems;
    if (schema.uniqueKey.isEmpty()) {
        problems.append(
            QStringLiteral("core %1 declares no uniqueKey; records are written by key").arg(core));
        return problems;
    }
    for (int i = 0; i < table.columns.size(); ++i) {
        const ColumnPlan& column = table.columns.at(i);
        if (i != table.keyColumn && !column.isParentKey)
            continue;
        // Keys must sort byte for byte (purge and reconcile compare key lists in that order).
        const auto existing = schema.fieldTypes.constFind(column.name);
        if (existing != schema.fieldTypes.constEnd() && *existing != QLatin1String("string"))
            problems.append(
                QStringLiteral("field %1 of core %2 has type %3; a key needs the type string (keys "
                               "are compared in byte order)")
                    .arg(column.name, core, *existing));
    }
    if (schema.uniqueKey != table.columns.at(table.keyColumn).name &&
        schema.fieldTypes.value(schema.uniqueKey) != QLatin1String("string"))
        problems.append(QStringLiteral("the uniqueKey %1 of core %2 has type %3; it holds the record's key, "
                                       "which needs the type string")
                            .arg(schema.uniqueKey, core, schema.fieldTypes.value(schema.uniqueKey)));
    return problems;
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
    // Existing fields are never changed; one that cannot hold a key stops the table.
    if (const QStringList problems = keyProblems(table, core, *schema); !problems.isEmpty())
        return makeError(QStringLiteral("%1: %2").arg(where(), problems.first()));
    QJsonArray additions;
    QStringList added;
    for (int i = 0; i < table.columns.size(); ++i) {
        const ColumnPlan& column = table.columns.at(i);
        if (schema->fieldTypes.contains(column.name))
            continue;
        const SolrFieldType type = solrFieldType(column, i == table.keyColumn);
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

// manageSchema: false. Only reads (GET schema/uniquekey, schema/fields): every core the plan
// needs must exist with every field it writes, and keys must be strings; one message lists all
// that is missing, so the user fixes the cores once instead of one failed sync per field.
Expected<void> SolrDestination::checkSchema(const ResourcePlan& plan) {
    QList<const TablePlan*> tables{&plan.table};
    for (const ChildPlan& child : plan.children)
        tables.append(&child.table);
    QStringList problems;
    for (const TablePlan* table : std::as_const(tables)) {
        const QString core = coreOf(table->table);
        // Read afresh: the user may have changed the core since this destination last looked.
        m_schemas.remove(core);
        auto schema = schemaOf(core);
        if (!schema)
            return schema.error();
        if (!schema->exists) {
            problems.append(QStringLiteral("Solr has no core \"%1\" for table %2").arg(core, table->table));
            continue;
        }
        QStringList missing;
        for (const ColumnPlan& column : table->columns)
            if (!schema->fieldTypes.contains(column.name))
                missing.append(column.name);
        if (!missing.isEmpty())
            problems.append(QStringLiteral("core %1 lacks the fields %2").arg(core, missing.join(u", "_qs)));
        problems += keyProblems(*table, core, *schema);
    }
    if (problems.isEmpty())
        return {};
    return makeError(
        QStringLiteral("%1 does not manage its schema (manageSchema: false), and %2; create them "
                       "(bin/solr create -c <core>, the Schema API's add-field), or drop or "
                       "rename the fields in the mapping")
            .arg(where(), problems.join(u"; "_qs)));
}

} // namespace ors
