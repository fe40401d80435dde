#include "stats/StatsStore.h"

#include "config/DataDir.h"
#include "logging/Redactor.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSqlQuery>
#include <QSysInfo>
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
    // Qt 6.4's QTimeZone::utc() would print "+00:00" where the stored text has "Z".
    return QDateTime(utc.date(), QTime(utc.time().hour(), 0), Qt::UTC);
}

QString hourText(const QDateTime& time) {
    return startOfHour(time).toString(Qt::ISODate);
}

} // namespace

StatsStore::StatsStore(const QString& path)
    : SqlStore(QStringLiteral("stats store"))
    , m_path(path) {}

StatsStore::StatsStore(const std::optional<SqlServerConfig>& server, const QString& dataDir)
    : SqlStore(QStringLiteral("stats store"))
    , m_path(DataLayout(dataDir).statsDatabase())
    , m_server(server) {}

Expected<void> StatsStore::open() {
    if (m_server)
        return openServer(*m_server, QStringLiteral("stats"),
                          serverSchema(m_server->type == DestinationType::Postgresql ? SqlDialect::Postgresql
                                                                                     : SqlDialect::Mysql));
    return openSqlite(m_path, migrations());
}

bool StatsStore::exists() const {
    return m_server || QFileInfo::exists(m_path);
}

Expected<qint64> StatsStore::startRun(const QString& source, const QString& process, const QString& batchId,
                                      const QDateTime& at) {
    QString sql = QStringLiteral("INSERT INTO run (source, process, batch_id, started, result, host) VALUES "
                                 "(?, ?, ?, ?, 'running', ?)");
    // QPSQL's lastInsertId asks lastval(), which another statement of the session could have moved.
    if (dialect() == SqlDialect::Postgresql)
        sql += QStringLiteral(" RETURNING id");
    auto query = run(sql, {source, process, batchId, timeText(at), QSysInfo::machineHostName()},
                     QStringLiteral("recording run"));
    if (!query)
        return query.error();
    if (dialect() == SqlDialect::Postgresql)
        return query->next() ? query->value(0).toLongLong() : qint64(0);
    return query->lastInsertId().toLongLong();
}

Expected<void> StatsStore::finishRun(qint64 runId, const QString& result, const QString& error,
                                     const QDateTime& at) {
    return exec(
        QStringLiteral("UPDATE run SET finished = ?, result = ?, error = ? WHERE id = ?"),
        {timeText(at), result, error.isEmpty() ? QVariant() : QVariant(Redactor::redact(error)), runId},
        QStringLiteral("finishing run %1").arg(runId));
}

Expected<void> StatsStore::addResourceCounts(qint64 runId, const QString& resource, qint64 downloaded,
                                             qint64 expected, qint64 pages, const QDateTime& at) {
    // One statement adds to what is there: no read of the row first, so no other writer's count is lost.
    const QString time = timeText(at);
    return exec(QStringLiteral(
                    "INSERT INTO run_resource (run_id, resource, records_downloaded, expected_count, "
                    "pages, first_page, last_page) VALUES (?, ?, ?, ?, ?, ?, ?) %1 records_downloaded = "
                    "run_resource.records_downloaded + %2, expected_count = %3, pages = run_resource.pages "
                    "+ %4, first_page = COALESCE(run_resource.first_page, %5), last_page = %6")
                    .arg(onConflictUpdate(QStringLiteral("run_id, resource")),
                         incoming(QStringLiteral("records_downloaded")),
                         greatest(QStringLiteral("run_resource.expected_count"),
                                  incoming(QStringLiteral("expected_count"))),
                         incoming(QStringLiteral("pages")), incoming(QStringLiteral("first_page")),
                         incoming(QStringLiteral("last_page"))),
                {runId, resource, downloaded, expected, pages, time, time},
                QStringLiteral("counting downloaded records of run %1").arg(runId));
}

