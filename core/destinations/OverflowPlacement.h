#pragma once

#include "records/TablePlan.h"

#include <QList>
#include <QSet>
#include <QStringList>

namespace ors {

// Which of a table's columns keep a column of their own and which are kept in the table's JSON
// column "_overflow" instead, for the server destinations whose rows have a size limit (InnoDB's
// 8,126-byte record, PostgreSQL's 8,160-byte heap tuple). Each column's width is the most bytes
// it can still take in the row once the server moved long values out of it; the backend says
// what that is for its types. A placement, once made, is recorded and never changes: a field
// never moves between its column and _overflow.
class OverflowPlacement {
public:
    // The JSON column, and the table that records which fields of which table are in it.
    static QString column() { return QStringLiteral("_overflow"); }
    static QString placementTable() { return QStringLiteral("_openresync_overflow"); }

    // Columns that must stay columns: keys, parent keys, the timestamp and indexed columns
    // (they are compared, ordered and looked up by).
    static bool requiredInRow(const TablePlan& table, int column);

    // Which of `candidates` (indexes into table.columns, in plan order, each with its width) go
    // to _overflow, when the table's columns already take `used` bytes of `budget`: those named
    // in `named` (by column or field name), and then, in plan order, every one that no longer
    // fits what is left. Required columns always stay, and count.
    static QSet<int> place(const TablePlan& table, const QList<int>& candidates, const QList<int>& widths,
                           int used, int budget, const QStringList& named);
    // The plan of the table with only the columns at `columns` (in that order), keys and indexes
    // kept: what the row itself holds.
    static TablePlan subset(const TablePlan& table, const QList<int>& columns);
};

} // namespace ors
