// Reading from a SqlTextDestination: counts, the newest timestamp, keyset reads of keys and child
// keys, and one record back for the `record` command. Every value comes back as text.
#include "destinations/SqlTextDestination.h"

#include "records/Timestamps.h"

#include <QJsonValue>

namespace ors {

namespace {

// "2024-05-01 10:00:00.123" (a DATETIME, UTC by construction) -> "2024-05-01T10:00:00.123Z";
// nullopt when the text is no timestamp.
std::optional<QByteArray> normalizedStored(const QByteArray& text) {
    QByteArray contract = text;
    if (!contract.endsWith('Z')) {
        contract.replace(' ', 'T');
        contract.append('Z');
    }
    return normalizeTimestamp(std::string_view(contract.constData(), size_t(contract.size())));
}

// How a field kept in _overflow reads: as its column would.
SqlTextDestination::ReadAs overflowReadAs(ColumnStorage storage) {
    switch (storage) {
    case ColumnStorage::Integer:
        return SqlTextDestination::ReadAs::Integer;
    case ColumnStorage::Boolean:
        return SqlTextDestination::ReadAs::Boolean;
    case ColumnStorage::Real:
        return SqlTextDestination::ReadAs::Real;
    case ColumnStorage::Timestamp:
        return SqlTextDestination::ReadAs::Timestamp;
    default:
        return SqlTextDestination::ReadAs::Text;
    }
}

} // namespace

QByteArray SqlTextDestination::storedTimestamp(const QByteArray& text) {
    return normalizedStored(text).value_or(text);
}

QJsonValue SqlTextDestination::toJson(const std::optional<QByteArray>& value, ReadAs how) const {
    if (!value)
        return QJsonValue();
    switch (how) {
    case ReadAs::Integer:
        return QJsonValue(value->toLongLong());
    case ReadAs::Boolean:
        return QJsonValue(*value == "t" || *value == "true" || *value == "1" ? 1 : 0);
    case ReadAs::Real:
        return QJsonValue(value->toDouble());
    case ReadAs::Timestamp:
        return QString::fromUtf8(storedTimestamp(*value));
    case ReadAs::Text:
        break;
    }
    return QString::fromUtf8(*value);
}

Expected<qint64> SqlTextDestination::count(const TablePlan& table) {
    auto exists = tableExists(table.table);
    if (!exists)
        return exists.error();
    if (!*exists)
        return qint64(0);
    auto rows = selectText("SELECT COUNT(*) FROM " + tableRef(table.table),
                           QStringLiteral("counting %1").arg(table.table));
    if (!rows)
        return rows.error();
    return rows->isEmpty() ? 0 : rows->first().first().value_or("0").toLongLong();
}

Expected<std::optional<QByteArray>> SqlTextDestination::newestTimestamp(const TablePlan& table) {
    if (table.timestampColumn < 0)
        return std::optional<QByteArray>();
    const QString column = table.columns.at(table.timestampColumn).name;
    auto readable = readableTable(table, column);
    if (!readable)
        return readable.error();
    if (!*readable)
        return std::optional<QByteArray>();
    // The newest row by the column's index, asked for as such rather than as MAX(): PostgreSQL
    // plans MAX() on a table it has not analyzed yet (right after a large load, before autovacuum
    // gets to it) as an aggregate over the whole index with a heap fetch per row, 0.2-0.3 s at
    // 100,000 listings at the start of every sync, where this takes a millisecond whatever the
    // statistics say.
    const QByteArray quoted = quoteIdentifier(column);
    auto rows = selectText("SELECT " + timestampExpression(quoted) + " FROM " + tableRef(table.table) +
                               " WHERE " + quoted + " IS NOT NULL ORDER BY " + quoted + " DESC LIMIT 1",
                           QStringLiteral("reading newest %1.%2").arg(table.table, column));
    if (!rows)
        return rows.error();
    if (rows->isEmpty() || !rows->first().first())
        return std::optional<QByteArray>();
    const QByteArray& text = *rows->first().first();
    if (auto normalized = normalizedStored(text))
        return std::optional<QByteArray>(std::move(*normalized));
    return makeError(QStringLiteral("%1: the newest %2.%3 \"%4\" is not a timestamp")
                         .arg(where(), table.table, column, QString::fromUtf8(text)));
}

Expected<QList<KeyRecord>> SqlTextDestination::keysAfter(const TablePlan& table,
                                                         const std::optional<QByteArray>& afterKey, int limit,
                                                         const QStringList& timestampColumns) {
    QList<KeyRecord> keys;
    const QString keyColumn = table.columns.at(table.keyColumn).name;
    auto readable = readableTable(table, keyColumn);
    if (!readable)
        return readable.error();
    if (!*readable)
        return keys;
    const QByteArray key = quoteIdentifier(keyColumn);
    QByteArray sql = "SELECT " + key;
    // Timestamps are asked for by field name; a case twin's column has another name.
    for (const QString& ts : timestampColumns) {
        const QString column = table.fieldIndex(ts) >= 0 ? table.columnFor(ts) : QString();
        if (!column.isEmpty() && (*readable)->has(column))
            sql += ", " + timestampExpression(quoteIdentifier(column));
        else if (!column.isEmpty() && (*readable)->inOverflow(column))
            sql += ", " + overflowExpression(column, ColumnStorage::Timestamp);
        else
            sql += ", NULL";
    }
    // The key column is declared in byte order (a binary collation, COLLATE "C"), so the primary
    // key index serves the range and the order; a COLLATE here would force a sort of the whole
    // table per page.
    sql += " FROM " + tableRef(table.table);
    if (afterKey) {
        sql += " WHERE " + key + " > ";
        appendLiteral(sql, *afterKey);
    }
    sql += " ORDER BY " + key + " LIMIT " + QByteArray::number(limit);
    auto rows = selectText(sql, QStringLiteral("reading keys of %1").arg(table.table));
    if (!rows)
        return rows.error();
    keys.reserve(rows->size());
    for (const auto& row : std::as_const(*rows)) {
        KeyRecord record;
        record.key = row.at(0).value_or(QByteArray());
        for (int i = 0; i < timestampColumns.size() && i < KeyRecord::TimestampCount; ++i)
            if (row.at(i + 1))
                record.timestamps[size_t(i)] = storedTimestamp(*row.at(i + 1));
        keys.append(std::move(record));
    }
    return keys;
}

Expected<QList<ChildKeyRow>> SqlTextDestination::childKeys(const TablePlan& table,
                                                           const QString& parentColumn,
                                                           const std::optional<QByteArray>& afterParent,
                                                           const std::optional<QByteArray>& onlyParent,
                                                           int limit) {
    QList<ChildKeyRow> rows;
    auto readable = readableTable(table, parentColumn);
    if (!readable)
        return readable.error();
    if (!*readable)
        return rows;
    const QByteArray parent = quoteIdentifier(parentColumn);
    QByteArray sql =
        "SELECT " + parent + ", " + quoteIdentifier(table.columns.at(table.keyColumn).name) + ", ";
    const bool hasTimestamp =
        table.timestampColumn >= 0 && (*readable)->has(table.columns.at(table.timestampColumn).name);
    sql += hasTimestamp ? timestampExpression(quoteIdentifier(table.columns.at(table.timestampColumn).name))
                        : QByteArray("NULL");
    // The parent key column is declared in byte order and indexed: the index serves the range and
    // the order (rows of one parent in any order: the digest does not mind).
    sql += " FROM " + tableRef(table.table) + " WHERE " + parent;
    const std::optional<QByteArray>& bound = onlyParent ? onlyParent : afterParent;
    if (bound) {
        sql += onlyParent ? " = " : " > ";
        appendLiteral(sql, *bound);
    } else {
        sql += " IS NOT NULL";
    }
    sql += " ORDER BY " + parent;
    if (!onlyParent)
        sql += " LIMIT " + QByteArray::number(limit);
    auto result =
        selectText(sql, QStringLiteral("reading the rows of %1 by %2").arg(table.table, parentColumn));
    if (!result)
        return result.error();
    rows.reserve(result->size());
    for (const auto& row : std::as_const(*result)) {
        ChildKeyRow child;
        child.parent = row.at(0).value_or(QByteArray());
        child.key = row.at(1).value_or(QByteArray());
        if (row.at(2))
            child.timestamp = storedTimestamp(*row.at(2));
        rows.append(std::move(child));
    }
    return rows;
}

Expected<QList<QJsonObject>> SqlTextDestination::readRows(const TablePlan& table, const QString& whereColumn,
                                                          const QByteArray& value) {
    QList<QJsonObject> rows;
    auto readable = readableTable(table, whereColumn);
    if (!readable)
        return readable.error();
    if (!*readable)
        return rows;
    const TableShape& shape = **readable;
    // Only the plan's columns the table really has (or keeps in _overflow): one added to the
    // metadata since the last sync is reported as missing rather than failing the whole read.
    QList<const ColumnPlan*> columns;
    QList<ReadAs> kinds;
    int whereIndex = -1;
    QByteArray sql = "SELECT ";
    for (const ColumnPlan& column : table.columns) {
        const ColumnShape* existing = shape.find(column.name);
        const bool overflow = !existing && shape.inOverflow(column.name);
        if (!existing && !overflow)
            continue;
        const ReadAs how = existing ? readAs(*existing) : overflowReadAs(column.storage);
        if (!columns.isEmpty())
            sql += ", ";
        if (overflow)
            sql += overflowExpression(column.name, column.storage);
        else
            sql += how == ReadAs::Timestamp ? timestampExpression(quoteIdentifier(column.name))
                                            : quoteIdentifier(column.name);
        if (column.name.compare(whereColumn, shape.foldCase ? Qt::CaseInsensitive : Qt::CaseSensitive) == 0)
            whereIndex = int(columns.size());
        columns.append(&column);
        kinds.append(how);
    }
    if (columns.isEmpty())
        return rows;
    // Keys and parent keys are declared in byte order: `=` matches byte for byte and the index
    // serves it (a COLLATE here would make the server scan the table).
    sql += " FROM " + tableRef(table.table) + " WHERE " + quoteIdentifier(whereColumn) + " = ";
    appendLiteral(sql, value);
    sql += " ORDER BY " + quoteIdentifier(table.columns.at(table.keyColumn).name);
    auto result = selectText(sql, QStringLiteral("reading %1 %2").arg(table.table, QString::fromUtf8(value)));
    if (!result)
        return result.error();
    for (const auto& row : std::as_const(*result)) {
        // A table created by hand with a case-insensitive collation still must not match "a1" for "A1".
        if (whereIndex >= 0 && row.at(whereIndex).value_or(QByteArray()) != value)
            continue;
        QJsonObject object;
        for (int i = 0; i < columns.size(); ++i)
            object.insert(columns.at(i)->name, toJson(row.at(i), kinds.at(i)));
        rows.append(std::move(object));
    }
    return rows;
}

} // namespace ors