Expected<void> StatsStore::addDestinationCount(qint64 runId, const QString& resource,
                                               const QString& destination, qint64 applied,
                                               const QDateTime& at) {
    const QString time = timeText(at);
    return exec(QStringLiteral("INSERT INTO run_destination (run_id, resource, destination, records_applied, "
                               "first_page, last_page) VALUES (?, ?, ?, ?, ?, ?) %1 records_applied = "
                               "run_destination.records_applied + %2, first_page = "
                               "COALESCE(run_destination.first_page, %3), last_page = %4")
                    .arg(onConflictUpdate(QStringLiteral("run_id, resource, destination")),
                         incoming(QStringLiteral("records_applied")), incoming(QStringLiteral("first_page")),
                         incoming(QStringLiteral("last_page"))),
                {runId, resource, destination, applied, time, time},
                QStringLiteral("counting applied records of run %1").arg(runId));
}

Expected<void> StatsStore::recordFailure(qint64 runId, const QString& source, const QString& process,
                                         const QString& resource, const QString& destination,
                                         const QString& step, const QString& message) {
    return exec(
        QStringLiteral("INSERT INTO failure (run_id, time, source, process, resource, destination, step, "
                       "message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        {runId > 0 ? QVariant(runId) : QVariant(), now(), source, process,
         resource.isEmpty() ? QVariant() : QVariant(resource),
         destination.isEmpty() ? QVariant() : QVariant(destination), step, Redactor::redact(message)},
        QStringLiteral("recording a failure of %1").arg(source));
}

Expected<void> StatsStore::recordEvent(qint64 runId, const QString& source, const QString& process,
                                       const QString& resource, const QString& kind, const QString& message) {
    return exec(QStringLiteral("INSERT INTO event (run_id, time, source, process, resource, kind, message) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)"),
                {runId > 0 ? QVariant(runId) : QVariant(), now(), source, process,
                 resource.isEmpty() ? QVariant() : QVariant(resource), kind, Redactor::redact(message)},
                QStringLiteral("recording an event of %1").arg(source));
}

Expected<void> StatsStore::addUsage(const QString& source, const QDateTime& hourUtc, qint64 requests,
                                    qint64 bytes, qint64 throttled) {
    return exec(
        QStringLiteral("INSERT INTO usage_hour (source, hour, requests, bytes, throttled) VALUES (?, ?, ?, "
                       "?, ?) %1 requests = usage_hour.requests + %2, bytes = usage_hour.bytes + %3, "
                       "throttled = usage_hour.throttled + %4")
            .arg(onConflictUpdate(QStringLiteral("source, hour")), incoming(QStringLiteral("requests")),
                 incoming(QStringLiteral("bytes")), incoming(QStringLiteral("throttled"))),
        {source, hourText(hourUtc), requests, bytes, throttled},
        QStringLiteral("counting requests of %1").arg(source));
}

Expected<QList<UsageHour>> StatsStore::usage(const QString& source, int hours) {
    const QDateTime first =
        startOfHour(QDateTime::currentDateTimeUtc()).addSecs(-3600LL * (std::max(1, hours) - 1));
    auto query =
        run(QStringLiteral("SELECT hour, requests, bytes, throttled FROM usage_hour WHERE source = ? AND "
                           "hour >= ? ORDER BY hour"),
            {source, hourText(first)}, QStringLiteral("reading usage"));
    if (!query)
        return query.error();
    QList<UsageHour> out;
    while (query->next()) {
        UsageHour hour;
        hour.hour = QDateTime::fromString(query->value(0).toString(), Qt::ISODate);
        hour.requests = query->value(1).toLongLong();
        hour.bytes = query->value(2).toLongLong();
        hour.throttled = query->value(3).toLongLong();
        out.append(hour);
    }
    return out;
}

Expected<QList<StatsEvent>> StatsStore::events(const QString& source, const QString& kind, int limit) {
    QString sql =
        QStringLiteral("SELECT run_id, time, process, resource, kind, message FROM event WHERE source = ?");
    QVariantList values{source};
    if (!kind.isEmpty()) {
        sql += QStringLiteral(" AND kind = ?");
        values.append(kind);
    }
    sql += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    values.append(limit);
    auto query = run(sql, values, QStringLiteral("reading events"));
    if (!query)
        return query.error();
    QList<StatsEvent> out;
    while (query->next())
        out.append(StatsEvent{query->value(0).toLongLong(), query->value(1).toString(), source,
                              query->value(2).toString(), query->value(3).toString(),
                              query->value(4).toString(), query->value(5).toString()});
    return out;
}

