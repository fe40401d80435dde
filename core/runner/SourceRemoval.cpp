#include "runner/SourceRemoval.h"

#include "config/ConfigWriter.h"
#include "config/SecretResolver.h"
#include "config/TableWriters.h"
#include "destinations/Destination.h"
#include "logging/LogCategories.h"
#include "stats/StatsStore.h"
#include "store/SourceLock.h"
#include "store/StateStore.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

namespace ors {

namespace {

// Source names are restricted to these when the configuration is read; a name that is not one of
// them never reaches a path that is deleted.
bool fileSafe(const QString& name) {
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]+$"));
    return pattern.match(name).hasMatch();
}

// logs/<name>.ndjson, its rotations <name>.ndjson.<n> and its lock <name>.ndjson.lock.
QStringList logFiles(const DataLayout& layout, const QString& source) {
    const QRegularExpression pattern(
        QStringLiteral("^%1\\.ndjson(\\.[0-9]+|\\.lock)?$").arg(QRegularExpression::escape(source)));
    QStringList files;
    const QDir logs(layout.logsDir());
    for (const QString& name : logs.entryList(QDir::Files | QDir::Hidden))
        if (pattern.match(name).hasMatch())
            files << logs.filePath(name);
    return files;
}

// The stats store as the dialog lists it: the file, or the server's database (shared with other
// instances: the source's history goes for all of them).
QString statsPlace(const std::optional<SqlServerConfig>& stats, const DataLayout& layout) {
    return stats ? QStringLiteral("stats database %1").arg(stats->describe()) : layout.statsDatabase();
}

QStringList keychainKeysOf(const SourceConfig& source) {
    QStringList keys;
    auto add = [&](const SecretRef& ref) {
        if (ref.kind == SecretRef::Kind::Keychain && !keys.contains(ref.value))
            keys << ref.value;
    };
    add(source.auth.token);
    add(source.auth.clientSecret);
    add(source.auth.password);
    for (const DestinationConfig& destination : source.destinations)
        add(destination.password);
    return keys;
}

} // namespace

Expected<SourceRemovalPlan> SourceRemoval::plan(const Config& config, const QString& dataDir,
                                                const QString& source) {
    const SourceConfig* removed = config.source(source);
    if (!removed)
        return makeError(QStringLiteral("sources: no source \"%1\" to remove").arg(source));
    const DataLayout layout(dataDir);
    SourceRemovalPlan plan;
    plan.source = source;

    for (const QString& path : {layout.sourceDir(source), layout.lockFile(source)})
        if (QFileInfo::exists(path))
            plan.dataPaths << path;
    plan.dataPaths << logFiles(layout, source);
    if (QFileInfo::exists(layout.stateDatabase()))
        plan.dataPaths << layout.stateDatabase() + QStringLiteral(" (rows of %1, if any)").arg(source);
    if (StatsStore stats(config.stats, dataDir); stats.exists())
        plan.dataPaths << statsPlace(config.stats, layout) +
                              QStringLiteral(" (rows of %1, if any)").arg(source);

    // Tables other sources write, by database.
    QHash<QString, QSet<QString>> others;
    for (const SourceConfig& other : config.sources) {
        if (other.name == source)
            continue;
        const QStringList tables = TableWriters::tablesOf(other);
        for (const DestinationConfig& destination : other.destinations) {
            QSet<QString>& set = others[TableWriters::databaseOf(destination, other.name, layout)];
            for (const QString& table : tables)
                set.insert(destination.mapping.tableFor(other.name, table).toCaseFolded());
        }
    }
    const QStringList tables = TableWriters::tablesOf(*removed);
    for (const DestinationConfig& destination : removed->destinations) {
        DestinationTables entry;
        entry.destination = destination.name;
        auto made = createDestination(destination, source, dataDir);
        entry.where = made ? (*made)->describe() : destinationTypeName(destination.type);
        // The tables as the destination's mapping names them (tablePrefix, tableName).
        for (const QString& table : tables)
            entry.tables << destination.mapping.tableFor(source, table);
        const QSet<QString> taken = others.value(TableWriters::databaseOf(destination, source, layout));
        for (const QString& table : std::as_const(entry.tables))
            if (taken.contains(table.toCaseFolded()))
                entry.shared << table;
        plan.destinations << entry;
    }

    QSet<QString> keptKeys;
    // The stats server's password may sit in the keychain under the same name.
    if (config.stats && config.stats->password.kind == SecretRef::Kind::Keychain)
        keptKeys.insert(config.stats->password.value);
    for (const SourceConfig& other : config.sources)
        if (other.name != source)
            for (const QString& key : keychainKeysOf(other))
                keptKeys.insert(key);
    for (const QString& key : keychainKeysOf(*removed))
        if (!keptKeys.contains(key))
            plan.keychainKeys << key;
    return plan;
}

