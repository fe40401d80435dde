#include "config/ConfigValidator.h"

#include <cmath>

// The platform-facing parts of a source: authentication, profile overrides and rate limits.
namespace ors {

namespace {
QLatin1String key(const char* text) {
    return QLatin1String(text);
}
} // namespace

std::optional<qint64> ConfigValidator::readInteger(const QJsonObject& object, const QString& path,
                                                   const char* name, qint64 min, qint64 max) {
    const QJsonValue value = object.value(key(name));
    if (value.isUndefined())
        return std::nullopt;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number != std::floor(number) || number < double(min) || number > double(max)) {
        addError(childPath(path, key(name)),
                 QStringLiteral("must be an integer from %1 to %2").arg(min).arg(max));
        return std::nullopt;
    }
    return qint64(number);
}

std::optional<bool> ConfigValidator::readBool(const QJsonObject& object, const QString& path,
                                              const char* name) {
    const QJsonValue value = object.value(key(name));
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isBool()) {
        addError(childPath(path, key(name)), QStringLiteral("must be true or false"));
        return std::nullopt;
    }
    return value.toBool();
}

QList<std::pair<QString, QString>> ConfigValidator::readStringMap(const QJsonObject& object,
                                                                  const QString& path, const char* name) {
    QList<std::pair<QString, QString>> result;
    const auto map = readObject(object, path, name);
    if (!map)
        return result;
    for (auto it = map->begin(); it != map->end(); ++it) {
        if (isComment(it.key()))
            continue;
        if (!it.value().isString() || it.value().toString().isEmpty()) {
            addError(childPath(path, key(name)) + QLatin1Char('.') + it.key(),
                     QStringLiteral("must be a non-empty string"));
            continue;
        }
        result.append({it.key(), it.value().toString()});
    }
    return result;
}

AuthConfig ConfigValidator::readAuth(const QJsonObject& source, const QString& sourcePath) {
    AuthConfig auth;
    const auto object = readObject(source, sourcePath, "auth");
    if (!object)
        return auth;
    const QString path = childPath(sourcePath, key("auth"));

    const auto typeName = readString(*object, path, "type", Presence::Required);
    const auto type = typeName ? authTypeFromName(*typeName) : std::nullopt;
    if (typeName && !type)
        addError(childPath(path, key("type")),
                 QStringLiteral("unknown auth type \"%1\" (expected none, bearer, oauth2)").arg(*typeName));
    if (!type) {
        // Without a known type there is no telling which keys belong, so only flag strangers.
        warnUnknownKeys(*object, path,
                        {"type", "token", "sendAs", "tokenUrl", "grantType", "clientId", "clientSecret",
                         "username", "password", "scope"});
        return auth;
    }

    auth.type = *type;
    switch (*type) {
    case AuthType::None:
        warnUnknownKeys(*object, path, {"type"}, "none");
        break;
    case AuthType::Bearer:
        warnUnknownKeys(*object, path, {"type", "token", "sendAs"}, "bearer");
        auth.token = readSecret(*object, path, "token", Presence::Required);
        if (const auto sendAs = readString(*object, path, "sendAs", Presence::Optional)) {
            if (const auto placement = tokenPlacementFromName(*sendAs))
                auth.sendAs = *placement;
            else
                addError(childPath(path, key("sendAs")),
                         QStringLiteral("unknown value \"%1\" (expected header or query)").arg(*sendAs));
        }
        break;
    case AuthType::OAuth2: {
        warnUnknownKeys(
            *object, path,
            {"type", "tokenUrl", "grantType", "clientId", "clientSecret", "username", "password", "scope"},
            "oauth2");
        if (const auto grant = readString(*object, path, "grantType", Presence::Optional)) {
            if (const auto value = oauthGrantFromName(*grant))
                auth.grant = *value;
            else
                addError(childPath(path, key("grantType")),
                         QStringLiteral("unknown grant \"%1\" (expected client_credentials or password)")
                             .arg(*grant));
        }
        const bool password = auth.grant == OAuthGrant::Password;
        if (const auto url = readUrl(*object, path, "tokenUrl", Presence::Required)) {
            auth.tokenUrl = *url;
            warnIfPlainHttp(path, "tokenUrl", *url);
        }
        if (const auto clientId = readString(*object, path, "clientId", Presence::Required))
            auth.clientId = *clientId;
        auth.clientSecret =
            readSecret(*object, path, "clientSecret", password ? Presence::Optional : Presence::Required);
        if (password) {
            if (const auto user = readString(*object, path, "username", Presence::Required))
                auth.username = *user;
            auth.password = readSecret(*object, path, "password", Presence::Required);
        } else {
            for (const char* stray : {"username", "password"})
                if (object->contains(key(stray)))
                    addWarning(childPath(path, key(stray)),
                               QStringLiteral("only used with \"grantType\": \"password\"; ignored"));
        }
        if (const auto scope = readString(*object, path, "scope", Presence::Optional))
            auth.scope = *scope;
        break;
    }
    }
    return auth;
}

