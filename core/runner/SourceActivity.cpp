#include "runner/SourceActivity.h"

#include "config/DataDir.h"
#include "processes/JobTypes.h"

#include <QFileInfo>

namespace ors {

std::optional<RunSummary> SourceActivity::newestRun() const {
    std::optional<RunSummary> newest;
    for (const std::optional<RunSummary>* run : {&lastSync, &lastPurge, &lastReconcile})
        // Start times are UTC ISO 8601 text with milliseconds: text order is time order.
        if (*run && (!newest || (*run)->started > newest->started))
            newest = **run;
    return newest;
}

bool SourceActivity::failed() const {
    const std::optional<RunSummary> newest = newestRun();
    return newest && (newest->result == QLatin1String("error") || newest->result == QLatin1String("refused"));
}

Expected<SourceActivities> readSourceActivity(const std::optional<SqlServerConfig>& server,
                                              const QString& dataDir, const QStringList& sources) {
    const DataLayout layout(dataDir);
    SourceActivities activities;
    for (const QString& source : sources)
        activities.insert(source, SourceActivity{source, {}, {}, {}, {}});

    if (StatsStore stats(server, dataDir); stats.exists()) {
        if (auto opened = stats.open(); !opened)
            return opened.error();
        for (const QString& source : sources) {
            SourceActivity& activity = activities[source];
            const std::pair<const char*, std::optional<RunSummary>*> processes[] = {
                {"sync", &activity.lastSync},
                {"purge", &activity.lastPurge},
                {"reconcile", &activity.lastReconcile}};
            for (const auto& [process, slot] : processes) {
                auto run = stats.lastRun(source, QString::fromLatin1(process));
                if (!run)
                    return run.error();
                *slot = *run;
            }
        }
    }
    if (QFileInfo::exists(layout.stateDatabase())) {
        StateStore state(layout.stateDatabase());
        if (auto opened = state.open(); !opened)
            return opened.error();
        for (const QString& source : sources) {
            auto failures = state.failures(source);
            if (!failures)
                return failures.error();
            for (const StepFailure& failure : *failures)
                if (failure.count >= kBlockAfter)
                    activities[source].blocked.append(failure);
        }
    }
    return activities;
}

} // namespace ors
