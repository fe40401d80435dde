// Reading one record back out of a PostgresDestination, for the `record` command, and the child
// rows reconcile compares.
#include "destinations/PostgresDestination.h"

#include "records/Timestamps.h"

#include <QJsonValue>

namespace ors {

namespace {

enum class ReadAs { Integer, Boolean, Real, Timestamp, Text };

// Every value is read in libpq's text format: integers, booleans and doubles are turned back into
// JSON numbers, timestamps are asked for in the contract's form, the rest is text as the server
// writes it (numeric with its scale, date as YYYY-MM-DD, jsonb normalized).
ReadAs readAs(const QString& typeName) {
    if (typeName == u"int2" || typeName == u"int4" || typeName == u"int8")
        return ReadAs::Integer;
    if (typeName == u"bool")
        return ReadAs::Boolean;
    if (typeName == u"float4" || typeName == u"float8")
        return ReadAs::Real;
    if (typeName == u"timestamptz" || typeName == u"timestamp")
        return ReadAs::Timestamp;
    return ReadAs::Text;
}

QJsonValue toJson(const std::optional<QByteArray>& value, ReadAs how) {
    if (!value)
        return QJsonValue();
    switch (how) {
    case ReadAs::Integer:
        return QJsonValue(value->toLongLong());
    case ReadAs::Boolean:
        return QJsonValue(*value == "t" ? 1 : 0);
    case ReadAs::Real:
        return QJsonValue(value->toDouble());
    case ReadAs::Timestamp: {
        auto normalized = normalizeTimestamp(std::string_view(value->constData(), size_t(value->size())));
        return QString::fromUtf8(normalized ? *normalized : *value);
    }
    case ReadAs::Text:
        break;
    }
    return QString::fromUtf8(*value);
}

} // namespace

Expected<std::optional<PostgresDestination::TableInfo>>
PostgresDestination::readableTable(const TablePlan& table, const QString& column) {
    if (m_missing)
        return std::optional<TableInfo>();
    TableInfo info;
    bool exists = false;
    if (auto r = loadTableInfo(table.table, &info, &exists); !r)
        return r.error();
    if (!exists || !info.columns.contains(column))
        return std::optional<TableInfo>();
    return std::optional<TableInfo>(std::move(info));
}

Expected<QList<QJsonObject>> PostgresDestination::readRows(const TablePlan& table, const QString& whereColumn,
                                                           const QByteArray& value) {
    QList<QJsonObject> rows;
    auto readable = readableTable(table, whereColumn);
    if (!readable)
        return readable.error();
    if (!*readable)
        return rows;
    const TableInfo& info = **readable;
    // Only the plan's columns the table really has: one added to the metadata since the last
    // sync is reported as missing rather than failing the whole read.
    QList<const ColumnPlan*> columns;
    QList<ReadAs> kinds;
    QByteArray sql = "SELECT ";
    for (const ColumnPlan& column : table.columns) {
        auto it = info.columns.constFind(column.name);
        if (it == info.columns.constEnd())
            continue;
        const ReadAs how = readAs(it->typeName);
        if (!columns.isEmpty())
            sql += ", ";
        sql += how == ReadAs::Timestamp ? timestampText(quote(column.name)) : quote(column.name);
        columns.append(&column);
        kinds.append(how);
    }
    if (columns.isEmpty())
        return rows;
    // Keys and parent keys are COLLATE "C": `=` matches byte for byte and the index serves it.
    sql += " FROM " + qualified(table.table) + " WHERE " + quote(whereColumn) + " = $1 ORDER BY " +
           quote(table.columns.at(table.keyColumn).name);
    auto result =
        run(sql, {value}, QStringLiteral("reading %1 %2").arg(table.table, QString::fromUtf8(value)));
    if (!result)
        return result.error();
    for (const auto& row : std::as_const(*result)) {
        QJsonObject object;
        for (int i = 0; i < columns.size(); ++i)
            object.insert(columns.at(i)->name, toJson(row.at(i), kinds.at(i)));
        rows.append(std::move(object));
    }
    return rows;
}

Expected<QList<ChildKeyRow>> PostgresDestination::childKeys(const TablePlan& table,
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
    const QByteArray parent = quote(parentColumn);
    QByteArray sql = "SELECT " + parent + ", " + quote(table.columns.at(table.keyColumn).name) + ", ";
    const bool hasTimestamp = table.timestampColumn >= 0 &&
                              (*readable)->columns.contains(table.columns.at(table.timestampColumn).name);
    sql += hasTimestamp ? timestampText(quote(table.columns.at(table.timestampColumn).name))
                        : QByteArray("NULL");
    // The parent key column is COLLATE "C" and indexed: the index serves the range and the
    // order (rows of one parent in any order: the digest does not mind).
    sql += " FROM " + qualified(table.table) + " WHERE " + parent;
    QByteArrayList params;
    const std::optional<QByteArray>& bound = onlyParent ? onlyParent : afterParent;
    if (bound) {
        sql += onlyParent ? " = $1" : " > $1";
        params.append(*bound);
    } else {
        sql += " IS NOT NULL";
    }
    sql += " ORDER BY " + parent;
    if (!onlyParent)
        sql += " LIMIT " + QByteArray::number(limit);
    auto result =
        run(sql, params, QStringLiteral("reading the rows of %1 by %2").arg(table.table, parentColumn));
    if (!result)
        return result.error();
    rows.reserve(result->size());
    for (const auto& row : std::as_const(*result)) {
        ChildKeyRow child;
        child.parent = row.at(0).value_or(QByteArray());
        child.key = row.at(1).value_or(QByteArray());
        if (row.at(2))
            child.timestamp = *row.at(2);
        rows.append(std::move(child));
    }
    return rows;
}

} // namespace ors
