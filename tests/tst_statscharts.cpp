// The stats queries the window's history and charts use: runs with paging and filters (process,
// result, start range) and their details, chart points (runs, count samples, requests per hour)
// against a stats.sqlite filled with known runs, and `status` recording count samples after a
// real sync against the fake RESO server.
#include "CliFixture.h"
#include "StatsFixture.h"

#include "config/DataDir.h"
#include "inspect/StatsQueries.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace ors;
using namespace ors::test;

namespace {

const QString kSource = QStringLiteral("mls");

// The known runs matching `keep`, newest first, as ids.
QList<qint64> idsWhere(const KnownStats& known, const std::function<bool(const KnownRun&)>& keep) {
    QList<qint64> ids;
    for (const KnownRun& run : known.runs)
        if (keep(run))
            ids.prepend(run.id);
    return ids;
}

QList<qint64> idsOf(const QList<RunDetail>& runs) {
    QList<qint64> ids;
    for (const RunDetail& d : runs)
        ids.append(d.run.id);
    return ids;
}

} // namespace

class TestStatsCharts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void filtersNarrowToTheKnownRuns();
    void pagesCoverEveryRunOnce();
    void detailsOfARun();
    void chartPoints();
    void chartDataWithoutStatsFile();
    void statusRecordsCountSamples();

private:
    QTemporaryDir m_dir;
    QDateTime m_now;
    KnownStats m_known;

    HistoryPage page(RunQuery query) const {
        query.source = kSource;
        return StatsQueries::historyPage(std::nullopt, m_dir.path(), query);
    }
};

void TestStatsCharts::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_now = QDateTime::currentDateTimeUtc();
    m_known = fillKnownStats(DataLayout(m_dir.path()).statsDatabase(), kSource, m_now);
    QCOMPARE(m_known.runs.size(), 24);
    // Another source's runs are never shown.
    StatsStore other(DataLayout(m_dir.path()).statsDatabase());
    QVERIFY(other.open());
    QVERIFY(other.startRun(QStringLiteral("other"), QStringLiteral("sync"), QStringLiteral("b")));
}

void TestStatsCharts::filtersNarrowToTheKnownRuns() {
    RunQuery all;
    all.limit = 1000;
    HistoryPage p = page(all);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.total, 24);
    QCOMPARE(idsOf(p.runs), idsWhere(m_known, [](const KnownRun&) { return true; }));

    RunQuery syncs = all;
    syncs.process = QStringLiteral("sync");
    p = page(syncs);
    const auto expectedSyncs =
        idsWhere(m_known, [](const KnownRun& r) { return r.process == QLatin1String("sync"); });
    QVERIFY(expectedSyncs.size() > 5);
    QCOMPARE(p.total, expectedSyncs.size());
    QCOMPARE(idsOf(p.runs), expectedSyncs);

    RunQuery failedSyncs = syncs;
    failedSyncs.result = QStringLiteral("error");
    p = page(failedSyncs);
    const auto expectedFailed = idsWhere(m_known, [](const KnownRun& r) {
        return r.process == QLatin1String("sync") && r.result == QLatin1String("error");
    });
    QVERIFY(!expectedFailed.isEmpty());
    QCOMPARE(idsOf(p.runs), expectedFailed);
    QCOMPARE(p.total, expectedFailed.size());

    // A start range [from, to): the runs of days 3 to 6 of the twelve.
    RunQuery range = all;
    range.startedFrom = m_known.runs.at(6).started;
    range.startedTo = m_known.runs.at(14).started;
    p = page(range);
    QCOMPARE(idsOf(p.runs), idsWhere(m_known, [&](const KnownRun& r) {
                 return r.started >= range.startedFrom && r.started < range.startedTo;
             }));
    QCOMPARE(p.runs.size(), 8);

    RunQuery nothing = all;
    nothing.result = QStringLiteral("refused");
    p = page(nothing);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.total, 0);
    QVERIFY(p.runs.isEmpty());
}

void TestStatsCharts::pagesCoverEveryRunOnce() {
    QList<qint64> seen;
    RunQuery query;
    query.limit = 5;
    for (query.offset = 0; query.offset < 30; query.offset += 5) {
        const HistoryPage p = page(query);
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QCOMPARE(p.total, 24);
        QCOMPARE(p.runs.size(), std::clamp(24 - query.offset, 0, 5));
        seen += idsOf(p.runs);
    }
    QCOMPARE(seen, idsWhere(m_known, [](const KnownRun&) { return true; }));
}

