// The widening rules the server destinations share: which metadata changes widen an existing
// column and which are only reported. The dialects say what their types hold (SqlTextDestination's
// declaredTypes, familyOfType, charsHeld, typeRank, widenDecimal).
#include "destinations/SqlTextDestination.h"

#include <climits>

namespace ors {

QList<SqlTextDestination::ColumnChange> SqlTextDestination::columnChanges(const TablePlan& table,
                                                                          const TableShape& shape) const {
    QList<ColumnChange> changes;
    const QList<DeclaredType> types = declaredTypes(table);
    for (int i = 0; i < table.columns.size(); ++i) {
        const ColumnPlan& column = table.columns.at(i);
        const ColumnShape* existing = shape.find(column.name);
        if (!existing)
            continue;
        const DeclaredType& wanted = types.at(i);
        ColumnChange change{i, {}, typeText(*existing), wanted.sql};
        const Family have = familyOfType(existing->type);
        if (have != storedFamily(column.storage)) {
            changes.append(change); // reported, not applied
            continue;
        }
        switch (have) {
        case Family::String: {
            // Widened when the metadata now allows longer values than the column holds.
            const int held = charsHeld(*existing);
            const Field& field = column.field;
            const int allowed = field.maxLength && *field.maxLength > 0
                                    ? *field.maxLength
                                    : (column.storage == ColumnStorage::Text ? 255 : INT_MAX);
            if (held < allowed && wanted.chars > held) {
                change.definition = wanted.definition;
                changes.append(change);
            }
            break;
        }
        case Family::Integer:
        case Family::Real:
            if (typeRank(wanted.sql) > typeRank(existing->type)) {
                change.definition = wanted.definition;
                changes.append(change);
            }
            break;
        case Family::Decimal:
            if (existing->decimal && widenDecimal(column, *existing->decimal, &change))
                changes.append(change);
            break;
        default:
            break;
        }
    }
    return changes;
}

} // namespace ors
