#include "StatsFixture.h"

#include "CliFixture.h"
#include "config/DataDir.h"

#include <QDebug>
#include <QDir>

namespace ors::test {

qint64 KnownRun::downloaded() const {
    qint64 sum = 0;
    for (const RunResourceCount& r : resources)
        sum += r.downloaded;
    return sum;
}

qint64 KnownRun::applied() const {
    qint64 sum = 0;
    for (const RunDestinationCount& d : destinations)
        sum += d.applied;
    return sum;
}

namespace {

QString text(const QDateTime& time) {
    return time.toUTC().toString(Qt::ISODateWithMs);
}

KnownRun plannedRun(int i, const QDateTime& first) {
    KnownRun run;
    run.process = i % 4 == 3   ? QStringLiteral("purge")
                  : i % 6 == 5 ? QStringLiteral("reconcile")
                               : QStringLiteral("sync");
    run.result = i % 5 == 4 ? QStringLiteral("error") : QStringLiteral("success");
    if (run.result == QLatin1String("error"))
        run.error = QStringLiteral("HTTP 500 from Property page %1").arg(i);
    run.started = first.addSecs(qint64(i) * 12 * 3600);
    run.finished = run.started.addSecs(60 + 37 * i);
    const QDateTime download = run.started.addSecs(20);
    run.resources = {
        RunResourceCount{QStringLiteral("Member"), 5 + i, 5 + i, 1, text(download), text(download)},
        RunResourceCount{QStringLiteral("Property"), 100 + 10 * i, 100 + 10 * i, 2 + i % 3, text(download),
                         text(download.addSecs(15 + i))}};
    const QDateTime apply = download.addSecs(30);
    run.destinations = {RunDestinationCount{QStringLiteral("Member"), QStringLiteral("local0"), 5 + i,
                                            text(apply), text(apply)},
                        RunDestinationCount{QStringLiteral("Property"), QStringLiteral("local0"),
                                            100 + 10 * i, text(apply), text(apply.addSecs(10))},
                        RunDestinationCount{QStringLiteral("Property"), QStringLiteral("warehouse"),
                                            100 + 10 * i, text(apply), text(apply.addSecs(12))}};
    if (i % 7 == 0)
        run.events.append(StatsEvent{
            0,
            {},
            {},
            run.process,
            QStringLiteral("Property"),
            QStringLiteral("count-mismatch"),
            QStringLiteral("expected %1 records, received %2").arg(103 + 10 * i).arg(100 + 10 * i)});
    if (i % 8 == 1)
        run.events.append(StatsEvent{0,
                                     {},
                                     {},
                                     run.process,
                                     {},
                                     QStringLiteral("throttled"),
                                     QStringLiteral("%1 of 900 requests were answered HTTP 429").arg(i)});
    return run;
}

} // namespace

KnownStats fillKnownStats(const QString& path, const QString& source, const QDateTime& now) {
    KnownStats known;
    StatsStore stats(path);
    const auto failed = [&known](const auto& r) {
        if (r)
            return false;
        qWarning().noquote() << "filling known stats:" << r.errorMessage();
        known = {};
        return true;
    };
    if (failed(stats.open()))
        return known;
    const QDateTime utc = now.toUTC();
    // Whole seconds, 12 days back at 01:00 UTC, a run every 12 hours.
    const QDateTime first(utc.date().addDays(-12), QTime(1, 0), Qt::UTC);
    for (int i = 0; i < 24; ++i) {
        KnownRun run = plannedRun(i, first);
        if (run.started >= utc)
            break;
        auto id = stats.startRun(source, run.process, QStringLiteral("batch-%1").arg(i), run.started);
        if (failed(id))
            return known;
        run.id = *id;
        for (const RunResourceCount& r : std::as_const(run.resources)) {
            // Written as the pages came: the first page, then the rest.
            const qint64 firstPage = r.pages > 1 ? r.downloaded / 2 : r.downloaded;
            if (failed(stats.addResourceCounts(run.id, r.resource, firstPage, r.expected, 1,
                                               QDateTime::fromString(r.firstPage, Qt::ISODateWithMs))))
                return known;
            if (r.pages > 1 && failed(stats.addResourceCounts(
                                   run.id, r.resource, r.downloaded - firstPage, r.expected, r.pages - 1,
                                   QDateTime::fromString(r.lastPage, Qt::ISODateWithMs))))
                return known;
        }
        for (const RunDestinationCount& d : std::as_const(run.destinations)) {
            if (failed(stats.addDestinationCount(run.id, d.resource, d.destination, d.applied,
                                                 QDateTime::fromString(d.firstPage, Qt::ISODateWithMs))))
                return known;
            if (d.lastPage != d.firstPage &&
                failed(stats.addDestinationCount(run.id, d.resource, d.destination, 0,
                                                 QDateTime::fromString(d.lastPage, Qt::ISODateWithMs))))
                return known;
        }
        for (StatsEvent& e : run.events) {
            e.runId = run.id;
            e.source = source;
            if (failed(stats.recordEvent(run.id, source, run.process, e.resource, e.kind, e.message)))
                return known;
        }
        if (failed(stats.finishRun(run.id, run.result, run.error, run.finished)))
            return known;
        known.runs.append(run);
    }
    for (int day = 0; day < 12; ++day) {
        const QDateTime time(utc.date().addDays(day - 12), QTime(12, 0), Qt::UTC);
        const qint64 mls = 1000 + 10 * day;
        const QString newest = text(time.addSecs(-600));
        known.counts +=
            {CountSample{time, QStringLiteral("Property"), {}, mls, newest},
             CountSample{time, QStringLiteral("Property"), QStringLiteral("local0"), mls - day % 3, newest},
             CountSample{time, QStringLiteral("Property"), QStringLiteral("warehouse"), mls, newest}};
    }
    if (failed(stats.addCountSamples(source, known.counts)))
        return known;
    const QDateTime thisHour(utc.date(), QTime(utc.time().hour(), 0), Qt::UTC);
    for (int h = 72; h >= 1; --h) {
        const UsageHour hour{thisHour.addSecs(-3600LL * h), 400 + (h * 977) % 8000, 1000LL * h,
                             h % 9 == 0 ? 3 : 0};
        if (failed(stats.addUsage(source, hour.hour, hour.requests, hour.bytes, hour.throttled)))
            return known;
        known.usage.append(hour);
    }
    return known;
}

std::optional<SyncedStats> fillKnownStatsAndSync(CliFixture& f) {
    fake::ServerOptions options;
    options.listingCount = 30;
    if (!f.startServer(options)) {
        qWarning() << "the fake server did not start";
        return std::nullopt;
    }
    f.writeSource(sourceConfig(QStringLiteral("mls"), f.server->serviceUrl(),
                               {f.path(QStringLiteral("d.sqlite"))}, 25));
    QDir().mkpath(f.dataDir);
    const QString path = DataLayout(f.dataDir).statsDatabase();
    SyncedStats out;
    out.known = fillKnownStats(path, QStringLiteral("mls"), QDateTime::currentDateTimeUtc().addSecs(-3600));
    if (out.known.runs.isEmpty())
        return std::nullopt;
    const CliResult sync = f.run(QStringLiteral("sync"));
    if (sync.exitCode != 0) {
        qWarning() << "sync failed:" << sync.err;
        return std::nullopt;
    }
    StatsStore stats(path);
    if (!stats.open()) {
        qWarning() << path << ": not readable";
        return std::nullopt;
    }
    RunQuery last;
    last.limit = 1;
    const auto newest = stats.history(last);
    const auto hours = stats.usage(QStringLiteral("mls"), 100);
    if (!newest || newest->size() != 1 || !hours) {
        qWarning() << path << ": the real sync's run or the requests per hour are not readable";
        return std::nullopt;
    }
    const auto& run = newest->first();
    out.realSync.id = run.run.id;
    out.realSync.process = QStringLiteral("sync");
    out.realSync.result = run.run.result;
    out.realSync.started = QDateTime::fromString(run.run.started, Qt::ISODateWithMs);
    out.realSync.finished = QDateTime::fromString(run.run.finished, Qt::ISODateWithMs);
    out.realSync.resources = run.resources;
    out.realSync.destinations = run.destinations;
    out.known.usage = *hours;
    return out;
}

} // namespace ors::test
