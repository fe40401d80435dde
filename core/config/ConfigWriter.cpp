#include "config/ConfigWriter.h"

#include "config/ConfigLoader.h"
#include "config/DataDir.h"
#include "util/AtomicFile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace ors {

namespace {

QString sourcePathAt(qsizetype index) {
    return QStringLiteral("sources[%1]").arg(index);
}

// The secret keys of a source, as the validator reads them.
void collectLiteral(const QJsonObject& object, const QString& path, std::initializer_list<const char*> keys,
                    QStringList& found) {
    for (const char* key : keys) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (!value.isString() || value.toString().isEmpty())
            continue;
        if (SecretRef::parse(value.toString()).kind == SecretRef::Kind::Literal)
            found << path + QLatin1Char('.') + QLatin1String(key);
    }
}

Expected<QJsonObject> readRoot(const QString& path) {
    QFile file(path);
    if (!file.exists())
        return QJsonObject{{QStringLiteral("version"), kConfigVersion},
                           {QStringLiteral("sources"), QJsonArray{}}};
    if (!file.open(QIODevice::ReadOnly))
        return makeError(path + QStringLiteral(": cannot read: ") + file.errorString());
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(
            path +
            QStringLiteral(": not valid JSON at offset %1: %2").arg(error.offset).arg(error.errorString()));
    if (!document.isObject())
        return makeError(path + QStringLiteral(": the configuration must be a JSON object"));
    return document.object();
}

// Validates `root` as core loads it, keeps the file at `path` as <path>.bak and writes `root`
// there atomically; nothing is written when it would not load.
Expected<ConfigWriteResult> writeChecked(const QString& path, const QJsonObject& root) {
    const QByteArray body = QJsonDocument(root).toJson(QJsonDocument::Indented);
    const QString absolute = QFileInfo(path).absoluteFilePath();
    ConfigLoadResult loaded = ConfigLoader::loadJson(body, absolute);
    if (!loaded.config)
        return makeError(path + QStringLiteral(": not written, the result would not load: ") +
                         loaded.errors.join(QStringLiteral("; ")));

    ConfigWriteResult result{*loaded.config, loaded.warnings, {}};
    QFile previous(path);
    if (previous.exists()) {
        if (!previous.open(QIODevice::ReadOnly))
            return makeError(path + QStringLiteral(": cannot read before keeping it as .bak: ") +
                             previous.errorString());
        const QString backup = path + QStringLiteral(".bak");
        if (auto kept = AtomicFile::write(backup, previous.readAll()); !kept)
            return makeError(backup + QStringLiteral(": cannot keep the previous configuration: ") +
                             kept.errorMessage());
        result.backupPath = backup;
    }
    // On a new machine the configuration's folder (~/.config/openresync) does not exist yet.
    if (auto folder = DataLayout::ensureParentDir(absolute); !folder)
        return makeError(path + QStringLiteral(": ") + folder.errorMessage());
    if (auto written = AtomicFile::write(path, body); !written)
        return makeError(path + QStringLiteral(": ") + written.errorMessage());
    return result;
}

} // namespace

Expected<QJsonObject> ConfigWriter::withSource(const QJsonObject& root, const QJsonObject& source,
                                               const QString& replacing) {
    const QString name = source.value(QStringLiteral("name")).toString();
    if (name.isEmpty())
        return makeError(QStringLiteral("sources: the new source has no \"name\""));
    const QJsonValue sourcesValue = root.value(QStringLiteral("sources"));
    if (!sourcesValue.isUndefined() && !sourcesValue.isArray())
        return makeError(QStringLiteral("sources: must be an array"));
    QJsonArray sources = sourcesValue.toArray();
    const QString target = replacing.isEmpty() ? name : replacing;
    qsizetype at = -1;
    for (qsizetype i = 0; i < sources.size(); ++i) {
        const QString existing = sources.at(i).toObject().value(QStringLiteral("name")).toString();
        if (existing == target)
            at = i;
        else if (existing == name)
            return makeError(sourcePathAt(i) + QStringLiteral(".name: another source is already called \"") +
                             name + QLatin1Char('"'));
    }
    if (!replacing.isEmpty() && at < 0)
        return makeError(QStringLiteral("sources: no source \"") + replacing +
                         QStringLiteral("\" to replace"));
    if (at >= 0) {
        // Keys of the replaced source that `source` does not carry (profile, rateLimit, purge, ...)
        // are settings the caller did not show; they stay.
        QJsonObject merged = sources.at(at).toObject();
        for (auto it = source.begin(); it != source.end(); ++it)
            merged.insert(it.key(), it.value());
        sources.replace(at, merged);
    } else
        sources.append(source);
    QJsonObject result = root;
    if (!result.contains(QStringLiteral("version")))
        result.insert(QStringLiteral("version"), kConfigVersion);
    result.insert(QStringLiteral("sources"), sources);
    return result;
}

