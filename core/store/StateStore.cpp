#include "store/StateStore.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ors {

namespace {

QString phaseName(ResourcePhase phase) {
    switch (phase) {
    case ResourcePhase::Download:
        return QStringLiteral("download");
    case ResourcePhase::Compare:
        return QStringLiteral("compare");
    case ResourcePhase::Fetch:
        return QStringLiteral("fetch");
    case ResourcePhase::Apply:
        return QStringLiteral("apply");
    case ResourcePhase::Done:
        return QStringLiteral("done");
    }
    return QStringLiteral("download");
}

ResourcePhase phaseFromName(const QString& name) {
    if (name == QLatin1String("compare"))
        return ResourcePhase::Compare;
    if (name == QLatin1String("fetch"))
        return ResourcePhase::Fetch;
    if (name == QLatin1String("apply"))
        return ResourcePhase::Apply;
    if (name == QLatin1String("done"))
        return ResourcePhase::Done;
    return ResourcePhase::Download;
}

// Text for a NOT NULL column: a null QByteArray would bind as NULL, an empty one as ''.
QString notNull(const QByteArray& text) {
    return QString::fromUtf8(text.isNull() ? QByteArray("") : text);
}

constexpr const char* kVersion1[] = {
    "CREATE TABLE batch (source TEXT NOT NULL, process TEXT NOT NULL, batch_id TEXT NOT NULL, "
    "started TEXT NOT NULL, PRIMARY KEY (source, process))",
    "CREATE TABLE batch_resource (source TEXT NOT NULL, process TEXT NOT NULL, resource TEXT NOT NULL, "
    "phase TEXT NOT NULL, lower_bound TEXT, next_seq INTEGER NOT NULL, expected_count INTEGER NOT NULL, "
    "received INTEGER NOT NULL, max_downloaded TEXT, download_started INTEGER NOT NULL, "
    "PRIMARY KEY (source, process, resource))",
    "CREATE TABLE applied (source TEXT NOT NULL, process TEXT NOT NULL, file TEXT NOT NULL, "
    "destination TEXT NOT NULL, PRIMARY KEY (source, process, file, destination))",
    "CREATE TABLE high_water (source TEXT NOT NULL, resource TEXT NOT NULL, destination TEXT NOT NULL, "
    "timestamp TEXT NOT NULL, PRIMARY KEY (source, resource, destination))",
    "CREATE TABLE step_failure (source TEXT NOT NULL, process TEXT NOT NULL, resource TEXT NOT NULL, "
    "destination TEXT NOT NULL, step TEXT NOT NULL, count INTEGER NOT NULL, last_error TEXT, "
    "updated TEXT NOT NULL, PRIMARY KEY (source, process, resource, destination))",
};

// A resumed purge must know how old its key list is (issue 9, item 3).
constexpr const char* kVersion2[] = {
    "ALTER TABLE batch_resource ADD COLUMN keys_started TEXT",
    "ALTER TABLE batch_resource ADD COLUMN count_before INTEGER NOT NULL DEFAULT -1",
};

// The download's start time bounds the high-water mark, so a resumed download needs the time
// of its first request, not of the resume.
constexpr const char* kVersion3[] = {
    "ALTER TABLE batch_resource ADD COLUMN download_start TEXT",
};

// A destination that falls behind keeps the page files it lacks, and what their download covered
// (issue 15): the batch they came from may close before the destination catches up.
constexpr const char* kVersion4[] = {
    "CREATE TABLE kept_download (source TEXT NOT NULL, resource TEXT NOT NULL, last_file TEXT NOT NULL, "
    "lower_bound TEXT NOT NULL, mark TEXT NOT NULL, PRIMARY KEY (source, resource, last_file))",
};

// Append only: the position is the schema version files on disk carry.
constexpr SqliteStore::Migration kMigrations[] = {kVersion1, kVersion2, kVersion3, kVersion4};

} // namespace

StateStore::StateStore(const QString& path)
    : SqliteStore(path, QStringLiteral("state store")) {}

Expected<void> StateStore::open() {
    return SqliteStore::open(kMigrations);
}

std::span<const SqliteStore::Migration> StateStore::migrations() {
    return kMigrations;
}

