#include "config/ConfigValidator.h"

#include "schedule/CronExpression.h"

#include <QRegularExpression>
#include <QTimeZone>
#include <QUrl>

#include <cmath>
#include <limits>

namespace ors {

namespace {

// More jobs at once than this only multiplies connections to the servers and the databases.
constexpr qint64 kMaxConcurrentJobs = 256;

QLatin1String key(const char* text) {
    return QLatin1String(text);
}

// Two names that differ only in case would share a file on case-insensitive file systems.
QString nameKey(const QString& name) {
    return name.toCaseFolded();
}

} // namespace

std::optional<Config> ConfigValidator::validate(const QJsonObject& root) {
    Config config;
    warnUnknownKeys(
        root, QString(),
        {"version", "dataDir", "timeZone", "maxConcurrentJobs", "logs", "stats", "sources", "alerts"});
    if (const auto dataDir = readString(root, QString(), "dataDir", Presence::Optional))
        config.dataDir = *dataDir;
    if (const auto zone = readTimeZone(root, QString()))
        config.timeZone = *zone;
    if (const auto jobs = readInteger(root, QString(), "maxConcurrentJobs", 1, kMaxConcurrentJobs))
        config.maxConcurrentJobs = int(*jobs);
    config.logs = readLogs(root);
    config.stats = readStats(root);

    const QJsonValue sources = root.value(key("sources"));
    if (sources.isUndefined()) {
        addError(QStringLiteral("sources"), QStringLiteral("missing required key"));
    } else if (!sources.isArray()) {
        addError(QStringLiteral("sources"), QStringLiteral("must be an array"));
    } else {
        QSet<QString> seenNames;
        const QJsonArray array = sources.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (auto source = readSource(array.at(i), indexPath(QStringLiteral("sources"), i), seenNames))
                config.sources.append(std::move(*source));
        }
    }

    config.alerts = readAlerts(root);

    if (!m_errors.isEmpty())
        return std::nullopt;
    for (SourceConfig& source : config.sources) {
        source.logs = config.logs;
        source.stats = config.stats;
    }
    return config;
}

std::optional<SourceConfig> ConfigValidator::readSource(const QJsonValue& value, const QString& path,
                                                        QSet<QString>& seenNames) {
    if (!value.isObject()) {
        addError(path, QStringLiteral("must be an object"));
        return std::nullopt;
    }
    const QJsonObject object = value.toObject();
    warnUnknownKeys(object, path,
                    {"name", "platform", "serviceUrl", "metadataUrl", "auth", "pageSize", "timeoutSeconds",
                     "maxPageMegabytes", "resources", "destinations", "schedules", "purge",
                     "originatingSystemName", "profile", "rateLimit", "allowedHosts", "tls", "onBadRecord"});

    SourceConfig source;
    if (const auto name = readName(object, path)) {
        source.name = *name;
        if (seenNames.contains(nameKey(*name)))
            addError(childPath(path, key("name")), QStringLiteral("duplicate source name \"%1\"").arg(*name));
        seenNames.insert(nameKey(*name));
    }

    if (const auto platform = readString(object, path, "platform", Presence::Required)) {
        if (const auto parsed = platformFromName(*platform))
            source.platform = *parsed;
        else
            addError(
                childPath(path, key("platform")),
                QStringLiteral("unknown platform \"%1\" (expected trestle, mlsgrid, bridge, spark, generic)")
                    .arg(*platform));
    }

    if (const auto url = readUrl(object, path, "serviceUrl", Presence::Required)) {
        source.serviceUrl = *url;
        warnIfPlainHttp(path, "serviceUrl", *url);
    }
    if (const auto url = readUrl(object, path, "metadataUrl", Presence::Optional)) {
        source.metadataUrl = *url;
        warnIfPlainHttp(path, "metadataUrl", *url);
    }

    source.auth = readAuth(object, path);

    const QJsonValue pageSize = object.value(key("pageSize"));
    if (!pageSize.isUndefined()) {
        const double number = pageSize.toDouble(-1);
        if (!pageSize.isDouble() || number != std::floor(number) || number < 1 ||
            number > std::numeric_limits<int>::max())
            addError(childPath(path, key("pageSize")), QStringLiteral("must be a positive integer"));
        else
            source.pageSize = static_cast<int>(number);
    }

    if (const auto seconds = readInteger(object, path, "timeoutSeconds", 5, 3600))
        source.timeoutSeconds = int(*seconds);
    if (const auto megabytes = readInteger(object, path, "maxPageMegabytes", 1, 4096))
        source.maxPageMegabytes = int(*megabytes);

    source.resources = readResources(object, path);
    source.destinations = readDestinations(object, path);
    checkMappedTables(source, path);
    source.schedules = readSchedules(object, path);
    source.purge = readPurge(object, path);
    if (const auto name = readString(object, path, "originatingSystemName", Presence::Optional))
        source.originatingSystemName = *name;
    // MLS Grid refuses every request that does not name exactly one OriginatingSystemName.
    if (source.platform == Platform::MlsGrid && source.originatingSystemName.isEmpty())
        addError(
            childPath(path, key("originatingSystemName")),
            QStringLiteral("required for platform mlsgrid (the MLS's lower-case code, e.g. \"actris\")"));
    source.profile = readProfile(object, path);
    source.rateLimit = readRateLimit(object, path);
    source.allowedHosts = readAllowedHosts(object, path);
    source.tls = readSourceTls(object, path);
    if (const auto policy = readString(object, path, "onBadRecord", Presence::Optional)) {
        if (const auto parsed = badRecordPolicyFromName(*policy))
            source.onBadRecord = *parsed;
        else
            addError(childPath(path, key("onBadRecord")),
                     QStringLiteral("unknown value \"%1\" (expected quarantine, fail)").arg(*policy));
    }
    return source;
}

