// Purge's guarded deletes in a MysqlDestination.
#include "destinations/MysqlDestination.h"

#include "logging/LogCategories.h"
#include "records/Timestamps.h"

#include <mysql.h>

namespace ors {

Expected<qint64> MysqlDestination::purgeKeys(const ResourcePlan& plan, const QList<QByteArray>& keys,
                                             const PurgeGuard& guard) {
    const TablePlan& table = plan.table;
    if (keys.isEmpty())
        return qint64(0);
    if (m_readOnly || !m_mysql)
        return makeError(QStringLiteral("%1: opened read-only, nothing is deleted").arg(where()));
    auto exists = tableExists(table.table);
    if (!exists)
        return exists.error();
    if (!*exists)
        return qint64(0);
    // DATETIME(3) in a UTC session: the instant as a DATETIME literal compares as one.
    QByteArray condition;
    if (table.timestampColumn >= 0) {
        const auto instant = parseTimestamp(QString::fromUtf8(guard.olderThan));
        if (!instant)
            return makeError(QStringLiteral("%1: purge guard \"%2\" is not a timestamp")
                                 .arg(where(), QString::fromUtf8(guard.olderThan)));
        const QByteArray literal =
            "'" + instant->toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")).toLatin1() + "'";
        const QByteArray ts = quote(table.columns.at(table.timestampColumn).name);
        condition = guard.untimestamped ? QByteArray("(" + ts + " < " + literal + " OR " + ts + " IS NULL)")
                                        : QByteArray(ts + " < " + literal);
    } else if (!guard.untimestamped) {
        return qint64(0); // no row has a timestamp, and the key list is too old for those
    }
    if (!guard.ownedBy.isEmpty()) {
        TableInfo info;
        bool found = false;
        if (auto r = loadTableInfo(table.table, &info, &found); !r)
            return r.error();
        for (const QString& column : guard.ownedBy) {
            if (!info.columns.contains(column.toLower()))
                continue;
            if (!condition.isEmpty())
                condition += " AND ";
            condition += quote(column) + " IS NULL";
        }
    }
    qint64 deleted = 0;
    auto result = inTransaction<void>([&]() -> Expected<void> {
        const QString key = table.columns.at(table.keyColumn).name;
        if (auto r = deleteWhereIn(table, key, keys, QStringLiteral("purging %1 rows").arg(table.table),
                                   condition, &deleted);
            !r)
            return r;
        // Children go only where their parent is gone: a parent the guard kept keeps them.
        for (const ChildPlan& child : plan.children) {
            if (!child.owned)
                continue;
            auto childExists = tableExists(child.table.table);
            if (!childExists)
                return childExists.error();
            if (!*childExists)
                continue;
            const QString parentKey = child.table.columns.at(child.parentKeyColumn).name;
            const QByteArray orphan = "NOT EXISTS (SELECT 1 FROM " + quote(table.table) + " WHERE " +
                                      quote(table.table) + "." + quote(key) + " = " +
                                      quote(child.table.table) + "." + quote(parentKey) + ")";
            if (auto r = deleteWhereIn(
                    child.table, parentKey, keys,
                    QStringLiteral("purging %1 rows of purged parents").arg(child.table.table), orphan);
                !r)
                return r;
        }
        return {};
    });
    if (!result)
        return result.error();
    return deleted;
}

} // namespace ors