Expected<std::optional<RunSummary>> StatsStore::lastRun(const QString& source, const QString& process) {
    QString sql = QStringLiteral(
        "SELECT r.id, r.process, r.batch_id, r.started, r.finished, r.result, r.error, "
        "(SELECT COALESCE(SUM(records_downloaded), 0) FROM run_resource WHERE run_id = r.id), r.host "
        "FROM run r WHERE r.source = ?");
    QVariantList values{source};
    if (!process.isEmpty()) {
        sql += QStringLiteral(" AND r.process = ?");
        values.append(process);
    }
    sql += QStringLiteral(" ORDER BY r.id DESC LIMIT 1");
    auto query = run(sql, values, QStringLiteral("reading last run"));
    if (!query)
        return query.error();
    if (!query->next())
        return std::optional<RunSummary>();
    RunSummary run;
    run.id = query->value(0).toLongLong();
    run.source = source;
    run.process = query->value(1).toString();
    run.batchId = query->value(2).toString();
    run.started = query->value(3).toString();
    run.finished = query->value(4).toString();
    run.result = query->value(5).toString();
    run.error = query->value(6).toString();
    run.records = query->value(7).toLongLong();
    run.host = query->value(8).toString();
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
    return inTransaction(QStringLiteral("forgetting source %1").arg(source), [&]() -> Expected<void> {
        for (const char* statement : kStatements)
            if (auto r = exec(QString::fromLatin1(statement), {source}); !r)
                return r;
        return {};
    });
}

Expected<qint64> StatsStore::failureCount(const QString& source) {
    auto query = run(QStringLiteral("SELECT COUNT(*) FROM failure WHERE source = ?"), {source},
                     QStringLiteral("counting failures"));
    if (!query)
        return query.error();
    if (!query->next())
        return sqlError(QStringLiteral("counting failures"), QStringLiteral("no row"));
    return query->value(0).toLongLong();
}

Expected<qint64> StatsStore::startInstance(const QString& kind, qint64 pid, const QString& host,
                                           const QString& dataDir) {
    QString sql = QStringLiteral(
        "INSERT INTO instance (kind, pid, host, started, heartbeat, data_dir) VALUES (?, ?, ?, ?, ?, ?)");
    if (dialect() == SqlDialect::Postgresql)
        sql += QStringLiteral(" RETURNING id");
    const QString time = now();
    auto query = run(sql, {kind, pid, host, time, time, dataDir.isEmpty() ? QVariant() : QVariant(dataDir)},
                     QStringLiteral("recording the running instance"));
    if (!query)
        return query.error();
    if (dialect() == SqlDialect::Postgresql)
        return query->next() ? query->value(0).toLongLong() : qint64(0);
    return query->lastInsertId().toLongLong();
}

Expected<void> StatsStore::beatInstance(qint64 instanceId) {
    return exec(QStringLiteral("UPDATE instance SET heartbeat = ? WHERE id = ?"), {now(), instanceId},
                QStringLiteral("refreshing the heartbeat"));
}

Expected<void> StatsStore::stopInstance(qint64 instanceId) {
    const QString time = now();
    return exec(QStringLiteral("UPDATE instance SET heartbeat = ?, stopped = ? WHERE id = ?"),
                {time, time, instanceId}, QStringLiteral("recording the instance's end"));
}

Expected<QList<InstanceRow>> StatsStore::instances(int limit, const QString& dataDir) {
    QString sql = QStringLiteral("SELECT id, kind, pid, host, started, heartbeat, stopped FROM instance");
    QVariantList values;
    if (!dataDir.isEmpty()) {
        sql += QStringLiteral(" WHERE data_dir = ?");
        values.append(dataDir);
    }
    sql += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    values.append(limit);
    auto query = run(sql, values, QStringLiteral("reading the running instances"));
    if (!query)
        return query.error();
    QList<InstanceRow> out;
    while (query->next())
        out.append(InstanceRow{query->value(0).toLongLong(), query->value(1).toString(),
                               query->value(2).toLongLong(), query->value(3).toString(),
                               query->value(4).toString(), query->value(5).toString(),
                               query->value(6).toString()});
    return out;
}

} // namespace ors