QStringList ConfigValidator::readAllowedHosts(const QJsonObject& source, const QString& sourcePath) {
    QStringList hosts;
    const auto array = readArray(source, sourcePath, "allowedHosts");
    if (!array)
        return hosts;
    const QString path = childPath(sourcePath, key("allowedHosts"));
    for (qsizetype i = 0; i < array->size(); ++i) {
        const QString itemPath = indexPath(path, i);
        const QJsonValue item = array->at(i);
        if (!item.isString() || item.toString().trimmed().isEmpty()) {
            addError(itemPath, QStringLiteral("must be a non-empty string, a host name"));
            continue;
        }
        const QString text = item.toString().trimmed();
        // Only a bare host: a scheme, port or path would suggest a narrower grant than the
        // host-wide one this is (any scheme, any port).
        if (text.contains(QLatin1Char('*'))) {
            addError(itemPath,
                     QStringLiteral("\"%1\": wildcards are not supported; list each host").arg(text));
            continue;
        }
        static const QRegularExpression notHostOnly(QStringLiteral("[/:@?#\\s]"));
        const bool bracketedIpv6 = text.startsWith(QLatin1Char('[')) && text.endsWith(QLatin1Char(']'));
        QUrl url;
        url.setHost(bracketedIpv6 ? text.mid(1, text.size() - 2) : text, QUrl::StrictMode);
        if ((!bracketedIpv6 && text.contains(notHostOnly)) || !url.isValid() || url.host().isEmpty()) {
            addError(itemPath, QStringLiteral("\"%1\" is not a host name; give the host alone, without "
                                              "scheme, port or path (e.g. \"media.example.com\")")
                                   .arg(text));
            continue;
        }
        const QString host = url.host().toLower();
        if (hosts.contains(host)) {
            addWarning(itemPath, QStringLiteral("\"%1\" is listed twice").arg(text));
            continue;
        }
        hosts.append(host);
    }
    return hosts;
}

