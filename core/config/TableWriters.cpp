#include "config/TableWriters.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QList>
#include <QSet>
#include <QUrl>

#include <algorithm>

namespace ors {

namespace {

// Through symbolic links and "..", so two spellings of one file are one database.
QString canonicalFile(const QString& path) {
    const QFileInfo info(path);
    QString existing = info.canonicalFilePath();
    if (!existing.isEmpty())
        return existing;
    const QString folder = QFileInfo(info.absolutePath()).canonicalFilePath();
    return folder.isEmpty() ? QDir::cleanPath(info.absoluteFilePath())
                            : folder + QLatin1Char('/') + info.fileName();
}

// The loopback names reach one server.
QString hostKey(const QString& host) {
    QString lower = host.toLower();
    if (lower == QLatin1String("127.0.0.1") || lower == QLatin1String("::1"))
        return QStringLiteral("localhost");
    return lower;
}

struct Writer {
    qsizetype source = 0;
    qsizetype destination = 0;
    QString name;
    QString database;   // databaseOf
    QStringList tables; // as configured
};

struct SharedTable {
    Writer a;
    Writer b;
    QString table;
};

QString describe(const Writer& w) {
    return QStringLiteral("sources[%1].destinations[%2] (\"%3\")")
        .arg(w.source)
        .arg(w.destination)
        .arg(w.name);
}

} // namespace

// Resource names, then expansion names, once each (case-folded: SQLite and MySQL on
// case-insensitive file systems treat Property and property as one table).
QStringList TableWriters::tablesOf(const SourceConfig& source) {
    QStringList tables;
    QSet<QString> seen;
    auto add = [&](const QString& name) {
        if (!seen.contains(name.toCaseFolded())) {
            seen.insert(name.toCaseFolded());
            tables << name;
        }
    };
    for (const ResourceConfig& resource : source.resources)
        add(resource.name);
    for (const ResourceConfig& resource : source.resources)
        for (const ExpandConfig& expand : resource.expand)
            add(expand.name);
    return tables;
}

QString TableWriters::databaseOf(const DestinationConfig& destination, const QString& source,
                                 const DataLayout& layout) {
    switch (destination.type) {
    case DestinationType::Sqlite:
        return canonicalFile(layout.sqlitePath(destination, source));
    case DestinationType::Mysql:
        return QStringLiteral("%1://%2:%3/%4")
            .arg(destinationTypeName(destination.type), hostKey(destination.host))
            .arg(destination.port)
            .arg(destination.database);
    case DestinationType::Postgresql:
        // Tables of one name in two schemas are two tables; no schema is the user's current one.
        return QStringLiteral("%1://%2:%3/%4/%5")
            .arg(destinationTypeName(destination.type), hostKey(destination.host))
            .arg(destination.port)
            .arg(destination.database, destination.schema);
    case DestinationType::Solr: {
        // Tables are cores named by the template: sources whose templates name the source write
        // different cores of one server.
        QString core = destination.core;
        core.replace(QLatin1String("{source}"), source);
        return QUrl(destination.url)
                   .toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::StripTrailingSlash) +
               QLatin1Char('#') + core;
    }
    }
    return {};
}

namespace {

QStringList findConflicts(const Config& config, const DataLayout& layout, QList<SharedTable>* sharedOut) {
    QList<Writer> writers;
    for (qsizetype s = 0; s < config.sources.size(); ++s) {
        const SourceConfig& source = config.sources.at(s);
        const QStringList tables = TableWriters::tablesOf(source);
        for (qsizetype d = 0; d < source.destinations.size(); ++d) {
            const DestinationConfig& destination = source.destinations.at(d);
            // The tables as the destination's mapping names them (tablePrefix, tableName).
            QStringList mapped;
            for (const QString& table : tables)
                mapped.append(destination.mapping.tableFor(source.name, table));
            writers.append(Writer{s, d, destination.name,
                                  TableWriters::databaseOf(destination, source.name, layout), mapped});
        }
    }
    QStringList messages;
    for (qsizetype later = 1; later < writers.size(); ++later) {
        const Writer& b = writers.at(later);
        for (qsizetype earlier = 0; earlier < later; ++earlier) {
            const Writer& a = writers.at(earlier);
            if (a.database != b.database)
                continue;
            for (const QString& table : b.tables) {
                const bool shared = std::any_of(a.tables.begin(), a.tables.end(), [&](const QString& t) {
                    return t.compare(table, Qt::CaseInsensitive) == 0;
                });
                if (!shared)
                    continue;
                if (a.source != b.source) {
                    // Two sources may share a table on purpose (one Property table for several
                    // MLSs); settle() warns and marks it, and purge refuses it.
                    if (sharedOut)
                        sharedOut->append(SharedTable{a, b, table});
                    continue;
                }
                messages << QStringLiteral("%1 and %2 both write table %3 in %4")
                                .arg(describe(b), describe(a), table, b.database);
            }
        }
    }
    return messages;
}

} // namespace

QStringList TableWriters::conflicts(const Config& config, const DataLayout& layout) {
    return findConflicts(config, layout, nullptr);
}

bool TableWriters::settle(Config& config, const DataLayout& layout, QStringList& errors,
                          QStringList& warnings) {
    layout.resolveSqlitePaths(config, warnings);
    QList<SharedTable> shared;
    const QStringList found = findConflicts(config, layout, &shared);
    errors << found;
    for (const SharedTable& s : std::as_const(shared)) {
        warnings << QStringLiteral("%1 and %2 both write table %3 in %4: sync and reconcile work, purge of "
                                   "either refuses (it would delete the other source's rows); give one "
                                   "of them a tablePrefix or tableName to separate them")
                        .arg(describe(s.b), describe(s.a), s.table, s.b.database);
        config.sources[s.a.source].destinations[s.a.destination].sharedTables.append(
            {s.table, describe(s.b)});
        config.sources[s.b.source].destinations[s.b.destination].sharedTables.append(
            {s.table, describe(s.a)});
    }
    return found.isEmpty();
}

} // namespace ors
