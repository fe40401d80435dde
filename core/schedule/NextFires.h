#pragma once

#include "schedule/CronExpression.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <optional>

namespace ors {

// One cron expression of a source's schedules, e.g. the second of `schedules.sync`.
struct ScheduleEntry {
    QString process; // sync, purge, reconcile
    int index = 0;   // position in the process's list
    CronExpression cron;
    QTimeZone zone;

    QString label() const { return process + QLatin1Char('[') + QString::number(index) + QLatin1Char(']'); }
};

struct ScheduleFire {
    ScheduleEntry entry;
    std::optional<QDateTime> next; // UTC; none when the expression never fires
    QList<int> overlaps;           // indexes into the same list of fires
};

// Each entry's next fire after `now`, and which of one source's entries collide: two processes
// whose next fires fall within the same minute (they would queue behind each other), or two
// expressions of one process that fire at the same instant (one of them is redundant then).
QList<ScheduleFire> nextFires(const QList<ScheduleEntry>& entries, const QDateTime& now);

} // namespace ors
