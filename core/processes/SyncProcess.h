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
    bool destinationsIndependent() const override { return true; }
    QByteArray heldThrough(const QString& resource, const QString& destination) const override;
    QString lagOf(const QString& resource, const QString& destination) override;

private:
    Expected<void> syncAll();
    Expected<void> syncResource(const ResourcePlan& plan);
    // Where each destination still going stands for the resource before this run applies
    // anything: its position (see positionOf). A destination that cannot say, or is blocked,
    // falls behind.
    Expected<void> measurePositions(const ResourcePlan& plan);
    // The oldest point the destination needs: its high-water mark, or without one (new
    // destination, lost state) the newest timestamp it holds; empty: everything.
    Expected<QByteArray> positionOf(Destination& destination, const ResourcePlan& plan);
    // Whether a download from lowerBound leaves no gap after a destination at this position.
    static bool covers(const QByteArray& position, const QByteArray& lowerBound);
    // Downloads kept on disk for destinations that fell behind in earlier runs, oldest first: their
    // files go to the destinations lacking them, and a destination whose position the download
    // began at or before has everything up to its mark.
    Expected<void> catchUp(const ResourcePlan& plan);
    // After the resource's files went to every destination still going: their marks raised, the
    // download kept when some destination lacks its files, the resource done.
    Expected<void> finishResource(const ResourcePlan& plan, ResourceProgress& progress);
    // The first sequence number after every page file of the current batch still on disk.
    int nextFreeSeq(const QString& resource) const;
    // Resources of the resumed batch whose download ended in an earlier run.
    Expected<QStringList> downloadedEarlier();
    Expected<void> fetchChangesSince(const QStringList& resources);
    Expected<void> download(const ResourcePlan& plan, ResourceProgress& progress);
    // The oldest position among the destinations still going: where the download begins.
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
    // For the resource under way (m_measured): destination → position, and → its mark where the
    // position is that mark (see heldThrough).
    QString m_measured;
    QHash<QString, QByteArray> m_positions;
    QHash<QString, QByteArray> m_held;
};

} // namespace ors