PurgeConfig ConfigValidator::readPurge(const QJsonObject& source, const QString& sourcePath) {
    PurgeConfig purge;
    const auto object = readObject(source, sourcePath, "purge");
    if (!object)
        return purge;
    const QString path = childPath(sourcePath, key("purge"));
    warnUnknownKeys(*object, path, {"maxDeletes", "maxDeletePercent", "maxKeyListAgeMinutes"});
    const QJsonValue maxDeletes = object->value(key("maxDeletes"));
    if (!maxDeletes.isUndefined()) {
        const double number = maxDeletes.toDouble(-1);
        if (!maxDeletes.isDouble() || number != std::floor(number) || number < 0 || number > 9e15)
            addError(childPath(path, key("maxDeletes")), QStringLiteral("must be a non-negative integer"));
        else
            purge.maxDeletes = qint64(number);
    }
    const QJsonValue percent = object->value(key("maxDeletePercent"));
    if (!percent.isUndefined()) {
        const double number = percent.toDouble(-1);
        if (!percent.isDouble() || number < 0 || number > 100)
            addError(childPath(path, key("maxDeletePercent")),
                     QStringLiteral("must be a number from 0 to 100"));
        else
            purge.maxDeletePercent = number;
    }
    const QJsonValue age = object->value(key("maxKeyListAgeMinutes"));
    if (!age.isUndefined()) {
        const double number = age.toDouble(-1);
        if (!age.isDouble() || number != std::floor(number) || number < 1 || number > 525600)
            addError(childPath(path, key("maxKeyListAgeMinutes")),
                     QStringLiteral("must be a whole number of minutes from 1 to 525600"));
        else
            purge.maxKeyListAgeMinutes = int(number);
    }
    return purge;
}

QList<ResourceConfig> ConfigValidator::readResources(const QJsonObject& source, const QString& sourcePath) {
    QList<ResourceConfig> resources;
    const QString path = childPath(sourcePath, key("resources"));
    const bool present = source.contains(key("resources"));
    const auto array = readArray(source, sourcePath, "resources");
    if (!present || (array && array->isEmpty())) {
        addError(path, QStringLiteral("must list at least one resource"));
        return resources;
    }
    if (!array)
        return resources;
    QSet<QString> seenNames;
    for (qsizetype i = 0; i < array->size(); ++i) {
        if (auto resource = readResource(array->at(i), indexPath(path, i), seenNames))
            resources.append(std::move(*resource));
    }
    return resources;
}

std::optional<ResourceConfig> ConfigValidator::readResource(const QJsonValue& value, const QString& path,
                                                            QSet<QString>& seenNames) {
    if (!value.isObject()) {
        addError(path, QStringLiteral("must be an object"));
        return std::nullopt;
    }
    const QJsonObject object = value.toObject();
    warnUnknownKeys(object, path, {"name", "filter", "select", "expand"});

    ResourceConfig resource;
    if (const auto name = readName(object, path)) {
        resource.name = *name;
        if (seenNames.contains(nameKey(*name)))
            addError(childPath(path, key("name")), QStringLiteral("duplicate resource \"%1\"").arg(*name));
        seenNames.insert(nameKey(*name));
    }
    if (const auto filter = readString(object, path, "filter", Presence::Optional))
        resource.filter = *filter;
    if (const auto select = readStringList(object, path, "select"))
        resource.select = *select;
    resource.expand = readExpand(object, path);
    return resource;
}

QList<ExpandConfig> ConfigValidator::readExpand(const QJsonObject& resource, const QString& resourcePath) {
    QList<ExpandConfig> expand;
    const auto array = readArray(resource, resourcePath, "expand");
    if (!array)
        return expand;
    const QString path = childPath(resourcePath, key("expand"));
    QSet<QString> seenNames;
    for (qsizetype i = 0; i < array->size(); ++i) {
        const QString itemPath = indexPath(path, i);
        if (!array->at(i).isObject()) {
            addError(itemPath, QStringLiteral("must be an object"));
            continue;
        }
        const QJsonObject object = array->at(i).toObject();
        warnUnknownKeys(object, itemPath, {"name", "owned"});
        ExpandConfig item;
        if (const auto name = readString(object, itemPath, "name", Presence::Required)) {
            item.name = *name;
            if (seenNames.contains(*name))
                addError(childPath(itemPath, key("name")),
                         QStringLiteral("duplicate expansion \"%1\"").arg(*name));
            seenNames.insert(*name);
        }
        const QJsonValue owned = object.value(key("owned"));
        if (owned.isBool())
            item.owned = owned.toBool();
        else if (!owned.isUndefined())
            addError(childPath(itemPath, key("owned")), QStringLiteral("must be true or false"));
        expand.append(item);
    }
    return expand;
}

