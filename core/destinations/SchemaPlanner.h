#pragma once

#include "config/Config.h"
#include "destinations/TablePlan.h"
#include "reso/Metadata.h"
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
    static ColumnStorage storageFor(const Field& field);
    static inline const QString kTimestampField = QStringLiteral("ModificationTimestamp");

private:
    static Expected<TablePlan> tableFor(const EntityType& entity, const QStringList& select,
                                        const QString& origin, const PlanOptions& options);
};

} // namespace ors
