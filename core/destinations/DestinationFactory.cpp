#include "config/DataDir.h"
#include "destinations/Destination.h"
#include "destinations/MappedDestination.h"
#include "destinations/MysqlDestination.h"
#include "destinations/PostgresDestination.h"
#include "destinations/SolrDestination.h"
#include "destinations/SqliteDestination.h"

#include <QDir>

namespace ors {

namespace {

// The backend alone; createDestination puts the field mapping in front of it.
Expected<std::unique_ptr<Destination>> createBackend(const DestinationConfig& config,
                                                     const QString& sourceName, const QString& dataDir) {
    switch (config.type) {
    case DestinationType::Sqlite: {
        // A relative path is relative to the data directory, like the default one.
        const QString path = DataLayout(dataDir).sqlitePath(config, sourceName);
        return std::unique_ptr<Destination>(std::make_unique<SqliteDestination>(config.name, path));
    }
    case DestinationType::Mysql:
        return std::unique_ptr<Destination>(std::make_unique<MysqlDestination>(config, sourceName));
    case DestinationType::Postgresql:
        return std::unique_ptr<Destination>(std::make_unique<PostgresDestination>(config, sourceName));
    case DestinationType::Solr:
        return std::unique_ptr<Destination>(std::make_unique<SolrDestination>(config, sourceName));
    }
    // Only a value outside the enum gets here (the configuration never makes one).
    return makeError(QStringLiteral("source %1, destination %2: unknown destination type %3")
                         .arg(sourceName, config.name)
                         .arg(int(config.type)));
}

} // namespace

std::unique_ptr<Destination> withMapping(std::unique_ptr<Destination> destination,
                                         const MappingConfig& mapping, const QString& sourceName) {
    if (mapping.isIdentity())
        return destination;
    return std::make_unique<MappedDestination>(std::move(destination),
                                               DestinationMapping(mapping, sourceName));
}

Expected<std::unique_ptr<Destination>> createDestination(const DestinationConfig& config,
                                                         const QString& sourceName, const QString& dataDir) {
    auto created = createBackend(config, sourceName, dataDir);
    if (!created)
        return created;
    return withMapping(std::move(*created), config.mapping, sourceName);
}

} // namespace ors
