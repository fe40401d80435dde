#include "destinations/SqlDestination.h"

#include "logging/LogCategories.h"

#include <QRandomGenerator>
#include <QThread>

namespace ors {

SqlDestination::~SqlDestination() {
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase SqlDestination::addConnection(const QString& driver, const QString& prefix,
                                           const QString& destinationName) {
    m_connectionName = QStringLiteral("%1-%2-%3-%4")
                           .arg(prefix, destinationName)
                           .arg(quintptr(QThread::currentThreadId()), 0, 16)
                           .arg(quintptr(this), 0, 16);
    return QSqlDatabase::addDatabase(driver, m_connectionName);
}

QSqlDatabase SqlDestination::connection() const {
    return QSqlDatabase::database(m_connectionName, false);
}

void SqlDestination::pauseAfterConflict(int attempt, const QString& why) const {
    // 100, 200, 400, 800 ms, with jitter so that two writers that collided do not meet again.
    const int pause = (100 << (attempt - 1)) + int(QRandomGenerator::global()->bounded(50));
    qCWarning(lcDestination).noquote()
        << QStringLiteral("%1: attempt %2 of %3 undone by another transaction, "
                          "trying again in %4 ms: %5")
               .arg(name())
               .arg(attempt)
               .arg(kConflictAttempts)
               .arg(pause)
               .arg(why);
    QThread::msleep(static_cast<unsigned long>(pause));
}

Expected<void> SqlDestination::ensureSchema(const ResourcePlan& plan) {
    if (auto r = refuseWrite(WriteKind::Schema); !r)
        return r;
    if (auto r = ensureTable(plan.table); !r)
        return r;
    for (const ChildPlan& child : plan.children)
        if (auto r = ensureTable(child.table); !r)
            return r;
    return {};
}

Expected<bool> SqlDestination::dropTable(const QString& table) {
    if (auto r = refuseWrite(WriteKind::Schema); !r)
        return r.error();
    auto exists = tableExists(table);
    if (!exists)
        return exists.error();
    if (!*exists)
        return false;
    if (auto r = dropExistingTable(table); !r)
        return r.error();
    qCInfo(lcDestination) << name() << "dropped table" << table;
    return true;
}

Expected<void> SqlDestination::checkSchema(const ResourcePlan& plan) {
    QList<const TablePlan*> tables{&plan.table};
    for (const ChildPlan& child : plan.children)
        tables.append(&child.table);
    QStringList problems;
    for (const TablePlan* table : std::as_const(tables)) {
        auto existing = readColumns(*table);
        if (!existing)
            return existing.error();
        if (existing->isEmpty()) {
            problems.append(QStringLiteral("table %1 does not exist").arg(table->table));
            continue;
        }
        QStringList missing;
        for (const ColumnPlan& column : table->columns)
            if (!existing->contains(column.name, Qt::CaseInsensitive))
                missing.append(column.name);
        if (!missing.isEmpty())
            problems.append(QStringLiteral("table %1 lacks the columns %2")
                                .arg(table->table, missing.join(QStringLiteral(", "))));
    }
    if (!problems.isEmpty())
        return makeError(
            QStringLiteral("destination %1 does not manage its schema (manageSchema: false), and %2; "
                           "create them, or drop or rename the fields in the mapping")
                .arg(name(), problems.join(QStringLiteral("; "))));
    for (const TablePlan* table : std::as_const(tables))
        if (auto r = tableChanged(*table); !r)
            return r;
    return {};
}

Expected<void> SqlDestination::ensureTable(const TablePlan& table) {
    auto existing = readColumns(table);
    if (!existing)
        return existing.error();
    const bool created = existing->isEmpty();
    if (created) {
        if (auto r = createTable(table); !r)
            return r;
        // Read back: fields that do not fit a row's limits live in _overflow, not in columns of
        // their own, so the plan's field count is not what the database holds.
        const auto made = readColumns(table);
        qCInfo(lcDestination).noquote()
            << QStringLiteral("%1 created table %2 with %3 columns for %4 fields")
                   .arg(name(), table.table)
                   .arg(made ? QString::number(made->size()) : QStringLiteral("?"))
                   .arg(table.columns.size());
    } else {
        // Columns the metadata gained are added; nothing is ever dropped.
        QList<int> missing;
        for (int i = 0; i < table.columns.size(); ++i)
            if (!existing->contains(table.columns.at(i).name, Qt::CaseInsensitive))
                missing.append(i);
        if (auto r = updateTable(table, missing); !r)
            return r;
    }
    if (auto r = ensureIndexes(table, created); !r)
        return r;
    return tableChanged(table);
}

Expected<void> SqlDestination::apply(const ResourcePlan& plan, const PageRows& page) {
    if (auto r = refuseWrite(WriteKind::Rows); !r)
        return r;
    beforeApply(plan, page);
    return inTransaction<void>([&]() -> Expected<void> {
        if (auto r = upsertRows(plan.table, page.parent); !r)
            return r;
        return writeChildren(plan, page);
    });
}

Expected<void> SqlDestination::writeChildren(const ResourcePlan& plan, const PageRows& page) {
    for (int i = 0; i < plan.children.size(); ++i) {
        const ChildPlan& child = plan.children.at(i);
        // Owned children are replaced: the parent's JSON is the whole truth about them.
        auto r = child.owned ? replaceChildren(child, page.children.at(i))
                             : upsertRows(child.table, page.children.at(i).rows);
        if (!r)
            return r;
    }
    return {};
}

bool SqlDestination::keyedByOneColumn(const ChildPlan& child) {
    const TablePlan& table = child.table;
    return table.primaryKey.size() == 1 && table.keyColumn >= 0 && child.parentKeyColumn >= 0 &&
           table.columns.at(table.keyColumn).name == table.primaryKey.first();
}

Expected<void> SqlDestination::replaceChildren(const ChildPlan& child, const ChildRows& rows) {
    if (auto r = deleteChildren(child, rows.parentKeys); !r)
        return r;
    return upsertRows(child.table, rows.rows);
}

Expected<void> SqlDestination::deleteKeys(const ResourcePlan& plan, const QList<QByteArray>& keys) {
    if (keys.isEmpty())
        return {};
    if (auto r = refuseWrite(WriteKind::Deletes); !r)
        return r;
    return inTransaction<void>([&]() -> Expected<void> {
        for (const ChildPlan& child : plan.children) {
            if (!child.owned)
                continue;
            auto exists = tableExists(child.table.table);
            if (!exists)
                return exists.error();
            if (*exists)
                if (auto r = deleteChildren(child, keys); !r)
                    return r;
        }
        return deleteParents(plan.table, keys);
    });
}

} // namespace ors
