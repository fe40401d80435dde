// Purge's guarded deletes in a SqliteDestination.
#include "destinations/SqliteDestination.h"

#include <sqlite3.h>

namespace ors {

namespace {

QByteArray placeholders(qsizetype count) {
    QByteArray list;
    list.reserve(count * 2);
    for (qsizetype i = 0; i < count; ++i)
        list += i == 0 ? "?" : ",?";
    return list;
}

} // namespace

Expected<qint64> SqliteDestination::runPurgeStatement(const QByteArray& sql, const QList<QByteArray>& keys,
                                                      const QByteArray& olderThan, const QString& what) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.constData(), int(sql.size()), &stmt, nullptr) != SQLITE_OK)
        return makeError(QStringLiteral("destination %1: %2 failed: %3").arg(m_name, what, lastError()));
    int index = 1;
    for (const QByteArray& key : keys)
        sqlite3_bind_text(stmt, index++, key.constData(), int(key.size()), SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(stmt) >= index)
        sqlite3_bind_text(stmt, index, olderThan.constData(), int(olderThan.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return makeError(QStringLiteral("destination %1: %2 failed: %3").arg(m_name, what, lastError()));
    return qint64(sqlite3_changes(m_db));
}

Expected<qint64> SqliteDestination::purgeKeys(const ResourcePlan& plan, const QList<QByteArray>& keys,
                                              const PurgeGuard& guard) {
    const TablePlan& table = plan.table;
    if (keys.isEmpty() || !hasTable(table.table))
        return qint64(0);
    // Normalised UTC text compares like the instants it holds.
    QByteArray condition;
    if (table.timestampColumn >= 0) {
        const QByteArray ts = quote(table.columns.at(table.timestampColumn).name).toUtf8();
        condition = guard.untimestamped ? QByteArray("(" + ts + " < ? OR " + ts + " IS NULL)")
                                        : QByteArray(ts + " < ?");
    } else if (!guard.untimestamped) {
        return qint64(0); // no row has a timestamp, and the key list is too old for those
    }
    const QByteArray key = quote(table.columns.at(table.keyColumn).name).toUtf8();
    QByteArray sql = "DELETE FROM " + quote(table.table).toUtf8() + " WHERE " + key + " IN (" +
                     placeholders(keys.size()) + ")";
    if (!condition.isEmpty())
        sql += " AND " + condition;
    if (!guard.ownedBy.isEmpty()) {
        auto existing = existingColumns(table.table);
        if (!existing)
            return existing.error();
        for (const QString& column : guard.ownedBy)
            if (existing->contains(column, Qt::CaseInsensitive))
                sql += " AND " + quote(column).toUtf8() + " IS NULL";
    }

    return inTransaction<qint64>([&]() -> Expected<qint64> {
        auto deleted =
            runPurgeStatement(sql, keys, guard.olderThan, QStringLiteral("purging %1 rows").arg(table.table));
        if (!deleted)
            return deleted;
        // Children go only where their parent is gone: a parent the guard kept keeps them.
        for (const ChildPlan& child : plan.children) {
            if (!child.owned || !hasTable(child.table.table))
                continue;
            const QByteArray childTable = quote(child.table.table).toUtf8();
            const QByteArray parentKey = quote(child.table.columns.at(child.parentKeyColumn).name).toUtf8();
            const QByteArray childSql =
                "DELETE FROM " + childTable + " WHERE " + parentKey + " IN (" + placeholders(keys.size()) +
                ") AND NOT EXISTS (SELECT 1 FROM " + quote(table.table).toUtf8() + " WHERE " +
                quote(table.table).toUtf8() + "." + key + " = " + childTable + "." + parentKey + ")";
            if (auto r = runPurgeStatement(
                    childSql, keys, {},
                    QStringLiteral("purging %1 rows of purged parents").arg(child.table.table));
                !r)
                return r;
        }
        return deleted;
    });
}

} // namespace ors
