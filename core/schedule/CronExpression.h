#pragma once

#include "util/Expected.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <cstdint>
#include <optional>

namespace ors {

// One cron expression: 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds
// first, or a macro (@hourly @daily @midnight @weekly @monthly @yearly @annually).
//
// Syntax: `*`, numbers, lists `a,b`, ranges `a-b`, steps `*/n`, `a-b/n`, `a/n` (a to the field's
// end), month names JAN-DEC and day names SUN-SAT in any case; day-of-week 0-7 with 0 and 7
// both Sunday (a range ending in SUN, e.g. FRI-SUN, runs to 7). Ranges do not wrap around.
//
// Day matching follows Vixie cron: when day-of-month and day-of-week are both restricted, a day
// matches when EITHER matches; a field that starts with `*` (also `*/2`) counts as unrestricted,
// so `0 0 */2 * MON` means odd days that are Mondays, as in Vixie cron and cronie.
//
// Fire times are computed in the wall-clock time of a zone. Daylight-saving changes follow what
// Vixie cron and cronie do for jobs in a skipped or repeated hour:
// - spring forward: a fixed-time job (neither minute nor hour starts with `*`) whose wall time
//   does not exist fires once, at the first instant after the gap (02:30 on a day that jumps
//   from 02:00 to 03:00 fires at 03:00); a wildcard job simply has no fires in the gap.
// - fall back: a fixed-time job fires once, at the first occurrence of its wall time; a wildcard
//   job (`*/15 * * * *`, `0 * * * *`) fires on every real minute or hour, so twice in the
//   repeated hour.
class CronExpression {
public:
    // How far next() and previous() look before deciding that an expression never fires
    // (`0 0 30 2 *`): long enough for Feb 29 across a century year (2096 to 2104).
    static constexpr int kSearchYears = 8;

    // Errors read like `"*/0 * * * *": step must be at least 1`.
    static Expected<CronExpression> parse(const QString& text);

    // The first fire strictly after `after` / the last strictly before `before`, in UTC;
    // nullopt when there is none within kSearchYears.
    std::optional<QDateTime> next(const QDateTime& after, const QTimeZone& zone) const;
    std::optional<QDateTime> previous(const QDateTime& before, const QTimeZone& zone) const;

    const QString& text() const { return m_text; }
    bool hasSeconds() const { return m_hasSeconds; }
    // Vixie cron's "wildcard job": the minute or the hour field starts with `*`.
    bool isWildcard() const { return m_minuteStar || m_hourStar; }

    // Whether the wall-clock time (seconds since 1970-01-01T00:00:00 as if it were UTC) matches.
    bool matchesWall(qint64 wallSeconds) const;

private:
    CronExpression() = default;

    struct Civil;
    std::optional<qint64> nextWall(qint64 from, qint64 until) const;
    std::optional<qint64> previousWall(qint64 from, qint64 until) const;
    bool dayMatches(int year, int month, int day) const;

    QString m_text;
    bool m_hasSeconds = false;
    uint64_t m_seconds = 0; // bit n: second n
    uint64_t m_minutes = 0;
    uint32_t m_hours = 0;
    uint32_t m_daysOfMonth = 0; // bit n: day n (1-31)
    uint16_t m_months = 0;      // bit n: month n (1-12)
    uint8_t m_daysOfWeek = 0;   // bit n: weekday n (0 = Sunday)
    bool m_minuteStar = false;
    bool m_hourStar = false;
    bool m_domStar = false;
    bool m_dowStar = false;
};

} // namespace ors
