#pragma once

#include "config/Config.h"
#include "records/Metadata.h"
#include "records/TablePlan.h"
#include "util/Expected.h"

#include <functional>

namespace ors {

// What a platform changes in a plan: the key (MLS Grid keys Property by ListingId), fields it
// excludes, and fields every $select must carry.
struct PlanOptions {
    QString keyField; // empty: the first <Key> property
    std::function<bool(const QString&)> exclude;
    QStringList alwaysSelect; // added to $select (and stored) when the entity has them
};

// Turns $metadata plus a resource's configuration into the tables a destination holds:
// one table per resource named after it, a column per field, the primary key from <Key>,
// and a table per expansion named after the navigation target, carrying the parent's key.
class SchemaPlanner {
public:
    static Expected<ResourcePlan> plan(const Metadata& metadata, const ResourceConfig& resource,
                                       const PlanOptions& options = {});
    static bool isValidIdentifier(const QString& name);
    // The entity's fields as one table holds them: a property a derived type declares again
    // replaces its base's declaration (one column, the derived type), in the base's place.
    static QList<Field> tableFields(const EntityType& entity);
    // The column of each of `fields`, in order. SQL column names ignore case, and real servers
    // send fields differing only in case (Remarks, remarks): the first keeps its name, each later
    // twin takes "<name>_2", "_3", ... (the first free, shortened to stay within 64 characters).
    // Decided over all of the entity's fields in declaration order, before select or exclusions,
    // so a field keeps its column across runs, selections and fields added after it.
    static QStringList columnNames(const QList<Field>& fields);
    static ColumnStorage storageFor(const Field& field);
    static inline const QString kTimestampField = QStringLiteral("ModificationTimestamp");

private:
    static Expected<TablePlan> tableFor(const EntityType& entity, const QStringList& select,
                                        const QString& origin, const PlanOptions& options);
};

} // namespace ors