void TestStatsCharts::detailsOfARun() {
    RunQuery all;
    all.limit = 100;
    const HistoryPage p = page(all);
    for (const KnownRun& known : m_known.runs) {
        const auto at = std::find_if(p.runs.cbegin(), p.runs.cend(),
                                     [&](const RunDetail& d) { return d.run.id == known.id; });
        QVERIFY(at != p.runs.cend());
        const RunDetail& d = *at;
        QCOMPARE(d.run.process, known.process);
        QCOMPARE(d.run.result, known.result);
        QCOMPARE(d.run.error, known.error);
        QCOMPARE(QDateTime::fromString(d.run.started, Qt::ISODateWithMs), known.started);
        QCOMPARE(QDateTime::fromString(d.run.finished, Qt::ISODateWithMs), known.finished);
        QCOMPARE(d.run.records, known.downloaded());
        QCOMPARE(d.resources.size(), known.resources.size());
        for (qsizetype i = 0; i < d.resources.size(); ++i) {
            QCOMPARE(d.resources[i].resource, known.resources[i].resource);
            QCOMPARE(d.resources[i].downloaded, known.resources[i].downloaded);
            QCOMPARE(d.resources[i].expected, known.resources[i].expected);
            QCOMPARE(d.resources[i].pages, known.resources[i].pages);
            QCOMPARE(d.resources[i].firstPage, known.resources[i].firstPage);
            QCOMPARE(d.resources[i].lastPage, known.resources[i].lastPage);
        }
        QCOMPARE(d.destinations.size(), known.destinations.size());
        for (qsizetype i = 0; i < d.destinations.size(); ++i) {
            QCOMPARE(d.destinations[i].destination, known.destinations[i].destination);
            QCOMPARE(d.destinations[i].applied, known.destinations[i].applied);
            QCOMPARE(d.destinations[i].lastPage, known.destinations[i].lastPage);
        }
        QCOMPARE(d.events.size(), known.events.size());
        for (qsizetype i = 0; i < d.events.size(); ++i) {
            QCOMPARE(d.events[i].kind, known.events[i].kind);
            QCOMPARE(d.events[i].message, known.events[i].message);
            QCOMPARE(d.events[i].runId, known.id);
        }
    }
}

void TestStatsCharts::chartPoints() {
    SourceConfig source;
    source.name = kSource;
    source.platform = Platform::Trestle;
    const QDateTime from = m_now.addDays(-7);
    const ChartData data = StatsQueries::chartData(source, m_dir.path(), from, m_now);
    QVERIFY2(data.error.isEmpty(), qPrintable(data.error));
    QCOMPARE(data.quotaPerHour, 7200);

    QList<KnownRun> runs;
    for (const KnownRun& r : m_known.runs)
        if (r.started >= from && r.started < m_now)
            runs.append(r);
    QVERIFY(runs.size() >= 12);
    QCOMPARE(data.runs.size(), runs.size());
    for (qsizetype i = 0; i < runs.size(); ++i) {
        QCOMPARE(data.runs[i].runId, runs[i].id);
        QCOMPARE(data.runs[i].started, runs[i].started);
        QCOMPARE(data.runs[i].finished, runs[i].finished);
        QCOMPARE(data.runs[i].downloaded, runs[i].downloaded());
        QCOMPARE(data.runs[i].applied, runs[i].applied());
        QCOMPARE(data.runs[i].process, runs[i].process);
    }

    QList<CountSample> counts;
    for (const CountSample& c : m_known.counts)
        if (c.time >= from && c.time < m_now)
            counts.append(c);
    // Sorted by time, then resource and destination ('' = the MLS first).
    QCOMPARE(data.counts.size(), counts.size());
    for (qsizetype i = 0; i < counts.size(); ++i) {
        QCOMPARE(data.counts[i].time, counts[i].time);
        QCOMPARE(data.counts[i].destination, counts[i].destination);
        QCOMPARE(data.counts[i].count, counts[i].count);
        QCOMPARE(data.counts[i].newest, counts[i].newest);
    }

    QCOMPARE(data.usage.size(), m_known.usage.size()); // 72 hours, all within 7 days
    for (qsizetype i = 0; i < data.usage.size(); ++i) {
        QCOMPARE(data.usage[i].hour, m_known.usage[i].hour);
        QCOMPARE(data.usage[i].requests, m_known.usage[i].requests);
        QCOMPARE(data.usage[i].throttled, m_known.usage[i].throttled);
    }

    // A configured limit wins over the platform's.
    source.rateLimit.perHour = 500;
    QCOMPARE(StatsQueries::chartData(source, m_dir.path(), from, m_now).quotaPerHour, 500);
}

