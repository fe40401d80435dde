#include "config/DataDir.h"

#include <QDir>
#include <QFileInfo>
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

QString DataLayout::defaultSqlitePath(const QString& destination) const {
    return destinationsDir() + QLatin1Char('/') + destination + QStringLiteral(".sqlite");
}

QString DataLayout::sqlitePath(const DestinationConfig& destination) const {
    if (destination.path.isEmpty())
        return defaultSqlitePath(destination.name);
    // A relative configured path is taken relative to the data directory, which is stable across
    // the GUI and the daemon, unlike their working directories.
    return absoluteFrom(m_root, destination.path);
}

Expected<void> DataLayout::ensureDir(const QString& dir) {
    if (QDir().mkpath(dir))
        return {};
    return makeError(dir + QStringLiteral(": cannot create directory"));
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
