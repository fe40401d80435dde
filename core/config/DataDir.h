#pragma once

#include "config/Config.h"
#include "util/Expected.h"

#include <QString>

namespace ors {

// --data-dir value, else $OPENRESYNC_DATA_DIR, else the config's "dataDir" (relative to the config file),
// else the per-user application data location. QCoreApplication's organization and application names
// must already be set. The result is absolute and cleaned; nothing is created.
QString resolveDataDir(const QString& cliValue, const Config* config);

// Where everything lives under the data directory. Getters only compute paths; the ensure… methods
// create directories, so read-only commands never leave empty directories behind.
class DataLayout {
public:
    explicit DataLayout(const QString& root);

    const QString& root() const { return m_root; }
    QString stateDatabase() const;                 // state.sqlite
    QString statsDatabase() const;                 // stats.sqlite
    QString locksDir() const;                      // locks/
    QString lockFile(const QString& source) const; // locks/<source>.lock
    QString sourceDir(const QString& source) const;
    QString downloadedDataDir(const QString& source, const QString& resource) const;
    QString logsDir() const;
    QString logFile(const QString& source) const; // logs/<source>.ndjson
    QString destinationsDir() const;
    QString defaultSqlitePath(const QString& destination) const; // destinations/<name>.sqlite
    // The configured path, or the default one when the configuration leaves it empty.
    QString sqlitePath(const DestinationConfig& destination) const;

    Expected<void> ensureRoot() const;
    Expected<void> ensureLocksDir() const;
    Expected<void> ensureLogsDir() const;
    Expected<void> ensureDestinationsDir() const;
    Expected<void> ensureDownloadedDataDir(const QString& source, const QString& resource) const;
    // Creates the directory that will hold filePath (used for configured sqlite paths, too).
    static Expected<void> ensureParentDir(const QString& filePath);
    static Expected<void> ensureDir(const QString& dir);

private:
    QString path(const QString& relative) const;

    QString m_root;
};

} // namespace ors
