#pragma once

#include "logging/SourceLog.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace ors {

// "debug", "info", "warn" (also "warning"), "error"; none for anything else.
std::optional<LogLevel> logLevelFromName(const QString& name);
QString logLevelName(LogLevel level); // as SourceLog writes it: debug, info, warn, error

// One line of a source's NDJSON log. A line that is not a JSON object is kept as `raw` alone.
struct LogEntry {
    QByteArray raw; // the line as written, without its newline
    bool valid = false;
    QJsonObject fields;
    QDateTime time;                // UTC; invalid when "time" is absent or unreadable
    std::optional<LogLevel> level; // none when "level" is absent or unknown

    QString process() const;
};

// What `logs` (and the window's log viewer) show. Filters combine; a malformed line passes
// them all, since what cannot be read is worth seeing whatever was asked for.
struct LogFilter {
    std::optional<LogLevel> minLevel; // that level and above
    QString process;                  // empty: any
    std::optional<QDateTime> since;   // entries at or after this instant

    bool accepts(const LogEntry& entry) const;
};

namespace LogReader {

LogEntry parse(const QByteArray& line);

// The files that can hold entries for `filter`, oldest first: rotated files last written at or
// after filter.since (none without `since`: then only the current file is read), then the
// current file when it exists.
QStringList filesFor(const QString& logFile, const LogFilter& filter);

// "--since": a duration before `now` (90s, 15m, 2h, 3d) or an ISO 8601 instant; one without an
// offset is local time. None when it is neither.
std::optional<QDateTime> parseSince(const QString& text, const QDateTime& now);

// One readable line: local time, level, process, resource, message, then the remaining fields as
// key=value (quoted when a value has a space, a quote or nothing). ANSI colours when `colour`.
// A malformed line comes back raw behind a marker.
QString format(const LogEntry& entry, bool colour);

inline constexpr const char* kMalformedMarker = "[malformed log line]";

} // namespace LogReader

} // namespace ors
