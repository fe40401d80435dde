// The run history of the stats store: what `history` (and the window) list.
#include "stats/StatsStore.h"

#include <QHash>
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

// The WHERE clause of `filter` (its limit and offset aside), its values appended to `values`.
QString runFilter(const RunQuery& filter, QVariantList& values) {
    QStringList terms{QStringLiteral("1 = 1")};
    const auto equal = [&](const char* column, const QString& value) {
        if (value.isEmpty())
            return;
        terms.append(QStringLiteral("%1 = ?").arg(QLatin1String(column)));
        values.append(value);
    };
    equal("source", filter.source);
    equal("process", filter.process);
    equal("result", filter.result);
    // Stored times are UTC text with milliseconds, so text order is time order.
    if (filter.startedFrom.isValid()) {
        terms.append(QStringLiteral("started >= ?"));
        values.append(filter.startedFrom.toUTC().toString(Qt::ISODateWithMs));
    }
    if (filter.startedTo.isValid()) {
        terms.append(QStringLiteral("started < ?"));
        values.append(filter.startedTo.toUTC().toString(Qt::ISODateWithMs));
    }
    return terms.join(QStringLiteral(" AND "));
}

} // namespace

Expected<qint64> StatsStore::runCount(const RunQuery& filter) {
    QVariantList values;
    const QString sql = QStringLiteral("SELECT COUNT(*) FROM run WHERE %1").arg(runFilter(filter, values));
    auto query = run(sql, values, QStringLiteral("counting runs"));
    if (!query)
        return query.error();
    if (!query->next())
        return sqlError(QStringLiteral("counting runs"), QStringLiteral("no row"));
    return query->value(0).toLongLong();
}

QStringList StatsStore::runResults() {
    // ProcessJob::run writes success, error, refused or cancelled; startRun writes running.
    return {QStringLiteral("success"), QStringLiteral("error"), QStringLiteral("refused"),
            QStringLiteral("cancelled"), QStringLiteral("running")};
}

Expected<QList<RunDetail>> StatsStore::history(const RunQuery& filter) {
    QVariantList values;
    QString sql =
        QStringLiteral("SELECT id, source, process, batch_id, started, finished, result, error, "
                       "(SELECT COALESCE(SUM(records_downloaded), 0) FROM run_resource WHERE run_id = "
                       "run.id), host FROM run WHERE %1 ORDER BY started DESC, id DESC LIMIT ? OFFSET ?")
            .arg(runFilter(filter, values));
    values.append(std::max(1, filter.limit));
    values.append(std::max(0, filter.offset));
    auto query = run(sql, values, QStringLiteral("reading runs"));
    if (!query)
        return query.error();
    QList<RunDetail> runs;
    QHash<qint64, qsizetype> index;
    while (query->next()) {
        RunDetail detail;
        RunSummary& summary = detail.run;
        summary.id = query->value(0).toLongLong();
        summary.source = query->value(1).toString();
        summary.process = query->value(2).toString();
        summary.batchId = query->value(3).toString();
        summary.started = query->value(4).toString();
        summary.finished = query->value(5).toString();
        summary.result = query->value(6).toString();
        summary.error = query->value(7).toString();
        summary.records = query->value(8).toLongLong();
        summary.host = query->value(9).toString();
        index.insert(summary.id, runs.size());
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
        auto rows = run(select.arg(placeholders(ids.size())), ids, what);
        if (!rows)
            return rows.error();
        while (rows->next()) {
            const auto at = index.constFind(rows->value(0).toLongLong());
            if (at != index.constEnd())
                add(runs[*at], *rows);
        }
        return {};
    };
    auto done =
        each(QStringLiteral("SELECT run_id, resource, records_downloaded, expected_count, pages, first_page, "
                            "last_page FROM run_resource WHERE run_id IN %1 ORDER BY run_id, resource"),
             QStringLiteral("reading run resources"), [](RunDetail& d, const QSqlQuery& q) {
                 d.resources.append(RunResourceCount{q.value(1).toString(), q.value(2).toLongLong(),
                                                     q.value(3).toLongLong(), q.value(4).toLongLong(),
                                                     q.value(5).toString(), q.value(6).toString()});
             });
    if (!done)
        return done.error();
    done =
        each(QStringLiteral("SELECT run_id, resource, destination, records_applied, first_page, last_page "
                            "FROM run_destination WHERE run_id IN %1 ORDER BY run_id, resource, destination"),
             QStringLiteral("reading run destinations"), [](RunDetail& d, const QSqlQuery& q) {
                 d.destinations.append(RunDestinationCount{q.value(1).toString(), q.value(2).toString(),
                                                           q.value(3).toLongLong(), q.value(4).toString(),
                                                           q.value(5).toString()});
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
