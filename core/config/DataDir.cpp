#include "config/DataDir.h"

#include "util/PrivateFiles.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QStandardPaths>

namespace ors {

namespace {

QString expandHome(const QString& path) {
    if (path == QLatin1String("~"))
        return QDir::homePath();
    if (path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return path;
}

QString absoluteFrom(const QString& base, const QString& path) {
    return QDir::cleanPath(QDir(base).absoluteFilePath(expandHome(path)));
}

} // namespace

QString resolveDataDir(const QString& cliValue, const Config* config) {
    if (!cliValue.isEmpty())
        return absoluteFrom(QDir::currentPath(), cliValue);
    const QString fromEnv = qEnvironmentVariable("OPENRESYNC_DATA_DIR");
    if (!fromEnv.isEmpty())
        return absoluteFrom(QDir::currentPath(), fromEnv);
    if (config && !config->dataDir.isEmpty()) {
        // A relative dataDir means "next to the config file", not "wherever the daemon was started".
        const QString base =
            config->filePath.isEmpty() ? QDir::currentPath() : QFileInfo(config->filePath).absolutePath();
        return absoluteFrom(base, config->dataDir);
    }
    return QDir::cleanPath(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
}

DataLayout::DataLayout(const QString& root)
    : m_root(QDir::cleanPath(root)) {}

QString DataLayout::path(const QString& relative) const {
    return m_root + QLatin1Char('/') + relative;
}

QString DataLayout::stateDatabase() const {
    return path(QStringLiteral("state.sqlite"));
}

QString DataLayout::statsDatabase() const {
    return path(QStringLiteral("stats.sqlite"));
}

QString DataLayout::locksDir() const {
    return path(QStringLiteral("locks"));
}

QString DataLayout::lockFile(const QString& source) const {
    return locksDir() + QLatin1Char('/') + source + QStringLiteral(".lock");
}

QString DataLayout::sourceDir(const QString& source) const {
    return path(QStringLiteral("sources/") + source);
}

QString DataLayout::rejectedDir(const QString& source) const {
    return sourceDir(source) + QStringLiteral("/rejected");
}

QString DataLayout::rejectedFile(const QString& source, const QString& resource) const {
    return rejectedDir(source) + QLatin1Char('/') + resource + QStringLiteral(".ndjson");
}

QString DataLayout::downloadedDataDir(const QString& source, const QString& resource) const {
    return sourceDir(source) + QStringLiteral("/downloadedData/") + resource;
}

QString DataLayout::logsDir() const {
    return path(QStringLiteral("logs"));
}

QString DataLayout::logFile(const QString& source) const {
    return logsDir() + QLatin1Char('/') + source + QStringLiteral(".ndjson");
}

QString DataLayout::destinationsDir() const {
    return path(QStringLiteral("destinations"));
}

QString DataLayout::defaultSqlitePath(const QString& source, const QString& destination) const {
    return destinationsDir() + QLatin1Char('/') + source + QLatin1Char('/') + destination +
           QStringLiteral(".sqlite");
}

QString DataLayout::legacySqlitePath(const QString& destination) const {
    return destinationsDir() + QLatin1Char('/') + destination + QStringLiteral(".sqlite");
}

void DataLayout::resolveSqlitePaths(Config& config, QStringList& warnings) const {
    // Destination names are compared case-folded, as the validator compares them.
    QHash<QString, int> sourcesWithName;
    for (const SourceConfig& source : std::as_const(config.sources)) {
        QSet<QString> names;
        for (const DestinationConfig& destination : source.destinations)
            names.insert(destination.name.toCaseFolded());
        for (const QString& name : std::as_const(names))
            ++sourcesWithName[name];
    }
    for (qsizetype s = 0; s < config.sources.size(); ++s) {
        SourceConfig& source = config.sources[s];
        for (qsizetype d = 0; d < source.destinations.size(); ++d) {
            DestinationConfig& destination = source.destinations[d];
            if (destination.type != DestinationType::Sqlite || !destination.path.isEmpty())
                continue;
            const QString perSource = defaultSqlitePath(source.name, destination.name);
            const QString legacy = legacySqlitePath(destination.name);
            const bool shared = sourcesWithName.value(destination.name.toCaseFolded()) > 1;
            if (!QFileInfo::exists(perSource) && QFileInfo::exists(legacy) && !shared) {
                destination.path = legacy;
                continue;
            }
            destination.path = perSource;
            if (QFileInfo::exists(legacy) && shared && !QFileInfo::exists(perSource))
                warnings << QStringLiteral("sources[%1].destinations[%2]: %3 is no longer used because more "
                                           "than one source has a destination named \"%4\"; this source "
                                           "now writes %5")
                                .arg(s)
                                .arg(d)
                                .arg(legacy, destination.name, perSource);
        }
    }
}

QString DataLayout::sqlitePath(const DestinationConfig& destination, const QString& source) const {
    if (destination.path.isEmpty())
        return defaultSqlitePath(source, destination.name);
    // A relative configured path is taken relative to the data directory, which is stable across
    // the GUI and the daemon, unlike their working directories.
    return absoluteFrom(m_root, destination.path);
}

Expected<void> DataLayout::ensureDir(const QString& dir) {
    return PrivateFiles::makeDir(dir);
}

Expected<void> DataLayout::ensureParentDir(const QString& filePath) {
    return ensureDir(QFileInfo(filePath).absolutePath());
}

Expected<void> DataLayout::ensureRoot() const {
    return ensureDir(m_root);
}

Expected<void> DataLayout::ensureLocksDir() const {
    return ensureDir(locksDir());
}

Expected<void> DataLayout::ensureLogsDir() const {
    return ensureDir(logsDir());
}

Expected<void> DataLayout::ensureDestinationsDir() const {
    return ensureDir(destinationsDir());
}

Expected<void> DataLayout::ensureDownloadedDataDir(const QString& source, const QString& resource) const {
    return ensureDir(downloadedDataDir(source, resource));
}

} // namespace ors
