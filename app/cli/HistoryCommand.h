#pragma once

#include "config/Config.h"

#include <QString>

#include <optional>

namespace ors {

struct HistoryArguments {
    QString source;  // empty: every source
    QString process; // --process, empty: every process
    QString result;  // --result, empty: every result
    int limit = 20;  // --limit
    bool json = false;
};

// `history [SOURCE] [--process P] [--result R] [--limit N] [--json]`: runs from the stats store,
// newest first, each with its resources (downloaded, expected, pages), destinations (applied),
// failures and events. Text: a header line per run and its details indented below. --json: an
// array of run objects (the shape is in docs/user-guide.md). Exit 0 (also without any run); 1
// when the stats store cannot be read; 2 for a wrong argument or an unknown source.
class HistoryCommand {
public:
    // Checks --process, --result and --limit (given as text) into `arguments`; prints what is
    // wrong and returns false otherwise.
    static bool checkArguments(HistoryArguments& arguments, const QString& limitText);
    static int run(const Config& config, const QString& dataDir, const HistoryArguments& arguments);
};

} // namespace ors
