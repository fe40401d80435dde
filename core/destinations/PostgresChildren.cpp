// How a PostgresDestination replaces the children a page's parents own.
#include "destinations/PostgresDestination.h"

namespace ors {

Expected<void> PostgresDestination::replaceChildren(const ChildPlan& child, const ChildRows& rows) {
    const TablePlan& table = child.table;
    // Deleting every child of a changed listing and inserting it again costs a dead row version
    // and an entry in each index per photo, even when, as with most changes (a price, a status),
    // the photos stayed as they were: in the incremental of 1,500 listings out of 100,000 the
    // delete and the insert of the first page's 3,900 Media took 0.31 s of its 0.64 s, and leave
    // vacuum the dead rows. So the rows of the page's parents that the page no longer has are
    // deleted, found through the staging table the page's rows are copied into (a list of their
    // keys in the statement costs the server more to parse than the delete saves), and a row that
    // arrives as stored is not written again. Children with a key of more than one column are
    // replaced the plain way.
    if (!keyedByOneColumn(child))
        return SqlDestination::replaceChildren(child, rows);
    const Replacing replacing{&child, &rows.parentKeys};
    return writeRows(table, rows.rows, &replacing);
}

Expected<void> PostgresDestination::deleteStaleChildren(const Replacing& replacing, const QByteArray& stage) {
    const TablePlan& table = replacing.child->table;
    const QByteArray key = quote(table.columns.at(table.keyColumn).name);
    // The staging table has no index, so the server hashes its rows once for each statement
    // (an anti-join) rather than scanning them for each stored child.
    return deleteWhereIn(table, table.columns.at(replacing.child->parentKeyColumn).name,
                         *replacing.parentKeys,
                         QStringLiteral("deleting %1 rows their parents no longer have").arg(table.table),
                         "NOT EXISTS (SELECT FROM " + stage + " AS s WHERE s." + key + " = t." + key + ")");
}

QByteArray PostgresDestination::unchangedRowsKept(const QByteArrayList& updated) {
    // Compared as text: values that are equal but not the same (numeric 1.0 and 1.00, a float's
    // -0 and 0, the same in _overflow's JSON) are written, so what is stored is always what came.
    QByteArray stored;
    QByteArray arriving;
    for (const QByteArray& column : updated) {
        if (!stored.isEmpty()) {
            stored += ',';
            arriving += ',';
        }
        stored += "t." + column + "::text";
        arriving += "EXCLUDED." + column + "::text";
    }
    return " WHERE (" + stored + ") IS DISTINCT FROM (" + arriving + ")";
}

} // namespace ors
