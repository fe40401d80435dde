#pragma once

#include "processes/ProcessJob.h"

#include <QJsonArray>

namespace ors {

struct ResourcePlan;
struct ResourceProgress;
class Destination;

struct PurgeOptions {
    QString resource;              // only this resource; empty = all configured
    bool dryRun = false;           // compute and report what would be deleted, delete nothing
    bool allowLargeDelete = false; // ignore purge.maxDeletes / purge.maxDeletePercent for this run
};

// Deletes from every destination what the MLS no longer has: downloads every key of each
// top-level resource (with its filter), sorts them on disk, and compares them with each
// destination's keys read in byte order, holding a record per side at a time. Refuses (exit
// code 3, nothing deleted) when the key list disagrees with @odata.count or the deletions
// exceed the configured limits. A destination that cannot be opened, is blocked, or fails while
// its keys are read or its rows deleted falls behind for the resource; the others purge it, and
// the run ends failed (exit code 1) naming it. It purges again, by a comparison of its own, on a
// later run.
class PurgeProcess : public ProcessJob {
    Q_OBJECT
public:
    PurgeProcess(SourceConfig source, const QString& dataDir, PurgeOptions options = {});
    ~PurgeProcess() override;

    // What the run found, per resource and destination: {resource, destination, deletes,
    // destinationRows, listFile (dry run: the keys that would be deleted)}.
    const QJsonArray& findings() const { return m_findings; }
    // What the user must know although the run went on (e.g. no count to check the keys against).
    const QStringList& warnings() const { return m_warnings; }

protected:
    Expected<void> execute() override;
    Expected<void> keyListStarting(const ResourcePlan& plan, ResourceProgress& progress) override;
    bool destinationsIndependent() const override { return true; }

private:
    Expected<void> purgeResource(const ResourcePlan& plan);
    // Destinations whose purge of the resource is blocked (kBlockAfter failures in a row) fall
    // behind for it; `done`: those that purged it already in this batch.
    Expected<void> noteBlocked(const ResourcePlan& plan, const QStringList& done);
    Expected<QString> sortKeys(const ResourcePlan& plan, qint64* uniqueKeys);
    Expected<qint64> purgeDestination(const ResourcePlan& plan, Destination& destination,
                                      const QString& sortedList);
    Expected<void> discardResourceFiles(const ResourcePlan& plan);
    void removeResourceFiles(const ResourcePlan& plan);
    // The key list on disk is older than purge.maxKeyListAgeMinutes (or of unknown age).
    bool keyListTooOld(const ResourceProgress& progress) const;
    qint64 keyListAgeMinutes(const ResourceProgress& progress) const;
    // The MLS's record count of the resource, asked apart from the key download ($top=0 with
    // $count=true, else the /$count path); nullopt when the server answers neither.
    Expected<std::optional<qint64>> serverCount(const ResourcePlan& plan);
    // Without @odata.count in the key download: the keys must be at least the smaller of the
    // counts asked before and after it.
    Expected<void> checkAgainstSeparateCounts(const ResourcePlan& plan, const ResourceProgress& progress,
                                              qint64 uniqueKeys);
    QString resourceDir(const ResourcePlan& plan) const;
    // Refuses a resource whose table another source's destination writes too (TableWriters).
    Expected<void> refuseSharedTables(const ResourcePlan& plan);
    // The parent key columns of other resources' owned children stored in this resource's table
    // (PurgeGuard::ownedBy): the rows they hold are theirs to replace and delete.
    QStringList ownedBy(const ResourcePlan& plan) const;

    PurgeOptions m_options;
    QJsonArray m_findings;
    QStringList m_warnings;
};

} // namespace ors
