#include "processes/Unblock.h"

#include "processes/BatchFiles.h"
#include "store/SourceLock.h"
#include "store/StateStore.h"
#include "util/PrivateFiles.h"

#include <QDir>
#include <QFile>

namespace ors {

QStringList Unblock::filePrefixes(ProcessType process) {
    switch (process) {
    case ProcessType::Sync:
        return {QStringLiteral("sync_batch_")};
    case ProcessType::Purge:
        return {QStringLiteral("purge_batch_")};
    case ProcessType::Reconcile:
        return {QStringLiteral("reconcile_batch_"), QStringLiteral("missingIds_batch_"),
                QStringLiteral("missing_batch_")};
    }
    return {};
}

Expected<QString> Unblock::run(const SourceConfig& source, const DataLayout& layout, ProcessType process,
                               UnblockMode mode) {
    SourceLock lock;
    if (auto r = lock.acquire(layout.lockFile(source.name), source.name); !r)
        return r.error();
    (void)PrivateFiles::tighten(layout.root());
    StateStore state(layout.stateDatabase());
    if (auto r = state.open(); !r)
        return r.error();
    const QString processText = processName(process);
    auto failures = state.failures(source.name);
    if (!failures)
        return failures.error();
    int skipped = 0;
    int cleared = 0;
    for (const StepFailure& f : std::as_const(*failures)) {
        if (f.process != processText)
            continue;
        ++cleared;
        if (mode != UnblockMode::SkipFile || !f.step.startsWith(QStringLiteral("apply ")))
            continue;
        const QString name = f.step.mid(6);
        const QString path = BatchFiles(layout.downloadedDataDir(source.name, f.resource), {}).path(name);
        if (auto r = state.markApplied(source.name, processText, path, f.destination); !r)
            return r.error();
        ++skipped;
    }
    if (mode == UnblockMode::DiscardBatch) {
        int removed = 0;
        for (const ResourceConfig& resource : source.resources) {
            for (const QString& prefix : filePrefixes(process)) {
                // Pages, sorted key lists and deletion lists alike: the batch is gone.
                QDir dir(layout.downloadedDataDir(source.name, resource.name));
                for (const QString& name : dir.entryList({prefix + QStringLiteral("*")}, QDir::Files))
                    removed += QFile::remove(dir.filePath(name)) ? 1 : 0;
            }
        }
        if (auto r = state.finishBatch(source.name, processText); !r)
            return r.error();
        // Files kept for a destination behind went too: it catches up by a download from its mark.
        if (process == ProcessType::Sync)
            if (auto r = state.forgetKeptDownloads(source.name); !r)
                return r.error();
        if (auto r = state.clearAllFailures(source.name, processText); !r)
            return r.error();
        return QStringLiteral(
                   "discarded the unfinished %1 batch of %2 (%3 files); the next run starts from the "
                   "high-water marks")
            .arg(processText, source.name)
            .arg(removed);
    }
    if (auto r = state.clearAllFailures(source.name, processText); !r)
        return r.error();
    if (mode == UnblockMode::SkipFile)
        return QStringLiteral("skipped %1 file(s) for the failing destination(s) of %2 %3; run reconcile to "
                              "fetch what they missed")
            .arg(skipped)
            .arg(source.name, processText);
    return QStringLiteral("cleared %1 failing step(s) of %2 %3; the next run tries again")
        .arg(cleared)
        .arg(source.name, processText);
}

} // namespace ors
