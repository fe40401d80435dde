// The generic, type-checking readers of ConfigValidator; the per-section logic is in ConfigValidator.cpp.
#include "config/ConfigValidator.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <cmath>

namespace ors {

namespace {

bool isFileSafeName(const QString& name) {
    if (name.isEmpty())
        return false;
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
                        u == u'-' || u == u'_';
        if (!ok)
            return false;
    }
    return true;
}

bool isHttpUrl(const QString& text) {
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return false;
    const QString scheme = url.scheme().toLower();
    return scheme == QLatin1String("http") || scheme == QLatin1String("https");
}

} // namespace

QString ConfigValidator::childPath(const QString& path, QLatin1String key) {
    if (path.isEmpty())
        return QString(key);
    return path + QLatin1Char('.') + key;
}

QString ConfigValidator::indexPath(const QString& path, qsizetype index) {
    return path + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

void ConfigValidator::addError(const QString& path, const QString& problem) {
    m_errors.append(path + QStringLiteral(": ") + problem);
}

void ConfigValidator::addWarning(const QString& path, const QString& problem) {
    m_warnings.append(path + QStringLiteral(": ") + problem);
}

void ConfigValidator::warnUnknownKeys(const QJsonObject& object, const QString& path,
                                      std::initializer_list<const char*> knownKeys, const char* variant) {
    for (const char* key : knownKeys)
        recordKnownKey(path, key, variant);
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (isComment(it.key()))
            continue;
        bool known = false;
        for (const char* key : knownKeys) {
            if (it.key() == QLatin1String(key)) {
                known = true;
                break;
            }
        }
        if (!known)
            addWarning(path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(),
                       QStringLiteral("unknown key, ignored"));
    }
}

void ConfigValidator::recordKnownKey(const QString& path, const char* key, const char* variant) {
    static const QRegularExpression index(QStringLiteral("\\[\\d+\\]"));
    QString pattern = path;
    pattern.replace(index, QStringLiteral("[]"));
    if (variant)
        pattern += QLatin1Char('{') + QLatin1String(variant) + QLatin1Char('}');
    QStringList& keys = m_knownKeys[pattern];
    if (!keys.contains(QLatin1String(key)))
        keys.append(QLatin1String(key));
}

std::optional<QString> ConfigValidator::readString(const QJsonObject& object, const QString& path,
                                                   const char* key, Presence presence) {
    const QString keyPath = childPath(path, QLatin1String(key));
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined()) {
        if (presence == Presence::Required)
            addError(keyPath, QStringLiteral("missing required key"));
        return std::nullopt;
    }
    if (!value.isString()) {
        addError(keyPath, QStringLiteral("must be a string"));
        return std::nullopt;
    }
    if (presence == Presence::Required && value.toString().isEmpty()) {
        addError(keyPath, QStringLiteral("must be a non-empty string"));
        return std::nullopt;
    }
    return value.toString();
}

std::optional<QString> ConfigValidator::readName(const QJsonObject& object, const QString& path) {
    const QString keyPath = childPath(path, QLatin1String("name"));
    const QJsonValue value = object.value(QLatin1String("name"));
    if (value.isUndefined()) {
        addError(keyPath, QStringLiteral("missing required key"));
        return std::nullopt;
    }
    // Names end up in file and directory names, so they are restricted to a portable character set.
    if (!value.isString() || !isFileSafeName(value.toString())) {
        addError(keyPath,
                 QStringLiteral("must be non-empty and contain only letters, digits, \"-\" and \"_\""));
        return std::nullopt;
    }
    return value.toString();
}

std::optional<QString> ConfigValidator::readUrl(const QJsonObject& object, const QString& path,
                                                const char* key, Presence presence) {
    std::optional<QString> text = readString(object, path, key, presence);
    if (!text)
        return std::nullopt;
    if (!isHttpUrl(*text)) {
        addError(childPath(path, QLatin1String(key)), QStringLiteral("not an http(s) URL \"%1\"").arg(*text));
        return std::nullopt;
    }
    return text;
}

void ConfigValidator::warnIfPlainHttp(const QString& path, const char* key, const QString& url) {
    if (QUrl(url).scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) == 0)
        addWarning(childPath(path, QLatin1String(key)),
                   QStringLiteral("http:// is not encrypted: credentials and data can be read on the way; "
                                  "use https://"));
}

