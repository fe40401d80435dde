#pragma once

#include "config/Config.h"
#include "schedule/WeekFires.h"

#include <QList>

namespace ors {

// A source's cron entries as the scheduler runs them: sync, purge, reconcile in configured order,
// each in Config::scheduleZone. Here and not in schedule/ because it reads config/.
QList<ScheduleEntry> scheduleEntries(const Config& config, const SourceConfig& source);

// Every source's entries, in configured order (sources without schedules included, empty).
QList<SourceSchedules> configuredSchedules(const Config& config);

} // namespace ors
