#include "records/SchemaPlanner.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

namespace ors {

bool SchemaPlanner::isValidIdentifier(const QString& name) {
    // Names reach SQL as quoted identifiers; keeping them to this alphabet also keeps them
    // portable across SQLite, MySQL and PostgreSQL (64 is MySQL's limit).
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,63}$"));
    return re.match(name).hasMatch();
}

ColumnStorage SchemaPlanner::storageFor(const Field& field) {
    if (field.isCollection)
        return ColumnStorage::Json;
    switch (field.kind) {
    case EdmKind::String:
        // Long or unbounded strings go to text columns; short ones stay indexable.
        if (!field.maxLength || *field.maxLength > 255)
            return ColumnStorage::LongText;
        return ColumnStorage::Text;
    case EdmKind::Boolean:
        return ColumnStorage::Boolean;
    case EdmKind::Byte:
    case EdmKind::SByte:
    case EdmKind::Int16:
    case EdmKind::Int32:
    case EdmKind::Int64:
        return ColumnStorage::Integer;
    case EdmKind::Decimal:
        return ColumnStorage::Decimal;
    case EdmKind::Double:
    case EdmKind::Single:
        return ColumnStorage::Real;
    case EdmKind::Date:
        return ColumnStorage::Date;
    case EdmKind::DateTimeOffset:
        return ColumnStorage::Timestamp;
    case EdmKind::Geography:
    case EdmKind::Complex:
        return ColumnStorage::Json;
    case EdmKind::Enum:
        // Flags values are comma-joined lists of member names and can grow long.
        return field.enumIsFlags ? ColumnStorage::LongText : ColumnStorage::Text;
    case EdmKind::TimeOfDay:
    case EdmKind::Duration:
    case EdmKind::Guid:
        return ColumnStorage::Text;
    case EdmKind::Binary:
    case EdmKind::Unknown:
        return ColumnStorage::LongText;
    }
    return ColumnStorage::LongText;
}

QList<Field> SchemaPlanner::tableFields(const EntityType& entity) {
    QList<Field> fields;
    QHash<QString, qsizetype> at;
    for (const Field& field : entity.fields) {
        if (const auto it = at.constFind(field.name); it != at.constEnd()) {
            fields[*it] = field;
            continue;
        }
        at.insert(field.name, fields.size());
        fields.append(field);
    }
    return fields;
}

namespace {

// A name free of case-insensitive clashes with `taken`: the name itself, else name_2, name_3, ...
QString freeName(const QString& name, const QSet<QString>& taken) {
    if (!taken.contains(name.toLower()))
        return name;
    for (int n = 2;; ++n) {
        const QString suffix = QStringLiteral("_%1").arg(n);
        QString candidate = name.left(64 - suffix.size()) + suffix;
        if (!taken.contains(candidate.toLower()))
            return candidate;
    }
}

} // namespace

QStringList SchemaPlanner::columnNames(const QList<Field>& fields) {
    QStringList names;
    QSet<QString> taken; // lower case
    for (const Field& field : fields) {
        const QString name = freeName(field.name, taken);
        taken.insert(name.toLower());
        names.append(name);
    }
    return names;
}

Expected<TablePlan> SchemaPlanner::tableFor(const EntityType& entity, const QStringList& select,
                                            const QString& origin, const PlanOptions& options) {
    if (!isValidIdentifier(entity.name))
        return makeError(
            QStringLiteral("%1: entity type name \"%2\" cannot be a table name").arg(origin, entity.name));
    QStringList keys = entity.keys;
    if (!options.keyField.isEmpty()) {
        if (!entity.field(options.keyField))
            return makeError(
                QStringLiteral("%1: key field %2 (from the platform profile) is not a property of %3")
                    .arg(origin, options.keyField, entity.name));
        keys = QStringList{options.keyField};
    }
    if (keys.isEmpty())
        return makeError(QStringLiteral("%1: entity type %2 declares no <Key>").arg(origin, entity.name));

    TablePlan table;
    table.table = entity.name;
    const QList<Field> fields = tableFields(entity);
    const QStringList columns = columnNames(fields);
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const Field& field = fields.at(i);
        const bool required = keys.contains(field.name) || field.name == kTimestampField;
        const bool wanted =
            select.isEmpty() || select.contains(field.name) || options.alwaysSelect.contains(field.name);
        if (!wanted && !required)
            continue;
        if (!required && options.exclude && options.exclude(field.name))
            continue;
        if (!isValidIdentifier(field.name))
            return makeError(
                QStringLiteral(
                    "%1: field %2.%3 cannot be a column name (letters, digits and _ only, at most 64)")
                    .arg(origin, entity.name, field.name));
        ColumnPlan column;
        column.name = columns.at(i);
        column.field = field;
        column.storage = storageFor(field);
        // Keys must stay indexable, whatever MaxLength the server declares, and are stored as
        // text even when numeric: purge and reconcile compare key lists in byte order, and an
        // INTEGER column would hand them back in numeric order (9 before 10).
        if (keys.contains(field.name) &&
            (column.storage == ColumnStorage::LongText || column.storage == ColumnStorage::Integer))
            column.storage = ColumnStorage::Text;
        table.addColumn(std::move(column));
    }
    for (const QString& selected : select) {
        if (!entity.field(selected))
            return makeError(QStringLiteral("%1: select names \"%2\", which %3 does not have")
                                 .arg(origin, selected, entity.name));
    }
    for (const QString& key : std::as_const(keys)) {
        if (table.fieldIndex(key) < 0)
            return makeError(
                QStringLiteral("%1: key %2 of %3 is not a property").arg(origin, key, entity.name));
        table.primaryKey.append(table.columnFor(key));
    }
    table.keyColumn = table.fieldIndex(keys.first());
    table.timestampColumn = table.fieldIndex(kTimestampField);
    if (table.timestampColumn >= 0)
        table.indexes.append(table.columns.at(table.timestampColumn).name);
    return table;
}