void TestStatsCharts::chartDataWithoutStatsFile() {
    QTemporaryDir empty;
    SourceConfig source;
    source.name = kSource;
    const ChartData data = StatsQueries::chartData(source, empty.path(), m_now.addDays(-7), m_now);
    QVERIFY(data.error.isEmpty());
    QVERIFY(data.runs.isEmpty() && data.counts.isEmpty() && data.usage.isEmpty());
    const HistoryPage p = StatsQueries::historyPage(std::nullopt, empty.path(), RunQuery{});
    QVERIFY(p.error.isEmpty());
    QCOMPARE(p.total, 0);
    QVERIFY(!QFileInfo::exists(DataLayout(empty.path()).statsDatabase()));
}

void TestStatsCharts::statusRecordsCountSamples() {
    CliFixture f;
    fake::ServerOptions options;
    options.listingCount = 30;
    QVERIFY(f.startServer(options));
    f.writeSource(sourceConfig(kSource, f.server->serviceUrl(), {f.path(QStringLiteral("d.sqlite"))}, 25));
    const CliResult sync = f.run(QStringLiteral("sync"));
    QVERIFY2(sync.exitCode == 0, sync.err.constData());
    // The MLS gains records the destination does not have yet: the samples show the drift.
    f.server->addRecords(4);

    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    const CliResult status = f.cli({QStringLiteral("status"), QStringLiteral("--json")});
    QVERIFY2(status.exitCode == 0 || status.exitCode == 1, status.err.constData());
    const QJsonObject report = QJsonDocument::fromJson(status.out).object();
    const QJsonObject mls = report.value(QStringLiteral("sources")).toArray().first().toObject();

    StatsStore stats(DataLayout(f.dataDir).statsDatabase());
    QVERIFY(stats.open());
    auto samples = stats.countSamples(kSource, before, QDateTime::currentDateTimeUtc().addSecs(1));
    QVERIFY2(samples, samples ? "" : qPrintable(samples.errorMessage()));
    QStringList seen;
    for (const CountSample& s : *samples)
        seen.append(QStringLiteral("%1 %2 %3")
                        .arg(s.resource, s.destination.isEmpty() ? QStringLiteral("MLS") : s.destination)
                        .arg(s.count));
    QStringList expected;
    for (const QJsonValue rv : mls.value(QStringLiteral("resources")).toArray()) {
        const QJsonObject r = rv.toObject();
        const QString name = r.value(QStringLiteral("name")).toString();
        expected.append(QStringLiteral("%1 MLS %2")
                            .arg(name)
                            .arg(r[QStringLiteral("mls")][QStringLiteral("count")].toInteger()));
        for (const QJsonValue dv : r.value(QStringLiteral("destinations")).toArray())
            expected.append(QStringLiteral("%1 %2 %3")
                                .arg(name, dv[QStringLiteral("name")].toString())
                                .arg(dv[QStringLiteral("count")].toInteger()));
    }
    seen.sort();
    expected.sort();
    QCOMPARE(seen, expected);
    QVERIFY2(seen.contains(QStringLiteral("Property MLS 34")), qPrintable(seen.join(QLatin1Char('\n'))));
    QVERIFY2(seen.contains(QStringLiteral("Property local0 30")), qPrintable(seen.join(QLatin1Char('\n'))));
    // The real sync is in the history too, with its counts.
    RunQuery query;
    query.source = kSource;
    query.process = QStringLiteral("sync");
    const HistoryPage p = StatsQueries::historyPage(std::nullopt, f.dataDir, query);
    QCOMPARE(p.total, 1);
    const auto property =
        std::find_if(p.runs.first().resources.cbegin(), p.runs.first().resources.cend(),
                     [](const RunResourceCount& r) { return r.resource == QLatin1String("Property"); });
    QVERIFY(property != p.runs.first().resources.cend());
    QCOMPARE(property->downloaded, 30);
    QVERIFY(!property->firstPage.isEmpty() && property->lastPage >= property->firstPage);
}

QTEST_GUILESS_MAIN(TestStatsCharts)
#include "tst_statscharts.moc"
