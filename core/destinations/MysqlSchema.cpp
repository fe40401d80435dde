// Schema management of MysqlDestination: column types, CREATE TABLE, added columns and indexes.
#include "destinations/MysqlDestination.h"

#include "logging/LogCategories.h"
#include "records/SchemaPlanner.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace ors {

namespace {

// utf8mb4 takes up to 4 bytes a character and InnoDB index keys at most 3,072 bytes.
constexpr int kMaxIndexChars = 768;
// The server refuses a row whose fixed part (TEXT/BLOB pointers only) exceeds 65,535 bytes; keep
// room for the null bitmap and the record header.
constexpr int kRowLimit = 65535;
constexpr int kRowMargin = 1024;
// TEXT holds 65,535 bytes: 16,383 four-byte characters.
constexpr int kTextMaxChars = 16383;

int decimalBytes(int digits) {
    static constexpr int kLeftover[] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    return digits / 9 * 4 + kLeftover[digits % 9];
}

int varcharBytes(int chars) {
    const int bytes = chars * 4;
    return bytes + (bytes > 255 ? 2 : 1);
}

MysqlColumnType textType(int maxChars) {
    if (maxChars > 0 && maxChars <= kTextMaxChars)
        return {QStringLiteral("TEXT"), 10, 0, false};
    return {QStringLiteral("MEDIUMTEXT"), 11, 0, false};
}

MysqlColumnType varcharType(int chars, bool binary) {
    return {QStringLiteral("VARCHAR(%1)").arg(chars), varcharBytes(chars), chars, binary};
}

} // namespace

DecimalShape mysqlDecimalShape(const Field& field) {
    // MySQL allows DECIMAL(65,30) at most. Without facets the widest type holds any realistic
    // value exactly; a precision with variable scale may put all its digits on either side.
    constexpr int kMaxPrecision = 65;
    constexpr int kMaxScale = 30;
    const auto clampInt = [](int v, int lo, int hi) { return std::min(std::max(v, lo), hi); };
    if (!field.precision && !field.scale)
        return {kMaxPrecision, kMaxScale};
    if (!field.scale) {
        const int p = clampInt(*field.precision, 1, kMaxPrecision);
        const int s = std::min(p, kMaxScale);
        return {std::min(kMaxPrecision, p + s), s};
    }
    const int s = clampInt(*field.scale, 0, kMaxScale);
    if (!field.precision)
        return {kMaxPrecision, s};
    return {clampInt(std::max(*field.precision, s), 1, kMaxPrecision), s};
}

QByteArray MysqlDestination::quote(const QString& identifier) {
    // Identifiers are checked by SchemaPlanner::isValidIdentifier before they get here; doubling
    // backticks keeps even an unchecked name from ending the quoted identifier.
    QByteArray quoted = identifier.toUtf8();
    quoted.replace('`', "``");
    quoted.prepend('`');
    quoted.append('`');
    return quoted;
}

QList<MysqlColumnType> MysqlDestination::columnTypes(const TablePlan& table) {
    QList<MysqlColumnType> types;
    QList<bool> indexed;
    const int keyCount = int(std::max<qsizetype>(1, table.primaryKey.size()));
    for (const ColumnPlan& column : table.columns) {
        const Field& field = column.field;
        const bool isKey = table.primaryKey.contains(column.name);
        const bool isIndexed = isKey || column.isParentKey || table.indexes.contains(column.name);
        indexed.append(isIndexed);
        const int maxLength = field.maxLength && *field.maxLength > 0 ? *field.maxLength : 0;
        MysqlColumnType type;
        switch (column.storage) {
        case ColumnStorage::Integer:
            switch (field.kind) {
            case EdmKind::Byte:
                type = {QStringLiteral("TINYINT UNSIGNED"), 1, 0, false};
                break;
            case EdmKind::SByte:
                type = {QStringLiteral("TINYINT"), 1, 0, false};
                break;
            case EdmKind::Int16:
                type = {QStringLiteral("SMALLINT"), 2, 0, false};
                break;
            case EdmKind::Int32:
                type = {QStringLiteral("INT"), 4, 0, false};
                break;
            default:
                type = {QStringLiteral("BIGINT"), 8, 0, false};
                break;
            }
            break;
        case ColumnStorage::Decimal: {
            const DecimalShape shape = mysqlDecimalShape(field);
            type = {QStringLiteral("DECIMAL(%1,%2)").arg(shape.precision).arg(shape.scale),
                    decimalBytes(shape.precision - shape.scale) + decimalBytes(shape.scale), 0, false};
            break;
        }
        case ColumnStorage::Real:
            type = {QStringLiteral("DOUBLE"), 8, 0, false};
            break;
        case ColumnStorage::Boolean:
            type = {QStringLiteral("TINYINT(1)"), 1, 0, false};
            break;
        case ColumnStorage::Date:
            type = {QStringLiteral("DATE"), 3, 0, false};
            break;
        case ColumnStorage::Timestamp:
            type = {QStringLiteral("DATETIME(3)"), 7, 0, false};
            break;
        case ColumnStorage::Json:
            type = {QStringLiteral("LONGTEXT"), 12, 0, false};
            break;
        case ColumnStorage::Text:
        case ColumnStorage::LongText:
            if (isIndexed) {
                // Keys and indexed columns must be VARCHAR to be indexed whole; a composite key
                // shares the 3,072-byte index limit.
                const int cap = isKey ? kMaxIndexChars / keyCount : kMaxIndexChars;
                type = varcharType(std::min(maxLength > 0 ? maxLength : 255, cap), true);
            } else if (column.storage == ColumnStorage::Text) {
                type = varcharType(std::min(maxLength > 0 ? maxLength : 255, kTextMaxChars), false);
            } else {
                type = textType(maxLength);
            }
            break;
        }
        types.append(type);
    }

    // Wide tables (the RESO Property has 600+ fields) exceed the server's row limit with every
    // short string as VARCHAR: the widest unindexed ones become TEXT, which only keep a pointer.
    int total = (int(table.columns.size()) + 7) / 8;
    for (const MysqlColumnType& type : std::as_const(types))
        total += type.rowBytes;
    QList<int> candidates;
    for (int i = 0; i < types.size(); ++i)
        if (types.at(i).varcharChars > 0 && !indexed.at(i))
            candidates.append(i);
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](int a, int b) { return types.at(a).varcharChars > types.at(b).varcharChars; });
    for (int i : std::as_const(candidates)) {
        if (total <= kRowLimit - kRowMargin)
            break;
        const MysqlColumnType text = textType(types.at(i).varcharChars);
        total += text.rowBytes - types.at(i).rowBytes;
        types[i] = text;
    }
    return types;
}

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

