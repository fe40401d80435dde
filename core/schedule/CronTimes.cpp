// The fire-time search of CronExpression: field by field over wall-clock time (never second by
// second), one stretch of constant UTC offset at a time, so daylight-saving changes are handled
// where the offset changes. Wall-clock times are seconds since 1970-01-01T00:00:00 of the zone's
// calendar, as if that were UTC.
#include "schedule/CronExpression.h"

#include <algorithm>
#include <bit>

namespace ors {

namespace {

constexpr qint64 kDay = 86400;

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
qint64 daysFromCivil(qint64 y, int m, int d) {
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yoe = y - era * 400;
    const qint64 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct Date {
    qint64 year;
    int month;
    int day;
};

Date civilFromDays(qint64 z) {
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int d = int(doy - (153 * mp + 2) / 5 + 1);
    const int m = int(mp < 10 ? mp + 3 : mp - 9);
    return {yoe + era * 400 + (m <= 2), m, d};
}

int daysInMonth(qint64 year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

qint64 floorDiv(qint64 a, qint64 b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// The lowest set bit at or above `from`, or -1.
int nextBit(uint64_t bits, int from) {
    if (from > 63)
        return -1;
    const uint64_t masked = bits & (~uint64_t(0) << from);
    return masked ? std::countr_zero(masked) : -1;
}

// The highest set bit at or below `from`, or -1.
int previousBit(uint64_t bits, int from) {
    if (from < 0)
        return -1;
    const uint64_t masked = from >= 63 ? bits : bits & ((uint64_t(1) << (from + 1)) - 1);
    return masked ? 63 - std::countl_zero(masked) : -1;
}

QDateTime utc(qint64 seconds) {
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
}

qint64 offsetAt(const QTimeZone& zone, qint64 instant) {
    return zone.offsetFromUtc(utc(instant));
}

// The zone's first offset change strictly after `instant`, if any.
std::optional<qint64> transitionAfter(const QTimeZone& zone, qint64 instant) {
    if (!zone.hasTransitions())
        return std::nullopt;
    const QTimeZone::OffsetData data = zone.nextTransition(utc(instant));
    if (!data.atUtc.isValid() || data.atUtc.toSecsSinceEpoch() <= instant)
        return std::nullopt;
    return data.atUtc.toSecsSinceEpoch();
}

// The zone's last offset change at or before `instant`, if any.
std::optional<qint64> transitionAtOrBefore(const QTimeZone& zone, qint64 instant) {
    if (!zone.hasTransitions())
        return std::nullopt;
    const QTimeZone::OffsetData data = zone.previousTransition(utc(instant + 1));
    if (!data.atUtc.isValid() || data.atUtc.toSecsSinceEpoch() > instant)
        return std::nullopt;
    return data.atUtc.toSecsSinceEpoch();
}

} // namespace

bool CronExpression::dayMatches(int year, int month, int day) const {
    const qint64 days = daysFromCivil(year, month, day);
    const int weekday = int(((days % 7) + 11) % 7); // 1970-01-01 was a Thursday (4)
    const bool dom = (m_daysOfMonth >> day) & 1;
    const bool dow = (m_daysOfWeek >> weekday) & 1;
    // Vixie cron: both restricted → either may match; otherwise both must.
    return (m_domStar || m_dowStar) ? (dom && dow) : (dom || dow);
}

bool CronExpression::matchesWall(qint64 wall) const {
    const qint64 days = floorDiv(wall, kDay);
    const qint64 second = wall - days * kDay;
    const Date date = civilFromDays(days);
    return ((m_months >> date.month) & 1) && dayMatches(int(date.year), date.month, date.day) &&
           ((m_hours >> (second / 3600)) & 1) && ((m_minutes >> (second / 60 % 60)) & 1) &&
           ((m_seconds >> (second % 60)) & 1);
}

// The earliest matching wall time in [from, until).
std::optional<qint64> CronExpression::nextWall(qint64 from, qint64 until) const {
    qint64 t = from;
    while (t < until) {
        const qint64 days = floorDiv(t, kDay);
        const qint64 dayStart = days * kDay;
        const int secondOfDay = int(t - dayStart);
        const Date date = civilFromDays(days);
        if (!((m_months >> date.month) & 1)) {
            const int month = nextBit(m_months, date.month + 1);
            t = month > 0 ? daysFromCivil(date.year, month, 1) * kDay
                          : daysFromCivil(date.year + 1, nextBit(m_months, 1), 1) * kDay;
            continue;
        }
        if (!dayMatches(int(date.year), date.month, date.day)) {
            t = dayStart + kDay;
            continue;
        }
        const int hourNow = secondOfDay / 3600;
        const int hour = nextBit(m_hours, hourNow);
        if (hour < 0) {
            t = dayStart + kDay;
            continue;
        }
        if (hour > hourNow) {
            t = dayStart + hour * 3600;
            continue;
        }
        const qint64 hourStart = dayStart + hour * 3600;
        const int minuteNow = secondOfDay / 60 % 60;
        const int minute = nextBit(m_minutes, minuteNow);
        if (minute < 0) {
            t = hourStart + 3600;
            continue;
        }
        if (minute > minuteNow) {
            t = hourStart + minute * 60;
            continue;
        }
        const qint64 minuteStart = hourStart + minute * 60;
        const int second = nextBit(m_seconds, secondOfDay % 60);
        if (second < 0) {
            t = minuteStart + 60;
            continue;
        }
        t = minuteStart + second;
        return t < until ? std::optional<qint64>(t) : std::nullopt;
    }
    return std::nullopt;
}

// The latest matching wall time in [until, from].
std::optional<qint64> CronExpression::previousWall(qint64 from, qint64 until) const {
    qint64 t = from;
    while (t >= until) {
        const qint64 days = floorDiv(t, kDay);
        const qint64 dayStart = days * kDay;
        const int secondOfDay = int(t - dayStart);
        const Date date = civilFromDays(days);
        if (!((m_months >> date.month) & 1)) {
            int month = previousBit(m_months, date.month - 1);
            qint64 year = date.year;
            if (month < 1) {
                month = previousBit(m_months, 12);
                --year;
            }
            t = (daysFromCivil(year, month, daysInMonth(year, month)) + 1) * kDay - 1;
            continue;
        }
        if (!dayMatches(int(date.year), date.month, date.day)) {
            t = dayStart - 1;
            continue;
        }
        const int hourNow = secondOfDay / 3600;
        const int hour = previousBit(m_hours, hourNow);
        if (hour < 0) {
            t = dayStart - 1;
            continue;
        }
        if (hour < hourNow) {
            t = dayStart + hour * 3600 + 3599;
            continue;
        }
        const qint64 hourStart = dayStart + hour * 3600;
        const int minuteNow = secondOfDay / 60 % 60;
        const int minute = previousBit(m_minutes, minuteNow);
        if (minute < 0) {
            t = hourStart - 1;
            continue;
        }
        if (minute < minuteNow) {
            t = hourStart + minute * 60 + 59;
            continue;
        }
        const qint64 minuteStart = hourStart + minute * 60;
        const int second = previousBit(m_seconds, secondOfDay % 60);
        if (second < 0) {
            t = minuteStart - 1;
            continue;
        }
        t = minuteStart + second;
        return t >= until ? std::optional<qint64>(t) : std::nullopt;
    }
    return std::nullopt;
}

std::optional<QDateTime> CronExpression::next(const QDateTime& after, const QTimeZone& zone) const {
    const qint64 start = floorDiv(after.toMSecsSinceEpoch(), 1000) + 1; // fires are whole seconds > after
    const qint64 limit = start + qint64(kSearchYears) * 366 * kDay;
    const bool fixedTime = !isWildcard();
    // A gap that begins exactly at `start` (its skipped fixed times fire there).
    if (fixedTime) {
        if (const auto t = transitionAtOrBefore(zone, start); t && *t == start) {
            const qint64 before = offsetAt(zone, start - 1);
            const qint64 offset = offsetAt(zone, start);
            if (offset > before && nextWall(start + before, start + offset))
                return utc(start);
        }
    }
    qint64 s = start;
    while (s < limit) {
        // [s, e): one stretch of constant offset, its wall times [s + offset, e + offset).
        const qint64 offset = offsetAt(zone, s);
        const qint64 e = std::min(transitionAfter(zone, s).value_or(limit), limit);
        qint64 lower = s + offset;
        if (fixedTime) {
            // After falling back, the wall times up to the old offset's end have already occurred.
            if (const auto t = transitionAtOrBefore(zone, s)) {
                const qint64 before = offsetAt(zone, *t - 1);
                if (before > offset)
                    lower = std::max(lower, *t + before);
            }
        }
        if (const auto wall = nextWall(lower, e + offset))
            return utc(*wall - offset);
        if (e >= limit)
            return std::nullopt;
        // Springing forward skips the wall times [e + offset, e + newOffset).
        const qint64 newOffset = offsetAt(zone, e);
        if (fixedTime && newOffset > offset && nextWall(e + offset, e + newOffset))
            return utc(e);
        s = e;
    }
    return std::nullopt;
}

std::optional<QDateTime> CronExpression::previous(const QDateTime& before, const QTimeZone& zone) const {
    const qint64 ms = before.toMSecsSinceEpoch();
    const qint64 end = floorDiv(ms + 999, 1000) - 1; // fires are whole seconds < before
    const qint64 limit = end - qint64(kSearchYears) * 366 * kDay;
    const bool fixedTime = !isWildcard();
    qint64 e = end;
    while (e >= limit) {
        // [s, e]: one stretch of constant offset.
        const qint64 offset = offsetAt(zone, e);
        const auto transition = transitionAtOrBefore(zone, e);
        const qint64 s = std::max(transition.value_or(limit), limit);
        qint64 lower = s + offset;
        if (fixedTime && transition && *transition >= limit) {
            const qint64 old = offsetAt(zone, *transition - 1);
            if (old > offset)
                lower = std::max(lower, *transition + old); // repeated wall times: only the first counts
        }
        if (lower <= e + offset) {
            if (const auto wall = previousWall(e + offset, lower))
                return utc(*wall - offset);
        }
        if (s <= limit)
            return std::nullopt;
        const qint64 old = offsetAt(zone, s - 1);
        if (fixedTime && offset > old && nextWall(s + old, s + offset))
            return utc(s);
        e = s - 1;
    }
    return std::nullopt;
}

} // namespace ors
