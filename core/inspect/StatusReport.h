#pragma once

#include "config/Config.h"
#include "inspect/SourceStatus.h"

#include <QDateTime>
#include <QJsonObject>

#include <atomic>

namespace ors {

// Per source and resource: the MLS's record count and newest timestamp beside each
// destination's, the last run and any failing steps. Talks to the network and to the
// databases, so it runs in a worker thread; it takes no lock and changes nothing but stats.sqlite's
// count samples (the counts it took, for the chart of counts over time).
class StatusReport {
public:
    static QJsonObject collect(const Config& config, const QString& dataDir, const QString& onlySource);
    // One source, as values (collect's JSON is made from these). Setting `cancelled` (polled by
    // the HTTP layer every 100 ms) abandons the MLS requests: the status then has an mlsError and
    // no MLS figures; the window sets it when it quits or no longer wants the answer.
    static SourceStatus collectStatus(const SourceConfig& source, const QString& dataDir,
                                      const std::atomic<bool>* cancelled = nullptr);
    // Only what the data directory holds (failures, last runs, usage, events): no network, no
    // destinations; resources stay empty. For views of blocked steps and refusals.
    static SourceStatus collectLocal(const SourceConfig& source, const QString& dataDir);
    static QJsonObject toJson(const SourceStatus& status);
    static QString toText(const QJsonObject& report);
    // Whether a program runs the data directory's schedules, from the stats store's heartbeat
    // rows: {running, kind, pid, host, started, heartbeat, stopped}; when none runs, the last
    // one that did (running false), or nulls when none ever did.
    static QJsonObject schedulerStatus(const std::optional<SqlServerConfig>& stats, const QString& dataDir,
                                       const QDateTime& now);

private:
    static void readStores(const SourceConfig& source, const QString& dataDir, SourceStatus& out);
};

} // namespace ors
