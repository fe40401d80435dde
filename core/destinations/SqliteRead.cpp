// Reading one record back out of a SqliteDestination, for the `record` command, and the child
// rows reconcile compares.
#include "destinations/SqliteDestination.h"

#include <QJsonArray>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

namespace ors {

Expected<QStringList> SqliteDestination::existingColumns(const QString& table) {
    QStringList columns;
    if (m_missing)
        return columns;
    QSqlQuery query(connection());
    if (!query.exec(QStringLiteral("PRAGMA table_info(%1)").arg(quote(table))))
        return makeError(QStringLiteral("destination %1: cannot read table %2: %3")
                             .arg(m_name, table, query.lastError().text()));
    while (query.next())
        columns.append(query.value(1).toString());
    return columns;
}

Expected<QList<QJsonObject>> SqliteDestination::readRows(const TablePlan& table, const QString& whereColumn,
                                                         const QByteArray& value) {
    QList<QJsonObject> rows;
    auto existing = existingColumns(table.table);
    if (!existing)
        return existing.error();
    if (existing->isEmpty() || !existing->contains(whereColumn, Qt::CaseInsensitive))
        return rows;
    // Only the plan's columns the table really has: one added to the metadata since the last
    // sync is reported as missing rather than failing the whole read.
    QList<const ColumnPlan*> columns;
    QStringList quoted;
    for (const ColumnPlan& column : table.columns) {
        if (!existing->contains(column.name, Qt::CaseInsensitive))
            continue;
        columns.append(&column);
        quoted.append(quote(column.name));
    }
    const QString key = table.columns.at(table.keyColumn).name;
    // TEXT compares with the BINARY collation: the key matches byte for byte.
    const QString sql =
        QStringLiteral("SELECT %1 FROM %2 WHERE %3 = ? ORDER BY %4")
            .arg(quoted.join(QLatin1Char(',')), quote(table.table), quote(whereColumn), quote(key));
    auto stmt = statement(table.table + QStringLiteral("|read|") + sql, sql.toUtf8());
    if (!stmt)
        return stmt.error();
    sqlite3_stmt* s = *stmt;
    sqlite3_bind_text(s, 1, value.constData(), int(value.size()), SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        QJsonObject row;
        for (int i = 0; i < columns.size(); ++i) {
            const QString& name = columns.at(i)->name;
            switch (sqlite3_column_type(s, i)) {
            case SQLITE_NULL:
                row.insert(name, QJsonValue());
                break;
            case SQLITE_INTEGER:
                row.insert(name, QJsonValue(qint64(sqlite3_column_int64(s, i))));
                break;
            case SQLITE_FLOAT:
                row.insert(name, sqlite3_column_double(s, i));
                break;
            default:
                row.insert(name, QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, i)),
                                                   sqlite3_column_bytes(s, i)));
                break;
            }
        }
        rows.append(std::move(row));
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE)
        return makeError(QStringLiteral("destination %1: reading %2 %3 failed: %4")
                             .arg(m_name, table.table, QString::fromUtf8(value), lastError()));
    return rows;
}

Expected<QList<ChildKeyRow>> SqliteDestination::childKeys(const TablePlan& table, const QString& parentColumn,
                                                          const std::optional<QByteArray>& afterParent,
                                                          const std::optional<QByteArray>& onlyParent,
                                                          int limit) {
    QList<ChildKeyRow> rows;
    auto existing = existingColumns(table.table);
    if (!existing)
        return existing.error();
    if (!existing->contains(parentColumn, Qt::CaseInsensitive))
        return rows;
    const QString key = quote(table.columns.at(table.keyColumn).name);
    const QString ts = table.timestampColumn >= 0 ? quote(table.columns.at(table.timestampColumn).name)
                                                  : QStringLiteral("NULL");
    const QString parent = quote(parentColumn);
    // BINARY collation: byte order, as the MLS side is sorted; the parent key's index serves the
    // range and the order (rows of one parent come in any order: the digest does not mind).
    QString where = onlyParent    ? QStringLiteral("%1 = ?").arg(parent)
                    : afterParent ? QStringLiteral("%1 > ?").arg(parent)
                                  : QStringLiteral("%1 IS NOT NULL").arg(parent);
    QString sql = QStringLiteral("SELECT %1, %2, %3 FROM %4 WHERE %5 ORDER BY %1")
                      .arg(parent, key, ts, quote(table.table), where);
    if (!onlyParent)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    auto stmt = statement(table.table + QStringLiteral("|children|") + sql, sql.toUtf8());
    if (!stmt)
        return stmt.error();
    sqlite3_stmt* s = *stmt;
    const QByteArray bound = onlyParent ? *onlyParent : afterParent.value_or(QByteArray());
    if (onlyParent || afterParent)
        sqlite3_bind_text(s, 1, bound.constData(), int(bound.size()), SQLITE_TRANSIENT);
    auto text = [s](int column) {
        return QByteArray(reinterpret_cast<const char*>(sqlite3_column_text(s, column)),
                          sqlite3_column_bytes(s, column));
    };
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ChildKeyRow row;
        row.parent = text(0);
        row.key = text(1);
        if (sqlite3_column_type(s, 2) != SQLITE_NULL)
            row.timestamp = text(2);
        rows.append(std::move(row));
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE)
        return makeError(QStringLiteral("destination %1: reading the rows of %2 by %3 failed: %4")
                             .arg(m_name, table.table, parentColumn, lastError()));
    return rows;
}

} // namespace ors