Expected<ResourcePlan> SchemaPlanner::plan(const Metadata& metadata, const ResourceConfig& resource,
                                           const PlanOptions& options) {
    const QString origin = QStringLiteral("resource %1").arg(resource.name);
    const EntityType* entity = metadata.entityTypeForResource(resource.name);
    if (!entity)
        return makeError(QStringLiteral("%1: the server's $metadata has no entity set or type named \"%2\"")
                             .arg(origin, resource.name));
    auto table = tableFor(*entity, resource.select, origin, options);
    if (!table)
        return table.error();

    ResourcePlan plan;
    plan.resource = resource.name;
    plan.table = std::move(*table);
    plan.keyField = plan.table.columns.at(plan.table.keyColumn).field.name;
    switch (plan.table.columns.at(plan.table.keyColumn).field.kind) {
    case EdmKind::Byte:
    case EdmKind::SByte:
    case EdmKind::Int16:
    case EdmKind::Int32:
    case EdmKind::Int64:
        plan.numericKey = true;
        break;
    default:
        break;
    }
    plan.timestampField = plan.table.timestampColumn >= 0 ? kTimestampField : QString();
    if (!resource.select.isEmpty()) {
        plan.selectFields = resource.select;
        for (const QString& key : plan.table.primaryKey)
            if (!plan.selectFields.contains(key))
                plan.selectFields.append(key);
        if (!plan.timestampField.isEmpty() && !plan.selectFields.contains(plan.timestampField))
            plan.selectFields.append(plan.timestampField);
        for (const QString& field : options.alwaysSelect)
            if (entity->field(field) && !plan.selectFields.contains(field))
                plan.selectFields.append(field);
    }

    for (const ExpandConfig& expand : resource.expand) {
        const NavigationProperty* nav = entity->navigationProperty(expand.name);
        if (!nav)
            return makeError(
                QStringLiteral("%1: expand names \"%2\", which is not a navigation property of %3")
                    .arg(origin, expand.name, entity->name));
        const EntityType* target = metadata.entityType(nav->targetType);
        if (!target)
            return makeError(QStringLiteral("%1: navigation property %2 points to undeclared type %3")
                                 .arg(origin, expand.name, nav->targetType));
        PlanOptions childOptions;
        childOptions.exclude = options.exclude;
        auto childTable =
            tableFor(*target, {}, QStringLiteral("%1, expand %2").arg(origin, expand.name), childOptions);
        if (!childTable)
            return childTable.error();
        ChildPlan child;
        child.navigation = nav->name;
        child.isCollection = nav->isCollection;
        child.owned = expand.owned;
        child.table = std::move(*childTable);
        // The child row carries its parent's key in a column named after the parent's key field.
        child.parentKeyColumn = child.table.fieldIndex(plan.keyField);
        if (child.parentKeyColumn < 0) {
            // Named after the parent's key field, clear of the child's own columns (all of the
            // entity's fields, so a selection never moves it).
            const QList<Field> childFields = tableFields(*target);
            QStringList taken = columnNames(childFields);
            QSet<QString> takenLower;
            for (const QString& name : std::as_const(taken))
                takenLower.insert(name.toLower());
            ColumnPlan parentKey;
            parentKey.name = freeName(plan.keyField, takenLower);
            parentKey.field = plan.table.columns.at(plan.table.keyColumn).field;
            parentKey.field.nullable = true;
            parentKey.storage = ColumnStorage::Text;
            parentKey.isParentKey = true;
            child.table.addColumn(std::move(parentKey));
            child.parentKeyColumn = int(child.table.columns.size()) - 1;
        }
        child.table.indexes.append(child.table.columns.at(child.parentKeyColumn).name);
        plan.children.append(std::move(child));
    }
    return plan;
}

} // namespace ors
