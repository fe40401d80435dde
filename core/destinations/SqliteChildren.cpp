// How a SqliteDestination replaces the children a page's parents own.
#include "destinations/SqliteDestination.h"

#include <QHash>
#include <QSet>

#include <optional>
#include <sqlite3.h>

namespace ors {

Expected<void> SqliteDestination::replaceChildren(const ChildPlan& child, const ChildRows& rows) {
    const TablePlan& table = child.table;
    // Deleting every child of a changed listing and inserting them again dirties the children's
    // table and index pages even when, as with most changes, the photos stayed as they were: on a
    // table of 100,000 listings each such page is a random one of 32 KB that the commit writes to
    // the WAL and the checkpoint to the file. So only the rows the page no longer has are deleted,
    // and upsertRows leaves a row that arrives as stored untouched. Children with a key of more
    // than one column are replaced the plain way.
    if (!keyedByOneColumn(child))
        return SqlDestination::replaceChildren(child, rows);

    const QString key = quote(table.columns.at(table.keyColumn).name);
    const QString parentColumn = quote(table.columns.at(child.parentKeyColumn).name);
    auto select = statement(
        table.table + QStringLiteral("|keys-of|") + parentColumn,
        QStringLiteral("SELECT %1 FROM %2 WHERE %3 = ?").arg(key, quote(table.table), parentColumn).toUtf8());
    if (!select)
        return select.error();

    // The stored children's keys, of the parents that have some: none while a table is first
    // loaded, which then pays only these lookups (as many as the plain way's deletes).
    QHash<QByteArray, QList<std::optional<QByteArray>>> stored;
    for (const QByteArray& parent : rows.parentKeys) {
        sqlite3_bind_text(*select, 1, parent.constData(), int(parent.size()), SQLITE_STATIC);
        int rc;
        while ((rc = sqlite3_step(*select)) == SQLITE_ROW) {
            std::optional<QByteArray> value;
            if (sqlite3_column_type(*select, 0) != SQLITE_NULL)
                value = QByteArray(reinterpret_cast<const char*>(sqlite3_column_text(*select, 0)),
                                   sqlite3_column_bytes(*select, 0));
            stored[parent].append(std::move(value));
        }
        sqlite3_reset(*select);
        if (rc != SQLITE_DONE)
            return makeError(QStringLiteral("destination %1: reading %2 of %3 failed: %4")
                                 .arg(m_name, table.table, QString::fromUtf8(parent), lastError()));
    }
    if (stored.isEmpty())
        return upsertRows(table, rows.rows);

    // Which of them the page still has, keys as SQLite reads them back (integers as text). A key
    // that is neither text nor an integer never matches: its row is deleted and inserted again,
    // slower, never wrong.
    QHash<QByteArray, QSet<QByteArray>> arriving;
    for (const Row& row : rows.rows.rows) {
        const QByteArray parent = keyText(row.at(child.parentKeyColumn));
        if (stored.contains(parent))
            arriving[parent].insert(keyText(row.at(table.keyColumn)));
    }

    // IS, not =: a key SQLite holds as NULL (none of ours) goes too, as the plain way deletes it.
    auto remove =
        statement(table.table + QStringLiteral("|delete-key|") + key,
                  QStringLiteral("DELETE FROM %1 WHERE %2 IS ?").arg(quote(table.table), key).toUtf8());
    if (!remove)
        return remove.error();
    for (auto it = stored.cbegin(); it != stored.cend(); ++it) {
        const QSet<QByteArray> keep = arriving.value(it.key());
        for (const std::optional<QByteArray>& stale : it.value()) {
            if (stale && keep.contains(*stale))
                continue;
            if (stale)
                sqlite3_bind_text(*remove, 1, stale->constData(), int(stale->size()), SQLITE_STATIC);
            else
                sqlite3_bind_null(*remove, 1);
            const int deleted = sqlite3_step(*remove);
            sqlite3_reset(*remove);
            if (deleted != SQLITE_DONE)
                return makeError(QStringLiteral("destination %1: deleting %2 %3 of %4 failed: %5")
                                     .arg(m_name, table.table, QString::fromUtf8(stale.value_or("NULL")),
                                          QString::fromUtf8(it.key()), lastError()));
        }
    }
    return upsertRows(table, rows.rows);
}

} // namespace ors
