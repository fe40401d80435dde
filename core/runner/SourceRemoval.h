#pragma once

#include "config/Config.h"
#include "config/DataDir.h"
#include "util/Expected.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ors {

// One destination of a source being removed, and the tables of it the source writes.
struct DestinationTables {
    QString destination; // its name in the configuration
    QString where;       // Destination::describe(): a file or a server, never a secret
    QStringList tables;  // what the source's configuration writes there (TableWriters::tablesOf)
    // Of those, the tables another source writes in the same database: never dropped.
    QStringList shared;
};

// What removing a source could take with it besides its configuration entry.
struct SourceRemovalPlan {
    QString source;
    QStringList dataPaths; // the source's files and folders in the data directory that exist
    QList<DestinationTables> destinations;
    // "keychain:" entries of the source (sign-in, destination passwords) no other source names.
    QStringList keychainKeys;
};

// What goes beyond the configuration entry; each is a separate choice of the user.
struct SourceRemovalOptions {
    bool deleteData = false;     // its files in the data directory and its rows in state and stats
    bool dropTables = false;     // its destination tables, except tables another source writes
    bool deleteKeychain = false; // SourceRemovalPlan::keychainKeys
};

struct SourceRemovalResult {
    QString backupPath; // the previous configuration, kept as <config>.bak
    QStringList removedPaths;
    QStringList droppedTables; // "Property in sqlite /data/x.sqlite"
    QStringList deletedKeychain;
    // What failed once the configuration no longer had the source: the source is gone, these
    // parts of it stay behind, each message naming the path, table or entry.
    QStringList problems;
};

// Source ▸ Remove… (the desktop window): the configuration entry, and as asked the source's data
// directory parts, its destination tables and its keychain entries. Blocking; call it from a
// worker thread.
class SourceRemoval {
public:
    // What removing `source` could delete; reads the file system only (no destination is opened).
    static Expected<SourceRemovalPlan> plan(const Config& config, const QString& dataDir,
                                            const QString& source);

    // Takes the source's lock (refused while any program runs a job of it), writes the
    // configuration at `configPath` without it (ConfigWriter::removeSource: validated, atomic,
    // .bak), then drops tables, deletes data and keychain entries as `options` ask. `config` is
    // the configuration in use, with its SQLite paths settled (TableWriters::settle).
    static Expected<SourceRemovalResult> remove(const QString& configPath, const Config& config,
                                                const QString& dataDir, const QString& source,
                                                const SourceRemovalOptions& options);

    // The source's parts of the data directory: sources/<name>/ (batch files, downloads,
    // rejected records), logs/<name>.ndjson with its rotations, locks/<name>.lock, and its rows in
    // state.sqlite and the stats store (`stats`, else stats.sqlite). Destination files stay
    // (dropping tables is a choice of its own). Returns the paths removed; the caller holds the
    // source's lock.
    static Expected<QStringList> deleteSourceData(const DataLayout& layout,
                                                  const std::optional<SqlServerConfig>& stats,
                                                  const QString& source);

    // Drops `tables` (less the shared ones) in the source's destinations; a SQLite file that does
    // not exist is left alone (nothing to drop, and opening would create it). Appends what was
    // dropped to `dropped` and what failed to `problems`.
    static void dropTables(const SourceConfig& source, const QString& dataDir,
                           const QList<DestinationTables>& tables, QStringList& dropped,
                           QStringList& problems);
};

} // namespace ors
