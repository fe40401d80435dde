#pragma once

#include "config/Config.h"
#include "inspect/SourceStatus.h"
#include "stats/StatsStore.h"

#include <QJsonObject>

namespace ors {

// One page of a source's run history with the number of runs the filter matches.
struct HistoryPage {
    RunQuery query; // what was asked, so a caller can tell a stale answer
    QList<RunDetail> runs;
    qint64 total = 0;
    QString error; // empty when the query ran
};

// The points of the window's charts for one source and time range.
struct ChartData {
    QString source;
    QDateTime from; // UTC
    QDateTime to;   // UTC
    QList<RunPoint> runs;
    QList<CountSample> counts;
    QList<UsageHour> usage;
    qint64 quotaPerHour = 0; // the platform's (or configured) requests per hour; 0: none
    QString error;
};

// Reads of the stats store for the window, one call per answer. Each opens the store (the
// configuration's "stats" server, else <dataDir>/stats.sqlite; a source carries its "stats") in the
// calling thread (a pool thread) and returns values; a data directory without stats.sqlite has no
// runs yet, which is an empty answer, not an error, and the file is not created.
class StatsQueries {
public:
    static HistoryPage historyPage(const std::optional<SqlServerConfig>& stats, const QString& dataDir,
                                   const RunQuery& query);
    static ChartData chartData(const SourceConfig& source, const QString& dataDir, const QDateTime& from,
                               const QDateTime& to);
    // The counts of one source's part of a StatusReport (MLS and destinations, where known), as
    // samples taken at `time`.
    static QList<CountSample> samplesOf(const SourceStatus& status, const QDateTime& time);
};

} // namespace ors
