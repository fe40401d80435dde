#include "schedule/NextFires.h"

namespace ors {

QList<ScheduleFire> nextFires(const QList<ScheduleEntry>& entries, const QDateTime& now) {
    QList<ScheduleFire> fires;
    fires.reserve(entries.size());
    for (const ScheduleEntry& entry : entries)
        fires.append(ScheduleFire{entry, entry.cron.next(now, entry.zone), {}});
    for (qsizetype i = 0; i < fires.size(); ++i) {
        for (qsizetype j = 0; j < fires.size(); ++j) {
            const ScheduleFire& a = fires.at(i);
            const ScheduleFire& b = fires.at(j);
            if (i == j || !a.next || !b.next)
                continue;
            const qint64 aSeconds = a.next->toSecsSinceEpoch();
            const qint64 bSeconds = b.next->toSecsSinceEpoch();
            const bool collide =
                a.entry.process != b.entry.process ? aSeconds / 60 == bSeconds / 60 : aSeconds == bSeconds;
            if (collide)
                fires[i].overlaps.append(int(j));
        }
    }
    return fires;
}

} // namespace ors
