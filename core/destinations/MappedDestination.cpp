#include "destinations/MappedDestination.h"

namespace ors {

namespace {

bool sameCell(const Cell& a, const Cell& b) {
    return a.type == b.type && a.integer == b.integer && a.text == b.text &&
           (a.type != Cell::Type::Real || a.real == b.real);
}

bool sameRow(const Row& a, const Row& b) {
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (!sameCell(a.at(i), b.at(i)))
            return false;
    return true;
}

// What a cached mapping was made from; a plan whose metadata grew gets a new one.
qsizetype shape(const ResourcePlan& plan) {
    qsizetype columns = plan.table.columns.size();
    for (const ChildPlan& child : plan.children)
        columns = columns * 31 + child.table.columns.size();
    return columns;
}

} // namespace

MappedDestination::MappedDestination(std::unique_ptr<Destination> inner, DestinationMapping mapping)
    : m_inner(std::move(inner))
    , m_mapping(std::move(mapping)) {}

Expected<const MappedPlan*> MappedDestination::mapped(const ResourcePlan& plan) {
    const qsizetype columns = shape(plan);
    auto found = m_plans.find(plan.resource);
    if (found != m_plans.end() && found->columns == columns)
        return &found->plan;
    auto made = m_mapping.map(plan);
    if (!made)
        return made.error();
    found = m_plans.insert(plan.resource, CachedPlan{columns, std::move(*made)});
    return &found->plan;
}

Expected<const MappedTable*> MappedDestination::mappedTable(const TablePlan& table) {
    auto found = m_tables.find(table.table);
    if (found != m_tables.end() && found->columns == table.columns.size())
        return &found->table;
    auto made = m_mapping.mapTable(table);
    if (!made)
        return made.error();
    found = m_tables.insert(table.table, CachedTable{table.columns.size(), std::move(*made)});
    return &found->table;
}

Expected<ResourcePlan> MappedDestination::storedPlan(const ResourcePlan& plan) {
    auto m = mapped(plan);
    if (!m)
        return m.error();
    return (*m)->plan;
}

Expected<PageRows> MappedDestination::storedRows(const ResourcePlan& plan, const PageRows& page) {
    auto m = mapped(plan);
    if (!m)
        return m.error();
    return m_mapping.mapRows(plan, **m, page);
}

Expected<void> MappedDestination::ensureSchema(const ResourcePlan& plan) {
    auto m = mapped(plan);
    if (!m)
        return m.error();
    if (!m_mapping.config().manageSchema)
        return m_inner->checkSchema((*m)->plan);
    return m_inner->ensureSchema((*m)->plan);
}

Expected<void> MappedDestination::checkSchema(const ResourcePlan& plan) {
    auto m = mapped(plan);
    if (!m)
        return m.error();
    return m_inner->checkSchema((*m)->plan);
}

Expected<void> MappedDestination::apply(const ResourcePlan& plan, const PageRows& page) {
    auto m = mapped(plan);
    if (!m)
        return m.error();
    const PageRows stored = m_mapping.mapRows(plan, **m, page);
    rowFaultOf(*m_inner).reset();
    auto result = m_inner->apply((*m)->plan, stored);
    if (!result)
        takeFault(plan, **m, page, stored);
    return result;
}

void MappedDestination::takeFault(const ResourcePlan& plan, const MappedPlan& mapped, const PageRows& page,
                                  const PageRows& stored) {
    const std::optional<RowFault>& fault = rowFaultOf(*m_inner);
    if (!fault)
        return;
    // Rows map one to one, so the stored row's position is the source row's.
    if (fault->table == mapped.plan.table.table) {
        for (qsizetype i = 0; i < stored.parent.rows.size(); ++i)
            if (sameRow(stored.parent.rows.at(i), fault->row)) {
                m_rowFault = RowFault{plan.table.table, page.parent.rows.at(i)};
                return;
            }
    }
    for (qsizetype c = 0; c < mapped.plan.children.size() && c < stored.children.size(); ++c) {
        if (mapped.plan.children.at(c).table.table != fault->table)
            continue;
        const QList<Row>& rows = stored.children.at(c).rows.rows;
        for (qsizetype i = 0; i < rows.size(); ++i)
            if (sameRow(rows.at(i), fault->row)) {
                m_rowFault = RowFault{plan.children.at(c).table.table, page.children.at(c).rows.rows.at(i)};
                return;
            }
    }
}

Expected<qint64> MappedDestination::count(const TablePlan& table) {
    auto t = mappedTable(table);
    if (!t)
        return t.error();
    return m_inner->count((*t)->table);
}

Expected<std::optional<QByteArray>> MappedDestination::newestTimestamp(const TablePlan& table) {
    auto t = mappedTable(table);
    if (!t)
        return t.error();
    return m_inner->newestTimestamp((*t)->table);
}

Expected<QList<KeyRecord>> MappedDestination::keysAfter(const TablePlan& table,
                                                        const std::optional<QByteArray>& afterKey, int limit,
                                                        const QStringList& timestampColumns) {
    auto t = mappedTable(table);
    if (!t)
        return t.error();
    // Timestamps are named by field, which a mapping never changes.
    return m_inner->keysAfter((*t)->table, afterKey, limit, timestampColumns);
}

Expected<QList<ChildKeyRow>> MappedDestination::childKeys(const TablePlan& table, const QString& parentColumn,
                                                          const std::optional<QByteArray>& afterParent,
                                                          const std::optional<QByteArray>& onlyParent,
                                                          int limit) {
    auto t = mappedTable(table);
    if (!t)
        return t.error();
    const int at = int((*t)->from.indexOf(table.columnIndex(parentColumn)));
    if (at < 0)
        return makeError(
            QStringLiteral("%1: table %2 has no column %3").arg(name(), table.table, parentColumn));
    return m_inner->childKeys((*t)->table, (*t)->table.columns.at(at).name, afterParent, onlyParent, limit);
}

Expected<void> MappedDestination::deleteKeys(const ResourcePlan& plan, const QList<QByteArray>& keys) {
    auto m = mapped(plan);
    if (!m)
        return m.error();
    QList<QByteArray> stored;
    stored.reserve(keys.size());
    for (const QByteArray& key : keys)
        stored.append(m_mapping.storedKey(key));
    return m_inner->deleteKeys((*m)->plan, stored);
}

Expected<qint64> MappedDestination::purgeKeys(const ResourcePlan& plan, const QList<QByteArray>& keys,
                                              const PurgeGuard& guard) {
    auto m = mapped(plan);
    if (!m)
        return m.error();
    PurgeGuard stored = guard;
    // Parent key columns are named after the parent's key field.
    stored.ownedBy.clear();
    for (const QString& column : guard.ownedBy)
        stored.ownedBy.append(m_mapping.columnName(column, column));
    return m_inner->purgeKeys((*m)->plan, keys, stored);
}

Expected<std::optional<QJsonObject>> MappedDestination::fetchRecord(const ResourcePlan& plan,
                                                                    const QByteArray& key) {
    auto m = mapped(plan);
    if (!m)
        return m.error();
    return m_inner->fetchRecord((*m)->plan, m_mapping.storedKey(key));
}

Expected<QList<QJsonObject>> MappedDestination::readRows(const TablePlan& table, const QString&,
                                                         const QByteArray&) {
    // fetchRecord goes to the wrapped destination whole; nothing reads rows through this one.
    return makeError(
        QStringLiteral("%1: rows of %2 are read through the mapped plan").arg(name(), table.table));
}

} // namespace ors