QList<DestinationConfig> ConfigValidator::readDestinations(const QJsonObject& source,
                                                           const QString& sourcePath) {
    QList<DestinationConfig> destinations;
    const QString path = childPath(sourcePath, key("destinations"));
    const bool present = source.contains(key("destinations"));
    const auto array = readArray(source, sourcePath, "destinations");
    if (!present || (array && array->isEmpty())) {
        addError(path, QStringLiteral("must list at least one destination"));
        return destinations;
    }
    if (!array)
        return destinations;
    QSet<QString> seenNames;
    for (qsizetype i = 0; i < array->size(); ++i) {
        if (auto destination = readDestination(array->at(i), indexPath(path, i), seenNames))
            destinations.append(std::move(*destination));
    }
    return destinations;
}

std::optional<DestinationConfig>
ConfigValidator::readDestination(const QJsonValue& value, const QString& path, QSet<QString>& seenNames) {
    if (!value.isObject()) {
        addError(path, QStringLiteral("must be an object"));
        return std::nullopt;
    }
    QJsonObject object = value.toObject();
    DestinationConfig destination;
    destination.mapping = readMapping(object, path);
    if (const auto name = readName(object, path)) {
        destination.name = *name;
        if (seenNames.contains(nameKey(*name)))
            addError(childPath(path, key("name")),
                     QStringLiteral("duplicate destination name \"%1\"").arg(*name));
        seenNames.insert(nameKey(*name));
    }

    const auto typeName = readString(object, path, "type", Presence::Required);
    const auto type = typeName ? destinationTypeFromName(*typeName) : std::nullopt;
    if (typeName && !type)
        addError(childPath(path, key("type")),
                 QStringLiteral("unknown destination type \"%1\" (expected sqlite, mysql, postgresql, solr)")
                     .arg(*typeName));
    if (!type) {
        warnUnknownKeys(object, path,
                        {"name", "type", "path", "host", "port", "database", "user", "password", "tls",
                         "schema", "url", "core", "commitWithinMs", "overflowBudget", "overflowFields"});
        return destination;
    }

    destination.type = *type;
    switch (*type) {
    case DestinationType::Sqlite:
        warnUnknownKeys(object, path, {"name", "type", "path", "overflowBudget", "overflowFields"}, "sqlite");
        if (const auto file = readString(object, path, "path", Presence::Optional))
            destination.path = *file;
        for (const char* overflowKey : {"overflowBudget", "overflowFields"})
            if (object.contains(QLatin1String(overflowKey)))
                addWarning(childPath(path, key(overflowKey)),
                           QStringLiteral("ignored: SQLite rows have no size limit, so every field keeps a "
                                          "column of its own"));
        break;
    case DestinationType::Mysql:
    case DestinationType::Postgresql:
        if (*type == DestinationType::Mysql)
            warnUnknownKeys(object, path,
                            {"name", "type", "host", "port", "database", "user", "password", "tls",
                             "overflowBudget", "overflowFields"},
                            "mysql");
        else
            warnUnknownKeys(object, path,
                            {"name", "type", "host", "port", "database", "user", "password", "tls", "schema",
                             "overflowBudget", "overflowFields"},
                            "postgresql");
        readOverflow(object, path, destination);
        // Tables go to this schema instead of the connection's current one; it must exist.
        if (*type == DestinationType::Postgresql)
            if (const auto schema = readString(object, path, "schema", Presence::Optional)) {
                if (schema->isEmpty() || schema->size() > 63)
                    addError(childPath(path, key("schema")),
                             QStringLiteral("must be a schema name of 1 to 63 characters"));
                else
                    destination.schema = *schema;
            }
        if (const auto host = readString(object, path, "host", Presence::Required))
            destination.host = *host;
        destination.port =
            readPort(object, path, "port").value_or(*type == DestinationType::Mysql ? 3306 : 5432);
        if (const auto database = readString(object, path, "database", Presence::Required))
            destination.database = *database;
        if (const auto user = readString(object, path, "user", Presence::Required))
            destination.user = *user;
        destination.password = readSecret(object, path, "password", Presence::Optional);
        destination.tls = readTls(object, path);
        break;
    case DestinationType::Solr:
        warnUnknownKeys(object, path, {"name", "type", "url", "core", "commitWithinMs", "user", "password"},
                        "solr");
        if (const auto url = readUrl(object, path, "url", Presence::Required))
            destination.url = *url;
        if (const auto core = readString(object, path, "core", Presence::Optional)) {
            // Each table needs a core of its own: the cores' schemas and unique keys differ.
            if (!core->contains(QLatin1String("{table}")))
                addError(childPath(path, key("core")),
                         QStringLiteral("must contain {table}: each table (resource or expanded child) "
                                        "is a core of its own, e.g. \"mls_{table}\""));
            else
                destination.core = *core;
        }
        if (const auto ms = readInteger(object, path, "commitWithinMs", 1, 3600000))
            destination.commitWithinMs = int(*ms);
        if (const auto user = readString(object, path, "user", Presence::Optional))
            destination.user = *user;
        destination.password = readSecret(object, path, "password", Presence::Optional);
        if (destination.password.isSet() && destination.user.isEmpty())
            addError(childPath(path, key("user")),
                     QStringLiteral("missing: a password is sent with a user name (HTTP Basic)"));
        if (destination.password.isSet() && !destination.url.isEmpty())
            warnIfPlainHttp(path, "url", destination.url);
        break;
    }
    return destination;
}

