// Reading one record back out of a MysqlDestination, for the `record` command, and the child
// rows reconcile compares.
#include "destinations/MysqlDestination.h"
#include "records/Timestamps.h"

#include "records/Rows.h"

#include <QJsonArray>
#include <QSqlError>
#include <QSqlQuery>

namespace ors {

namespace {

enum class ReadAs { Native, Text, Timestamp };

// Qt 6.4's QMYSQL hands DECIMAL over as a double and DATETIME as a local-time QDateTime, so
// those (and DATE/TIME, for a stable text form) are cast to CHAR in SQL and read as text.
ReadAs readAs(const QString& dataType) {
    if (dataType == u"datetime" || dataType == u"timestamp")
        return ReadAs::Timestamp;
    if (dataType == u"decimal" || dataType == u"date" || dataType == u"time" || dataType == u"year")
        return ReadAs::Text;
    return ReadAs::Native;
}

QJsonValue toJson(const QVariant& value, ReadAs how) {
    if (value.isNull())
        return QJsonValue();
    if (how == ReadAs::Timestamp) {
        // "2024-05-01 10:00:00.123" (UTC by construction) -> "2024-05-01T10:00:00.123Z".
        QByteArray text = value.toString().toUtf8();
        text.replace(' ', 'T');
        text.append('Z');
        auto normalized = normalizeTimestamp(std::string_view(text.constData(), size_t(text.size())));
        return QString::fromUtf8(normalized ? *normalized : value.toString().toUtf8());
    }
    if (how == ReadAs::Text)
        return value.toString();
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Char:
    case QMetaType::SChar:
    case QMetaType::UChar:
        return QJsonValue(value.toLongLong());
    case QMetaType::ULongLong:
        return QJsonValue(qint64(value.toULongLong()));
    case QMetaType::Double:
    case QMetaType::Float:
        return value.toDouble();
    case QMetaType::QByteArray:
        return QString::fromUtf8(value.toByteArray());
    default:
        return value.toString();
    }
}

} // namespace

Expected<std::optional<MysqlDestination::TableInfo>> MysqlDestination::readableTable(const TablePlan& table,
                                                                                     const QString& column) {
    if (m_missing)
        return std::optional<TableInfo>();
    TableInfo info;
    bool exists = false;
    if (auto r = loadTableInfo(table.table, &info, &exists); !r)
        return r.error();
    if (!exists || !info.columns.contains(column.toLower()))
        return std::optional<TableInfo>();
    return std::optional<TableInfo>(std::move(info));
}

Expected<QList<QJsonObject>> MysqlDestination::readRows(const TablePlan& table, const QString& whereColumn,
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
        auto it = info.columns.constFind(column.name.toLower());
        if (it == info.columns.constEnd())
            continue;
        const ReadAs how = readAs(it->dataType);
        if (!columns.isEmpty())
            sql += ", ";
        sql += how == ReadAs::Native ? quote(column.name) : "CAST(" + quote(column.name) + " AS CHAR)";
        columns.append(&column);
        kinds.append(how);
    }
    const QByteArray key = quote(table.columns.at(table.keyColumn).name);
    // Keys and parent keys are declared with a byte-order collation, so `=` matches byte for byte
    // and the index serves it (a COLLATE here would make the server scan the table).
    sql += " FROM " + quote(table.table) + " WHERE " + quote(whereColumn) + " = '";
    appendEscaped(sql, value.constData(), value.size());
    sql += "' ORDER BY " + key;
    QSqlQuery q(connection());
    q.setForwardOnly(true);
    if (!q.exec(QString::fromUtf8(sql)))
        return makeError(
            QStringLiteral("%1: reading %2 %3 failed: %4")
                .arg(where(), table.table, QString::fromUtf8(value), q.lastError().databaseText()));
    const int whereIndex = [&] {
        for (int i = 0; i < columns.size(); ++i)
            if (columns.at(i)->name.compare(whereColumn, Qt::CaseInsensitive) == 0)
                return i;
        return -1;
    }();
    while (q.next()) {
        // A table created by hand with a case-insensitive collation still must not match "a1" for "A1".
        if (whereIndex >= 0 && q.value(whereIndex).toString().toUtf8() != value)
            continue;
        QJsonObject row;
        for (int i = 0; i < columns.size(); ++i)
            row.insert(columns.at(i)->name, toJson(q.value(i), kinds.at(i)));
        rows.append(std::move(row));
    }
    return rows;
}

Expected<QList<ChildKeyRow>> MysqlDestination::childKeys(const TablePlan& table, const QString& parentColumn,
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
    sql += table.timestampColumn >= 0
               ? "CAST(" + quote(table.columns.at(table.timestampColumn).name) + " AS CHAR)"
               : QByteArray("NULL");
    // The parent key column is declared with a byte-order collation and indexed: the index
    // serves the range and the order (rows of one parent in any order: the digest does not mind).
    sql += " FROM " + quote(table.table) + " WHERE " + parent;
    const std::optional<QByteArray>& bound = onlyParent ? onlyParent : afterParent;
    if (bound) {
        sql += onlyParent ? " = '" : " > '";
        appendEscaped(sql, bound->constData(), bound->size());
        sql += '\'';
    } else {
        sql += " IS NOT NULL";
    }
    sql += " ORDER BY " + parent;
    if (!onlyParent)
        sql += " LIMIT " + QByteArray::number(limit);
    QSqlQuery q(connection());
    q.setForwardOnly(true);
    if (!q.exec(QString::fromUtf8(sql)))
        return makeError(QStringLiteral("%1: reading the rows of %2 by %3 failed: %4")
                             .arg(where(), table.table, parentColumn, q.lastError().databaseText()));
    while (q.next()) {
        ChildKeyRow row;
        row.parent = q.value(0).toString().toUtf8();
        row.key = q.value(1).toString().toUtf8();
        if (!q.value(2).isNull())
            row.timestamp = toJson(q.value(2), ReadAs::Timestamp).toString().toUtf8();
        rows.append(std::move(row));
    }
    return rows;
}

} // namespace ors
