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
// exceed the configured limits.
class PurgeProcess : public ProcessJob {
    Q_OBJECT
public:
    PurgeProcess(SourceConfig source, QString dataDir, PurgeOptions options = {});
    ~PurgeProcess() override;

    // What the run found, per resource and destination: {resource, destination, deletes,
    // destinationRows, listFile (dry run: the keys that would be deleted)}.
    const QJsonArray& findings() const { return m_findings; }

protected:
    Expected<void> execute() override;

private:
    Expected<void> purgeResource(const ResourcePlan& plan);
    Expected<QString> sortKeys(const ResourcePlan& plan, qint64* uniqueKeys);
    Expected<qint64> purgeDestination(const ResourcePlan& plan, Destination& destination,
                                      const QString& sortedList);
    Expected<void> discardResourceFiles(const ResourcePlan& plan);
    QString resourceDir(const ResourcePlan& plan) const;

    PurgeOptions m_options;
    QJsonArray m_findings;
};

} // namespace ors