ProfileOverrides ConfigValidator::readProfile(const QJsonObject& source, const QString& sourcePath) {
    ProfileOverrides profile;
    const auto object = readObject(source, sourcePath, "profile");
    if (!object)
        return profile;
    const QString path = childPath(sourcePath, key("profile"));
    warnUnknownKeys(*object, path,
                    {"replication", "replicationUrl", "maxPageSize", "maxPageSizeWithExpand",
                     "maxKeyPageSize", "orderBy", "topIsPageSize", "count", "mlgCanView", "keyListStyle",
                     "maxUrlLength", "overlapMinutes", "excludeFields", "keyFields", "headers"});
    if (const auto style = readString(*object, path, "replication", Presence::Optional)) {
        if (const auto value = replicationStyleFromName(*style))
            profile.replication = *value;
        else
            addError(childPath(path, key("replication")),
                     QStringLiteral("unknown value \"%1\" (expected plain, query or path)").arg(*style));
    }
    if (const auto url = readUrl(*object, path, "replicationUrl", Presence::Optional)) {
        profile.replicationUrl = *url;
        warnIfPlainHttp(path, "replicationUrl", *url);
    }
    constexpr qint64 kMaxPage = 1000000;
    if (const auto n = readInteger(*object, path, "maxPageSize", 1, kMaxPage))
        profile.maxPageSize = int(*n);
    if (const auto n = readInteger(*object, path, "maxPageSizeWithExpand", 1, kMaxPage))
        profile.maxPageSizeWithExpand = int(*n);
    if (const auto n = readInteger(*object, path, "maxKeyPageSize", 1, kMaxPage))
        profile.maxKeyPageSize = int(*n);
    profile.orderBy = readBool(*object, path, "orderBy");
    profile.topIsPageSize = readBool(*object, path, "topIsPageSize");
    profile.count = readBool(*object, path, "count");
    profile.mlgCanView = readBool(*object, path, "mlgCanView");
    if (const auto style = readString(*object, path, "keyListStyle", Presence::Optional)) {
        if (const auto value = keyListStyleFromName(*style))
            profile.keyListStyle = *value;
        else
            addError(childPath(path, key("keyListStyle")),
                     QStringLiteral("unknown value \"%1\" (expected in or or)").arg(*style));
    }
    if (const auto n = readInteger(*object, path, "maxUrlLength", 256, 1000000))
        profile.maxUrlLength = int(*n);
    if (const auto n = readInteger(*object, path, "overlapMinutes", 0, 7 * 24 * 60))
        profile.overlapSeconds = int(*n) * 60;
    profile.excludeFields = readStringList(*object, path, "excludeFields");
    profile.keyFields = readStringMap(*object, path, "keyFields");
    profile.headers = readStringMap(*object, path, "headers");
    for (const auto& [name, value] : std::as_const(profile.headers)) {
        // The client sets these itself; a second copy would confuse servers or leak a token.
        if (name.compare(QLatin1String("Authorization"), Qt::CaseInsensitive) == 0 ||
            name.compare(QLatin1String("Accept"), Qt::CaseInsensitive) == 0)
            addError(childPath(path, key("headers")) + QLatin1Char('.') + name,
                     QStringLiteral("is set by OpenReSync and cannot be overridden"));
    }
    return profile;
}

RateLimitConfig ConfigValidator::readRateLimit(const QJsonObject& source, const QString& sourcePath) {
    RateLimitConfig limit;
    const auto object = readObject(source, sourcePath, "rateLimit");
    if (!object)
        return limit;
    const QString path = childPath(sourcePath, key("rateLimit"));
    warnUnknownKeys(*object, path, {"perSecond", "perMinute", "perHour", "perDay", "bytesPerHour"});
    const QJsonValue perSecond = object->value(key("perSecond"));
    if (!perSecond.isUndefined()) {
        const double number = perSecond.toDouble(-1);
        if (!perSecond.isDouble() || number < 0 || number > 10000)
            addError(childPath(path, key("perSecond")), QStringLiteral("must be a number from 0 to 10000"));
        else
            limit.perSecond = number;
    }
    constexpr qint64 kMaxCount = 100000000;
    if (const auto n = readInteger(*object, path, "perMinute", 0, kMaxCount))
        limit.perMinute = int(*n);
    if (const auto n = readInteger(*object, path, "perHour", 0, kMaxCount))
        limit.perHour = int(*n);
    if (const auto n = readInteger(*object, path, "perDay", 0, kMaxCount))
        limit.perDay = int(*n);
    if (const auto n = readInteger(*object, path, "bytesPerHour", 0, qint64(1) << 50))
        limit.bytesPerHour = *n;
    return limit;
}

LogsConfig ConfigValidator::readLogs(const QJsonObject& root) {
    LogsConfig logs;
    const auto object = readObject(root, QString(), "logs");
    if (!object)
        return logs;
    const QString path = QStringLiteral("logs");
    warnUnknownKeys(*object, path, {"maxSizeMB", "keep", "retentionDays"});
    // A fraction is allowed (0.5 = 512 KB); below 1 KB every few lines would rotate.
    const QJsonValue size = object->value(key("maxSizeMB"));
    if (!size.isUndefined()) {
        const double megabytes = size.toDouble(-1);
        if (!size.isDouble() || megabytes < 0.001 || megabytes > 1024 * 1024)
            addError(childPath(path, key("maxSizeMB")),
                     QStringLiteral("must be a number from 0.001 to 1048576"));
        else
            logs.maxSizeBytes = qint64(megabytes * 1024 * 1024);
    }
    if (const auto n = readInteger(*object, path, "keep", 1, 1000))
        logs.keep = int(*n);
    if (const auto n = readInteger(*object, path, "retentionDays", 0, 36500))
        logs.retentionDays = int(*n);
    return logs;
}

} // namespace ors
