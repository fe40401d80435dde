// Schema management of PostgresDestination: column types, CREATE TABLE, added columns and indexes,
// and what the catalog says about an existing table.
#include "destinations/PostgresDestination.h"

#include "records/SchemaPlanner.h"

#include <QSet>

#include <algorithm>

namespace ors {

namespace {

// Keys stay as narrow as MySQL's (768 characters over a composite key), so that one key is
// accepted or refused alike everywhere; a B-tree entry must also stay under ~2,700 bytes.
constexpr int kMaxIndexChars = 768;
// varchar(n) allows n up to 10,485,760.
constexpr int kMaxVarchar = 10485760;
// PostgreSQL cuts longer identifiers (NAMEDATALEN - 1) with only a NOTICE.
constexpr int kMaxIdentifierBytes = 63;

PostgresColumnType varcharType(int chars, bool byteOrder) {
    return {QStringLiteral("varchar(%1)").arg(chars), chars, byteOrder};
}

} // namespace

std::optional<DecimalShape> postgresDecimalShape(const Field& field) {
    // numeric holds up to 1,000 digits of precision. Without both facets the column is an
    // unconstrained numeric: any value is kept exactly, as sent (PageReader has rounded to a
    // Scale already when there is one).
    constexpr int kMaxPrecision = 1000;
    if (!field.precision || !field.scale)
        return std::nullopt;
    const int scale = std::clamp(*field.scale, 0, kMaxPrecision);
    return DecimalShape{std::clamp(std::max(*field.precision, scale), 1, kMaxPrecision), scale};
}

QByteArray PostgresDestination::quote(const QString& identifier) {
    // Identifiers are checked by SchemaPlanner::isValidIdentifier before they get here; doubling
    // quotes keeps even an unchecked name from ending the quoted identifier.
    QByteArray quoted = identifier.toUtf8();
    quoted.replace('"', "\"\"");
    quoted.prepend('"');
    quoted.append('"');
    return quoted;
}

QByteArray PostgresDestination::qualified(const QString& table) const {
    return quote(m_schema) + '.' + quote(table);
}

QList<PostgresColumnType> PostgresDestination::columnTypes(const TablePlan& table) {
    QList<PostgresColumnType> types;
    const int keyCount = int(std::max<qsizetype>(1, table.primaryKey.size()));
    for (const ColumnPlan& column : table.columns) {
        const Field& field = column.field;
        const bool isKey = table.primaryKey.contains(column.name);
        const bool isIndexed = isKey || column.isParentKey || table.indexes.contains(column.name);
        const int maxLength = field.maxLength && *field.maxLength > 0 ? *field.maxLength : 0;
        PostgresColumnType type;
        switch (column.storage) {
        case ColumnStorage::Integer:
            switch (field.kind) {
            case EdmKind::Byte:
            case EdmKind::SByte:
            case EdmKind::Int16:
                type = {QStringLiteral("smallint"), 0, false};
                break;
            case EdmKind::Int32:
                type = {QStringLiteral("integer"), 0, false};
                break;
            default:
                type = {QStringLiteral("bigint"), 0, false};
                break;
            }
            break;
        case ColumnStorage::Decimal: {
            const auto shape = postgresDecimalShape(field);
            type = {shape ? QStringLiteral("numeric(%1,%2)").arg(shape->precision).arg(shape->scale)
                          : QStringLiteral("numeric"),
                    0, false};
            break;
        }
        case ColumnStorage::Real:
            type = {QStringLiteral("double precision"), 0, false};
            break;
        case ColumnStorage::Boolean:
            type = {QStringLiteral("boolean"), 0, false};
            break;
        case ColumnStorage::Date:
            type = {QStringLiteral("date"), 0, false};
            break;
        case ColumnStorage::Timestamp:
            type = {QStringLiteral("timestamptz"), 0, false};
            break;
        case ColumnStorage::Json:
            type = {QStringLiteral("jsonb"), 0, false};
            break;
        case ColumnStorage::Text:
        case ColumnStorage::LongText:
            if (isIndexed) {
                const int cap = isKey ? kMaxIndexChars / keyCount : kMaxIndexChars;
                type = varcharType(std::min(maxLength > 0 ? maxLength : 255, cap), true);
            } else if (column.storage == ColumnStorage::Text) {
                type = varcharType(std::min(maxLength > 0 ? maxLength : 255, kMaxVarchar), false);
            } else if (maxLength > 0 && maxLength <= kMaxVarchar) {
                // Long values are TOASTed out of the row: PostgreSQL has no row-size limit to meet,
                // so a declared MaxLength is kept as the column's limit.
                type = varcharType(maxLength, false);
            } else {
                type = {QStringLiteral("text"), 0, false};
            }
            break;
        }
        types.append(type);
    }
    return types;
}

namespace {

QByteArray columnDefinition(const PostgresColumnType& type) {
    QByteArray sql = type.sql.toUtf8();
    if (type.byteOrder)
        sql += " COLLATE \"C\"";
    return sql;
}

} // namespace

Expected<bool> PostgresDestination::tableExists(const QString& table) {
    if (m_missing)
        return false;
    auto rows = run("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')",
                    {m_schema.toUtf8(), table.toUtf8()}, QStringLiteral("looking for table %1").arg(table));
    if (!rows)
        return rows.error();
    return !rows->isEmpty();
}

Expected<void> PostgresDestination::loadTableShape(const QString& table, TableShape* shape, bool* exists) {
    *shape = TableShape();
    *exists = false;
    if (m_missing)
        return {};
    auto rows =
        run("SELECT a.attname, t.typname, a.atttypmod FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_type t ON t.oid = a.atttypid "
            "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') "
            "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            {m_schema.toUtf8(), table.toUtf8()}, QStringLiteral("reading the columns of %1").arg(table));
    if (!rows)
        return rows.error();
    for (const auto& row : std::as_const(*rows)) {
        ColumnShape column;
        column.name = QString::fromUtf8(row.at(0).value_or(QByteArray()));
        column.type = QString::fromUtf8(row.at(1).value_or(QByteArray()));
        const int typmod = row.at(2).value_or("-1").toInt();
        if (column.type == u"varchar" && typmod >= 4)
            column.chars = typmod - 4;
        if (column.type == u"numeric" && typmod >= 4)
            column.decimal = DecimalShape{((typmod - 4) >> 16) & 0xffff, (typmod - 4) & 0xffff};
        shape->add(std::move(column));
    }
    *exists = !shape->columns.isEmpty();
    return {};
}

Expected<void> PostgresDestination::checkNames(const TablePlan& table) const {
    const auto tooLong = [](const QString& name) { return name.toUtf8().size() > kMaxIdentifierBytes; };
    if (!SchemaPlanner::isValidIdentifier(table.table) || tooLong(table.table))
        return makeError(QStringLiteral("%1: \"%2\" cannot be a table name (PostgreSQL names have at most "
                                        "63 bytes)")
                             .arg(where(), table.table));
    for (const ColumnPlan& column : table.columns)
        if (!SchemaPlanner::isValidIdentifier(column.name) || tooLong(column.name))
            return makeError(QStringLiteral("%1: \"%2\" cannot be a column name of %3 (PostgreSQL names have "
                                            "at most 63 bytes)")
                                 .arg(where(), column.name, table.table));
    return {};
}

Expected<void> PostgresDestination::createTable(const TablePlan& table) {
    const QList<PostgresColumnType> types = columnTypes(table);
    QByteArray sql = "CREATE TABLE " + qualified(table.table) + " (";
    for (int i = 0; i < table.columns.size(); ++i)
        sql += quote(table.columns.at(i).name) + ' ' + columnDefinition(types.at(i)) + ", ";
    QByteArrayList pk;
    for (const QString& key : table.primaryKey)
        pk.append(quote(key));
    sql += "PRIMARY KEY (" + pk.join(',') + "))";
    // The table and its indexes appear together or not at all.
    return inTransaction<void>([&]() -> Expected<void> {
        if (auto r = query(sql, QStringLiteral("creating table %1").arg(table.table)); !r)
            return r;
        for (const QString& index : table.indexes) {
            // Index names are per schema: the server picks a free one ("Media_ListingKey_idx").
            const QByteArray create = "CREATE INDEX ON " + qualified(table.table) + " (" + quote(index) + ')';
            if (auto r = query(create, QStringLiteral("creating index on %1.%2").arg(table.table, index)); !r)
                return r;
        }
        return {};
    });
}

Expected<void> PostgresDestination::addColumns(const TablePlan& table, const QList<int>& missing) {
    // Nothing is retyped or re-indexed; one statement adds them all.
    const QList<PostgresColumnType> types = columnTypes(table);
    QByteArray sql = "ALTER TABLE " + qualified(table.table) + ' ';
    for (int j = 0; j < missing.size(); ++j) {
        if (j > 0)
            sql += ", ";
        sql += "ADD COLUMN " + quote(table.columns.at(missing.at(j)).name) + ' ' +
               columnDefinition(types.at(missing.at(j)));
    }
    return query(sql, QStringLiteral("adding %1 columns to %2").arg(missing.size()).arg(table.table));
}

Expected<void> PostgresDestination::ensureIndexes(const TablePlan& table, bool created) {
    if (created)
        return {}; // createTable made them
    // Any index led by the column will do, whatever its name.
    auto rows = run("SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0] "
                    "WHERE n.nspname = $1 AND c.relname = $2",
                    {m_schema.toUtf8(), table.table.toUtf8()},
                    QStringLiteral("reading the indexes of %1").arg(table.table));
    if (!rows)
        return rows.error();
    QSet<QString> leading;
    for (const auto& row : std::as_const(*rows))
        leading.insert(QString::fromUtf8(row.at(0).value_or(QByteArray())));
    for (const QString& index : table.indexes) {
        if (leading.contains(index))
            continue;
        const QByteArray sql = "CREATE INDEX ON " + qualified(table.table) + " (" + quote(index) + ')';
        if (auto r = query(sql, QStringLiteral("creating index on %1.%2").arg(table.table, index)); !r)
            return r;
    }
    return {};
}

} // namespace ors
