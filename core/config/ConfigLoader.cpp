#include "config/ConfigLoader.h"

#include "config/ConfigValidator.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <array>
#include <cmath>

namespace ors {

namespace {

// Index i rewrites version i+1 into version i+2. Version 1 is the only format so far, so it is empty;
// a format change adds a function here instead of teaching the validator about old layouts.
constexpr std::array<ConfigLoader::MigrationStep, kConfigVersion - 1> kMigrations{};

QString syntaxErrorMessage(const QByteArray& json, const QJsonParseError& error, const QString& origin) {
    // The parser reports a byte offset just past the offending character; people and editors think
    // in lines and (character) columns of the character itself.
    const qsizetype offset = std::clamp<qsizetype>(error.offset - 1, 0, json.size());
    const QByteArray before = json.left(offset);
    const qsizetype line = before.count('\n') + 1;
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    const qsizetype column = QString::fromUtf8(before.mid(lineStart)).size() + 1;
    return QStringLiteral("%1:%2:%3: JSON syntax error: %4")
        .arg(origin)
        .arg(line)
        .arg(column)
        .arg(error.errorString());
}

} // namespace

ConfigLoadResult ConfigLoader::loadFile(const QString& path) {
    ConfigLoadResult result;
    const QFileInfo info(path);
    if (!info.exists()) {
        result.errors.append(path + QStringLiteral(": file not found"));
        return result;
    }
    if (info.isDir()) {
        result.errors.append(path + QStringLiteral(": is a directory, not a configuration file"));
        return result;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.errors.append(path + QStringLiteral(": cannot read: ") + file.errorString());
        return result;
    }
    result = loadJson(file.readAll(), path);
    if (result.config)
        result.config->filePath = info.absoluteFilePath();
    return result;
}

ConfigLoadResult ConfigLoader::loadJson(const QByteArray& json, const QString& origin) {
    ConfigLoadResult result;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.errors.append(syntaxErrorMessage(json, parseError, origin));
        return result;
    }
    if (!document.isObject()) {
        result.errors.append(origin + QStringLiteral(": the configuration must be a JSON object"));
        return result;
    }

    QJsonObject root = document.object();
    int version = kConfigVersion;
    const QJsonValue versionValue = root.value(QLatin1String("version"));
    if (!versionValue.isUndefined()) {
        const double number = versionValue.toDouble(-1);
        if (!versionValue.isDouble() || number != std::floor(number) || number < 1) {
            // Keep validating as the current version: the rest of the file may still deserve comments.
            result.errors.append(QStringLiteral("version: must be a positive integer"));
        } else if (number > kConfigVersion) {
            // A newer layout cannot be judged by these rules; listing its "errors" would only mislead.
            result.errors.append(QStringLiteral("version: unsupported configuration version %1 "
                                                "(this program supports up to %2)")
                                     .arg(QString::number(number, 'f', 0))
                                     .arg(kConfigVersion));
            return result;
        } else {
            version = static_cast<int>(number);
        }
    }
    if (version < kConfigVersion)
        root = migrate(root, version, kMigrations);

    ConfigValidator validator;
    if (const QFileInfo file(origin); file.isFile())
        validator.setBaseDirectory(file.absolutePath());
    std::optional<Config> config = validator.validate(root);
    result.errors.append(validator.errors());
    result.warnings = validator.warnings();
    if (config && result.errors.isEmpty()) {
        config->version = kConfigVersion;
        config->filePath = origin;
        result.config = std::move(config);
    }
    return result;
}

QString ConfigLoader::locate(const QString& cliPath) {
    if (!cliPath.isEmpty())
        return cliPath;
    QString fromEnv = qEnvironmentVariable("OPENRESYNC_CONFIG");
    if (!fromEnv.isEmpty())
        return fromEnv;
    QString configHome = qEnvironmentVariable("XDG_CONFIG_HOME");
    // The XDG specification says relative values are invalid and must be ignored.
    if (configHome.isEmpty() || QDir::isRelativePath(configHome))
        configHome = QDir::homePath() + QStringLiteral("/.config");
    return QDir::cleanPath(configHome + QStringLiteral("/openresync/config.json"));
}

QJsonObject ConfigLoader::migrate(QJsonObject root, int fromVersion, std::span<const MigrationStep> steps) {
    int version = std::max(fromVersion, 1);
    while (version - 1 < static_cast<int>(steps.size())) {
        root = steps[static_cast<std::size_t>(version - 1)](root);
        ++version;
    }
    root.insert(QLatin1String("version"), version);
    return root;
}

} // namespace ors
