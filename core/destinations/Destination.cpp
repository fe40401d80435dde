#include "destinations/Destination.h"
#include "records/Timestamps.h"

#include <QJsonArray>
#include <QSet>

namespace ors {

Expected<std::optional<QJsonObject>> Destination::fetchRecord(const ResourcePlan& plan,
                                                              const QByteArray& key) {
    auto parents = readRows(plan.table, plan.table.columns.at(plan.table.keyColumn).name, key);
    if (!parents)
        return parents.error();
    if (parents->isEmpty())
        return std::optional<QJsonObject>();
    QJsonObject record = parents->first();
    // Shared expansions (e.g. ListAgent) are other records, not this one's children.
    for (const ChildPlan& child : plan.children) {
        if (!child.owned)
            continue;
        auto children = readRows(child.table, child.table.columns.at(child.parentKeyColumn).name, key);
        if (!children)
            return children.error();
        QJsonArray array;
        for (const QJsonObject& row : std::as_const(*children))
            array.append(row);
        record.insert(child.navigation, array);
    }
    return std::optional<QJsonObject>(std::move(record));
}

Expected<bool> Destination::dropTable(const QString& table) {
    return makeError(QStringLiteral("%1: cannot drop table %2: this kind of destination does not drop tables")
                         .arg(describe(), table));
}

Expected<QList<RowRejection>> Destination::applyRejecting(const ResourcePlan& plan, const PageRows& page) {
    QList<RowRejection> rejected;
    QSet<QByteArray> left;
    std::optional<PageRows> rest;
    // Each failed attempt was rolled back whole, so the page is tried again without the record
    // that failed it; bad records are rare, so the repeats cost little.
    for (;;) {
        m_rowFault.reset();
        auto result = apply(plan, rest ? *rest : page);
        if (result)
            return rejected;
        if (!m_rowFault)
            return result.error();
        RowRejection rejection;
        rejection.reason = result.errorMessage();
        if (m_rowFault->table == plan.table.table) {
            rejection.key = keyText(m_rowFault->row.at(plan.table.keyColumn));
        } else {
            for (const ChildPlan& child : plan.children)
                if (child.table.table == m_rowFault->table) {
                    rejection.key = keyText(m_rowFault->row.at(child.parentKeyColumn));
                    rejection.child = child.navigation;
                }
        }
        if (rejection.key.isEmpty() || left.contains(rejection.key))
            return result.error();
        left.insert(rejection.key);
        rejected.append(rejection);
        rest = withoutParents(plan, page, left);
    }
}

} // namespace ors