Expected<std::optional<QString>> StateStore::currentBatch(const QString& source, const QString& process) {
    QSqlQuery query(database());
    query.prepare(QStringLiteral("SELECT batch_id FROM batch WHERE source = ? AND process = ?"));
    query.addBindValue(source);
    query.addBindValue(process);
    if (!query.exec())
        return sqlError(QStringLiteral("reading batch"), query.lastError().text());
    if (!query.next())
        return std::optional<QString>();
    return std::optional<QString>(query.value(0).toString());
}

Expected<void> StateStore::startBatch(const QString& source, const QString& process, const QString& batchId) {
    return exec(QStringLiteral(
                    "INSERT OR REPLACE INTO batch (source, process, batch_id, started) VALUES (?, ?, ?, ?)"),
                {source, process, batchId, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)});
}

Expected<void> StateStore::finishBatch(const QString& source, const QString& process,
                                       const QStringList& keepFiles) {
    QSqlDatabase db = database();
    db.transaction();
    for (const char* table : {"batch", "batch_resource"}) {
        if (auto r = exec(
                QStringLiteral("DELETE FROM %1 WHERE source = ? AND process = ?").arg(QLatin1String(table)),
                {source, process});
            !r) {
            db.rollback();
            return r;
        }
    }
    // The marks of files still waiting for a destination stay: without them the destinations that
    // have the file would get it again, older than what they hold.
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT DISTINCT file FROM applied WHERE source = ? AND process = ?"));
    query.addBindValue(source);
    query.addBindValue(process);
    if (!query.exec()) {
        const QString error = query.lastError().text();
        db.rollback();
        return sqlError(QStringLiteral("finishing batch"), error);
    }
    QStringList gone;
    while (query.next())
        if (const QString file = query.value(0).toString(); !keepFiles.contains(file))
            gone.append(file);
    query.finish();
    for (const QString& file : std::as_const(gone)) {
        if (auto r = exec(QStringLiteral("DELETE FROM applied WHERE source = ? AND process = ? AND file = ?"),
                          {source, process, file});
            !r) {
            db.rollback();
            return r;
        }
    }
    if (!db.commit())
        return sqlError(QStringLiteral("finishing batch"), db.lastError().text());
    return {};
}

Expected<void> StateStore::forgetSource(const QString& source) {
    QSqlDatabase db = database();
    db.transaction();
    for (const char* table :
         {"batch", "batch_resource", "applied", "high_water", "step_failure", "kept_download"}) {
        if (auto r =
                exec(QStringLiteral("DELETE FROM %1 WHERE source = ?").arg(QLatin1String(table)), {source});
            !r) {
            db.rollback();
            return r;
        }
    }
    if (!db.commit())
        return sqlError(QStringLiteral("forgetting source %1").arg(source), db.lastError().text());
    return {};
}

Expected<std::optional<ResourceProgress>> StateStore::resource(const QString& source, const QString& process,
                                                               const QString& resource) {
    QSqlQuery query(database());
    query.prepare(
        QStringLiteral("SELECT phase, lower_bound, next_seq, expected_count, received, max_downloaded, "
                       "download_started, keys_started, count_before, download_start FROM batch_resource "
                       "WHERE source = ? AND process = ? AND resource = ?"));
    query.addBindValue(source);
    query.addBindValue(process);
    query.addBindValue(resource);
    if (!query.exec())
        return sqlError(QStringLiteral("reading resource progress"), query.lastError().text());
    if (!query.next())
        return std::optional<ResourceProgress>();
    ResourceProgress p;
    p.resource = resource;
    p.phase = phaseFromName(query.value(0).toString());
    p.lowerBound = query.value(1).toString().toUtf8();
    p.nextSeq = query.value(2).toInt();
    p.expectedCount = query.value(3).toLongLong();
    p.received = query.value(4).toLongLong();
    p.maxDownloaded = query.value(5).toString().toUtf8();
    p.downloadStarted = query.value(6).toBool();
    p.keysStarted = query.value(7).toString().toUtf8();
    p.countBefore = query.value(8).toLongLong();
    p.downloadStart = query.value(9).toString().toUtf8();
    return std::optional<ResourceProgress>(p);
}

