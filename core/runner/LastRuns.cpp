#include "runner/LastRuns.h"

#include "config/DataDir.h"

#include <QFileInfo>

namespace ors {

Expected<LastRuns> readLastSyncRuns(const QString& dataDir, const QStringList& sources) {
    const DataLayout layout(dataDir);
    LastRuns runs;
    if (!QFileInfo::exists(layout.statsDatabase()))
        return runs;
    StatsStore stats(layout.statsDatabase());
    if (auto opened = stats.open(); !opened)
        return opened.error();
    for (const QString& source : sources) {
        auto run = stats.lastRun(source, QStringLiteral("sync"));
        if (!run)
            return run.error();
        if (*run)
            runs.insert(source, **run);
    }
    return runs;
}

} // namespace ors
