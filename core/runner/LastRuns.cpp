#include "runner/LastRuns.h"

namespace ors {

Expected<LastRuns> readLastSyncRuns(const std::optional<SqlServerConfig>& server, const QString& dataDir,
                                    const QStringList& sources) {
    LastRuns runs;
    StatsStore stats(server, dataDir);
    if (!stats.exists())
        return runs;
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
