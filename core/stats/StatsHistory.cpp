// The run history of the stats store: what `history` (and the window) list.
#include "stats/StatsStore.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <functional>

namespace ors {

namespace {

// "IN (?, ?, ...)" for `count` values.
QString placeholders(qsizetype count) {
    QStringList marks;
    for (qsizetype i = 0; i < count; ++i)
        marks.append(QStringLiteral("?"));
    return QStringLiteral("(%1)").arg(marks.join(QStringLiteral(", ")));
}

} // namespace

QStringList StatsStore::runResults() {
    // ProcessJob::run writes success, error, refused or cancelled; startRun writes running.
    return {QStringLiteral("success"), QStringLiteral("error"), QStringLiteral("refused"),
            QStringLiteral("cancelled"), QStringLiteral("running")};
}

Expected<QList<RunDetail>> StatsStore::history(const RunQuery& filter) {
    QString sql =
        QStringLiteral("SELECT id, source, process, batch_id, started, finished, result, error, "
                       "(SELECT COALESCE(SUM(records_downloaded), 0) FROM run_resource WHERE run_id = "
                       "run.id) FROM run WHERE 1 = 1");
    QVariantList values;
    const auto where = [&](const char* column, const QString& value) {
        if (value.isEmpty())
            return;
        sql += QStringLiteral(" AND %1 = ?").arg(QLatin1String(column));
        values.append(value);
    };
    where("source", filter.source);
    where("process", filter.process);
    where("result", filter.result);
    sql += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    values.append(std::max(1, filter.limit));
    QSqlQuery query(database());
    query.prepare(sql);
    for (const QVariant& value : std::as_const(values))
        query.addBindValue(value);
    if (!query.exec())
        return sqlError(QStringLiteral("reading runs"), query.lastError().text());
    QList<RunDetail> runs;
    QHash<qint64, qsizetype> index;
    while (query.next()) {
        RunDetail detail;
        RunSummary& run = detail.run;
        run.id = query.value(0).toLongLong();
        run.source = query.value(1).toString();
        run.process = query.value(2).toString();
        run.batchId = query.value(3).toString();
        run.started = query.value(4).toString();
        run.finished = query.value(5).toString();
        run.result = query.value(6).toString();
        run.error = query.value(7).toString();
        run.records = query.value(8).toLongLong();
        index.insert(run.id, runs.size());
        runs.append(detail);
    }
    if (runs.isEmpty())
        return runs;
    QVariantList ids;
    for (const RunDetail& detail : std::as_const(runs))
        ids.append(detail.run.id);
    // One query per detail table for all the listed runs, each row sorted into its run.
    const auto each = [&](const QString& select, const QString& what,
                          const std::function<void(RunDetail&, const QSqlQuery&)>& add) -> Expected<void> {
        QSqlQuery rows(database());
        rows.prepare(select.arg(placeholders(ids.size())));
        for (const QVariant& id : std::as_const(ids))
            rows.addBindValue(id);
        if (!rows.exec())
            return sqlError(what, rows.lastError().text());
        while (rows.next()) {
            const auto at = index.constFind(rows.value(0).toLongLong());
            if (at != index.constEnd())
                add(runs[*at], rows);
        }
        return {};
    };
    auto done =
        each(QStringLiteral("SELECT run_id, resource, records_downloaded, expected_count, pages FROM "
                            "run_resource WHERE run_id IN %1 ORDER BY run_id, resource"),
             QStringLiteral("reading run resources"), [](RunDetail& d, const QSqlQuery& q) {
                 d.resources.append(RunResourceCount{q.value(1).toString(), q.value(2).toLongLong(),
                                                     q.value(3).toLongLong(), q.value(4).toLongLong()});
             });
    if (!done)
        return done.error();
    done = each(QStringLiteral("SELECT run_id, resource, destination, records_applied FROM run_destination "
                               "WHERE run_id IN %1 ORDER BY run_id, resource, destination"),
                QStringLiteral("reading run destinations"), [](RunDetail& d, const QSqlQuery& q) {
                    d.destinations.append(RunDestinationCount{q.value(1).toString(), q.value(2).toString(),
                                                              q.value(3).toLongLong()});
                });
    if (!done)
        return done.error();
    done = each(QStringLiteral("SELECT run_id, time, resource, destination, step, message FROM failure WHERE "
                               "run_id IN %1 ORDER BY id"),
                QStringLiteral("reading run failures"), [](RunDetail& d, const QSqlQuery& q) {
                    d.failures.append(RunFailure{q.value(1).toString(), q.value(2).toString(),
                                                 q.value(3).toString(), q.value(4).toString(),
                                                 q.value(5).toString()});
                });
    if (!done)
        return done.error();
    done = each(
        QStringLiteral("SELECT run_id, time, source, process, resource, kind, message FROM event WHERE "
                       "run_id IN %1 ORDER BY id"),
        QStringLiteral("reading run events"), [](RunDetail& d, const QSqlQuery& q) {
            d.events.append(StatsEvent{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                                       q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                                       q.value(6).toString()});
        });
    if (!done)
        return done.error();
    return runs;
}

} // namespace ors
