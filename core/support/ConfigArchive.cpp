#include "support/ConfigArchive.h"

#include "config/Config.h"
#include "config/ConfigWriter.h"
#include "support/ConfigRedaction.h"
#include "support/ZipWriter.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace ors {

namespace {

const QString kManifest = QStringLiteral("manifest.json");
const QString kConfig = QStringLiteral("config.json");
const QString kFormat = QStringLiteral("openresync-config-export");
// A configuration is a few kilobytes; anything near this is not one of ours.
constexpr qint64 kMaxEntryBytes = 16 * 1024 * 1024;

// Sets the string at a key path such as "sources[0].auth.clientSecret" (the paths redactConfig
// reports); false when the path does not lead to an existing value.
bool setAt(QJsonValue& node, QStringList steps, const QString& text) {
    if (steps.isEmpty()) {
        if (!node.isString())
            return false;
        node = text;
        return true;
    }
    const QString step = steps.takeFirst();
    if (step.startsWith(QLatin1Char('['))) {
        if (!node.isArray())
            return false;
        bool ok = false;
        const qsizetype index = step.mid(1, step.size() - 2).toLongLong(&ok);
        QJsonArray array = node.toArray();
        if (!ok || index < 0 || index >= array.size())
            return false;
        QJsonValue child = array.at(index);
        if (!setAt(child, steps, text))
            return false;
        array.replace(index, child);
        node = array;
        return true;
    }
    if (!node.isObject())
        return false;
    QJsonObject object = node.toObject();
    if (!object.contains(step))
        return false;
    QJsonValue child = object.value(step);
    if (!setAt(child, steps, text))
        return false;
    object.insert(step, child);
    node = object;
    return true;
}

QStringList stepsOf(const QString& path) {
    static const QRegularExpression step(QStringLiteral("\\[[0-9]+\\]|[^.\\[]+"));
    QStringList steps;
    for (auto it = step.globalMatch(path); it.hasNext();)
        steps << it.next().captured();
    return steps;
}

} // namespace

Expected<QStringList> ConfigArchive::exportTo(const QString& configPath, const QString& zipPath) {
    QFile file(configPath);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(configPath + QStringLiteral(": cannot read: ") + file.errorString());
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return makeError(configPath +
                         QStringLiteral(": not a configuration (a JSON object) that can be exported"));
    const RedactedConfig redacted = redactConfig(document.object());

    const QJsonObject manifest{
        {QStringLiteral("format"), kFormat},
        {QStringLiteral("formatVersion"), kFormatVersion},
        {QStringLiteral("program"), QStringLiteral(OPENRESYNC_VERSION)},
        {QStringLiteral("exported"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("secretsNeeded"), QJsonArray::fromStringList(redacted.removed)},
    };
    ZipWriter zip(zipPath);
    if (auto opened = zip.open(); !opened)
        return makeError(opened.errorMessage());
    if (auto added = zip.add(kManifest, QJsonDocument(manifest).toJson()); !added)
        return makeError(added.errorMessage());
    if (auto added = zip.add(kConfig, QJsonDocument(redacted.root).toJson()); !added)
        return makeError(added.errorMessage());
    if (auto committed = zip.commit(); !committed)
        return makeError(committed.errorMessage());
    return redacted.removed;
}

Expected<ImportedConfig> ConfigArchive::read(const QString& zipPath) {
    auto entries = readZip(zipPath, kMaxEntryBytes);
    if (!entries)
        return makeError(entries.errorMessage());
    QByteArray manifestBody;
    QByteArray configBody;
    for (const auto& [name, body] : *entries) {
        if (name == kManifest)
            manifestBody = body;
        else if (name == kConfig)
            configBody = body;
    }
    if (manifestBody.isNull() || configBody.isNull())
        return makeError(
            zipPath +
            QStringLiteral(": not a configuration export (it needs manifest.json and config.json)"));
    const QJsonObject manifest = QJsonDocument::fromJson(manifestBody).object();
    if (manifest.value(QStringLiteral("format")).toString() != kFormat)
        return makeError(zipPath + QStringLiteral(": manifest.json: not an OpenReSync configuration export"));
    const int version = manifest.value(QStringLiteral("formatVersion")).toInt(-1);
    if (version < 1 || version > kFormatVersion)
        return makeError(zipPath +
                         QStringLiteral(": manifest.json: formatVersion %1 is not one this version reads "
                                        "(up to %2); use a newer OpenReSync")
                             .arg(version)
                             .arg(kFormatVersion));
    QJsonParseError error;
    const QJsonDocument config = QJsonDocument::fromJson(configBody, &error);
    if (error.error != QJsonParseError::NoError || !config.isObject())
        return makeError(zipPath +
                         QStringLiteral(": config.json: not a JSON object (%1)").arg(error.errorString()));

    ImportedConfig imported;
    imported.root = config.object();
    imported.exportedBy = manifest.value(QStringLiteral("program")).toString();
    imported.exportedAt = manifest.value(QStringLiteral("exported")).toString();
    for (const auto& path : manifest.value(QStringLiteral("secretsNeeded")).toArray())
        imported.secretsNeeded << path.toString();
    return imported;
}

Expected<QJsonObject> ConfigArchive::withSecrets(const ImportedConfig& imported,
                                                 const QMap<QString, QString>& references) {
    QStringList problems;
    for (auto it = references.begin(); it != references.end(); ++it) {
        if (!imported.secretsNeeded.contains(it.key()))
            problems << QStringLiteral("%1: not a secret this export needs").arg(it.key());
        else if (!isSecretReference(it.value()))
            problems
                << QStringLiteral(
                       "%1: give a reference (env:NAME, keychain:KEY or file:PATH), not the secret itself")
                       .arg(it.key());
    }
    QJsonValue root = imported.root;
    for (const QString& path : imported.secretsNeeded) {
        const auto reference = references.constFind(path);
        if (reference == references.constEnd()) {
            problems << QStringLiteral("%1: needs a secret reference").arg(path);
            continue;
        }
        if (isSecretReference(*reference) && !setAt(root, stepsOf(path), *reference))
            problems << QStringLiteral("%1: not found in config.json").arg(path);
    }
    if (!problems.isEmpty())
        return makeError(problems.join(QStringLiteral("; ")));
    return root.toObject();
}

Expected<QString> ConfigArchive::install(const QJsonObject& root, const QString& configPath) {
    auto written = ConfigWriter::replaceAll(configPath, root);
    if (!written)
        return makeError(written.errorMessage());
    return written->backupPath;
}

} // namespace ors
