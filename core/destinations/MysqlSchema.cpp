// Schema management of MysqlDestination: the catalog, CREATE TABLE, the one ALTER TABLE of a
// metadata change, and indexes.
#include "destinations/MysqlDestination.h"
#include "destinations/OverflowPlacement.h"

#include "logging/LogCategories.h"
#include "records/SchemaPlanner.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace ors {

namespace {

// The server refuses a row whose fixed part (TEXT/BLOB pointers only) exceeds 65,535 bytes; keep
// room for the null bitmap and the record header.
constexpr int kRowLimit = 65535;
constexpr int kRowMargin = 1024;

} // namespace

QString MysqlDestination::columnDefinition(const MysqlColumnType& type) const {
    QString sql = type.sql;
    if (type.binaryCollation)
        sql += QStringLiteral(" CHARACTER SET utf8mb4 COLLATE ") + m_keyCollation;
    return sql + QStringLiteral(" NULL");
}

Expected<bool> MysqlDestination::tableExists(const QString& table) {
    if (m_missing)
        return false;
    QSqlQuery q(connection());
    q.prepare(QStringLiteral("SELECT TABLE_NAME FROM information_schema.TABLES "
                             "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"));
    q.addBindValue(table);
    if (!q.exec())
        return makeError(QStringLiteral("%1: looking for table %2 failed: %3")
                             .arg(where(), table, q.lastError().databaseText()));
    // Names compare case-sensitively on some servers (lower_case_table_names=0) and not on others.
    while (q.next())
        if (q.value(0).toString().compare(table, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

Expected<void> MysqlDestination::loadColumns(const QString& table, TableShape* shape, bool* exists) {
    QSqlQuery q(connection());
    q.prepare(
        QStringLiteral("SELECT COLUMN_NAME, DATA_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, "
                       "CHARACTER_OCTET_LENGTH, CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS "
                       "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION"));
    q.addBindValue(table);
    if (!q.exec())
        return makeError(QStringLiteral("%1: reading the columns of %2 failed: %3")
                             .arg(where(), table, q.lastError().databaseText()));
    *shape = TableShape();
    shape->foldCase = true; // MySQL column names compare case-insensitively
    while (q.next()) {
        ColumnShape column;
        column.name = q.value(0).toString();
        column.type = q.value(1).toString().toLower();
        if (column.type == u"decimal")
            column.decimal = DecimalShape{q.value(2).toInt(), q.value(3).toInt()};
        column.octets = q.value(4).toLongLong();
        if (column.type == u"varchar")
            column.chars = q.value(5).toInt();
        shape->add(std::move(column));
    }
    *exists = !shape->columns.isEmpty();
    return {};
}

Expected<void> MysqlDestination::checkNames(const TablePlan& table) const {
    if (!SchemaPlanner::isValidIdentifier(table.table))
        return makeError(QStringLiteral("%1: \"%2\" cannot be a table name").arg(where(), table.table));
    for (const ColumnPlan& column : table.columns)
        if (!SchemaPlanner::isValidIdentifier(column.name))
            return makeError(QStringLiteral("%1: \"%2\" cannot be a column name of %3")
                                 .arg(where(), column.name, table.table));
    return {};
}

QByteArray MysqlDestination::overflowDefinition() const {
    // LONGTEXT checked as JSON rather than MySQL 8's JSON type, which parses numbers into doubles:
    // decimals keep exactly their digits. Like any long column it leaves at most 42 bytes in the
    // row.
    return "LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL CHECK (JSON_VALID(" +
           quote(OverflowPlacement::column()) + "))";
}

Expected<void> MysqlDestination::createServerTable(const TablePlan& table, const QList<int>& columns,
                                                   bool withOverflow) {
    // The types of the columns the row keeps, fitted to the server's 65,535-byte limit together.
    const TablePlan inRow = OverflowPlacement::subset(table, columns);
    const QList<MysqlColumnType> types = columnTypes(inRow);
    QByteArray sql = "CREATE TABLE " + quote(table.table) + " (";
    for (int i = 0; i < inRow.columns.size(); ++i)
        sql += quote(inRow.columns.at(i).name) + ' ' + columnDefinition(types.at(i)).toUtf8() + ", ";
    if (withOverflow)
        sql += quote(OverflowPlacement::column()) + ' ' + overflowDefinition() + ", ";
    QByteArrayList pk;
    for (const QString& key : table.primaryKey)
        pk.append(quote(key));
    sql += "PRIMARY KEY (" + pk.join(',') + ')';
    for (const QString& index : table.indexes)
        sql += ", KEY " + quote(index) + " (" + quote(index) + ')';
    // The server's default collation for the rest: case-insensitive comparisons, which is what
    // people querying their own data expect; keys compare byte for byte.
    sql += ") ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4";
    return runSchemaStatement(sql, QStringLiteral("creating table %1").arg(table.table));
}

Expected<void> MysqlDestination::alterServerTable(const TablePlan& table, const QList<int>& add,
                                                  bool addOverflow, const QList<ColumnChange>& changes) {
    // Nothing is re-indexed; the existing row plus the new columns must still fit the server's
    // row limit.
    int rowBytes = (int(m_shape.columns.size() + add.size()) + 8) / 8;
    for (const ColumnShape& column : std::as_const(m_shape.columns))
        rowBytes += rowBytesOf(column);
    QList<MysqlColumnType> addTypes;
    for (int i : add) {
        addTypes.append(columnType(table, i));
        rowBytes += addTypes.last().rowBytes;
    }
    for (MysqlColumnType& type : addTypes) {
        if (rowBytes <= kRowLimit - kRowMargin)
            break;
        if (type.varcharChars > 0 && !type.binaryCollation) {
            const MysqlColumnType text = textColumnType(type.varcharChars);
            rowBytes += text.rowBytes - type.rowBytes;
            type = text;
        }
    }
    QByteArrayList parts;
    for (int j = 0; j < add.size(); ++j)
        parts.append("ADD COLUMN " + quote(table.columns.at(add.at(j)).name) + ' ' +
                     columnDefinition(addTypes.at(j)).toUtf8());
    if (addOverflow)
        parts.append("ADD COLUMN " + quote(OverflowPlacement::column()) + ' ' + overflowDefinition());
    for (const ColumnChange& change : changes)
        parts.append("MODIFY COLUMN " + quote(table.columns.at(change.column).name) + ' ' +
                     change.definition);
    // One statement: the table is rebuilt (or its definition changed) once.
    return runSchemaStatement("ALTER TABLE " + quote(table.table) + ' ' + parts.join(", "),
                              QStringLiteral("changing the columns of %1").arg(table.table));
}

Expected<void> MysqlDestination::ensureIndexes(const TablePlan& table, bool created) {
    if (created)
        return {}; // CREATE TABLE declared them
    // Any index led by the column will do, whatever its name.
    QSqlQuery q(connection());
    q.prepare(QStringLiteral("SELECT COLUMN_NAME FROM information_schema.STATISTICS "
                             "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND SEQ_IN_INDEX = 1"));
    q.addBindValue(table.table);
    if (!q.exec())
        return makeError(QStringLiteral("%1: reading the indexes of %2 failed: %3")
                             .arg(where(), table.table, q.lastError().databaseText()));
    QSet<QString> leading;
    while (q.next())
        leading.insert(q.value(0).toString().toLower());
    q.finish();
    for (const QString& index : table.indexes) {
        if (leading.contains(index.toLower()))
            continue;
        const QByteArray sql =
            "ALTER TABLE " + quote(table.table) + " ADD KEY " + quote(index) + " (" + quote(index) + ')';
        if (auto r =
                runSchemaStatement(sql, QStringLiteral("creating index on %1.%2").arg(table.table, index));
            !r)
            return r;
    }
    return {};
}

} // namespace ors