Expected<void> StateStore::saveResource(const QString& source, const QString& process,
                                        const ResourceProgress& p) {
    return exec(QStringLiteral(
                    "INSERT OR REPLACE INTO batch_resource (source, process, resource, phase, lower_bound, "
                    "next_seq, expected_count, received, max_downloaded, download_started, keys_started, "
                    "count_before, download_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                {source, process, p.resource, phaseName(p.phase), QString::fromUtf8(p.lowerBound), p.nextSeq,
                 p.expectedCount, p.received, QString::fromUtf8(p.maxDownloaded), p.downloadStarted ? 1 : 0,
                 QString::fromUtf8(p.keysStarted), p.countBefore, QString::fromUtf8(p.downloadStart)});
}

Expected<QStringList> StateStore::appliedDestinations(const QString& source, const QString& process,
                                                      const QString& file) {
    QSqlQuery query(database());
    query.prepare(
        QStringLiteral("SELECT destination FROM applied WHERE source = ? AND process = ? AND file = ?"));
    query.addBindValue(source);
    query.addBindValue(process);
    query.addBindValue(file);
    if (!query.exec())
        return sqlError(QStringLiteral("reading applied files"), query.lastError().text());
    QStringList names;
    while (query.next())
        names.append(query.value(0).toString());
    return names;
}

Expected<void> StateStore::markApplied(const QString& source, const QString& process, const QString& file,
                                       const QString& destination) {
    return exec(QStringLiteral(
                    "INSERT OR IGNORE INTO applied (source, process, file, destination) VALUES (?, ?, ?, ?)"),
                {source, process, file, destination});
}

Expected<void> StateStore::forgetFile(const QString& source, const QString& process, const QString& file) {
    return exec(QStringLiteral("DELETE FROM applied WHERE source = ? AND process = ? AND file = ?"),
                {source, process, file});
}

Expected<std::optional<QByteArray>> StateStore::highWater(const QString& source, const QString& resource,
                                                          const QString& destination) {
    QSqlQuery query(database());
    query.prepare(QStringLiteral(
        "SELECT timestamp FROM high_water WHERE source = ? AND resource = ? AND destination = ?"));
    query.addBindValue(source);
    query.addBindValue(resource);
    query.addBindValue(destination);
    if (!query.exec())
        return sqlError(QStringLiteral("reading high-water mark"), query.lastError().text());
    if (!query.next())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(query.value(0).toString().toUtf8());
}

Expected<void> StateStore::raiseHighWater(const QString& source, const QString& resource,
                                          const QString& destination, const QByteArray& timestamp) {
    // Normalized UTC text compares like the instants it holds, so MAX() keeps the newer one.
    return exec(QStringLiteral(
                    "INSERT INTO high_water (source, resource, destination, timestamp) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (source, resource, destination) DO UPDATE SET "
                    "timestamp = MAX(timestamp, excluded.timestamp)"),
                {source, resource, destination, QString::fromUtf8(timestamp)});
}

Expected<void> StateStore::setHighWater(const QString& source, const QString& resource,
                                        const QString& destination, const QByteArray& timestamp) {
    return exec(QStringLiteral("INSERT OR REPLACE INTO high_water (source, resource, destination, timestamp) "
                               "VALUES (?, ?, ?, ?)"),
                {source, resource, destination, QString::fromUtf8(timestamp)});
}

Expected<QList<HighWaterMark>> StateStore::highWaters(const QString& source) {
    QSqlQuery query(database());
    query.prepare(QStringLiteral("SELECT resource, destination, timestamp FROM high_water WHERE source = ? "
                                 "ORDER BY resource, destination"));
    query.addBindValue(source);
    if (!query.exec())
        return sqlError(QStringLiteral("reading high-water marks"), query.lastError().text());
    QList<HighWaterMark> marks;
    while (query.next())
        marks.append(
            {query.value(0).toString(), query.value(1).toString(), query.value(2).toString().toUtf8()});
    return marks;
}

Expected<void> StateStore::forgetResource(const QString& source, const QString& process,
                                          const QString& resource) {
    return exec(
        QStringLiteral("DELETE FROM batch_resource WHERE source = ? AND process = ? AND resource = ?"),
        {source, process, resource});
}

Expected<void> StateStore::keepDownload(const QString& source, const KeptDownload& kept) {
    return exec(
        QStringLiteral("INSERT OR REPLACE INTO kept_download (source, resource, last_file, lower_bound, "
                       "mark) VALUES (?, ?, ?, ?, ?)"),
        {source, kept.resource, kept.lastFile, notNull(kept.lowerBound), notNull(kept.mark)});
}

