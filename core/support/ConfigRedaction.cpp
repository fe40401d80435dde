#include "support/ConfigRedaction.h"

#include "config/Config.h"
#include "logging/Redactor.h"

#include <QJsonArray>
#include <QUrl>

namespace ors {

namespace {

// A URL keeps its user name but loses its password and token parameters.
QString withoutUrlSecrets(const QString& text) {
    QString out = Redactor::redactUrl(text);
    if (!out.contains(QLatin1String("://")) || !out.contains(QLatin1Char('@')))
        return out;
    QUrl url(out);
    if (url.isValid() && !url.password().isEmpty()) {
        url.setPassword(QString::fromLatin1(kRemovedSecret));
        out = url.toString();
    }
    return out;
}

class Walker {
public:
    QStringList removed;

    QJsonValue value(const QJsonValue& value, const QString& path, const QString& key, bool secretContext) {
        if (value.isObject())
            return object(value.toObject(), path);
        if (value.isArray()) {
            QJsonArray out;
            const QJsonArray in = value.toArray();
            for (qsizetype i = 0; i < in.size(); ++i)
                out.append(this->value(in.at(i), path + QStringLiteral("[%1]").arg(i), key, secretContext));
            return out;
        }
        if (!value.isString())
            return value;
        const QString text = value.toString();
        if (text.isEmpty())
            return value;
        if ((secretContext || isSecretKey(key)) && !isSecretReference(text)) {
            removed.append(path);
            return QString::fromLatin1(kRemovedSecret);
        }
        return withoutUrlSecrets(text);
    }

    QJsonObject object(const QJsonObject& in, const QString& path) {
        QJsonObject out;
        // A webhook channel's URL carries its token (Slack, Teams), so it counts as a secret.
        const bool webhook = in.value(QLatin1String("type")).toString() == QLatin1String("webhook");
        for (auto it = in.begin(); it != in.end(); ++it) {
            const QString childPath = path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key();
            const bool secret = webhook && it.key() == QLatin1String("url");
            out.insert(it.key(), value(it.value(), childPath, it.key(), secret));
        }
        return out;
    }
};

} // namespace

bool isSecretReference(const QString& text) {
    const SecretRef::Kind kind = SecretRef::parse(text).kind;
    return kind == SecretRef::Kind::Env || kind == SecretRef::Kind::Keychain || kind == SecretRef::Kind::File;
}

bool isSecretKey(const QString& key) {
    const QString lower = key.toLower();
    if (lower.contains(QLatin1String("password")) || lower.contains(QLatin1String("secret")) ||
        lower.contains(QLatin1String("apikey")))
        return true;
    // "token" is a secret, "tokenUrl" the address it comes from.
    return lower.contains(QLatin1String("token")) && !lower.contains(QLatin1String("url"));
}

RedactedConfig redactConfig(const QJsonObject& root) {
    Walker walker;
    RedactedConfig result;
    result.root = walker.object(root, QString());
    result.removed = walker.removed;
    return result;
}

} // namespace ors
