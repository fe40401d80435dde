#pragma once

#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace ors {

struct Config;

// Times as the pages show them: in the display time zone (the configuration's timeZone, else the
// system's), short on screen, whole with the zone on hover.

// Config::timeZone when it names a valid zone, else the system's zone.
QTimeZone displayZone(const Config* config);

// "10:30" today, "Tue 10:30" within a week either way, else "2026-03-05 10:30".
QString shortTime(const QDateTime& when, const QTimeZone& zone, const QDateTime& now);
// "2026-03-05 10:30:05 America/Denver": for tooltips.
QString absoluteTime(const QDateTime& when, const QTimeZone& zone);
// "just now", "4 min ago", "3 h ago", "2 days ago"; "in 5 min" for times ahead.
QString relativeTime(const QDateTime& when, const QDateTime& now);
// A run's time as the stats store writes it (UTC ISO 8601 text); invalid when empty.
QDateTime parseStoredTime(const QString& text);

} // namespace ors
