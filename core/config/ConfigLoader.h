#pragma once

#include "config/Config.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <span>

namespace ors {

struct ConfigLoadResult {
    std::optional<Config> config; // set only when errors is empty
    QStringList errors;
    QStringList warnings;
};

// Reads the JSON configuration file. Loading never writes anything: migrations happen in memory only.
class ConfigLoader {
public:
    static ConfigLoadResult loadFile(const QString& path);
    // origin names the data in messages (usually the file path) and becomes Config::filePath.
    static ConfigLoadResult loadJson(const QByteArray& json, const QString& origin);
    // --config value, else $OPENRESYNC_CONFIG, else $XDG_CONFIG_HOME (default
    // ~/.config)/openresync/config.json.
    static QString locate(const QString& cliPath);

    // steps[i] rewrites a version i+1 document into a version i+2 document.
    using MigrationStep = QJsonObject (*)(const QJsonObject& root);
    // Applies the steps needed to bring a document of fromVersion up to date and stamps the new version.
    static QJsonObject migrate(QJsonObject root, int fromVersion, std::span<const MigrationStep> steps);
};

} // namespace ors
