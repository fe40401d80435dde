#pragma once

#include "config/Config.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace ors {

// What the desktop program works on: the configuration as loaded (or why it could not be),
// the file it came from and the data directory. Resolved exactly as the CLI resolves them
// (--config, $OPENRESYNC_CONFIG, the XDG default; --data-dir, $OPENRESYNC_DATA_DIR, the
// config's dataDir, the per-user location). Loading reads one local file and resolves no
// secrets: those are resolved later, inside each job's thread.
struct Workspace {
    QString configPath;
    std::optional<Config> config; // absent when the configuration has errors
    QStringList errors;
    QStringList warnings;
    QString dataDir;
    // No configuration file yet (a first start): loaded as a configuration without sources, so
    // the window welcomes the user instead of reporting an error; the wizard or the demo writes it.
    bool firstStart = false;

    bool ok() const { return config.has_value(); }
    QList<SourceConfig> sources() const { return config ? config->sources : QList<SourceConfig>{}; }
    const SourceConfig* source(const QString& name) const;

    static Workspace load(const QString& cliConfig, const QString& cliDataDir);
};

} // namespace ors
