#include "stats/StatsStore.h"

#include "logging/Redactor.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ors {

namespace {

QString now() {
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

// `at` as the stored text (UTC with milliseconds, so text order is time order), now when invalid.
QString timeText(const QDateTime& at) {
    return at.isValid() ? at.toUTC().toString(Qt::ISODateWithMs) : now();
}

// usage_hour.hour: "2024-05-01T10:00:00Z", so text order is time order.
QDateTime startOfHour(const QDateTime& time) {
    const QDateTime utc = time.toUTC();
    return QDateTime(utc.date(), QTime(utc.time().hour(), 0), Qt::UTC);
}

QString hourText(const QDateTime& time) {
    return startOfHour(time).toString(Qt::ISODate);
}

constexpr const char* kVersion1[] = {
    "CREATE TABLE run (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, process TEXT NOT NULL, "
    "batch_id TEXT NOT NULL, started TEXT NOT NULL, finished TEXT, result TEXT NOT NULL, error TEXT)",
    "CREATE INDEX idx_run_source ON run (source, process, id)",
    "CREATE TABLE run_resource (run_id INTEGER NOT NULL, resource TEXT NOT NULL, records_downloaded INTEGER "
    "NOT NULL DEFAULT 0, expected_count INTEGER NOT NULL DEFAULT -1, pages INTEGER NOT NULL DEFAULT 0, "
    "PRIMARY KEY (run_id, resource))",
    "CREATE TABLE run_destination (run_id INTEGER NOT NULL, resource TEXT NOT NULL, destination TEXT NOT "
    "NULL, "
    "records_applied INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (run_id, resource, destination))",
    "CREATE TABLE failure (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER, time TEXT NOT NULL, "
    "source TEXT NOT NULL, process TEXT NOT NULL, resource TEXT, destination TEXT, step TEXT NOT NULL, "
    "message TEXT NOT NULL)",
    "CREATE INDEX idx_failure_source ON failure (source, id)",
};

// Per-hour request and byte counts show how much of each platform quota a source uses; events
// keep what went wrong without failing the run (a wrong @odata.count, an expired nextLink, a 429).
constexpr const char* kVersion2[] = {
    "CREATE TABLE usage_hour (source TEXT NOT NULL, hour TEXT NOT NULL, requests INTEGER NOT NULL "
    "DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0, throttled INTEGER NOT NULL DEFAULT 0, PRIMARY KEY "
    "(source, hour))",
    "CREATE TABLE event (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER, time TEXT NOT NULL, "
    "source TEXT NOT NULL, process TEXT NOT NULL, resource TEXT, kind TEXT NOT NULL, message TEXT NOT "
    "NULL)",
    "CREATE INDEX idx_event_source ON event (source, id)",
};

// Alert conditions that are open (raised, not yet recovered), one row each: the primary key is what
// keeps two processes that see one condition from both sending it. Failures in a row per process.
constexpr const char* kVersion3[] = {
    "CREATE TABLE alert_open (source TEXT NOT NULL, process TEXT NOT NULL, condition TEXT NOT NULL, "
    "subject TEXT NOT NULL, raised TEXT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (source, process, "
    "condition, subject))",
    "CREATE TABLE alert_streak (source TEXT NOT NULL, process TEXT NOT NULL, failures INTEGER NOT NULL "
    "DEFAULT 0, PRIMARY KEY (source, process))",
};

// The programs that run a data directory's schedules (`serve`, the desktop window): each writes
// its row at start, refreshes `heartbeat` while it runs and sets `stopped` when it ends, so
// `status` can tell whether a scheduler runs (a row not stopped with a recent heartbeat) and
// since when, even after a crash left a row unstopped.
constexpr const char* kVersion4[] = {
    "CREATE TABLE instance (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, pid INTEGER NOT "
    "NULL, host TEXT NOT NULL, started TEXT NOT NULL, heartbeat TEXT NOT NULL, stopped TEXT)",
};

// Record counts over time (the MLS's, destination '', and each destination's) as `status` and the
// window's refresh see them, for the "MLS vs destination" chart; and when each resource's and
// destination's first and last page of a run were counted, for the durations in the history.
constexpr const char* kVersion5[] = {
    // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one statement over three lines
    "CREATE TABLE count_sample (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, source TEXT "
    "NOT NULL, resource TEXT NOT NULL, destination TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL, "
    "newest TEXT)",
    "CREATE INDEX idx_count_sample_source ON count_sample (source, time)",
    "CREATE INDEX idx_run_started ON run (source, started)",
    "ALTER TABLE run_resource ADD COLUMN first_page TEXT",
    "ALTER TABLE run_resource ADD COLUMN last_page TEXT",
    "ALTER TABLE run_destination ADD COLUMN first_page TEXT",
    "ALTER TABLE run_destination ADD COLUMN last_page TEXT",
};

// Append only: the position is the schema version files on disk carry.
constexpr SqliteStore::Migration kMigrations[] = {kVersion1, kVersion2, kVersion3, kVersion4, kVersion5};

} // namespace

StatsStore::StatsStore(const QString& path)
    : SqliteStore(path, QStringLiteral("stats store")) {}

Expected<void> StatsStore::open() {
    return SqliteStore::open(kMigrations);
}

std::span<const SqliteStore::Migration> StatsStore::migrations() {
    return kMigrations;
}

Expected<qint64> StatsStore::startRun(const QString& source, const QString& process, const QString& batchId,
                                      const QDateTime& at) {
    QSqlQuery query(database());
    query.prepare(
        QStringLiteral("INSERT INTO run (source, process, batch_id, started, result) VALUES (?, ?, ?, ?, "
                       "'running')"));
    query.addBindValue(source);
    query.addBindValue(process);
    query.addBindValue(batchId);
    query.addBindValue(timeText(at));
    if (!query.exec())
        return sqlError(QStringLiteral("recording run"), query.lastError().text());
    return query.lastInsertId().toLongLong();
}

Expected<void> StatsStore::finishRun(qint64 runId, const QString& result, const QString& error,
                                     const QDateTime& at) {
    return exec(
        QStringLiteral("UPDATE run SET finished = ?, result = ?, error = ? WHERE id = ?"),
        {timeText(at), result, error.isEmpty() ? QVariant() : QVariant(Redactor::redact(error)), runId});
}

Expected<void> StatsStore::addResourceCounts(qint64 runId, const QString& resource, qint64 downloaded,
                                             qint64 expected, qint64 pages, const QDateTime& at) {
    const QString time = timeText(at);
    return exec(
        QStringLiteral("INSERT INTO run_resource (run_id, resource, records_downloaded, expected_count, "
                       "pages, first_page, last_page) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, "
                       "resource) DO UPDATE SET records_downloaded = records_downloaded + "
                       "excluded.records_downloaded, expected_count = MAX(expected_count, "
                       "excluded.expected_count), pages = pages + excluded.pages, first_page = "
                       "COALESCE(first_page, excluded.first_page), last_page = excluded.last_page"),
        {runId, resource, downloaded, expected, pages, time, time});
}

Expected<void> StatsStore::addDestinationCount(qint64 runId, const QString& resource,
                                               const QString& destination, qint64 applied,
                                               const QDateTime& at) {
    const QString time = timeText(at);
    return exec(QStringLiteral("INSERT INTO run_destination (run_id, resource, destination, records_applied, "
                               "first_page, last_page) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, "
                               "resource, destination) DO UPDATE SET records_applied = records_applied + "
                               "excluded.records_applied, first_page = COALESCE(first_page, "
                               "excluded.first_page), last_page = excluded.last_page"),
                {runId, resource, destination, applied, time, time});
}

Expected<void> StatsStore::recordFailure(qint64 runId, const QString& source, const QString& process,
                                         const QString& resource, const QString& destination,
                                         const QString& step, const QString& message) {
    return exec(
        QStringLiteral("INSERT INTO failure (run_id, time, source, process, resource, destination, step, "
                       "message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        {runId > 0 ? QVariant(runId) : QVariant(), now(), source, process,
         resource.isEmpty() ? QVariant() : QVariant(resource),
         destination.isEmpty() ? QVariant() : QVariant(destination), step, Redactor::redact(message)});
}

Expected<void> StatsStore::recordEvent(qint64 runId, const QString& source, const QString& process,
                                       const QString& resource, const QString& kind, const QString& message) {
    return exec(QStringLiteral("INSERT INTO event (run_id, time, source, process, resource, kind, message) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)"),
                {runId > 0 ? QVariant(runId) : QVariant(), now(), source, process,
                 resource.isEmpty() ? QVariant() : QVariant(resource), kind, Redactor::redact(message)});
}

Expected<void> StatsStore::addUsage(const QString& source, const QDateTime& hourUtc, qint64 requests,
                                    qint64 bytes, qint64 throttled) {
    return exec(
        QStringLiteral("INSERT INTO usage_hour (source, hour, requests, bytes, throttled) VALUES (?, ?, ?, "
                       "?, ?) ON CONFLICT (source, hour) DO UPDATE SET requests = requests + "
                       "excluded.requests, bytes = bytes + excluded.bytes, throttled = throttled + "
                       "excluded.throttled"),
        {source, hourText(hourUtc), requests, bytes, throttled});
}

Expected<QList<UsageHour>> StatsStore::usage(const QString& source, int hours) {
    const QDateTime first =
        startOfHour(QDateTime::currentDateTimeUtc()).addSecs(-3600LL * (std::max(1, hours) - 1));
    QSqlQuery query(database());
    query.prepare(
        QStringLiteral("SELECT hour, requests, bytes, throttled FROM usage_hour WHERE source = ? AND "
                       "hour >= ? ORDER BY hour"));
    query.addBindValue(source);
    query.addBindValue(hourText(first));
    if (!query.exec())
        return sqlError(QStringLiteral("reading usage"), query.lastError().text());
    QList<UsageHour> out;
    while (query.next()) {
        UsageHour hour;
        hour.hour = QDateTime::fromString(query.value(0).toString(), Qt::ISODate);
        hour.requests = query.value(1).toLongLong();
        hour.bytes = query.value(2).toLongLong();
        hour.throttled = query.value(3).toLongLong();
        out.append(hour);
    }
    return out;
}

Expected<QList<StatsEvent>> StatsStore::events(const QString& source, const QString& kind, int limit) {
    QSqlQuery query(database());
    QString sql =
        QStringLiteral("SELECT run_id, time, process, resource, kind, message FROM event WHERE source = ?");
    if (!kind.isEmpty())
        sql += QStringLiteral(" AND kind = ?");
    sql += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    query.prepare(sql);
    query.addBindValue(source);
    if (!kind.isEmpty())
        query.addBindValue(kind);
    query.addBindValue(limit);
    if (!query.exec())
        return sqlError(QStringLiteral("reading events"), query.lastError().text());
    QList<StatsEvent> out;
    while (query.next())
        out.append(StatsEvent{query.value(0).toLongLong(), query.value(1).toString(), source,
                              query.value(2).toString(), query.value(3).toString(), query.value(4).toString(),
                              query.value(5).toString()});
    return out;
}

Expected<std::optional<RunSummary>> StatsStore::lastRun(const QString& source, const QString& process) {
    QSqlQuery query(database());
    QString sql =
        QStringLiteral("SELECT r.id, r.process, r.batch_id, r.started, r.finished, r.result, r.error, "
                       "(SELECT COALESCE(SUM(records_downloaded), 0) FROM run_resource WHERE run_id = r.id) "
                       "FROM run r WHERE r.source = ?");
    if (!process.isEmpty())
        sql += QStringLiteral(" AND r.process = ?");
    sql += QStringLiteral(" ORDER BY r.id DESC LIMIT 1");
    query.prepare(sql);
    query.addBindValue(source);
    if (!process.isEmpty())
        query.addBindValue(process);
    if (!query.exec())
        return sqlError(QStringLiteral("reading last run"), query.lastError().text());
    if (!query.next())
        return std::optional<RunSummary>();
    RunSummary run;
    run.id = query.value(0).toLongLong();
    run.source = source;
    run.process = query.value(1).toString();
    run.batchId = query.value(2).toString();
    run.started = query.value(3).toString();
    run.finished = query.value(4).toString();
    run.result = query.value(5).toString();
    run.error = query.value(6).toString();
    run.records = query.value(7).toLongLong();
    return std::optional<RunSummary>(run);
}

Expected<void> StatsStore::forgetSource(const QString& source) {
    // Rows that hang off a run first, while the runs still say whose they are.
    static const char* const kStatements[] = {
        "DELETE FROM run_resource WHERE run_id IN (SELECT id FROM run WHERE source = ?)",
        "DELETE FROM run_destination WHERE run_id IN (SELECT id FROM run WHERE source = ?)",
        "DELETE FROM run WHERE source = ?",
        "DELETE FROM failure WHERE source = ?",
        "DELETE FROM event WHERE source = ?",
        "DELETE FROM usage_hour WHERE source = ?",
        "DELETE FROM alert_open WHERE source = ?",
        "DELETE FROM alert_streak WHERE source = ?",
        "DELETE FROM count_sample WHERE source = ?",
    };
    QSqlDatabase db = database();
    db.transaction();
    for (const char* statement : kStatements) {
        if (auto r = exec(QString::fromLatin1(statement), {source}); !r) {
            db.rollback();
            return r;
        }
    }
    if (!db.commit())
        return sqlError(QStringLiteral("forgetting source %1").arg(source), db.lastError().text());
    return {};
}

Expected<qint64> StatsStore::failureCount(const QString& source) {
    QSqlQuery query(database());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM failure WHERE source = ?"));
    query.addBindValue(source);
    if (!query.exec() || !query.next())
        return sqlError(QStringLiteral("counting failures"), query.lastError().text());
    return query.value(0).toLongLong();
}

Expected<qint64> StatsStore::startInstance(const QString& kind, qint64 pid, const QString& host) {
    QSqlQuery query(database());
    query.prepare(
        QStringLiteral("INSERT INTO instance (kind, pid, host, started, heartbeat) VALUES (?, ?, ?, ?, ?)"));
    const QString time = now();
    query.addBindValue(kind);
    query.addBindValue(pid);
    query.addBindValue(host);
    query.addBindValue(time);
    query.addBindValue(time);
    if (!query.exec())
        return sqlError(QStringLiteral("recording the running instance"), query.lastError().text());
    return query.lastInsertId().toLongLong();
}

Expected<void> StatsStore::beatInstance(qint64 instanceId) {
    return exec(QStringLiteral("UPDATE instance SET heartbeat = ? WHERE id = ?"), {now(), instanceId});
}

Expected<void> StatsStore::stopInstance(qint64 instanceId) {
    const QString time = now();
    return exec(QStringLiteral("UPDATE instance SET heartbeat = ?, stopped = ? WHERE id = ?"),
                {time, time, instanceId});
}

Expected<QList<InstanceRow>> StatsStore::instances(int limit) {
    QSqlQuery query(database());
    query.prepare(QStringLiteral(
        "SELECT id, kind, pid, host, started, heartbeat, stopped FROM instance ORDER BY id DESC LIMIT ?"));
    query.addBindValue(limit);
    if (!query.exec())
        return sqlError(QStringLiteral("reading the running instances"), query.lastError().text());
    QList<InstanceRow> out;
    while (query.next())
        out.append(InstanceRow{query.value(0).toLongLong(), query.value(1).toString(),
                               query.value(2).toLongLong(), query.value(3).toString(),
                               query.value(4).toString(), query.value(5).toString(),
                               query.value(6).toString()});
    return out;
}

} // namespace ors
