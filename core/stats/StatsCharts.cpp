// What the window's charts plot: runs over time, record counts over time, requests per hour.
#include "stats/StatsStore.h"

#include <QSqlQuery>
#include <QVariant>

namespace ors {

namespace {

// Stored times are UTC text with milliseconds (usage hours without), so text order is time order.
QString bound(const QDateTime& time, Qt::DateFormat format = Qt::ISODateWithMs) {
    return time.toUTC().toString(format);
}

QDateTime instant(const QVariant& text) {
    QDateTime time = QDateTime::fromString(text.toString(), Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text.toString(), Qt::ISODate);
    return time.toUTC();
}

} // namespace

Expected<QList<RunPoint>> StatsStore::runPoints(const QString& source, const QDateTime& from,
                                                const QDateTime& to) {
    auto query = run(
        QStringLiteral("SELECT id, process, result, started, finished, "
                       "(SELECT COALESCE(SUM(records_downloaded), 0) FROM run_resource WHERE run_id = "
                       "run.id), (SELECT COALESCE(SUM(records_applied), 0) FROM run_destination WHERE "
                       "run_id = run.id) FROM run WHERE source = ? AND started >= ? AND started < ? "
                       "ORDER BY started, id"),
        {source, bound(from), bound(to)}, QStringLiteral("reading runs of %1 for the charts").arg(source));
    if (!query)
        return query.error();
    QList<RunPoint> out;
    while (query->next()) {
        RunPoint point;
        point.runId = query->value(0).toLongLong();
        point.process = query->value(1).toString();
        point.result = query->value(2).toString();
        point.started = instant(query->value(3));
        if (!query->value(4).isNull())
            point.finished = instant(query->value(4));
        point.downloaded = query->value(5).toLongLong();
        point.applied = query->value(6).toLongLong();
        out.append(point);
    }
    return out;
}

Expected<void> StatsStore::addCountSamples(const QString& source, const QList<CountSample>& samples) {
    if (samples.isEmpty())
        return {};
    return inTransaction(
        QStringLiteral("recording record counts of %1").arg(source), [&]() -> Expected<void> {
            for (const CountSample& sample : samples) {
                const QDateTime time = sample.time.isValid() ? sample.time : QDateTime::currentDateTimeUtc();
                auto r = exec(
                    QStringLiteral("INSERT INTO count_sample (time, source, resource, destination, count, "
                                   "newest) VALUES (?, ?, ?, ?, ?, ?)"),
                    // A null QString would bind as NULL; the MLS is ''.
                    {bound(time), source, sample.resource,
                     sample.destination.isEmpty() ? QStringLiteral("") : sample.destination, sample.count,
                     sample.newest.isEmpty() ? QVariant() : QVariant(sample.newest)},
                    QStringLiteral("recording record counts of %1").arg(source));
                if (!r)
                    return r;
            }
            return {};
        });
}

Expected<QList<CountSample>> StatsStore::countSamples(const QString& source, const QDateTime& from,
                                                      const QDateTime& to) {
    auto query =
        run(QStringLiteral("SELECT time, resource, destination, count, newest FROM count_sample WHERE "
                           "source = ? AND time >= ? AND time < ? ORDER BY time, resource, destination, id"),
            {source, bound(from), bound(to)}, QStringLiteral("reading record counts of %1").arg(source));
    if (!query)
        return query.error();
    QList<CountSample> out;
    while (query->next())
        out.append(CountSample{instant(query->value(0)), query->value(1).toString(),
                               query->value(2).toString(), query->value(3).toLongLong(),
                               query->value(4).toString()});
    return out;
}

Expected<QList<UsageHour>> StatsStore::usageBetween(const QString& source, const QDateTime& from,
                                                    const QDateTime& to) {
    auto query =
        run(QStringLiteral("SELECT hour, requests, bytes, throttled FROM usage_hour WHERE source = ? AND "
                           "hour >= ? AND hour < ? ORDER BY hour"),
            {source, bound(from, Qt::ISODate), bound(to, Qt::ISODate)},
            QStringLiteral("reading requests per hour of %1").arg(source));
    if (!query)
        return query.error();
    QList<UsageHour> out;
    while (query->next())
        out.append(UsageHour{instant(query->value(0)), query->value(1).toLongLong(),
                             query->value(2).toLongLong(), query->value(3).toLongLong()});
    return out;
}

} // namespace ors
