#pragma once

#include "logging/LogReader.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <atomic>
#include <optional>
#include <utility>

namespace ors {

// One log line as the window's table shows it: parsed once, off the GUI thread, and kept small
// (the JSON object is not kept, only the fields shown and the rest as text).
struct LogLine {
    bool valid = false;
    QDateTime time;                // UTC; invalid when absent or unreadable
    std::optional<LogLevel> level; // none when absent or unknown
    QString levelText;             // as written, for an unknown level
    QString process;
    QString resource;
    QString message;
    QList<std::pair<QString, QString>> extra; // the other fields (destination, url, counts…) as text
    QByteArray raw;                           // a malformed line as written; empty otherwise

    static LogLine from(const LogEntry& entry);
};

// The log table's filters. Level, process and resource let a malformed line through (as LogFilter
// does: what cannot be read is worth seeing); the text matches any shown field, or a malformed
// line's raw text, ignoring case.
struct LogLineFilter {
    std::optional<LogLevel> minLevel;
    QString process;  // empty: any
    QString resource; // empty: any
    QString text;     // empty: any

    bool accepts(const LogLine& line) const;
};

// Where a read stopped: the follower goes on from here when the file is still the same one.
struct LogPosition {
    qint64 offset = 0; // after the last whole line read
    quint64 inode = 0;
    quint64 device = 0;
};

struct LogTailRead {
    QList<LogLine> lines; // oldest first, at most maxLines
    LogPosition end;
    qint64 fileSize = 0;
    bool olderLinesLeftOut = false; // the file holds more lines than were read
    QString error;                  // the file could not be read (a missing file is no error)
};

namespace LogTail {

inline constexpr qint64 kChunkBytes = 1024 * 1024;

// The last `maxLines` whole lines of the file, read backwards `chunkBytes` at a time, so memory
// stays at the lines kept plus one chunk however large the file. A last line without its newline
// is left for the follower (it is still being written). Blocking: run it on a pool thread; it
// gives up between chunks once `stop` is set.
LogTailRead read(const QString& path, int maxLines, qint64 chunkBytes = kChunkBytes,
                 const std::atomic_bool* stop = nullptr);

} // namespace LogTail

} // namespace ors