Expected<QStringList> SourceRemoval::deleteSourceData(const DataLayout& layout,
                                                      const std::optional<SqlServerConfig>& statsServer,
                                                      const QString& source) {
    if (!fileSafe(source))
        return makeError(QStringLiteral("source \"%1\": not a name whose files can be deleted").arg(source));
    QStringList removed;
    // The stores first: a row left behind would make a source added again under this name resume
    // a batch whose files are gone.
    if (QFileInfo::exists(layout.stateDatabase())) {
        StateStore state(layout.stateDatabase());
        if (auto r = state.open(); !r)
            return r.error();
        if (auto r = state.forgetSource(source); !r)
            return r.error();
        removed << layout.stateDatabase() + QStringLiteral(" (rows of %1)").arg(source);
    }
    if (StatsStore stats(statsServer, layout.root()); stats.exists()) {
        if (auto r = stats.open(); !r)
            return r.error();
        if (auto r = stats.forgetSource(source); !r)
            return r.error();
        removed << statsPlace(statsServer, layout) + QStringLiteral(" (rows of %1)").arg(source);
    }
    QDir folder(layout.sourceDir(source));
    if (folder.exists()) {
        if (!folder.removeRecursively())
            return makeError(folder.path() + QStringLiteral(": could not be deleted completely"));
        removed << folder.path();
    }
    QStringList files = logFiles(layout, source);
    if (QFileInfo::exists(layout.lockFile(source)))
        files << layout.lockFile(source);
    for (const QString& file : std::as_const(files)) {
        QFile handle(file);
        if (!handle.remove())
            return makeError(file + QStringLiteral(": cannot delete: ") + handle.errorString());
        removed << file;
    }
    return removed;
}

void SourceRemoval::dropTables(const SourceConfig& source, const QString& dataDir,
                               const QList<DestinationTables>& tables, QStringList& dropped,
                               QStringList& problems) {
    for (const DestinationTables& entry : tables) {
        const DestinationConfig* config = source.destination(entry.destination);
        if (!config)
            continue;
        if (config->type == DestinationType::Sqlite &&
            !QFileInfo::exists(DataLayout(dataDir).sqlitePath(*config, source.name)))
            continue;
        auto made = createDestination(*config, source.name, dataDir);
        if (!made) {
            problems << made.errorMessage();
            continue;
        }
        Destination& destination = **made;
        if (auto opened = destination.open(); !opened) {
            problems << QStringLiteral("%1: tables not dropped: %2").arg(entry.where, opened.errorMessage());
            continue;
        }
        for (const QString& table : entry.tables) {
            if (entry.shared.contains(table))
                continue;
            auto r = destination.dropTable(table);
            if (!r)
                problems << r.errorMessage();
            else if (*r)
                dropped << QStringLiteral("%1 in %2").arg(table, entry.where);
        }
    }
}

Expected<SourceRemovalResult> SourceRemoval::remove(const QString& configPath, const Config& config,
                                                    const QString& dataDir, const QString& source,
                                                    const SourceRemovalOptions& options) {
    auto plan = SourceRemoval::plan(config, dataDir, source);
    if (!plan)
        return plan.error();
    const SourceConfig removed = *config.source(source);
    const DataLayout layout(dataDir);

    // Held to the end: no job of the source starts meanwhile, here or in another program.
    SourceLock lock;
    if (auto r = layout.ensureLocksDir(); !r)
        return r.error();
    if (auto r = lock.acquire(layout.lockFile(source), source); !r)
        return makeError(QStringLiteral("source %1 not removed: %2").arg(source, r.errorMessage()));

    auto written = ConfigWriter::removeSource(configPath, source);
    if (!written)
        return written.error();
    SourceRemovalResult result;
    result.backupPath = written->backupPath;
    qCInfo(lcConfig) << "source" << source << "removed from" << configPath;

    if (options.dropTables)
        dropTables(removed, dataDir, plan->destinations, result.droppedTables, result.problems);
    if (options.deleteData) {
        auto deleted = deleteSourceData(layout, config.stats, source);
        if (deleted)
            result.removedPaths = *deleted;
        else
            result.problems << deleted.errorMessage();
    }
    if (options.deleteKeychain) {
        for (const QString& key : std::as_const(plan->keychainKeys)) {
            if (auto r = SecretResolver::deleteFromKeychain(key); r)
                result.deletedKeychain << key;
            else
                result.problems << r.errorMessage();
        }
    }
    return result;
}

} // namespace ors
