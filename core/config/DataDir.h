#pragma once

#include "config/Config.h"
#include "util/Expected.h"

#include <QString>
#include <QStringList>

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
    // sources/<source>/rejected/: records set aside by a sync or reconcile, <Resource>.ndjson each
    QString rejectedDir(const QString& source) const;
    QString rejectedFile(const QString& source, const QString& resource) const;
    QString logsDir() const;
    QString logFile(const QString& source) const; // logs/<source>.ndjson
    QString destinationsDir() const;
    // destinations/<source>/<destination>.sqlite: one file per source, so two sources whose
    // destinations share a name never write one table.
    QString defaultSqlitePath(const QString& source, const QString& destination) const;
    // destinations/<destination>.sqlite, the default of earlier versions (see resolveSqlitePaths).
    QString legacySqlitePath(const QString& destination) const;
    // The configured path (relative to the data directory), or the per-source default.
    QString sqlitePath(const DestinationConfig& destination, const QString& source) const;
    // Gives every SQLite destination without a "path" its absolute default path. An existing data
    // directory keeps working: the legacy destinations/<name>.sqlite stays in use while it exists,
    // the per-source file does not, and no other source has a destination of that name (so the
    // file can only hold this source's rows). Otherwise the per-source file is used; a legacy file
    // left behind that way is reported in `warnings`.
    void resolveSqlitePaths(Config& config, QStringList& warnings) const;

    // Directories are created 0700 (PrivateFiles::makeDir).
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
