#pragma once

#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace ors {

struct Config;

// Times as the pages show them: in the display time zone (the configuration's timeZone, else the
// system's), short on screen, whole with the zone on hover. Every time the window shows goes
// through these, so one instant reads the same on every page: 24-hour clock, ISO dates, whatever
// the locale's own short format would say ("5:00 AM" here, "05:00" there).

// How much of the clock a full time shows.
enum class TimePrecision { Minutes, Seconds, Milliseconds };

// Config::timeZone when it names a valid zone, else the system's zone.
QTimeZone displayZone(const Config* config);

// "10:30" today, "Tue 10:30" within a week either way, else "2026-03-05 10:30".
QString shortTime(const QDateTime& when, const QTimeZone& zone, const QDateTime& now);
// "10:30": the clock only.
QString clockTime(const QDateTime& when, const QTimeZone& zone);
// "2026-03-05 10:30" (or with ":05", or ":05.123"), without the zone's name.
QString fullTime(const QDateTime& when, const QTimeZone& zone,
                 TimePrecision precision = TimePrecision::Minutes);
// "2026-03-05 17:30:05.123 UTC": the instant as the logs and stores write it, for tooltips.
QString utcTime(const QDateTime& when, TimePrecision precision = TimePrecision::Milliseconds);
// "Thu 5 Mar": a day heading (the locale's day and month names).
QString dayText(const QDate& day);
// "Thursday, 5 March 2026": a day in full, for tooltips.
QString longDayText(const QDate& day);
// "2026-03-05 10:30:05 America/Denver": for tooltips.
QString absoluteTime(const QDateTime& when, const QTimeZone& zone);
// "just now", "4 min ago", "3 h ago", "2 days ago"; "in 5 min" for times ahead.
QString relativeTime(const QDateTime& when, const QDateTime& now);
// A run's time as the stats store writes it (UTC ISO 8601 text); invalid when empty.
QDateTime parseStoredTime(const QString& text);

} // namespace ors
