#pragma once

#include "records/TablePlan.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

// Plain values describing one record as the MLS and each destination hold it (the `record`
// command; meant for the desktop window too). Values are in the value contract's form: what a
// destination stores, or would store for the MLS's JSON.
namespace ors {

enum class DifferenceKind {
    Value,             // both hold the field, the values differ
    MissingField,      // the destination's table lacks the column
    MissingRecord,     // the MLS has the record, the destination does not
    OnlyInDestination, // the destination holds a record the MLS no longer has
    MissingChild,      // an owned child the MLS has and the destination lacks
    ExtraChild,        // an owned child the destination holds and the MLS no longer has
};

struct FieldDifference {
    DifferenceKind kind = DifferenceKind::Value;
    // The column ("ListPrice"), a child ("Media[M1]") or a child's column ("Media[M1].MediaURL");
    // empty for the record as a whole.
    QString field;
    QJsonValue mls;         // undefined when the MLS side has nothing
    QJsonValue destination; // undefined when the destination side has nothing
};

struct RecordColumn {
    QString name;
    ColumnStorage storage = ColumnStorage::Text;
};

struct ChildCount {
    QString navigation; // e.g. "Media"
    qsizetype count = 0;
};

struct DestinationRecord {
    QString name;
    QString type;  // sqlite, mysql, …
    QString error; // the record could not be read; nothing else is meaningful then
    bool found = false;
    QJsonObject fields; // by column; a column the table lacks is absent
    QList<ChildCount> children;
    QList<FieldDifference> differences; // at most RecordInspector::kMaxDifferences
    int differencesOmitted = 0;
    int fieldsDiffering = 0; // parent columns with a Value or MissingField difference
    // Owned children missing, extra, or differing in any column, each counted once (all of
    // them, also those beyond kMaxDifferences).
    int childrenDiffering = 0;
};

struct RecordComparison {
    QString source;
    QString resource;
    QString key;
    QString keyField;
    QString error; // nothing could be compared (unknown resource, $metadata, bad key)
    QString mlsError;
    bool mlsFound = false;
    QList<RecordColumn> columns; // the parent table's, in the plan's order
    QJsonObject mlsFields;
    QList<ChildCount> mlsChildren;
    QList<DestinationRecord> destinations;

    bool failed() const {
        if (!error.isEmpty() || !mlsError.isEmpty())
            return true;
        for (const DestinationRecord& d : destinations)
            if (!d.error.isEmpty())
                return true;
        return false;
    }
    bool foundAnywhere() const {
        if (mlsFound)
            return true;
        for (const DestinationRecord& d : destinations)
            if (d.found)
                return true;
        return false;
    }
};

QString differenceKindName(DifferenceKind kind);

} // namespace ors
