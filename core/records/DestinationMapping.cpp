#include "records/DestinationMapping.h"

#include "records/SchemaPlanner.h"

#include <QHash>

namespace ors {

DestinationMapping::DestinationMapping(MappingConfig config, QString source)
    : m_config(std::move(config))
    , m_source(std::move(source)) {
    if (!m_config.stripKeyPrefixPattern.isEmpty())
        m_keyPattern = QRegularExpression(m_config.stripKeyPrefixPattern);
}

QString DestinationMapping::where() const {
    return m_config.keyPath.isEmpty() ? QStringLiteral("destination mapping") : m_config.keyPath;
}

QString DestinationMapping::snakeCase(const QString& name) {
    QString out;
    out.reserve(name.size() + 8);
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (i > 0 && c.isUpper()) {
            const QChar previous = name.at(i - 1);
            const bool nextLower = i + 1 < name.size() && name.at(i + 1).isLower();
            // A word starts after a lower-case letter or digit ("ListPrice"), and at the last
            // capital of an acronym followed by a lower-case letter ("MLSArea" -> MLS, Area).
            if (previous.isLower() || previous.isDigit() || (previous.isUpper() && nextLower))
                out += QLatin1Char('_');
        }
        out += c.toLower();
    }
    return out;
}

QString DestinationMapping::tableName(const QString& table) const {
    return m_config.tableFor(m_source, table);
}

QString DestinationMapping::columnName(const QString& fieldName, const QString& column) const {
    for (const auto& [field, renamed] : m_config.rename)
        if (field == fieldName)
            return renamed;
    switch (m_config.columnCase) {
    case ColumnCase::AsIs:
        return column;
    case ColumnCase::SnakeCase:
        return snakeCase(column);
    case ColumnCase::Lowercase:
        return column.toLower();
    }
    return column;
}