Expected<void> MysqlDestination::loadTableShape(const QString& table, TableShape* shape, bool* exists) {
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

namespace {

// What an existing column costs in the server's 65,535-byte row limit, as columnTypes() counts it.
int rowBytesOf(const ColumnShape& column) {
    static const QHash<QString, int> fixed = {
        {QStringLiteral("tinyint"), 1},   {QStringLiteral("smallint"), 2}, {QStringLiteral("mediumint"), 3},
        {QStringLiteral("int"), 4},       {QStringLiteral("bigint"), 8},   {QStringLiteral("double"), 8},
        {QStringLiteral("float"), 4},     {QStringLiteral("date"), 3},     {QStringLiteral("datetime"), 8},
        {QStringLiteral("timestamp"), 7}, {QStringLiteral("time"), 6},     {QStringLiteral("year"), 1},
    };
    if (column.type == u"varchar" || column.type == u"varbinary")
        return int(column.octets) + (column.octets > 255 ? 2 : 1);
    if (column.type == u"char" || column.type == u"binary")
        return int(column.octets);
    if (column.type == u"decimal" && column.decimal)
        return decimalBytes(column.decimal->precision - column.decimal->scale) +
               decimalBytes(column.decimal->scale);
    return fixed.value(column.type, 12);
}

} // namespace

Expected<void> MysqlDestination::checkNames(const TablePlan& table) const {
    if (!SchemaPlanner::isValidIdentifier(table.table))
        return makeError(QStringLiteral("%1: \"%2\" cannot be a table name").arg(where(), table.table));
    for (const ColumnPlan& column : table.columns)
        if (!SchemaPlanner::isValidIdentifier(column.name))
            return makeError(QStringLiteral("%1: \"%2\" cannot be a column name of %3")
                                 .arg(where(), column.name, table.table));
    return {};
}

Expected<void> MysqlDestination::createTable(const TablePlan& table) {
    const QList<MysqlColumnType> types = columnTypes(table);
    QByteArray sql = "CREATE TABLE " + quote(table.table) + " (";
    for (int i = 0; i < table.columns.size(); ++i)
        sql += quote(table.columns.at(i).name) + ' ' + columnDefinition(types.at(i)).toUtf8() + ", ";
    QByteArrayList pk;
    for (const QString& key : table.primaryKey)
        pk.append(quote(key));
    sql += "PRIMARY KEY (" + pk.join(',') + ')';
    for (const QString& index : table.indexes)
        sql += ", KEY " + quote(index) + " (" + quote(index) + ')';
    // The server's default collation for the rest: case-insensitive comparisons, which is what
    // people querying their own data expect; keys compare byte for byte.
    sql += ") ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4";
    return query(sql, QStringLiteral("creating table %1").arg(table.table));
}

Expected<void> MysqlDestination::addColumns(const TablePlan& table, const QList<int>& missing) {
    // Nothing is retyped or re-indexed; the existing row plus the new columns must still fit the
    // server's row limit.
    const QList<MysqlColumnType> types = columnTypes(table);
    int rowBytes = (int(m_shape.columns.size()) + 7) / 8;
    for (const ColumnShape& column : std::as_const(m_shape.columns))
        rowBytes += rowBytesOf(column);
    QList<MysqlColumnType> addTypes;
    for (int i : missing) {
        addTypes.append(types.at(i));
        rowBytes += types.at(i).rowBytes + 1;
    }
    for (MysqlColumnType& type : addTypes) {
        if (rowBytes <= kRowLimit - kRowMargin)
            break;
        if (type.varcharChars > 0 && !type.binaryCollation) {
            const MysqlColumnType text = textType(type.varcharChars);
            rowBytes += text.rowBytes - type.rowBytes;
            type = text;
        }
    }
    QByteArray sql = "ALTER TABLE " + quote(table.table) + ' ';
    for (int j = 0; j < missing.size(); ++j) {
        if (j > 0)
            sql += ", ";
        sql += "ADD COLUMN " + quote(table.columns.at(missing.at(j)).name) + ' ' +
               columnDefinition(addTypes.at(j)).toUtf8();
    }
    return query(sql, QStringLiteral("adding %1 columns to %2").arg(missing.size()).arg(table.table));
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
        if (auto r = query(sql, QStringLiteral("creating index on %1.%2").arg(table.table, index)); !r)
            return r;
    }
    return {};
}

} // namespace ors
