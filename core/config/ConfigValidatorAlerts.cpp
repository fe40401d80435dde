// The top-level "alerts" object: thresholds of the conditions and the channels alerts go to.
#include "config/ConfigValidator.h"

#include <QUrl>

namespace ors {

namespace {

QLatin1String key(const char* text) {
    return QLatin1String(text);
}

// Only scheme and host: a webhook URL's path or query is often its token.
QString urlOrigin(const QString& text) {
    const QUrl url(text);
    return url.scheme() + QStringLiteral("://") + url.host();
}

} // namespace

AlertsConfig ConfigValidator::readAlerts(const QJsonObject& root) {
    AlertsConfig alerts;
    const auto object = readObject(root, QString(), "alerts");
    if (!object)
        return alerts;
    const QString path = QStringLiteral("alerts");
    warnUnknownKeys(*object, path, {"failuresInARow", "maxSyncAgeMinutes", "quotaPercent", "channels"});
    if (const auto n = readInteger(*object, path, "failuresInARow", 1, 1000))
        alerts.failuresInARow = int(*n);
    if (const auto minutes = readInteger(*object, path, "maxSyncAgeMinutes", 0, 366 * 24 * 60))
        alerts.maxSyncAgeMinutes = int(*minutes);
    if (const auto percent = readInteger(*object, path, "quotaPercent", 1, 100))
        alerts.quotaPercent = int(*percent);
    const auto channels = readArray(*object, path, "channels");
    if (!channels) {
        if (!object->contains(key("channels")))
            addWarning(childPath(path, key("channels")), QStringLiteral("no channels: no alert is sent"));
        return alerts;
    }
    QSet<QString> seenNames;
    const QString channelsPath = childPath(path, key("channels"));
    for (qsizetype i = 0; i < channels->size(); ++i)
        if (auto channel = readAlertChannel(channels->at(i), indexPath(channelsPath, i), seenNames))
            alerts.channels.append(std::move(*channel));
    return alerts;
}

std::optional<AlertChannelConfig>
ConfigValidator::readAlertChannel(const QJsonValue& value, const QString& path, QSet<QString>& seenNames) {
    if (!value.isObject()) {
        addError(path, QStringLiteral("must be an object"));
        return std::nullopt;
    }
    const QJsonObject object = value.toObject();
    const auto typeName = readString(object, path, "type", Presence::Required);
    if (!typeName)
        return std::nullopt;
    const auto type = alertChannelTypeFromName(*typeName);
    if (!type) {
        addError(childPath(path, key("type")),
                 QStringLiteral("unknown channel type \"%1\" (expected desktop, webhook, email, command)")
                     .arg(*typeName));
        return std::nullopt;
    }
    AlertChannelConfig channel;
    channel.type = *type;
    channel.keyPath = path;
    channel.name = readString(object, path, "name", Presence::Optional).value_or(*typeName);
    if (channel.name.isEmpty())
        channel.name = *typeName;
    if (seenNames.contains(channel.name))
        addError(childPath(path, key("name")),
                 QStringLiteral("duplicate channel name \"%1\" (give each channel of one type a \"name\")")
                     .arg(channel.name));
    seenNames.insert(channel.name);
    if (const auto seconds = readInteger(object, path, "timeoutSeconds", 1, 3600))
        channel.timeoutSeconds = int(*seconds);

    switch (channel.type) {
    case AlertChannelType::Desktop:
        warnUnknownKeys(object, path, {"type", "name"}, "desktop");
        break;
    case AlertChannelType::Webhook: {
        warnUnknownKeys(object, path, {"type", "name", "url", "timeoutSeconds"}, "webhook");
        const auto text = readString(object, path, "url", Presence::Required);
        if (!text)
            break;
        SecretRef url = SecretRef::parse(*text);
        if (url.kind == SecretRef::Kind::Literal) {
            const QUrl parsed(*text, QUrl::StrictMode);
            const QString scheme = parsed.scheme().toLower();
            if (!parsed.isValid() || parsed.host().isEmpty() ||
                (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
                // The text may be a secret URL with a typo: only its origin goes into the message.
                addError(childPath(path, key("url")),
                         QStringLiteral("not an http(s) URL or a secret reference (env:, keychain:, file:)"));
                break;
            }
            if (scheme == QLatin1String("http"))
                addWarning(childPath(path, key("url")),
                           QStringLiteral("%1 is not encrypted: the alert and any token in the URL can be "
                                          "read on the way; use https://")
                               .arg(urlOrigin(*text)));
        } else if (url.value.isEmpty()) {
            addError(childPath(path, key("url")),
                     QStringLiteral("the secret reference must name a variable, keychain entry or file"));
            break;
        }
        channel.url = url;
        break;
    }
    case AlertChannelType::Email: {
        warnUnknownKeys(
            object, path,
            {"type", "name", "server", "from", "to", "username", "password", "caFile", "timeoutSeconds"},
            "email");
        if (const auto server = readString(object, path, "server", Presence::Required)) {
            const QUrl url(*server, QUrl::StrictMode);
            const QString scheme = url.scheme().toLower();
            if (!url.isValid() || url.host().isEmpty() ||
                (scheme != QLatin1String("smtp") && scheme != QLatin1String("smtps")))
                addError(childPath(path, key("server")),
                         QStringLiteral("\"%1\" is not smtp://HOST[:PORT] (STARTTLS) or smtps://HOST[:PORT] "
                                        "(implicit TLS)")
                             .arg(*server));
            else
                channel.server = *server;
        }
        if (const auto from = readString(object, path, "from", Presence::Required)) {
            if (!from->contains(QLatin1Char('@')))
                addError(childPath(path, key("from")),
                         QStringLiteral("\"%1\" is not an e-mail address").arg(*from));
            channel.from = *from;
        }
        if (const auto to = readStringList(object, path, "to")) {
            for (qsizetype i = 0; i < to->size(); ++i)
                if (!to->at(i).contains(QLatin1Char('@')))
                    addError(indexPath(childPath(path, key("to")), i),
                             QStringLiteral("\"%1\" is not an e-mail address").arg(to->at(i)));
            if (to->isEmpty())
                addError(childPath(path, key("to")), QStringLiteral("must name at least one address"));
            channel.to = *to;
        } else if (!object.contains(key("to"))) {
            addError(childPath(path, key("to")), QStringLiteral("missing required key"));
        }
        channel.username = readString(object, path, "username", Presence::Optional).value_or(QString());
        channel.password = readSecret(object, path, "password", Presence::Optional);
        if (!channel.username.isEmpty() && !channel.password.isSet())
            addError(
                childPath(path, key("password")),
                QStringLiteral("required with \"username\" (a secret reference, e.g. env:SMTP_PASSWORD)"));
        if (const auto ca = readFilePath(object, path, "caFile"))
            channel.caFile = *ca;
        break;
    }
    case AlertChannelType::Command:
        warnUnknownKeys(object, path, {"type", "name", "program", "args", "timeoutSeconds"}, "command");
        if (const auto program = readString(object, path, "program", Presence::Required))
            channel.program = *program;
        if (const auto args = readStringList(object, path, "args"))
            channel.args = *args;
        break;
    }
    return channel;
}

} // namespace ors
