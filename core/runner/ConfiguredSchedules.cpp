#include "runner/ConfiguredSchedules.h"

namespace ors {

QList<ScheduleEntry> scheduleEntries(const Config& config, const SourceConfig& source) {
    QList<ScheduleEntry> entries;
    const QTimeZone zone = config.scheduleZone(source);
    const auto add = [&](ProcessType process, const QStringList& expressions) {
        for (qsizetype i = 0; i < expressions.size(); ++i) {
            // Checked at load, so parse succeeds; a failure here would be a bug, skipped quietly.
            if (auto cron = CronExpression::parse(expressions.at(i)))
                entries.append(ScheduleEntry{processName(process), int(i), *cron, zone});
        }
    };
    add(ProcessType::Sync, source.schedules.sync);
    add(ProcessType::Purge, source.schedules.purge);
    add(ProcessType::Reconcile, source.schedules.reconcile);
    return entries;
}

QList<SourceSchedules> configuredSchedules(const Config& config) {
    QList<SourceSchedules> schedules;
    schedules.reserve(config.sources.size());
    for (const SourceConfig& source : config.sources)
        schedules.append(SourceSchedules{source.name, scheduleEntries(config, source)});
    return schedules;
}

} // namespace ors
