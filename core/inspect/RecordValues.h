#pragma once

#include "records/TablePlan.h"
#include "reso/PageReader.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace ors {

// Stored values of one column compared as values of its storage class rather than as text, so
// that "2024-01-02T03:04:05Z" equals "2024-01-02T03:04:05.000Z" and "100.50" equals "100.5":
// the MLS's JSON, SQLite's text and MySQL's DECIMAL/DATETIME each write the same value their
// own way.
class RecordValues {
public:
    // A cell as PageReader produced it, as the JSON value fetchRecord would return for it.
    static QJsonValue fromCell(const Cell& cell);
    // Null and absent (undefined) are equal to each other and to nothing else.
    static bool equal(ColumnStorage storage, const QJsonValue& a, const QJsonValue& b);
    // The MLS's value against a stored one: a decimal column's value also counts as equal when
    // it is the MLS's value rounded to the column's Scale, as the destinations store it.
    static bool equalToMls(const ColumnPlan& column, const QJsonValue& mls, const QJsonValue& stored);
    // "-0012.3400" -> "-12.34", "1.5e2" -> "150"; empty when the text is not a decimal number.
    static QByteArray canonicalDecimal(const QByteArray& text);
    // One line of text for a person: null, numbers without exponent noise, strings as they are.
    static QString display(const QJsonValue& value);

private:
    static std::optional<qint64> integer(const QJsonValue& value);
    static std::optional<double> real(const QJsonValue& value);
    static QByteArray text(const QJsonValue& value);
};

} // namespace ors
