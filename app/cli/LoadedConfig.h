#pragma once

#include "config/CommandLine.h"
#include "config/Config.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace ors {

// The configuration a command works on, loaded as every command loads it: located from
// --config / $OPENRESYNC_CONFIG / the default, validated, and with TableWriters settled (two
// destinations writing one table are refused). Warnings and errors go to stderr.
struct LoadedConfig {
    Config config;
    QString dataDir;
    QString path; // the file it came from

    // nullopt when the file is invalid; its errors are also appended to *errors when given.
    static std::optional<LoadedConfig> load(const LocationOptions& where, QStringList* errors = nullptr);
};

} // namespace ors
