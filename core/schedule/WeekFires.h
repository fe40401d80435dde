#pragma once

#include "schedule/NextFires.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <array>

namespace ors {

// One source's cron entries, as runner/ConfiguredSchedules reads them from the configuration.
struct SourceSchedules {
    QString source;
    QList<ScheduleEntry> entries;
};

// One fire of one entry within the week shown.
struct PlannedFire {
    QDateTime at; // UTC
    QString source;
    ScheduleEntry entry;
    // Indexes into WeekSchedule::fires of fires in the same clock minute by another source, or by
    // another process of the same source: jobs that would start together (different sources
    // compete for the network and the destinations; one source's jobs queue behind each other).
    QList<int> overlaps;

    QString label() const { return source + QLatin1Char(' ') + entry.process; }
};

// One hour of one day of the grid, in the display zone.
struct HourCell {
    QList<int> fires;     // indexes into WeekSchedule::fires, in time order
    int occurrences = 1;  // how often the wall hour occurs that day: 0 skipped, 2 repeated (DST)
    bool overlap = false; // a fire in it overlaps another

    // The distinct labels ("crmls sync") of its fires, in first-fire order.
    QStringList labels(const QList<PlannedFire>& all) const;
};

// Every schedule of every source over the seven days starting today in the display zone: the
// fires in time order, a 7 × 24 grid of them, and the fires of the next 24 hours.
struct WeekSchedule {
    // An expression that fires more often than this in the week (every second, `* * * * * *`) is
    // cut off there and named in `truncated`; the grid then under-counts it.
    static constexpr int kMaxFiresPerEntry = 7 * 24 * 60;

    QTimeZone zone;
    QDate firstDay; // today in `zone`
    QDateTime now;  // UTC
    QList<PlannedFire> fires;
    std::array<std::array<HourCell, 24>, 7> grid;
    QList<int> next24Hours; // indexes into fires, in [now, now + 24 h)
    QStringList truncated;  // "crmls sync[0] (* * * * * *)"

    const HourCell& cell(int day, int hour) const { return grid.at(size_t(day)).at(size_t(hour)); }
    // Which labels the fire overlaps with, each once.
    QStringList overlapLabels(int fire) const;
};

WeekSchedule weekSchedule(const QList<SourceSchedules>& sources, const QDateTime& now, const QTimeZone& zone);

} // namespace ors
