#pragma once

#include "reso/Metadata.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace ors {

// How a column stores its values; every destination maps these to its own SQL types.
enum class ColumnStorage {
    Text,      // strings, enums (verbatim), Guid, TimeOfDay, Duration
    LongText,  // strings without a usable MaxLength or longer than an index can hold
    Integer,   // Int16/32/64, Byte, SByte
    Decimal,   // exact: never through binary floating point
    Real,      // Double, Single
    Boolean,   // 0/1
    Date,      // YYYY-MM-DD
    Timestamp, // UTC instant, ISO-8601 with milliseconds and Z
    Json,      // collections, complex values, geography
};

struct ColumnPlan {
    QString name;
    Field field;
    ColumnStorage storage = ColumnStorage::Text;
    bool isParentKey = false; // the column a child row uses to point at its parent
};

struct TablePlan {
    QString table; // also the entity type name
    QList<ColumnPlan> columns;
    QStringList primaryKey;
    QStringList indexes; // single-column secondary indexes
    int keyColumn = -1;
    int timestampColumn = -1; // ModificationTimestamp, when the entity has it

    int columnIndex(const QString& name) const { return m_index.value(name, -1); }
    void addColumn(ColumnPlan column) {
        m_index.insert(column.name, int(columns.size()));
        columns.append(std::move(column));
    }

private:
    QHash<QString, int> m_index;
};

struct ChildPlan {
    QString navigation; // the navigation property in the parent's JSON, e.g. "Media"
    bool isCollection = true;
    bool owned = true;
    TablePlan table;
    int parentKeyColumn = -1;
};

struct ResourcePlan {
    QString resource;
    QString keyField;
    bool numericKey = false; // an integer key: unquoted in filters, stored (and compared) as text
    QString timestampField;  // empty when the entity has no ModificationTimestamp
    TablePlan table;
    QList<ChildPlan> children;
    QStringList selectFields; // what $select asks for; empty = all
};

} // namespace ors
