#include "destinations/SqlTextDestination.h"

#include "config/SecretResolver.h"
#include "config/ServerConnection.h"
#include "logging/Redactor.h"

namespace ors {

SqlTextDestination::SqlTextDestination(DestinationConfig config, QString sourceName)
    : m_config(std::move(config))
    , m_sourceName(std::move(sourceName)) {}

QString SqlTextDestination::where() const {
    return QStringLiteral("destination %1 (%2)").arg(m_config.name, describe());
}

Expected<QSqlDatabase> SqlTextDestination::prepareConnection(const QString& driver, const QString& prefix,
                                                             const QString& engine, const QString& package) {
    QSqlDatabase db = addConnection(driver, prefix, m_config.name);
    if (!db.isValid())
        return makeError(QStringLiteral("%1: Qt's %2 driver (%3) is not installed (Debian/Ubuntu package %4)")
                             .arg(where(), engine, driver, package));
    QString password;
    if (m_config.password.isSet()) {
        auto resolved = SecretResolver::resolve(
            m_config.password,
            QStringLiteral("source %1, destination %2: password").arg(m_sourceName, m_config.name));
        if (!resolved)
            return resolved.error();
        password = *resolved;
        Redactor::addSecret(password);
    }
    ServerConnection::setAddress(db, ServerConnection::addressOf(m_config), password);
    return db;
}

Expected<void> SqlTextDestination::refuseWrite(WriteKind kind) const {
    switch (kind) {
    case WriteKind::Rows:
        if (m_readOnly || !connected())
            return makeError(QStringLiteral("%1: opened read-only, nothing is written").arg(where()));
        break;
    case WriteKind::Deletes:
        if (m_readOnly || !connected())
            return makeError(QStringLiteral("%1: opened read-only, nothing is deleted").arg(where()));
        break;
    case WriteKind::Schema:
        if (m_readOnly)
            return makeError(QStringLiteral("%1: opened read-only, the schema is not changed").arg(where()));
        break;
    }
    return {};
}

Expected<const TableShape*> SqlTextDestination::tableShape(const TablePlan& table) {
    auto it = m_tables.constFind(table.table);
    if (it != m_tables.constEnd())
        return &it.value();
    TableShape shape;
    bool exists = false;
    if (auto r = loadTableShape(table.table, &shape, &exists); !r)
        return r.error();
    if (!exists)
        return makeError(QStringLiteral("%1: table %2 does not exist").arg(where(), table.table));
    return &m_tables.emplace(table.table, std::move(shape)).value();
}

Expected<std::optional<TableShape>> SqlTextDestination::readableTable(const TablePlan& table,
                                                                      const QString& column) {
    if (m_missing)
        return std::optional<TableShape>();
    TableShape shape;
    bool exists = false;
    if (auto r = loadTableShape(table.table, &shape, &exists); !r)
        return r.error();
    if (!exists || !shape.has(column))
        return std::optional<TableShape>();
    return std::optional<TableShape>(std::move(shape));
}

Expected<QStringList> SqlTextDestination::readColumns(const TablePlan& table) {
    if (auto r = checkNames(table); !r)
        return r.error();
    m_tables.remove(table.table);
    tableShapeRenewed(table.table);
    // Kept for the schema changes that follow, which fit new columns into what the row holds.
    m_shape = TableShape();
    bool exists = false;
    if (auto r = loadTableShape(table.table, &m_shape, &exists); !r)
        return r.error();
    // Fields kept in _overflow count as present: they are not added as columns.
    QStringList names;
    for (const ColumnShape& column : std::as_const(m_shape.columns))
        names.append(column.name);
    names += m_shape.overflowFields;
    return names;
}

Expected<void> SqlTextDestination::tableChanged(const TablePlan& table) {
    TableShape shape;
    bool exists = false;
    if (auto r = loadTableShape(table.table, &shape, &exists); !r)
        return r;
    m_tables.emplace(table.table, std::move(shape));
    tableShapeRenewed(table.table);
    return {};
}

Expected<void> SqlTextDestination::dropExistingTable(const QString& table) {
    m_tables.remove(table);
    tableShapeRenewed(table);
    if (auto r = runSchemaStatement("DROP TABLE " + tableRef(table),
                                    QStringLiteral("dropping table %1").arg(table));
        !r)
        return r;
    // Its fields' placement goes with it: a table made again under this name starts afresh.
    return recordPlacement(table, {}, true);
}

} // namespace ors
