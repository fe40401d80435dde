#pragma once

#include "config/Config.h"

#include <QString>

#include <optional>

namespace ors {

struct ResetMarkArguments {
    QString source;
    QString resource;          // --resource; empty: all
    QString destination;       // --destination; empty: all
    std::optional<QString> to; // --to TIMESTAMP as given
    bool full = false;         // --full
};

// `reset-mark SOURCE [--resource R] [--destination D] (--to TIMESTAMP | --full)`: lowers or
// clears high-water marks and prints each one, old → new. Exit 2 for usage errors (a bad
// timestamp, both or neither of --to and --full, an unknown source, resource or destination),
// 1 when it cannot work (the source is busy, the state store fails).
class ResetMarkCommand {
public:
    // Checks what needs no configuration; returns the exit code when the arguments are wrong.
    static std::optional<int> checkArguments(const ResetMarkArguments& arguments);
    static int run(const Config& config, const QString& dataDir, const ResetMarkArguments& arguments);
};

} // namespace ors