QStringList ConfigWriter::literalSecrets(const QJsonObject& source, const QString& sourcePath) {
    QStringList found;
    collectLiteral(source.value(QStringLiteral("auth")).toObject(), sourcePath + QStringLiteral(".auth"),
                   {"token", "clientSecret", "password"}, found);
    const QJsonArray destinations = source.value(QStringLiteral("destinations")).toArray();
    for (qsizetype i = 0; i < destinations.size(); ++i)
        collectLiteral(destinations.at(i).toObject(), sourcePath + QStringLiteral(".destinations[%1]").arg(i),
                       {"password"}, found);
    return found;
}

Expected<ConfigWriteResult> ConfigWriter::putSource(const QString& path, const QJsonObject& source,
                                                    const QString& replacing) {
    auto root = readRoot(path);
    if (!root)
        return makeError(root.errorMessage());
    auto updated = withSource(*root, source, replacing);
    if (!updated)
        return makeError(path + QStringLiteral(": ") + updated.errorMessage());

    const QString name = source.value(QStringLiteral("name")).toString();
    const QJsonArray sources = updated->value(QStringLiteral("sources")).toArray();
    qsizetype index = 0;
    while (index < sources.size() &&
           sources.at(index).toObject().value(QStringLiteral("name")).toString() != name)
        ++index;
    const QStringList literal = literalSecrets(source, sourcePathAt(index));
    if (!literal.isEmpty())
        return makeError(path + QStringLiteral(": not written: ") + literal.join(QStringLiteral(", ")) +
                         QStringLiteral(" would hold a secret as text; use keychain:NAME or env:NAME"));

    return writeChecked(path, *updated);
}

Expected<QJsonObject> ConfigWriter::withoutSource(const QJsonObject& root, const QString& name) {
    const QJsonValue sourcesValue = root.value(QStringLiteral("sources"));
    if (!sourcesValue.isArray())
        return makeError(QStringLiteral("sources: must be an array"));
    QJsonArray sources = sourcesValue.toArray();
    for (qsizetype i = 0; i < sources.size(); ++i) {
        if (sources.at(i).toObject().value(QStringLiteral("name")).toString() != name)
            continue;
        sources.removeAt(i);
        QJsonObject result = root;
        result.insert(QStringLiteral("sources"), sources);
        return result;
    }
    return makeError(QStringLiteral("sources: no source \"") + name + QStringLiteral("\" to remove"));
}

Expected<ConfigWriteResult> ConfigWriter::removeSource(const QString& path, const QString& name) {
    if (!QFile::exists(path))
        return makeError(path + QStringLiteral(": no configuration file to remove \"") + name +
                         QStringLiteral("\" from"));
    auto root = readRoot(path);
    if (!root)
        return makeError(root.errorMessage());
    auto updated = withoutSource(*root, name);
    if (!updated)
        return makeError(path + QStringLiteral(": ") + updated.errorMessage());
    return writeChecked(path, *updated);
}

Expected<ConfigWriteResult> ConfigWriter::replaceAll(const QString& path, const QJsonObject& root) {
    return writeChecked(path, root);
}

} // namespace ors