QByteArray DestinationMapping::storedKey(QByteArrayView key) const {
    if (!mapsKeys())
        return key.toByteArray();
    const QString text = QString::fromUtf8(key);
    qsizetype cut = 0;
    if (m_config.stripKeyPrefixLength > 0) {
        cut = m_config.stripKeyPrefixLength;
    } else {
        const QRegularExpressionMatch match = m_keyPattern.match(
            text, 0, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
        if (match.hasMatch())
            cut = match.capturedLength(0);
    }
    // A key the prefix does not fit is kept whole: an empty stored key is never right.
    if (cut <= 0 || cut >= text.size())
        return key.toByteArray();
    return text.mid(cut).toUtf8();
}

Expected<MappedTable> DestinationMapping::mapColumns(const TablePlan& table, const QString& origin) const {
    MappedTable mapped;
    mapped.table.table = tableName(table.table);
    if (!SchemaPlanner::isValidIdentifier(mapped.table.table))
        return makeError(QStringLiteral("%1: %2 becomes table name \"%3\", which is not an identifier "
                                        "(letters, digits and _, at most 64, not starting with a digit)")
                             .arg(where(), origin, mapped.table.table));
    QHash<QString, QString> taken; // lower-case column -> the field it holds
    for (int i = 0; i < table.columns.size(); ++i) {
        const ColumnPlan& column = table.columns.at(i);
        const qsizetype dropped = m_config.drop.indexOf(column.field.name);
        const bool required = i == table.keyColumn || i == table.timestampColumn || column.isParentKey;
        if (dropped >= 0 && required)
            return makeError(QStringLiteral("%1.drop[%2]: %3 is %4 of %5 and cannot be dropped")
                                 .arg(where())
                                 .arg(dropped)
                                 .arg(column.field.name,
                                      i == table.keyColumn         ? QStringLiteral("the key")
                                      : i == table.timestampColumn ? QStringLiteral("the timestamp")
                                                                   : QStringLiteral("the parent key"),
                                      origin));
        if (dropped >= 0)
            continue;
        ColumnPlan out = column;
        out.name = columnName(column.field.name, column.name);
        if (!SchemaPlanner::isValidIdentifier(out.name))
            return makeError(
                QStringLiteral("%1: %2 field %3 becomes column \"%4\", which is not an identifier")
                    .arg(where(), origin, column.field.name, out.name));
        if (const auto other = taken.constFind(out.name.toLower()); other != taken.constEnd())
            return makeError(QStringLiteral("%1: %2 fields %3 and %4 both become column %5")
                                 .arg(where(), origin, *other, column.field.name, out.name));
        taken.insert(out.name.toLower(), column.field.name);
        if (i == table.keyColumn)
            mapped.table.keyColumn = int(mapped.table.columns.size());
        if (i == table.timestampColumn)
            mapped.table.timestampColumn = int(mapped.table.columns.size());
        mapped.table.addColumn(std::move(out));
        mapped.from.append(i);
    }
    auto rename = [&](const QStringList& names) {
        QStringList out;
        for (const QString& name : names) {
            const int index = table.columnIndex(name);
            const int at = int(mapped.from.indexOf(index));
            if (index >= 0 && at >= 0)
                out.append(mapped.table.columns.at(at).name);
        }
        return out;
    };
    mapped.table.primaryKey = rename(table.primaryKey);
    mapped.table.indexes = rename(table.indexes);
    return mapped;
}

Expected<MappedTable> DestinationMapping::mapTable(const TablePlan& table) const {
    auto mapped = mapColumns(table, table.table);
    if (!mapped)
        return mapped.error();
    for (int i = 0; i < table.columns.size(); ++i)
        if (table.columns.at(i).isParentKey)
            mapped->parentKeyColumn = int(mapped->from.indexOf(i));
    return mapped;
}

Expected<MappedPlan> DestinationMapping::map(const ResourcePlan& plan) const {
    MappedPlan mapped;
    mapped.plan = plan;
    auto parent = mapColumns(plan.table, plan.resource);
    if (!parent)
        return parent.error();
    mapped.parent = *parent;
    mapped.plan.table = parent->table;
    for (qsizetype c = 0; c < plan.children.size(); ++c) {
        const ChildPlan& child = plan.children.at(c);
        const QString origin = QStringLiteral("%1's %2").arg(plan.resource, child.navigation);
        auto table = mapColumns(child.table, origin);
        if (!table)
            return table.error();
        table->parentKeyColumn = int(table->from.indexOf(child.parentKeyColumn));
        for (qsizetype f = 0; f < m_config.copyParentFields.size(); ++f) {
            const QString& field = m_config.copyParentFields.at(f);
            const QString path = QStringLiteral("%1.copyParentFields[%2]").arg(where()).arg(f);
            const int source = plan.table.fieldIndex(field);
            if (source < 0)
                return makeError(
                    QStringLiteral("%1: %2 has no field %3 (or the resource's select leaves it out)")
                        .arg(path, plan.resource, field));
            // The parent's key is in every child row already.
            if (source == plan.table.keyColumn)
                continue;
            ColumnPlan column = plan.table.columns.at(source);
            column.name = columnName(field, column.name);
            column.field.nullable = true;
            column.isParentKey = false;
            if (table->table.columnIndex(column.name) >= 0 || table->table.fieldIndex(field) >= 0)
                return makeError(
                    QStringLiteral("%1: %2 has a column %3 already").arg(path, origin, column.name));
            for (const ColumnPlan& existing : std::as_const(table->table.columns))
                if (existing.name.compare(column.name, Qt::CaseInsensitive) == 0)
                    return makeError(
                        QStringLiteral("%1: %2 has a column %3 already").arg(path, origin, existing.name));
            table->table.addColumn(std::move(column));
            table->from.append(-1 - source);
        }
        mapped.plan.children[c].table = table->table;
        mapped.plan.children[c].parentKeyColumn = table->parentKeyColumn;
        mapped.children.append(std::move(*table));
    }
    return mapped;
}

namespace {

Cell strippedKey(const DestinationMapping& mapping, const Cell& cell) {
    if (cell.isNull())
        return cell;
    return Cell::fromText(mapping.storedKey(keyText(cell)));
}

} // namespace

PageRows DestinationMapping::mapRows(const ResourcePlan& plan, const MappedPlan& mapped,
                                     const PageRows& page) const {
    PageRows out;
    out.warnings = page.warnings;
    out.rejected = page.rejected;
    const bool keys = mapsKeys();
    QHash<QByteArray, qsizetype> parents; // the source's key -> row
    for (qsizetype r = 0; r < page.parent.rows.size(); ++r) {
        const Row& row = page.parent.rows.at(r);
        parents.insert(keyText(row.at(plan.table.keyColumn)), r);
        Row stored;
        stored.reserve(mapped.parent.from.size());
        for (const int from : mapped.parent.from)
            stored.append(row.at(from));
        if (keys)
            stored[mapped.plan.table.keyColumn] = strippedKey(*this, stored.at(mapped.plan.table.keyColumn));
        out.parent.rows.append(std::move(stored));
    }
    out.children.resize(page.children.size());
    for (qsizetype c = 0; c < page.children.size() && c < mapped.children.size(); ++c) {
        const MappedTable& table = mapped.children.at(c);
        const int parentKey = plan.children.at(c).parentKeyColumn;
        for (const Row& row : page.children.at(c).rows.rows) {
            const auto parent = parents.constFind(keyText(row.at(parentKey)));
            Row stored;
            stored.reserve(table.from.size());
            for (const int from : table.from) {
                if (from >= 0)
                    stored.append(row.at(from));
                else if (parent != parents.constEnd())
                    stored.append(page.parent.rows.at(*parent).at(-1 - from));
                else
                    stored.append(Cell());
            }
            if (keys) {
                if (table.table.keyColumn >= 0)
                    stored[table.table.keyColumn] = strippedKey(*this, stored.at(table.table.keyColumn));
                if (table.parentKeyColumn >= 0 && table.parentKeyColumn != table.table.keyColumn)
                    stored[table.parentKeyColumn] = strippedKey(*this, stored.at(table.parentKeyColumn));
            }
            out.children[c].rows.rows.append(std::move(stored));
        }
        for (const QByteArray& key : page.children.at(c).parentKeys)
            out.children[c].parentKeys.append(keys ? storedKey(key) : key);
    }
    return out;
}

} // namespace ors
