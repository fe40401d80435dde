#include "destinations/OverflowPlacement.h"

namespace ors {

bool OverflowPlacement::requiredInRow(const TablePlan& table, int column) {
    const ColumnPlan& plan = table.columns.at(column);
    return column == table.keyColumn || column == table.timestampColumn || plan.isParentKey ||
           table.primaryKey.contains(plan.name) || table.indexes.contains(plan.name);
}

QSet<int> OverflowPlacement::place(const TablePlan& table, const QList<int>& candidates,
                                   const QList<int>& widths, int used, int budget, const QStringList& named) {
    QSet<int> overflow;
    // Required columns first: what they take is not left for the others.
    for (int i = 0; i < candidates.size(); ++i)
        if (requiredInRow(table, candidates.at(i)))
            used += widths.at(i);
    for (int i = 0; i < candidates.size(); ++i) {
        const int index = candidates.at(i);
        if (requiredInRow(table, index))
            continue;
        const ColumnPlan& column = table.columns.at(index);
        if (named.contains(column.name) || named.contains(column.field.name)) {
            overflow.insert(index);
            continue;
        }
        // First fit: a wide field that no longer fits leaves room for narrower ones after it,
        // so the numbers and dates people filter by mostly keep their columns.
        if (used + widths.at(i) <= budget)
            used += widths.at(i);
        else
            overflow.insert(index);
    }
    return overflow;
}

TablePlan OverflowPlacement::subset(const TablePlan& table, const QList<int>& columns) {
    TablePlan inRow;
    inRow.table = table.table;
    inRow.primaryKey = table.primaryKey;
    inRow.indexes = table.indexes;
    for (int i : columns) {
        if (i == table.keyColumn)
            inRow.keyColumn = int(inRow.columns.size());
        if (i == table.timestampColumn)
            inRow.timestampColumn = int(inRow.columns.size());
        inRow.addColumn(table.columns.at(i));
    }
    return inRow;
}

} // namespace ors
