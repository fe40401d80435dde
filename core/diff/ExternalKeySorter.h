#pragma once

#include "diff/KeyRecordBuffer.h"
#include "diff/SortedKeyStream.h"

#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

namespace ors {

// Sorts any number of KeyRecords (the MLS's key list, which arrives in whatever order the
// server pages it) into byte order within a fixed memory budget: records are kept encoded in a
// buffer; a full buffer is sorted and spilled as a run file; finish() merges the runs, at most
// maxOpenRuns at a time (more runs take extra merge passes, so open files and read buffers stay
// bounded too). Exact duplicate keys come out once, as the newer record.
//
// Spill files live in a private folder "keysort-XXXXXX" inside the given directory (the data
// directory's batch folder) and are removed when the sorted stream ends, or when the sorter and
// its stream are destroyed, whichever comes first.
class ExternalKeySorter {
public:
    struct Options {
        // 4 MB holds ~80,000 MLS keys with one timestamp (~50 bytes each encoded) or ~200,000
        // bare keys; a million keys make 5 to 13 runs, merged in one pass. A larger budget only
        // saves merge passes beyond maxOpenRuns runs (~15 million keys at 4 MB), so memory is the
        // better thing to save: bench_purge measured 8 MB as most of the growth from 100,000 to
        // 1,000,000 keys.
        qsizetype memoryBudgetBytes = 4 * 1024 * 1024;
        int maxOpenRuns = 64;                  // at least 2
        qsizetype readBufferBytes = 64 * 1024; // per open run while merging
    };

    explicit ExternalKeySorter(QString spillDirectory);
    ExternalKeySorter(QString spillDirectory, Options options);
    ~ExternalKeySorter();
    ExternalKeySorter(const ExternalKeySorter&) = delete;
    ExternalKeySorter& operator=(const ExternalKeySorter&) = delete;

    // An error (disk full, a folder that cannot be created) leaves the sorter spent.
    Expected<void> add(const KeyRecord& record);
    // Call once; the sorter is spent afterwards. The stream may outlive the sorter.
    Expected<std::unique_ptr<SortedKeyStream>> finish();

    qint64 recordsAdded() const { return m_recordsAdded; }
    int runsSpilled() const { return m_runsSpilled; }
    int intermediateMerges() const { return m_intermediateMerges; } // merges before the final one
    QString spillFolder() const;                                    // empty until the first spill

private:
    Expected<void> ensureFolder();
    Expected<void> spill();
    Expected<void> mergeRuns(const QStringList& inputs, const QString& output);
    QString nextRunPath();

    QString m_spillDirectory;
    Options m_options;
    KeyRecordBuffer m_buffer;
    std::shared_ptr<QTemporaryDir> m_folder;
    QStringList m_runs;
    qint64 m_recordsAdded = 0;
    int m_runsSpilled = 0;
    int m_runCounter = 0;
    int m_intermediateMerges = 0;
    bool m_finished = false;
};

} // namespace ors
