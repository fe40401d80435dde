#pragma once

#include "records/TablePlan.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>

namespace ors {

// One stored value, already in the form the destination contract prescribes (see Cell
// conversion in PageReader.cpp): text for strings, decimals (exact), dates, timestamps
// (UTC, milliseconds, Z) and JSON; integers and booleans as integers.
struct Cell {
    enum class Type : quint8 { Null, Integer, Real, Text };
    Type type = Type::Null;
    qint64 integer = 0;
    double real = 0;
    QByteArray text; // UTF-8

    bool isNull() const { return type == Type::Null; }
    static Cell fromText(QByteArray value) {
        Cell c;
        c.type = Type::Text;
        c.text = std::move(value);
        return c;
    }
};

using Row = QList<Cell>; // aligned with TablePlan::columns

struct TableRows {
    QList<Row> rows;
};

struct ChildRows {
    TableRows rows;
    QList<QByteArray> parentKeys; // parents whose JSON carried the navigation property
};

// A record of a page that cannot be stored anywhere: it has no key, a value in it does not parse
// as its field's declared type (or a number is no JSON number), or one of its expanded children
// has such a fault (the whole record goes).
struct RecordRejection {
    qsizetype index = -1; // the record's position in the page
    QByteArray key;       // empty when the record has none
    QString reason;       // names the page file, the record index (and key) and the field
    QString child;        // the navigation property whose item was at fault, if one was
    QByteArray raw;       // the record's JSON text as the server sent it
};

struct PageRows {
    TableRows parent;
    QList<ChildRows> children; // aligned with ResourcePlan::children
    QList<QString> warnings;
    QList<RecordRejection> rejected; // in page order; not in parent or children
};

// A key cell as text (integer keys are stored and compared as text). A copy of its own: a page's
// text shares blocks (TextArena), and a key kept past its page must not keep a block alive.
inline QByteArray keyText(const Cell& cell) {
    return cell.type == Cell::Type::Integer ? QByteArray::number(cell.integer)
                                            : QByteArray(cell.text.constData(), cell.text.size());
}

// The page without these parents and their children (a destination refused them).
PageRows withoutParents(const ResourcePlan& plan, const PageRows& page, const QSet<QByteArray>& keys);

} // namespace ors
