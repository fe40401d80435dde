// The top-level "stats" key: the MySQL/MariaDB or PostgreSQL database the stats store lives in.
#include "config/ConfigValidator.h"

namespace ors {

namespace {

QLatin1String key(const char* text) {
    return QLatin1String(text);
}

} // namespace

std::optional<SqlServerConfig> ConfigValidator::readStats(const QJsonObject& root) {
    const auto object = readObject(root, QString(), "stats");
    if (!object)
        return std::nullopt;
    const QString path = QStringLiteral("stats");
    const int errorsBefore = int(m_errors.size());
    SqlServerConfig stats;
    const auto typeName = readString(*object, path, "type", Presence::Required);
    const auto type = typeName ? destinationTypeFromName(*typeName) : std::nullopt;
    if (typeName && (!type || (*type != DestinationType::Mysql && *type != DestinationType::Postgresql))) {
        // SQLite is what no "stats" key means; a second SQLite file elsewhere would split the history.
        addError(childPath(path, key("type")),
                 QStringLiteral("unknown stats database type \"%1\" (expected mysql or postgresql; without "
                                "\"stats\" the history stays in the data directory's stats.sqlite)")
                     .arg(*typeName));
        return std::nullopt;
    }
    if (!type)
        return std::nullopt;
    stats.type = *type;
    if (stats.type == DestinationType::Mysql)
        warnUnknownKeys(*object, path, {"type", "host", "port", "database", "user", "password", "tls"},
                        "mysql");
    else
        warnUnknownKeys(*object, path,
                        {"type", "host", "port", "database", "user", "password", "tls", "schema"},
                        "postgresql");
    if (const auto host = readString(*object, path, "host", Presence::Required))
        stats.host = *host;
    stats.port = readPort(*object, path, "port").value_or(stats.type == DestinationType::Mysql ? 3306 : 5432);
    if (const auto database = readString(*object, path, "database", Presence::Required))
        stats.database = *database;
    if (const auto user = readString(*object, path, "user", Presence::Required))
        stats.user = *user;
    stats.password = readSecret(*object, path, "password", Presence::Optional);
    stats.tls = readTls(*object, path);
    if (stats.type == DestinationType::Postgresql)
        if (const auto schema = readString(*object, path, "schema", Presence::Optional)) {
            if (schema->isEmpty() || schema->size() > 63)
                addError(childPath(path, key("schema")),
                         QStringLiteral("must be a schema name of 1 to 63 characters"));
            else
                stats.schema = *schema;
        }
    if (int(m_errors.size()) != errorsBefore)
        return std::nullopt;
    return stats;
}

} // namespace ors
