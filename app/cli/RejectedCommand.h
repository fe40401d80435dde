#pragma once

#include "config/Config.h"

#include <QString>

namespace ors {

// `rejected SOURCE [--json]`: the records of a source that a sync or reconcile set aside
// (<data>/sources/<source>/rejected/*.ndjson). Text: one line per record and destination,
// tab-separated resource, destination, key ("-" without one), time and reason. --json: one
// document {"source", "count", "rejected": [entries as stored, the record's JSON included]}.
// Exit code 0 (also when there are none), 1 when a file cannot be read, 2 for an unknown source.
class RejectedCommand {
public:
    static int run(const Config& config, const QString& dataDir, const QString& source, bool json);
};

} // namespace ors
