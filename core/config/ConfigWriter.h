#pragma once

#include "config/Config.h"
#include "util/Expected.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace ors {

// What a write left behind: the configuration as core now reads it, the validator's warnings,
// and where the previous file was kept (empty when there was none).
struct ConfigWriteResult {
    Config config;
    QStringList warnings;
    QString backupPath;
};

// Adds, replaces or removes one source in the configuration file, the way the desktop window's wizard
// does: the rest of the document (other sources, alerts, keys this version does not know) stays
// as the user wrote it. Nothing is written unless core validates the whole new document, and a
// source whose secrets are written out as text is refused: secrets travel only as "keychain:",
// "env:" or "file:" references. Blocks on file I/O; call it from a worker thread.
class ConfigWriter {
public:
    // `root` with `source` in place of the source named `replacing` (or, when that is empty,
    // of the source with the same name), else appended. Replacing keeps the keys of the old source
    // that `source` does not have (settings the caller never showed). The error names the key path.
    static Expected<QJsonObject> withSource(const QJsonObject& root, const QJsonObject& source,
                                            const QString& replacing = {});
    // The key paths of `source`'s secrets that are plain text, e.g. "sources[1].auth.clientSecret".
    static QStringList literalSecrets(const QJsonObject& source, const QString& sourcePath);
    // Reads the file at `path` (a missing file counts as an empty configuration), puts `source`
    // in, validates, keeps the old file as <path>.bak and writes the new one atomically.
    static Expected<ConfigWriteResult> putSource(const QString& path, const QJsonObject& source,
                                                 const QString& replacing = {});
    // `root` without the source called `name`, everything else as it was; an error when there is none.
    static Expected<QJsonObject> withoutSource(const QJsonObject& root, const QString& name);
    // Source ▸ Remove…: reads the file at `path`, takes the source out, validates the rest as core
    // loads it, keeps the old file as <path>.bak and writes the new one atomically.
    static Expected<ConfigWriteResult> removeSource(const QString& path, const QString& name);
    // An imported configuration in place of the whole file: validated as core loads it, the old
    // file kept as <path>.bak, the new one written atomically.
    static Expected<ConfigWriteResult> replaceAll(const QString& path, const QJsonObject& root);
};

} // namespace ors
