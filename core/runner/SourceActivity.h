#pragma once

#include "stats/StatsStore.h"
#include "store/StateStore.h"
#include "util/Expected.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ors {

// What a source's card on the dashboard shows besides the live job: the newest run of each
// process and the steps that failed often enough to be blocked.
struct SourceActivity {
    QString source;
    std::optional<RunSummary> lastSync;
    std::optional<RunSummary> lastPurge;
    std::optional<RunSummary> lastReconcile;
    // Steps failing kBlockAfter times in a row or more: the next run stops there until unblocked.
    QList<StepFailure> blocked;

    // The newest of the three runs (by start time), none when the source never ran.
    std::optional<RunSummary> newestRun() const;
    // The newest run ended with an error or a refusal.
    bool failed() const;
};

using SourceActivities = QHash<QString, SourceActivity>; // by source name

// Every named source's activity, from the stats store (`stats`, else <dataDir>/stats.sqlite) and
// state.sqlite. A source never run has an entry with nothing set; missing stores give such entries
// and create nothing. Runs SQL on its own connections and blocks: call it from a worker thread.
Expected<SourceActivities> readSourceActivity(const std::optional<SqlServerConfig>& stats,
                                              const QString& dataDir, const QStringList& sources);

} // namespace ors
