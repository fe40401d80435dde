#pragma once

#include "store/SqliteStore.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace ors {

// Compare: reconcile's keys are on disk, the comparison with the destinations is pending.
// Fetch: reconcile downloading the records it found missing or stale.
enum class ResourcePhase { Download, Compare, Fetch, Apply, Done };

// Where one resource of an unfinished batch stands.
struct ResourceProgress {
    ResourceProgress() = default;
    explicit ResourceProgress(QString name, ResourcePhase start = ResourcePhase::Download)
        : resource(std::move(name))
        , phase(start) {}

    QString resource;
    ResourcePhase phase = ResourcePhase::Download;
    QByteArray lowerBound; // the high-water mark the download started from; empty = everything
    int nextSeq = 1;       // sequence number of the next page file
    qint64 expectedCount = -1;
    qint64 received = 0;
    QByteArray maxDownloaded; // greatest timestamp among the pages already on disk
    bool downloadStarted = false;
    // Purge and reconcile: when the download of the key list on disk began (normalised UTC
    // text); empty when no key list was started. A purge spares rows changed after it.
    QByteArray keysStarted;
    qint64 countBefore = -1; // purge: the server's count asked before the key download; -1: none
    // Sync: when the download's first request was sent (the server's Date, else the local clock),
    // normalized; the high-water mark never goes past it. Empty until the first page is on disk.
    QByteArray downloadStart;
};

// One high-water mark. An empty timestamp is a mark cleared by `reset-mark --full`: the next
// sync downloads everything for that destination.
struct HighWaterMark {
    QString resource;
    QString destination;
    QByteArray timestamp;
};

// The page files of one finished sync download kept on disk because a destination has not taken
// them all: every sync_batch_ file of the resource named after the previous kept download's
// last file, up to and including lastFile. The download covered the changes after lowerBound up
// to mark, so a destination whose position was at least lowerBound has everything up to mark once
// it has applied those files.
struct KeptDownload {
    QString resource;
    QString lastFile;      // file name, no folder
    QByteArray lowerBound; // empty: the download asked for everything
    QByteArray mark;       // the mark the download raised for the destinations that took it; may be empty
};

struct StepFailure {
    QString source;
    QString process;
    QString resource;
    QString destination;
    QString step;
    int count = 0;
    QString lastError;
    QString updated;
};

// state.sqlite: resume points of unfinished batches, high-water marks and failure counters.
// Every method commits before it returns, so whatever was recorded survives a SIGKILL.
class StateStore : public SqliteStore {
public:
    explicit StateStore(const QString& path);
    Expected<void> open();
    // Every schema step from version 0, in order (append only: a step's position is the version
    // it leads to). A prefix of them makes a file as an older program left it.
    static std::span<const Migration> migrations();

    Expected<std::optional<QString>> currentBatch(const QString& source, const QString& process);
    Expected<void> startBatch(const QString& source, const QString& process, const QString& batchId);
    // Closes the batch and forgets its resume points and its applied marks, except the marks of
    // the files in `keepFiles` (paths): page files still waiting for a destination.
    Expected<void> finishBatch(const QString& source, const QString& process,
                               const QStringList& keepFiles = {});

    Expected<std::optional<ResourceProgress>> resource(const QString& source, const QString& process,
                                                       const QString& resource);
    Expected<void> saveResource(const QString& source, const QString& process,
                                const ResourceProgress& progress);

    Expected<QStringList> appliedDestinations(const QString& source, const QString& process,
                                              const QString& file);
    Expected<void> markApplied(const QString& source, const QString& process, const QString& file,
                               const QString& destination);
    Expected<void> forgetFile(const QString& source, const QString& process, const QString& file);

    // The newest ModificationTimestamp known to be applied to one destination.
    Expected<std::optional<QByteArray>> highWater(const QString& source, const QString& resource,
                                                  const QString& destination);
    Expected<void> raiseHighWater(const QString& source, const QString& resource, const QString& destination,
                                  const QByteArray& timestamp);
    // Sets a mark to any value, lower included (reset-mark); empty = download everything next.
    Expected<void> setHighWater(const QString& source, const QString& resource, const QString& destination,
                                const QByteArray& timestamp);
    Expected<QList<HighWaterMark>> highWaters(const QString& source);
    // Drops one resource's progress in the unfinished batch of a process, so its next run
    // starts the resource again (from the marks) instead of resuming.
    Expected<void> forgetResource(const QString& source, const QString& process, const QString& resource);

    // Sync downloads whose files wait on disk for a destination that fell behind, oldest first.
    Expected<void> keepDownload(const QString& source, const KeptDownload& kept);
    Expected<QList<KeptDownload>> keptDownloads(const QString& source, const QString& resource);
    Expected<void> forgetKeptDownload(const QString& source, const QString& resource,
                                      const QString& lastFile);
    // Every kept download of the source (unblock --discard-batch deletes their files).
    Expected<void> forgetKeptDownloads(const QString& source);

    // Consecutive failures of one step; returns the new count.
    Expected<int> recordFailure(const StepFailure& failure);
    Expected<void> clearFailures(const QString& source, const QString& process, const QString& resource,
                                 const QString& destination);
    Expected<QList<StepFailure>> failures(const QString& source);
    Expected<std::optional<StepFailure>> failure(const QString& source, const QString& process,
                                                 const QString& resource, const QString& destination);
    Expected<void> clearAllFailures(const QString& source, const QString& process);
    // Source ▸ Remove… with its data: every row of the source (batches, marks, failures) in one
    // transaction, so a source added again under the name starts from nothing.
    Expected<void> forgetSource(const QString& source);
};

} // namespace ors
