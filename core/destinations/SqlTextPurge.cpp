// Deletes of a SqlTextDestination: parents with their owned children, and purge's guarded deletes.
#include "destinations/SqlTextDestination.h"

#include "records/Timestamps.h"

namespace ors {

Expected<void> SqlTextDestination::deleteWhereIn(const TablePlan& table, const QString& column,
                                                 const QList<QByteArray>& keys, const QString& what,
                                                 const QByteArray& condition, qint64* affected) {
    if (keys.isEmpty())
        return {};
    const QByteArray header = "DELETE FROM " + deleteTarget(table.table) + " WHERE " + rowRef(table.table) +
                              '.' + quoteIdentifier(column) + " IN (";
    QByteArray sql;
    qsizetype inStatement = 0;
    const auto flush = [&]() -> Expected<void> {
        sql += ')';
        if (!condition.isEmpty())
            sql += " AND " + condition;
        auto r = runCounted(sql, what, affected);
        sql.truncate(0);
        inStatement = 0;
        return r;
    };
    for (const QByteArray& key : keys) {
        if (!textHoldsNul() && key.contains('\0'))
            continue; // no stored key holds one
        sql += inStatement == 0 ? header : QByteArray(",");
        appendLiteral(sql, key);
        if (++inStatement >= 1000 || sql.size() > m_statementLimit)
            if (auto r = flush(); !r)
                return r;
    }
    if (inStatement > 0)
        return flush();
    return {};
}

Expected<void> SqlTextDestination::deleteChildren(const ChildPlan& child,
                                                  const QList<QByteArray>& parentKeys) {
    const QString column = child.table.columns.at(child.parentKeyColumn).name;
    return deleteWhereIn(child.table, column, parentKeys,
                         QStringLiteral("deleting %1 rows by their parents' keys").arg(child.table.table));
}

Expected<void> SqlTextDestination::deleteParents(const TablePlan& table, const QList<QByteArray>& keys) {
    return deleteWhereIn(table, table.columns.at(table.keyColumn).name, keys,
                         QStringLiteral("deleting purged %1 rows").arg(table.table));
}

Expected<qint64> SqlTextDestination::purgeKeys(const ResourcePlan& plan, const QList<QByteArray>& keys,
                                               const PurgeGuard& guard) {
    const TablePlan& table = plan.table;
    if (keys.isEmpty())
        return qint64(0);
    if (auto r = refuseWrite(WriteKind::Deletes); !r)
        return r.error();
    TableShape shape;
    bool exists = false;
    if (auto r = loadTableShape(table.table, &shape, &exists); !r)
        return r.error();
    if (!exists)
        return qint64(0);
    const QByteArray row = rowRef(table.table) + '.';
    // The guard's UTC instant compares with the column as an instant.
    QByteArray condition;
    if (table.timestampColumn >= 0) {
        const auto instant = parseTimestamp(QString::fromUtf8(guard.olderThan));
        if (!instant)
            return makeError(QStringLiteral("%1: purge guard \"%2\" is not a timestamp")
                                 .arg(where(), QString::fromUtf8(guard.olderThan)));
        const QByteArray literal = timestampLiteral(*instant);
        const QByteArray ts = row + quoteIdentifier(table.columns.at(table.timestampColumn).name);
        condition = guard.untimestamped ? QByteArray("(" + ts + " < " + literal + " OR " + ts + " IS NULL)")
                                        : QByteArray(ts + " < " + literal);
    } else if (!guard.untimestamped) {
        return qint64(0); // no row has a timestamp, and the key list is too old for those
    }
    for (const QString& column : guard.ownedBy) {
        if (!shape.has(column))
            continue;
        if (!condition.isEmpty())
            condition += " AND ";
        condition += row + quoteIdentifier(column) + " IS NULL";
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
            const QByteArray orphan = "NOT EXISTS (SELECT 1 FROM " + tableRef(table.table) +
                                      " AS p WHERE p." + quoteIdentifier(key) + " = " +
                                      rowRef(child.table.table) + '.' + quoteIdentifier(parentKey) + ")";
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
