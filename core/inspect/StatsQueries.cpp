#include "inspect/StatsQueries.h"

#include "reso/PlatformProfile.h"

#include <QJsonArray>

namespace ors {

HistoryPage StatsQueries::historyPage(const std::optional<SqlServerConfig>& server, const QString& dataDir,
                                      const RunQuery& query) {
    HistoryPage page;
    page.query = query;
    StatsStore stats(server, dataDir);
    if (!stats.exists())
        return page;
    if (auto r = stats.open(); !r) {
        page.error = r.errorMessage();
        return page;
    }
    auto total = stats.runCount(query);
    if (!total) {
        page.error = total.errorMessage();
        return page;
    }
    page.total = *total;
    auto runs = stats.history(query);
    if (!runs) {
        page.error = runs.errorMessage();
        return page;
    }
    page.runs = *runs;
    return page;
}

ChartData StatsQueries::chartData(const SourceConfig& source, const QString& dataDir, const QDateTime& from,
                                  const QDateTime& to) {
    ChartData data;
    data.source = source.name;
    data.from = from.toUTC();
    data.to = to.toUTC();
    data.quotaPerHour = PlatformProfile::forSource(source).rateLimit.perHour;
    StatsStore stats(source.stats, dataDir);
    if (!stats.exists())
        return data;
    if (auto r = stats.open(); !r) {
        data.error = r.errorMessage();
        return data;
    }
    auto runs = stats.runPoints(source.name, from, to);
    auto counts = stats.countSamples(source.name, from, to);
    auto usage = stats.usageBetween(source.name, from, to);
    if (!runs)
        data.error = runs.errorMessage();
    else if (!counts)
        data.error = counts.errorMessage();
    else if (!usage)
        data.error = usage.errorMessage();
    else {
        data.runs = *runs;
        data.counts = *counts;
        data.usage = *usage;
    }
    return data;
}

QList<CountSample> StatsQueries::samplesOf(const SourceStatus& status, const QDateTime& time) {
    QList<CountSample> out;
    for (const ResourceStatus& resource : status.resources) {
        // A count the MLS did not give (unreachable, no $count) is no sample: unknown is not zero.
        if (resource.mls.count)
            out.append(
                CountSample{time, resource.resource, {}, *resource.mls.count, resource.mls.newestText});
        for (const DestinationStatus& d : resource.destinations)
            if (d.count)
                out.append(CountSample{time, resource.resource, d.name, *d.count, d.newestText});
    }
    return out;
}

} // namespace ors
