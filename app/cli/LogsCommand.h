#pragma once

#include "config/Config.h"
#include "logging/LogReader.h"

#include <QString>

#include <optional>

namespace ors {

struct LogsArguments {
    QString source;
    bool follow = false;
    bool json = false;
    QString level;   // --level, empty: every level
    QString process; // --process, empty: every process
    QString since;   // --since, empty: only the current file, from its start
};

// `logs SOURCE [--follow] [--level L] [--process P] [--since WHEN] [--json]`: the source's log,
// <data>/logs/<source>.ndjson (and, when --since reaches back, its rotated files, oldest first),
// one readable line per entry (LogReader::format), or the NDJSON lines as written with --json.
// A malformed line is shown behind a marker (on stderr with --json, so stdout stays NDJSON).
// --follow then prints lines as they are appended, across rotations, until SIGINT or SIGTERM.
// Exit 0 (also for a source without a log yet); 2 for a wrong argument or an unknown source.
class LogsCommand {
public:
    // The filter the arguments ask for, or nothing after printing what is wrong with them.
    static std::optional<LogFilter> checkArguments(const LogsArguments& arguments);
    static int run(const Config& config, const QString& dataDir, const LogsArguments& arguments,
                   const LogFilter& filter);
};

} // namespace ors
