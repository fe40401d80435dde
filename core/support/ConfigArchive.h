#pragma once

#include "util/Expected.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace ors {

// What an imported archive holds before it is written: the configuration with the secrets it
// needs still marked, and which key paths those are.
struct ImportedConfig {
    QJsonObject root;
    QStringList secretsNeeded; // key paths, e.g. "sources[0].auth.clientSecret"
    QString exportedBy;        // program version that wrote the archive
    QString exportedAt;        // UTC, ISO 8601
};

// Moves a setup between machines (`openresync-cli export-config|import-config`, File ▸ Export/
// Import configuration…): the configuration file (sources, schedules, destinations, alerts) in a
// zip with a manifest. Secrets written as text never leave: they become "<secret removed>" and
// are listed, so the import asks for each one as a reference (env:, keychain:, file:). Blocks on
// file I/O; call it from a worker thread.
class ConfigArchive {
public:
    static constexpr int kFormatVersion = 1;

    // Writes the configuration at configPath into the zip; the paths of the secrets left out are
    // returned.
    static Expected<QStringList> exportTo(const QString& configPath, const QString& zipPath);

    // Reads and checks an archive written by exportTo (format, size, JSON shape).
    static Expected<ImportedConfig> read(const QString& zipPath);

    // The imported configuration with a reference for each needed secret (key path -> reference).
    // An error names every needed path still without one, and any value that is not a reference.
    static Expected<QJsonObject> withSecrets(const ImportedConfig& imported,
                                             const QMap<QString, QString>& references);

    // Validates `root` as core loads it and writes it to configPath, keeping an existing file as
    // <configPath>.bak. Returns the backup's path (empty when there was no file).
    static Expected<QString> install(const QJsonObject& root, const QString& configPath);
};

} // namespace ors
