#pragma once

#include "destinations/TablePlan.h"
#include "diff/KeyRecord.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QList>
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

struct PageRows {
    TableRows parent;
    QList<ChildRows> children; // aligned with ResourcePlan::children
    QList<QString> warnings;
};

// What the downloader needs to know about a page, and proof that the body is whole JSON.
struct PageInfo {
    qsizetype recordCount = 0;
    std::optional<qint64> odataCount;
    QString nextLink;
    QByteArray maxTimestamp; // normalized (UTC, ms, Z); empty when none
    QByteArray lastKey;
    // Records whose timestamp field is not a valid instant: (key, value as sent). They never
    // count towards maxTimestamp.
    QList<std::pair<QByteArray, QByteArray>> badTimestamps;
};

class PageReader {
public:
    // Fails when the body is not one complete, valid JSON object with a "value" array.
    static Expected<PageInfo> inspect(const QByteArray& body, const QString& keyField,
                                      const QString& timestampField);
    static Expected<PageRows> read(const QByteArray& body, const ResourcePlan& plan, const QString& origin);
    // The key (and up to two normalized timestamps) of every record of a key-list page.
    static Expected<QList<KeyRecord>> keys(const QByteArray& body, const QString& keyField,
                                           const QStringList& timestampFields, const QString& origin);

    // "2024-05-01T12:00:00.1234+02:00" -> "2024-05-01T10:00:00.123Z"; nullopt if not a timestamp.
    static std::optional<QByteArray> normalizeTimestamp(std::string_view text);

private:
    static void dropRepeatedParents(const ResourcePlan& plan, PageRows& page,
                                    const QList<QList<qsizetype>>& childEnds);
};

} // namespace ors
