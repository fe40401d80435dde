#pragma once

#include "records/Metadata.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

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
    QString name; // the SQL column: the field's name, or a suffixed one for a case twin (SchemaPlanner)
    Field field;  // field.name is the property as the server names it in JSON and $select
    ColumnStorage storage = ColumnStorage::Text;
    bool isParentKey = false; // the column a child row uses to point at its parent
};

struct TablePlan {
    QString table; // also the entity type name
    QList<ColumnPlan> columns;
    QStringList primaryKey; // column names
    QStringList indexes;    // column names of single-column secondary indexes
    int keyColumn = -1;
    int timestampColumn = -1; // ModificationTimestamp, when the entity has it

    // By SQL column name, and by the server's field name; they differ only for case twins.
    int columnIndex(const QString& name) const { return m_index.value(name, -1); }
    int fieldIndex(const QString& fieldName) const { return m_fieldIndex.value(fieldName, -1); }
    // The column a field is stored in, or an empty string when the table does not hold it.
    QString columnFor(const QString& fieldName) const {
        const int index = fieldIndex(fieldName);
        return index >= 0 ? columns.at(index).name : QString();
    }
    void addColumn(ColumnPlan column) {
        m_index.insert(column.name, int(columns.size()));
        m_fieldIndex.insert(column.field.name, int(columns.size()));
        columns.append(std::move(column));
    }

private:
    QHash<QString, int> m_index;
    QHash<QString, int> m_fieldIndex;
};

struct ChildPlan {
    QString navigation; // the navigation property in the parent's JSON, e.g. "Media"
    bool isCollection = true;
    bool owned = true;
    TablePlan table;
    int parentKeyColumn = -1;
};

// Names already reported, shared by the copies of one plan.
class NoticeSet {
public:
    // True the first time `name` is given.
    bool first(const QString& name) {
        const QMutexLocker lock(&m_mutex);
        if (m_names.contains(name))
            return false;
        m_names.insert(name);
        return true;
    }

private:
    QMutex m_mutex;
    QSet<QString> m_names;
};

struct ResourcePlan {
    QString resource;
    QString keyField;
    bool numericKey = false; // an integer key: unquoted in filters, stored (and compared) as text
    QString timestampField;  // empty when the entity has no ModificationTimestamp
    TablePlan table;
    QList<ChildPlan> children;
    QStringList selectFields; // what $select asks for; empty = all
    // Fields whose decimals PageReader rounded to their Scale and said so. A plan lives for one
    // job (SourceContext makes it), so this is "once per field and run", though the warnings
    // themselves travel page by page in PageRows::warnings.
    std::shared_ptr<NoticeSet> roundingNoticed = std::make_shared<NoticeSet>();
};

} // namespace ors
