#pragma once

#include "processes/ProcessJob.h"

namespace ors {

struct ResourcePlan;
struct ResourceProgress;

struct ReconcileOptions {
    QString resource; // only this resource; empty = all configured
};

// Fetches what the destinations miss or hold stale: downloads every key with its timestamps
// (with the resource's filter), compares them in byte order with each destination, writes
// the union to a missingIds list, fetches those records by key (with select and expand, so
// children are refreshed) and applies them exactly as sync does. Never deletes parents.
class ReconcileProcess : public ProcessJob {
    Q_OBJECT
public:
    ReconcileProcess(SourceConfig source, QString dataDir, ReconcileOptions options = {});
    ~ReconcileProcess() override;

protected:
    Expected<void> execute() override;

private:
    Expected<void> reconcileResource(const ResourcePlan& plan);
    Expected<qint64> computeMissing(const ResourcePlan& plan, const QStringList& timestampFields);
    Expected<void> fetchMissing(const ResourcePlan& plan, ResourceProgress& progress);
    QString missingListPath(const ResourcePlan& plan) const;
    QStringList timestampFields(const ResourcePlan& plan) const;

    ReconcileOptions m_options;
};

} // namespace ors
