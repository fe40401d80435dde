#include "cli/LoadedConfig.h"

#include "cli/CliOutput.h"
#include "config/ConfigLoader.h"
#include "config/DataDir.h"
#include "config/TableWriters.h"

namespace ors {

std::optional<LoadedConfig> LoadedConfig::load(const LocationOptions& where, QStringList* errors) {
    using cli::printErr;
    const QString path = ConfigLoader::locate(where.config);
    ConfigLoadResult result = ConfigLoader::loadFile(path);
    for (const QString& warning : std::as_const(result.warnings))
        printErr(QStringLiteral("warning: %1").arg(warning));
    if (!result.config) {
        for (const QString& error : std::as_const(result.errors))
            printErr(error);
        if (errors)
            *errors += result.errors;
        return std::nullopt;
    }
    LoadedConfig loaded{*result.config, resolveDataDir(where.dataDir, &*result.config), path};
    // Every command refuses a configuration in which two destinations write one table.
    QStringList settleErrors;
    QStringList warnings;
    const bool settled =
        TableWriters::settle(loaded.config, DataLayout(loaded.dataDir), settleErrors, warnings);
    for (const QString& warning : std::as_const(warnings))
        printErr(QStringLiteral("warning: %1").arg(warning));
    for (const QString& error : std::as_const(settleErrors))
        printErr(error);
    if (!settled) {
        if (errors)
            *errors += settleErrors;
        return std::nullopt;
    }
    return loaded;
}

} // namespace ors
