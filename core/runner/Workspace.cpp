#include "runner/Workspace.h"

#include "config/ConfigLoader.h"
#include "config/DataDir.h"
#include "config/TableWriters.h"

#include <QFileInfo>

namespace ors {

const SourceConfig* Workspace::source(const QString& name) const {
    return config ? config->source(name) : nullptr;
}

Workspace Workspace::load(const QString& cliConfig, const QString& cliDataDir) {
    Workspace workspace;
    workspace.configPath = ConfigLoader::locate(cliConfig);
    if (!QFileInfo::exists(workspace.configPath)) {
        workspace.firstStart = true;
        workspace.config = Config{};
        workspace.dataDir = resolveDataDir(cliDataDir, &*workspace.config);
        return workspace;
    }
    ConfigLoadResult loaded = ConfigLoader::loadFile(workspace.configPath);
    workspace.config = std::move(loaded.config);
    workspace.errors = std::move(loaded.errors);
    workspace.warnings = std::move(loaded.warnings);
    workspace.dataDir = resolveDataDir(cliDataDir, workspace.config ? &*workspace.config : nullptr);
    // As the CLI: default SQLite paths resolved, and no two destinations writing one table.
    if (workspace.config && !TableWriters::settle(*workspace.config, DataLayout(workspace.dataDir),
                                                  workspace.errors, workspace.warnings))
        workspace.config.reset();
    return workspace;
}

} // namespace ors