std::optional<QString> ConfigValidator::readFilePath(const QJsonObject& object, const QString& path,
                                                     const char* key) {
    const std::optional<QString> text = readString(object, path, key, Presence::Optional);
    if (!text)
        return std::nullopt;
    const QString keyPath = childPath(path, QLatin1String(key));
    if (text->isEmpty()) {
        addError(keyPath, QStringLiteral("must be a non-empty file path"));
        return std::nullopt;
    }
    QString file = *text;
    if (file == QLatin1String("~") || file.startsWith(QLatin1String("~/")))
        file = QDir::homePath() + file.mid(1);
    file = QDir::cleanPath(
        QDir(m_baseDirectory.isEmpty() ? QDir::currentPath() : m_baseDirectory).absoluteFilePath(file));
    // The MySQL driver takes its options as one "KEY=value;..." string.
    if (file.contains(QLatin1Char(';'))) {
        addError(
            keyPath,
            QStringLiteral("the path \"%1\" contains \";\", which the MySQL driver cannot take").arg(file));
        return std::nullopt;
    }
    const QFileInfo info(file);
    if (!info.exists()) {
        addError(keyPath, QStringLiteral("file \"%1\" does not exist").arg(file));
        return std::nullopt;
    }
    if (!info.isFile() || !info.isReadable()) {
        addError(keyPath, QStringLiteral("\"%1\" is not a readable file").arg(file));
        return std::nullopt;
    }
    return file;
}

SecretRef ConfigValidator::readSecret(const QJsonObject& object, const QString& path, const char* key,
                                      Presence presence) {
    const QString keyPath = childPath(path, QLatin1String(key));
    const std::optional<QString> text = readString(object, path, key, presence);
    if (!text || text->isEmpty())
        return {};
    SecretRef ref = SecretRef::parse(*text);
    switch (ref.kind) {
    case SecretRef::Kind::Env:
        if (ref.value.isEmpty()) {
            addError(keyPath, QStringLiteral("\"env:\" must be followed by an environment variable name"));
            return {};
        }
        break;
    case SecretRef::Kind::Keychain:
        if (ref.value.isEmpty()) {
            addError(keyPath, QStringLiteral("\"keychain:\" must be followed by a keychain entry name"));
            return {};
        }
        break;
    case SecretRef::Kind::File:
        if (ref.value.isEmpty()) {
            addError(keyPath, QStringLiteral("\"file:\" must be followed by a file path"));
            return {};
        }
        break;
    case SecretRef::Kind::Literal:
        // The value itself must never reach a message: logs and terminals are not secret stores.
        addWarning(keyPath, QStringLiteral("secret is stored in plain text in the configuration file; "
                                           "prefer env:NAME, keychain:NAME or file:PATH"));
        break;
    case SecretRef::Kind::None:
        break;
    }
    return ref;
}

std::optional<QStringList> ConfigValidator::readStringList(const QJsonObject& object, const QString& path,
                                                           const char* key) {
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined())
        return std::nullopt;
    QStringList result;
    bool ok = value.isArray();
    if (ok) {
        const QJsonArray array = value.toArray();
        for (const QJsonValue item : array) {
            if (!item.isString() || item.toString().isEmpty()) {
                ok = false;
                break;
            }
            result.append(item.toString());
        }
    }
    if (!ok) {
        addError(childPath(path, QLatin1String(key)), QStringLiteral("must be an array of strings"));
        return std::nullopt;
    }
    return result;
}

std::optional<int> ConfigValidator::readPort(const QJsonObject& object, const QString& path,
                                             const char* key) {
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined())
        return std::nullopt;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number != std::floor(number) || number < 1 || number > 65535) {
        addError(childPath(path, QLatin1String(key)),
                 QStringLiteral("must be an integer between 1 and 65535"));
        return std::nullopt;
    }
    return static_cast<int>(number);
}

std::optional<QJsonObject> ConfigValidator::readObject(const QJsonObject& object, const QString& path,
                                                       const char* key) {
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isObject()) {
        addError(childPath(path, QLatin1String(key)), QStringLiteral("must be an object"));
        return std::nullopt;
    }
    return value.toObject();
}

std::optional<QJsonArray> ConfigValidator::readArray(const QJsonObject& object, const QString& path,
                                                     const char* key) {
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined())
        return std::nullopt;
    if (!value.isArray()) {
        addError(childPath(path, QLatin1String(key)), QStringLiteral("must be an array"));
        return std::nullopt;
    }
    return value.toArray();
}

} // namespace ors
