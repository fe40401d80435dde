#include "destinations/Destination.h"

#include <QJsonArray>

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

} // namespace ors
