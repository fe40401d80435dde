#pragma once

#include "processes/ProcessJob.h"
#include "reso/PagedQuery.h"

namespace ors {

class Destination;
struct ResourcePlan;
struct ResourceProgress;

struct SyncOptions {
    QString resource;        // only this resource; empty = all configured
    bool resumeOnly = false; // finish an unfinished batch and stop, without asking for newer changes
};

// One sync of one source, to completion: metadata → schema → download → apply, resumable
// at every page and file.
class SyncProcess : public ProcessJob {
    Q_OBJECT
public:
    SyncProcess(SourceConfig source, const QString& dataDir, SyncOptions options = {});
    ~SyncProcess() override;

protected:
    Expected<void> execute() override;

private:
    Expected<void> syncResource(const ResourcePlan& plan);
    // Resources of the resumed batch whose download ended in an earlier run.
    Expected<QStringList> downloadedEarlier();
    Expected<void> fetchChangesSince(const QStringList& resources);
    Expected<void> download(const ResourcePlan& plan, ResourceProgress& progress);
    Expected<QByteArray> startingPoint(const ResourcePlan& plan);
    // Another resource's expansion writes this resource's table, so the rows held are no
    // measure of this resource's progress.
    // The destination's table of this resource is written by another source too (TableWriters).
    bool sharesTable(Destination& destination, const ResourcePlan& plan) const;
    bool holdsOtherChildren(const ResourcePlan& plan) const;
    // When the download's first request was sent, normalized: the server's Date, else the local clock.
    QByteArray startTime(const ResourcePlan& plan, const Page& first);
    // The new high-water mark after a download: its newest timestamp, bounded by its start.
    QByteArray newMark(const ResourcePlan& plan, const ResourceProgress& progress);
    void reportBadTimestamps(const ResourcePlan& plan, const PageInfo& info, qint64& count);
    // The download's query: from the lower bound, resumed after what is on disk where the server sorts.
    PagedQuerySpec querySpec(const ResourcePlan& plan, const ResourceProgress& progress) const;
    QString filePrefix() const;

    SyncOptions m_options;
};

} // namespace ors
