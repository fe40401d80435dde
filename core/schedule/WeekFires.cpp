#include "schedule/WeekFires.h"

#include <QSet>

#include <algorithm>

namespace ors {

namespace {

constexpr qint64 kDay = 24 * 60 * 60;

void addFires(WeekSchedule& week, const QString& source, const ScheduleEntry& entry, const QDateTime& from,
              const QDateTime& until) {
    // next() is strictly after its argument; one second back keeps a fire at `from` itself.
    QDateTime after = from.addSecs(-1);
    int count = 0;
    while (true) {
        const std::optional<QDateTime> fire = entry.cron.next(after, entry.zone);
        if (!fire || *fire >= until)
            return;
        if (count == WeekSchedule::kMaxFiresPerEntry) {
            week.truncated.append(source + QLatin1Char(' ') + entry.label() + QStringLiteral(" (") +
                                  entry.cron.text() + QLatin1Char(')'));
            return;
        }
        week.fires.append(PlannedFire{*fire, source, entry, {}});
        after = *fire;
        ++count;
    }
}

// Fires in one clock minute by another source, or another process of the same source.
void markOverlaps(QList<PlannedFire>& fires) {
    qsizetype begin = 0;
    while (begin < fires.size()) {
        const qint64 minute = fires.at(begin).at.toSecsSinceEpoch() / 60;
        qsizetype end = begin + 1;
        while (end < fires.size() && fires.at(end).at.toSecsSinceEpoch() / 60 == minute)
            ++end;
        for (qsizetype i = begin; i < end; ++i) {
            for (qsizetype j = begin; j < end; ++j) {
                const PlannedFire& a = fires.at(i);
                const PlannedFire& b = fires.at(j);
                if (a.source != b.source || a.entry.process != b.entry.process)
                    fires[i].overlaps.append(int(j));
            }
        }
        begin = end;
    }
}

// How often each wall hour of `day` occurs in `zone`: a quarter-hour walk over the real day
// counts the distinct offsets each hour is seen with (zones shift by 30 or 45 minutes too).
std::array<int, 24> hourOccurrences(const QDate& day, const QTimeZone& zone) {
    const QDateTime start = day.startOfDay(zone).toUTC();
    const QDateTime end = day.addDays(1).startOfDay(zone).toUTC();
    std::array<QSet<int>, 24> offsets;
    for (QDateTime t = start; t < end; t = t.addSecs(15 * 60)) {
        const QDateTime local = t.toTimeZone(zone);
        if (local.date() == day)
            offsets.at(size_t(local.time().hour())).insert(local.offsetFromUtc());
    }
    std::array<int, 24> occurrences{};
    for (size_t hour = 0; hour < offsets.size(); ++hour)
        occurrences.at(hour) = int(offsets.at(hour).size());
    return occurrences;
}

} // namespace

QStringList HourCell::labels(const QList<PlannedFire>& all) const {
    QStringList labels;
    for (const int fire : fires) {
        const QString label = all.at(fire).label();
        if (!labels.contains(label))
            labels.append(label);
    }
    return labels;
}

QStringList WeekSchedule::overlapLabels(int fire) const {
    QStringList labels;
    for (const int other : fires.at(fire).overlaps) {
        const QString label = fires.at(other).label();
        if (!labels.contains(label))
            labels.append(label);
    }
    return labels;
}

WeekSchedule weekSchedule(const QList<SourceSchedules>& sources, const QDateTime& now,
                          const QTimeZone& zone) {
    WeekSchedule week;
    week.zone = zone;
    week.now = now.toUTC();
    week.firstDay = week.now.toTimeZone(zone).date();
    const QDateTime from = week.firstDay.startOfDay(zone).toUTC();
    const QDateTime until =
        std::max(week.firstDay.addDays(7).startOfDay(zone).toUTC(), week.now.addSecs(kDay));

    for (const SourceSchedules& source : sources)
        for (const ScheduleEntry& entry : source.entries)
            addFires(week, source.source, entry, from, until);
    // Stable: at one instant the configuration's order (source, then sync, purge, reconcile) stays.
    std::stable_sort(week.fires.begin(), week.fires.end(),
                     [](const PlannedFire& a, const PlannedFire& b) { return a.at < b.at; });
    markOverlaps(week.fires);

    for (int day = 0; day < 7; ++day) {
        const std::array<int, 24> occurrences = hourOccurrences(week.firstDay.addDays(day), zone);
        for (int hour = 0; hour < 24; ++hour)
            week.grid.at(size_t(day)).at(size_t(hour)).occurrences = occurrences.at(size_t(hour));
    }
    const QDateTime horizon = week.now.addSecs(kDay);
    for (qsizetype i = 0; i < week.fires.size(); ++i) {
        const PlannedFire& fire = week.fires.at(i);
        const QDateTime local = fire.at.toTimeZone(zone);
        const qint64 day = week.firstDay.daysTo(local.date());
        if (day >= 0 && day < 7) {
            HourCell& cell = week.grid.at(size_t(day)).at(size_t(local.time().hour()));
            cell.fires.append(int(i));
            cell.overlap = cell.overlap || !fire.overlaps.isEmpty();
        }
        if (fire.at >= week.now && fire.at < horizon)
            week.next24Hours.append(int(i));
    }
    return week;
}

} // namespace ors
