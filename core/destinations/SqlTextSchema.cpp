// Schema management the server destinations share: which fields keep a column and which go to
// the JSON column _overflow, the record of that placement, and the one ALTER TABLE per table
// that adds the columns the metadata gained and widens the ones it widened.
#include "destinations/OverflowPlacement.h"
#include "destinations/SqlTextDestination.h"

#include "logging/LogCategories.h"

namespace ors {

namespace {

QList<int> allColumns(const TablePlan& table) {
    QList<int> all;
    for (int i = 0; i < table.columns.size(); ++i)
        all.append(i);
    return all;
}

QStringList namesOf(const TablePlan& table, const QList<int>& columns) {
    QStringList names;
    for (int i : columns)
        names.append(table.columns.at(i).name);
    return names;
}

QList<int> sorted(const QSet<int>& set) {
    QList<int> list(set.begin(), set.end());
    std::sort(list.begin(), list.end());
    return list;
}

} // namespace

int SqlTextDestination::overflowBudget() const {
    return m_config.overflowBudget.value_or(defaultOverflowBudget());
}

int SqlTextDestination::usedWidth(const TablePlan& table, const TableShape& shape) const {
    int used = overflowWidth();
    for (const ColumnShape& column : shape.columns)
        if (column.name.compare(OverflowPlacement::column(), Qt::CaseInsensitive) != 0)
            used += existingWidth(column, table.primaryKey.contains(column.name, Qt::CaseInsensitive));
    return used;
}

Expected<int> SqlTextDestination::inRowWorstCase(const TablePlan& table) {
    TableShape shape;
    bool exists = false;
    if (auto r = loadTableShape(table.table, &shape, &exists); !r)
        return r.error();
    return exists ? usedWidth(table, shape) : 0;
}

Expected<void> SqlTextDestination::loadTableShape(const QString& table, TableShape* shape, bool* exists) {
    if (auto r = loadColumns(table, shape, exists); !r)
        return r;
    if (!*exists || !shape->has(OverflowPlacement::column()))
        return {};
    // Which fields are in _overflow is recorded, never inferred: a field placed there keeps
    // being read from there, whatever the budget says today.
    shape->hasOverflow = true;
    auto placed = placedInOverflow(table);
    if (!placed)
        return placed.error();
    for (const QString& name : std::as_const(*placed))
        if (!shape->has(name))
            shape->addOverflow(name);
    return {};
}

Expected<QStringList> SqlTextDestination::placedInOverflow(const QString& table) {
    QStringList names;
    auto recorded = tableExists(OverflowPlacement::placementTable());
    if (!recorded)
        return recorded.error();
    if (!*recorded)
        return names;
    QByteArray sql = "SELECT " + quoteIdentifier(QStringLiteral("column_name")) + " FROM " +
                     tableRef(OverflowPlacement::placementTable()) + " WHERE " +
                     quoteIdentifier(QStringLiteral("table_name")) + " = ";
    appendLiteral(sql, table.toUtf8());
    auto rows = selectText(sql, QStringLiteral("reading which fields of %1 are in _overflow").arg(table));
    if (!rows)
        return rows.error();
    for (const auto& row : std::as_const(*rows))
        if (row.at(0))
            names.append(QString::fromUtf8(*row.at(0)));
    return names;
}

Expected<void> SqlTextDestination::recordPlacement(const QString& table, const QStringList& columns,
                                                   bool replace) {
    const QString placement = OverflowPlacement::placementTable();
    const QByteArray tableName = quoteIdentifier(QStringLiteral("table_name"));
    const QByteArray columnName = quoteIdentifier(QStringLiteral("column_name"));
    if (!columns.isEmpty()) {
        const QByteArray create = "CREATE TABLE IF NOT EXISTS " + tableRef(placement) + " (" + tableName +
                                  ' ' + placementNameType() + " NOT NULL, " + columnName + ' ' +
                                  placementNameType() + " NOT NULL, PRIMARY KEY (" + tableName + ", " +
                                  columnName + "))";
        if (auto r = createSharedTable(create, QStringLiteral("creating %1").arg(placement)); !r)
            return r;
    } else {
        auto exists = tableExists(placement);
        if (!exists)
            return exists.error();
        if (!*exists)
            return {};
    }
    // Deleted first, so that recording again what an interrupted run recorded cannot collide.
    QByteArray sql = "DELETE FROM " + tableRef(placement) + " WHERE " + tableName + " = ";
    appendLiteral(sql, table.toUtf8());
    if (!replace) {
        sql += " AND " + columnName + " IN (";
        for (qsizetype i = 0; i < columns.size(); ++i) {
            if (i > 0)
                sql += ',';
            appendLiteral(sql, columns.at(i).toUtf8());
        }
        sql += ')';
    }
    if (auto r =
            runCounted(sql, QStringLiteral("recording the fields of %1 in _overflow").arg(table), nullptr);
        !r)
        return r;
    if (columns.isEmpty())
        return {};
    sql = "INSERT INTO " + tableRef(placement) + " (" + tableName + ", " + columnName + ") VALUES ";
    for (qsizetype i = 0; i < columns.size(); ++i) {
        sql += i > 0 ? ",(" : "(";
        appendLiteral(sql, table.toUtf8());
        sql += ',';
        appendLiteral(sql, columns.at(i).toUtf8());
        sql += ')';
    }
    return runCounted(sql, QStringLiteral("recording the fields of %1 in _overflow").arg(table), nullptr);
}

Expected<void> SqlTextDestination::runSchemaStatement(const QByteArray& sql, const QString& what) {
    m_schemaStatements.append(QString::fromUtf8(sql));
    return runCounted(sql, what, nullptr);
}

Expected<void> SqlTextDestination::checkOverflowName(const TablePlan& table) const {
    for (const ColumnPlan& column : table.columns)
        if (column.name.compare(OverflowPlacement::column(), Qt::CaseInsensitive) == 0)
            return makeError(QStringLiteral("%1: %2 has a field named %3, the name of the column that holds "
                                            "fields beyond the row's budget; rename it in the mapping")
                                 .arg(where(), table.table, column.name));
    return {};
}

Expected<void> SqlTextDestination::createTable(const TablePlan& table) {
    if (auto r = checkOverflowName(table); !r)
        return r;
    const QList<int> all = allColumns(table);
    const QList<int> overflow = sorted(OverflowPlacement::place(
        table, all, inRowWidths(table), overflowWidth(), overflowBudget(), m_config.overflowFields));
    // A table of this name that went before may have left its placement behind.
    if (auto r = recordPlacement(table.table, namesOf(table, overflow), true); !r)
        return r;
    QList<int> inRow;
    for (int i : all)
        if (!overflow.contains(i))
            inRow.append(i);
    if (auto r = createServerTable(table, inRow, !overflow.isEmpty()); !r)
        return r;
    if (!overflow.isEmpty())
        qCInfo(lcDestination).noquote()
            << QStringLiteral("%1: table %2 keeps %3 of its %4 fields in _overflow "
                              "(overflowBudget %5 bytes)")
                   .arg(name(), table.table)
                   .arg(overflow.size())
                   .arg(table.columns.size())
                   .arg(overflowBudget());
    return {};
}

Expected<void> SqlTextDestination::updateTable(const TablePlan& table, const QList<int>& missing) {
    if (auto r = checkOverflowName(table); !r)
        return r;
    QList<int> overflow;
    if (!missing.isEmpty()) {
        // New fields go where the budget says, after what the row already holds.
        const int used = usedWidth(table, m_shape);
        const QList<int> widths = inRowWidths(table);
        QList<int> candidateWidths;
        for (int i : missing)
            candidateWidths.append(widths.at(i));
        overflow = sorted(OverflowPlacement::place(table, missing, candidateWidths, used, overflowBudget(),
                                                   m_config.overflowFields));
    }
    QList<int> add;
    for (int i : missing)
        if (!overflow.contains(i))
            add.append(i);
    QList<ColumnChange> widen;
    for (const ColumnChange& change : columnChanges(table, m_shape)) {
        if (!change.definition.isEmpty()) {
            widen.append(change);
            continue;
        }
        const QString warning =
            QStringLiteral(
                "destination %1, table %2, column %3: the metadata now declares %4 where the column is "
                "%5; that is not a widening, so the column is kept as it is (values it cannot hold "
                "are refused)")
                .arg(name(), table.table, table.columns.at(change.column).name, change.to, change.from);
        qCWarning(lcDestination).noquote() << warning;
        m_schemaWarnings.append(warning);
    }
    // Recorded before the table changes: a run stopped in between finds them placed.
    if (!overflow.isEmpty())
        if (auto r = recordPlacement(table.table, namesOf(table, overflow), false); !r)
            return r;
    const bool addOverflow = !overflow.isEmpty() && !m_shape.hasOverflow;
    if (add.isEmpty() && !addOverflow && widen.isEmpty())
        return {};
    if (auto r = alterServerTable(table, add, addOverflow, widen); !r)
        return r;
    for (int i : std::as_const(add))
        qCInfo(lcDestination) << name() << "added column" << table.table << table.columns.at(i).name;
    for (int i : std::as_const(overflow))
        qCInfo(lcDestination) << name() << "placed in _overflow" << table.table << table.columns.at(i).name;
    for (const ColumnChange& change : std::as_const(widen))
        qCInfo(lcDestination).noquote()
            << QStringLiteral("%1: widened %2.%3 from %4 to %5")
                   .arg(name(), table.table, table.columns.at(change.column).name, change.from, change.to);
    return {};
}

} // namespace ors
