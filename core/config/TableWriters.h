#pragma once

#include "config/Config.h"
#include "config/DataDir.h"

#include <QString>
#include <QStringList>

namespace ors {

// Which destinations write which tables of which database. Tables are named after entity types
// (through each destination's tablePrefix and tableName), so two writers of one table in one
// database would purge each other's rows and take their starting point from each other's
// timestamps. Two destinations of one source doing so is an error; destinations of two sources
// may (one table for several MLSs): a warning, and each is marked (DestinationConfig::sharedTables)
// so purge refuses those tables. What the configuration alone tells is checked
// here: resource names and expansion names stand for the tables (they are the entity types on
// every RESO server); SourceContext checks the real entity types once $metadata is known.
class TableWriters {
public:
    // "sources[0].destinations[1] ("b") and sources[0].destinations[0] ("a") both write table
    // Property in /data/x.sqlite", one message per table and pair of destinations of one source. SQLite
    // destinations need their paths resolved (DataLayout::resolveSqlitePaths).
    static QStringList conflicts(const Config& config, const DataLayout& layout);

    // The tables a source's destinations hold as the configuration tells them: resource names,
    // then expansion names, once each (case-folded).
    static QStringList tablesOf(const SourceConfig& source);

    // The database a destination writes, comparable across destinations: the canonical file of
    // a SQLite destination, scheme://host:port/database of a server (no user, no password).
    static QString databaseOf(const DestinationConfig& destination, const QString& source,
                              const DataLayout& layout);

    // Resolves the SQLite paths and checks the writers: false (with errors) when two destinations
    // of one source share a table; a warning, and sharedTables set, for two sources.
    static bool settle(Config& config, const DataLayout& layout, QStringList& errors, QStringList& warnings);
};

} // namespace ors