void ConfigValidator::readOverflow(const QJsonObject& object, const QString& path,
                                   DestinationConfig& destination) {
    // 0 keeps only keys, timestamps and indexed columns in the row; a budget larger than any
    // table's row keeps every field in a column (and leaves wide records to fail, naming them).
    if (const auto budget = readInteger(object, path, "overflowBudget", 0, 1000000))
        destination.overflowBudget = int(*budget);
    const auto fields = readStringList(object, path, "overflowFields");
    if (!fields)
        return;
    static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,63}$"));
    const QString fieldsPath = childPath(path, key("overflowFields"));
    for (qsizetype i = 0; i < fields->size(); ++i) {
        const QString& field = fields->at(i);
        if (!name.match(field).hasMatch())
            addError(indexPath(fieldsPath, i), QStringLiteral("\"%1\" is no field name").arg(field));
        else if (destination.overflowFields.contains(field))
            addError(indexPath(fieldsPath, i), QStringLiteral("\"%1\" is listed twice").arg(field));
        else
            destination.overflowFields.append(field);
    }
}

SourceTls ConfigValidator::readSourceTls(const QJsonObject& source, const QString& sourcePath) {
    SourceTls tls;
    const auto object = readObject(source, sourcePath, "tls");
    if (!object)
        return tls;
    const QString path = childPath(sourcePath, key("tls"));
    warnUnknownKeys(*object, path, {"ca", "insecure"});
    if (const auto file = readFilePath(*object, path, "ca"))
        tls.ca = *file;
    const QJsonValue insecure = object->value(key("insecure"));
    if (!insecure.isUndefined() && !insecure.isBool())
        addError(childPath(path, key("insecure")), QStringLiteral("must be true or false"));
    tls.insecure = insecure.toBool(false);
    if (tls.insecure)
        addWarning(childPath(path, key("insecure")),
                   QStringLiteral("the certificates of this source's servers are not verified: anyone on "
                                  "the way can read its credentials and data (use it only with a test "
                                  "server's self-signed certificate; for a private CA set tls.ca instead)"));
    if (tls.insecure && !tls.ca.isEmpty())
        addWarning(childPath(path, key("ca")), QStringLiteral("not used while insecure is true"));
    return tls;
}

