// Purge's guarded deletes in a PostgresDestination.
#include "destinations/PostgresDestination.h"

#include "records/Timestamps.h"

namespace ors {

Expected<qint64> PostgresDestination::purgeKeys(const ResourcePlan& plan, const QList<QByteArray>& keys,
                                                const PurgeGuard& guard) {
    const TablePlan& table = plan.table;
    if (keys.isEmpty())
        return qint64(0);
    if (m_readOnly || !m_pg)
        return makeError(QStringLiteral("%1: opened read-only, nothing is deleted").arg(where()));
    TableInfo info;
    bool exists = false;
    if (auto r = loadTableInfo(table.table, &info, &exists); !r)
        return r.error();
    if (!exists)
        return qint64(0);
    // timestamptz compares as an instant: the guard's UTC text is such an instant.
    QByteArray condition;
    if (table.timestampColumn >= 0) {
        const auto instant = parseTimestamp(QString::fromUtf8(guard.olderThan));
        if (!instant)
            return makeError(QStringLiteral("%1: purge guard \"%2\" is not a timestamp")
                                 .arg(where(), QString::fromUtf8(guard.olderThan)));
        const QByteArray literal =
            "'" + instant->toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")).toLatin1() +
            "'::timestamptz";
        const QByteArray ts = "t." + quote(table.columns.at(table.timestampColumn).name);
        condition = guard.untimestamped ? QByteArray("(" + ts + " < " + literal + " OR " + ts + " IS NULL)")
                                        : QByteArray(ts + " < " + literal);
    } else if (!guard.untimestamped) {
        return qint64(0); // no row has a timestamp, and the key list is too old for those
    }
    for (const QString& column : guard.ownedBy) {
        if (!info.columns.contains(column))
            continue;
        if (!condition.isEmpty())
            condition += " AND ";
        condition += "t." + quote(column) + " IS NULL";
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
            const QByteArray orphan = "NOT EXISTS (SELECT 1 FROM " + qualified(table.table) +
                                      " AS p WHERE p." + quote(key) + " = t." + quote(parentKey) + ")";
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
