#pragma once

#include "processes/ProcessJob.h"

namespace ors {

class Destination;
class ExternalKeySorter;
class BatchFiles;
class SortedKeyStream;
class StoredKeyStream;
struct ChildPlan;
struct ResourcePlan;
struct ResourceProgress;

struct ReconcileOptions {
    QString resource; // only this resource; empty = all configured
};

// Fetches what the destinations miss or hold stale: downloads every key with its timestamps
// (with the resource's filter), compares them in byte order with each destination, writes
// the union to a missingIds list, fetches those records by key (with select and expand, so
// children are refreshed) and applies them exactly as sync does. Never deletes parents.
// Owned children with a ModificationTimestamp are compared too (ReconcileChildren.cpp): the key
// list carries each parent's children's keys and timestamps, and a parent whose child set
// differs in a destination (a child missing, extra, or with another timestamp) is fetched again
// like a stale one, for servers that change children without touching the parent.
// A destination that cannot be opened, is blocked, refuses the schema, or fails while its keys
// are compared or the fetched records applied falls behind for the resource: the others are
// reconciled, and the run ends failed (exit code 1) naming it. It compares again, from its own
// keys, on a later run.
class ReconcileProcess : public ProcessJob {
    Q_OBJECT
public:
    ReconcileProcess(SourceConfig source, const QString& dataDir, ReconcileOptions options = {});
    ~ReconcileProcess() override;

protected:
    Expected<void> execute() override;
    QString keyListExpand(const ResourcePlan& plan) const override;
    bool destinationsIndependent() const override { return true; }

private:
    Expected<void> reconcileResource(const ResourcePlan& plan);
    Expected<qint64> computeMissing(const ResourcePlan& plan, const QStringList& timestampFields);
    // One destination's records missing or stale against the MLS's sorted keys, added to
    // `missing` (in the MLS's keys); an error is the destination's.
    Expected<void> compareDestination(const ResourcePlan& plan, Destination& destination,
                                      const QStringList& timestampFields, SortedKeyStream& mlsKeys,
                                      const BatchFiles& pages, ExternalKeySorter& missing);
    // After the apply: the fetched pages still on disk wait only for destinations behind, which
    // compare again on a later run; they go, and the destinations that took every page are no
    // longer failing.
    Expected<void> finishApply(const ResourcePlan& plan);
    // The MLS's sorted keys (or child digests) as `destination` stores them, when its mapping
    // changes keys; null when it does not.
    Expected<std::unique_ptr<StoredKeyStream>> storedKeys(Destination& destination, const ResourcePlan& plan,
                                                          SortedKeyStream& mls);
    Expected<void> fetchMissing(const ResourcePlan& plan, ResourceProgress& progress);
    // The owned children compared by key and timestamp: those whose table has both.
    static QList<const ChildPlan*> comparedChildren(const ResourcePlan& plan);
    // Adds to `missing` the parents whose children differ between the key pages and `destination`.
    Expected<void> compareChildren(const ResourcePlan& plan, Destination& destination,
                                   const BatchFiles& pages, ExternalKeySorter& missing);
    QString missingListPath(const ResourcePlan& plan) const;
    QStringList timestampFields(const ResourcePlan& plan) const;

    ReconcileOptions m_options;
};

} // namespace ors