TlsConfig ConfigValidator::readTls(const QJsonObject& destination, const QString& destinationPath) {
    TlsConfig tls;
    const auto object = readObject(destination, destinationPath, "tls");
    if (!object)
        return tls;
    const QString path = childPath(destinationPath, key("tls"));
    warnUnknownKeys(*object, path, {"mode", "ca", "cert", "key"});
    if (const auto mode = readString(*object, path, "mode", Presence::Optional)) {
        if (const auto parsed = tlsModeFromName(*mode))
            tls.mode = *parsed;
        else
            addError(childPath(path, key("mode")),
                     QStringLiteral("unknown TLS mode \"%1\" (expected disabled, preferred, required, "
                                    "verify-ca or verify-identity)")
                         .arg(*mode));
    }
    if (const auto file = readFilePath(*object, path, "ca"))
        tls.ca = *file;
    if (const auto file = readFilePath(*object, path, "cert"))
        tls.cert = *file;
    if (const auto file = readFilePath(*object, path, "key"))
        tls.key = *file;
    const bool verifies = tls.mode == TlsMode::VerifyCa || tls.mode == TlsMode::VerifyIdentity;
    if (verifies && !object->contains(key("ca")))
        addError(childPath(path, key("ca")),
                 QStringLiteral("missing: mode \"%1\" checks the server's certificate against this CA file")
                     .arg(tlsModeName(tls.mode)));
    if (const bool hasCert = object->contains(key("cert")); hasCert != object->contains(key("key")))
        addError(childPath(path, key(hasCert ? "key" : "cert")),
                 QStringLiteral("missing: a client certificate needs both cert and key"));
    if (tls.mode == TlsMode::Disabled && (!tls.ca.isEmpty() || !tls.cert.isEmpty()))
        addWarning(childPath(path, key("mode")),
                   QStringLiteral("\"disabled\": the ca, cert and key files are not used"));
    return tls;
}

std::optional<QString> ConfigValidator::readTimeZone(const QJsonObject& object, const QString& path) {
    auto name = readString(object, path, "timeZone", Presence::Optional);
    if (!name)
        return std::nullopt;
    if (!QTimeZone::isTimeZoneIdAvailable(name->toUtf8()) || !QTimeZone(name->toUtf8()).isValid()) {
        addError(childPath(path, key("timeZone")),
                 QStringLiteral("unknown time zone \"%1\" (expected an IANA name such as Europe/Berlin, "
                                "America/Denver or UTC)")
                     .arg(*name));
        return std::nullopt;
    }
    return name;
}

Schedules ConfigValidator::readSchedules(const QJsonObject& source, const QString& sourcePath) {
    Schedules schedules;
    const auto object = readObject(source, sourcePath, "schedules");
    if (!object)
        return schedules;
    const QString path = childPath(sourcePath, key("schedules"));
    // The process names are keys too: there is no list to give warnUnknownKeys.
    for (const char* known : {"timeZone", "catchUp", "sync", "purge", "reconcile"})
        recordKnownKey(path, known);
    if (const auto zone = readTimeZone(*object, path))
        schedules.timeZone = *zone;
    if (const auto catchUp = readBool(*object, path, "catchUp"))
        schedules.catchUp = *catchUp;
    for (auto it = object->begin(); it != object->end(); ++it) {
        if (it.key() == QLatin1String("timeZone") || it.key() == QLatin1String("catchUp") ||
            isComment(it.key()))
            continue;
        const QString listPath = path + QLatin1Char('.') + it.key();
        const auto process = processFromName(it.key());
        if (!process) {
            addWarning(listPath, QStringLiteral("unknown key, ignored"));
            continue;
        }
        const QByteArray keyText = it.key().toLatin1();
        const auto expressions = readStringList(*object, path, keyText.constData());
        if (!expressions)
            continue;
        for (qsizetype i = 0; i < expressions->size(); ++i) {
            // The message quotes the expression: "*/0 * * * *": step must be at least 1.
            if (const auto cron = CronExpression::parse(expressions->at(i)); !cron)
                addError(indexPath(listPath, i), cron.errorMessage());
        }
        switch (*process) {
        case ProcessType::Sync:
            schedules.sync = *expressions;
            break;
        case ProcessType::Purge:
            schedules.purge = *expressions;
            break;
        case ProcessType::Reconcile:
            schedules.reconcile = *expressions;
            break;
        }
    }
    return schedules;
}

} // namespace ors
