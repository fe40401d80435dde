#pragma once

#include "inspect/RecordComparison.h"

#include <QJsonObject>
#include <QString>

namespace ors {

// The `record` command's output: a stable JSON object, or a table of fields with the MLS's
// value beside each destination's and a marker on the rows that differ.
class RecordReport {
public:
    static QJsonObject toJson(const RecordComparison& comparison);
    static QString toText(const RecordComparison& comparison);
    // same, differs, missing, onlyInDestination, notFound, unchecked (MLS not read) or error.
    static QString status(const RecordComparison& comparison, const DestinationRecord& destination);

    static constexpr int kTextDetailLines = 30; // per destination, beyond the field table
};

} // namespace ors
