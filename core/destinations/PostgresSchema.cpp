// Schema management of PostgresDestination: what the catalog says about an existing table, CREATE
// TABLE, the one ALTER TABLE of a metadata change, and indexes.
#include "destinations/OverflowPlacement.h"
#include "destinations/PostgresDestination.h"

#include "records/SchemaPlanner.h"

#include <QSet>

namespace ors {

namespace {

// PostgreSQL cuts longer identifiers (NAMEDATALEN - 1) with only a NOTICE.
constexpr int kMaxIdentifierBytes = 63;

} // namespace

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

Expected<void> PostgresDestination::loadColumns(const QString& table, TableShape* shape, bool* exists) {
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

Expected<void> PostgresDestination::createServerTable(const TablePlan& table, const QList<int>& columns,
                                                      bool withOverflow) {
    const QList<PostgresColumnType> types = columnTypes(table);
    QByteArray sql = "CREATE TABLE " + qualified(table.table) + " (";
    for (int i : columns)
        sql += quote(table.columns.at(i).name) + ' ' + columnDefinition(types.at(i)) + ", ";
    if (withOverflow)
        sql += quote(OverflowPlacement::column()) + " jsonb, ";
    QByteArrayList pk;
    for (const QString& key : table.primaryKey)
        pk.append(quote(key));
    sql += "PRIMARY KEY (" + pk.join(',') + "))";
    // The table and its indexes appear together or not at all.
    return inTransaction<void>([&]() -> Expected<void> {
        if (auto r = runSchemaStatement(sql, QStringLiteral("creating table %1").arg(table.table)); !r)
            return r;
        for (const QString& index : table.indexes) {
            // Index names are per schema: the server picks a free one ("Media_ListingKey_idx").
            const QByteArray create = "CREATE INDEX ON " + qualified(table.table) + " (" + quote(index) + ')';
            if (auto r = runSchemaStatement(
                    create, QStringLiteral("creating index on %1.%2").arg(table.table, index));
                !r)
                return r;
        }
        return {};
    });
}

Expected<void> PostgresDestination::createSharedTable(const QByteArray& create, const QString& what) {
    // CREATE TABLE IF NOT EXISTS is not race-free in PostgreSQL: two sessions that both find the
    // name free both insert it into the catalog, and the later fails (23505 on pg_type, or
    // 42P07). A transaction-scoped advisory lock per schema makes them take turns; the one that
    // waited then finds the table committed and creates nothing. (Advisory locks are per database.)
    const QByteArray lockName = "openresync.placement." + m_schema.toUtf8();
    return inTransaction<void>([&]() -> Expected<void> {
        if (auto r =
                run("SELECT pg_advisory_xact_lock(hashtext($1))", {lockName},
                    QStringLiteral("waiting for the lock on %1").arg(OverflowPlacement::placementTable()));
            !r)
            return r.error();
        return runSchemaStatement(create, what);
    });
}

Expected<void> PostgresDestination::alterServerTable(const TablePlan& table, const QList<int>& add,
                                                     bool addOverflow, const QList<ColumnChange>& changes) {
    // One statement adds the columns and widens the others.
    const QList<PostgresColumnType> types = columnTypes(table);
    QByteArrayList parts;
    for (int i : add)
        parts.append("ADD COLUMN " + quote(table.columns.at(i).name) + ' ' + columnDefinition(types.at(i)));
    if (addOverflow)
        parts.append("ADD COLUMN " + quote(OverflowPlacement::column()) + " jsonb");
    for (const ColumnChange& change : changes)
        parts.append("ALTER COLUMN " + quote(table.columns.at(change.column).name) + " TYPE " +
                     change.definition);
    return runSchemaStatement("ALTER TABLE " + qualified(table.table) + ' ' + parts.join(", "),
                              QStringLiteral("changing the columns of %1").arg(table.table));
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
        if (auto r =
                runSchemaStatement(sql, QStringLiteral("creating index on %1.%2").arg(table.table, index));
            !r)
            return r;
    }
    return {};
}

} // namespace ors
