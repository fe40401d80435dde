#pragma once

#include "destinations/TablePlan.h"
#include "diff/KeyRecord.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

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

// What the downloader needs to know about a page, and proof that the body is whole JSON.
struct PageInfo {
    qsizetype recordCount = 0;
    std::optional<qint64> odataCount;
    QString nextLink;
    QByteArray maxTimestamp; // normalized (UTC, ms, Z); empty when none
    QByteArray lastKey;
    // The sort values of the last record that has a key (and a valid timestamp, when one was
    // asked for), as sent: where a keyset-paged query continues.
    QByteArray cursorKey;
    QByteArray cursorTimestamp;
    // Records whose timestamp field is not a valid instant: (key, value as sent). They never
    // count towards maxTimestamp.
    QList<std::pair<QByteArray, QByteArray>> badTimestamps;
};

// What PageReader does with a decimal that has more fractional digits than its column's Scale.
enum class DecimalScale {
    Round, // to the Scale, half away from zero: what every destination stores
    AsSent // kept, to show what the MLS sent (`record` rounds when it compares)
};

class PageReader {
public:
    // Fails when the body is not one complete, valid JSON object with a "value" array.
    static Expected<PageInfo> inspect(const QByteArray& body, const QString& keyField,
                                      const QString& timestampField);
    // Fails only when the body is not whole JSON; a record that cannot be stored is listed in
    // PageRows::rejected and the rest of the page is read. Decimals are stored as plain digits;
    // those rounded to their Scale are named in PageRows::warnings, once per field and plan.
    static Expected<PageRows> read(const QByteArray& body, const ResourcePlan& plan, const QString& origin,
                                   DecimalScale decimals = DecimalScale::Round);
    // The JSON text of the records of the page whose key is one of `keys`, by key.
    static QHash<QByteArray, QByteArray> rawRecords(const QByteArray& body, const QString& keyField,
                                                    const QSet<QByteArray>& keys);
    // The page without these parents and their children (a destination refused them).
    static PageRows withoutParents(const ResourcePlan& plan, const PageRows& page,
                                   const QSet<QByteArray>& keys);
    // A key cell as text (integer keys are stored and compared as text).
    static QByteArray keyText(const Cell& cell) {
        return cell.type == Cell::Type::Integer ? QByteArray::number(cell.integer) : cell.text;
    }
    // The key (and up to two normalized timestamps) of every record of a key-list page.
    static Expected<QList<KeyRecord>> keys(const QByteArray& body, const QString& keyField,
                                           const QStringList& timestampFields, const QString& origin);

    // "2024-05-01T12:00:00.1234+02:00" -> "2024-05-01T10:00:00.123Z"; nullopt if not a timestamp.
    static std::optional<QByteArray> normalizeTimestamp(std::string_view text);
};

} // namespace ors