Expected<QList<KeptDownload>> StateStore::keptDownloads(const QString& source, const QString& resource) {
    QSqlQuery query(database());
    query.prepare(
        QStringLiteral("SELECT last_file, lower_bound, mark FROM kept_download WHERE source = ? AND "
                       "resource = ? ORDER BY last_file"));
    query.addBindValue(source);
    query.addBindValue(resource);
    if (!query.exec())
        return sqlError(QStringLiteral("reading kept downloads"), query.lastError().text());
    QList<KeptDownload> list;
    while (query.next())
        list.append(KeptDownload{resource, query.value(0).toString(), query.value(1).toString().toUtf8(),
                                 query.value(2).toString().toUtf8()});
    return list;
}

Expected<void> StateStore::forgetKeptDownload(const QString& source, const QString& resource,
                                              const QString& lastFile) {
    return exec(
        QStringLiteral("DELETE FROM kept_download WHERE source = ? AND resource = ? AND last_file = ?"),
        {source, resource, lastFile});
}

Expected<void> StateStore::forgetKeptDownloads(const QString& source) {
    return exec(QStringLiteral("DELETE FROM kept_download WHERE source = ?"), {source});
}

Expected<int> StateStore::recordFailure(const StepFailure& f) {
    auto r =
        exec(QStringLiteral("INSERT INTO step_failure (source, process, resource, destination, step, count, "
                            "last_error, updated) VALUES (?, ?, ?, ?, ?, 1, ?, ?) "
                            "ON CONFLICT (source, process, resource, destination) DO UPDATE SET "
                            "count = count + 1, step = excluded.step, last_error = excluded.last_error, "
                            "updated = excluded.updated"),
             {f.source, f.process, f.resource, f.destination, f.step, f.lastError,
              QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)});
    if (!r)
        return r.error();
    QSqlQuery query(database());
    query.prepare(
        QStringLiteral("SELECT count FROM step_failure WHERE source = ? AND process = ? AND resource = ? "
                       "AND destination = ?"));
    query.addBindValue(f.source);
    query.addBindValue(f.process);
    query.addBindValue(f.resource);
    query.addBindValue(f.destination);
    if (!query.exec() || !query.next())
        return sqlError(QStringLiteral("reading failure count"), query.lastError().text());
    return query.value(0).toInt();
}

Expected<void> StateStore::clearFailures(const QString& source, const QString& process,
                                         const QString& resource, const QString& destination) {
    return exec(
        QStringLiteral("DELETE FROM step_failure WHERE source = ? AND process = ? AND resource = ? AND "
                       "destination = ?"),
        {source, process, resource, destination});
}

Expected<QList<StepFailure>> StateStore::failures(const QString& source) {
    QSqlQuery query(database());
    query.prepare(
        QStringLiteral("SELECT process, resource, destination, step, count, last_error, updated FROM "
                       "step_failure WHERE source = ? ORDER BY process, resource, destination"));
    query.addBindValue(source);
    if (!query.exec())
        return sqlError(QStringLiteral("reading failures"), query.lastError().text());
    QList<StepFailure> list;
    while (query.next()) {
        StepFailure f;
        f.source = source;
        f.process = query.value(0).toString();
        f.resource = query.value(1).toString();
        f.destination = query.value(2).toString();
        f.step = query.value(3).toString();
        f.count = query.value(4).toInt();
        f.lastError = query.value(5).toString();
        f.updated = query.value(6).toString();
        list.append(f);
    }
    return list;
}

Expected<std::optional<StepFailure>> StateStore::failure(const QString& source, const QString& process,
                                                         const QString& resource,
                                                         const QString& destination) {
    auto all = failures(source);
    if (!all)
        return all.error();
    for (const StepFailure& f : std::as_const(*all))
        if (f.process == process && f.resource == resource && f.destination == destination)
            return std::optional<StepFailure>(f);
    return std::optional<StepFailure>();
}

Expected<void> StateStore::clearAllFailures(const QString& source, const QString& process) {
    return exec(QStringLiteral("DELETE FROM step_failure WHERE source = ? AND process = ?"),
                {source, process});
}

} // namespace ors
