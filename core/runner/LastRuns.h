#pragma once

#include "stats/StatsStore.h"
#include "util/Expected.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace ors {

using LastRuns = QHash<QString, RunSummary>; // source name → its newest sync run

// The newest sync run of each named source, from the stats store (`stats`, else
// <dataDir>/stats.sqlite). Sources never synced are absent; a data directory without stats gives
// an empty result and creates nothing. Runs SQL on its own connection and blocks: call it from a
// worker thread.
Expected<LastRuns> readLastSyncRuns(const std::optional<SqlServerConfig>& stats, const QString& dataDir,
                                    const QStringList& sources);

} // namespace ors
