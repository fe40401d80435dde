#pragma once

#include "config/Config.h"

#include <QDateTime>
#include <QJsonObject>

namespace ors {

// Per source and resource: the MLS's record count and newest timestamp beside each
// destination's, the last run and any failing steps. Talks to the network and to the
// databases, so it runs in a worker thread; it takes no lock and changes nothing but stats.sqlite's
// count samples (the counts it took, for the chart of counts over time).
class StatusReport {
public:
    static QJsonObject collect(const Config& config, const QString& dataDir, const QString& onlySource);
    static QString toText(const QJsonObject& report);
    // Whether a program runs the data directory's schedules, from the stats store's heartbeat
    // rows: {running, kind, pid, host, started, heartbeat, stopped}; when none runs, the last
    // one that did (running false), or nulls when none ever did.
    static QJsonObject schedulerStatus(const QString& dataDir, const QDateTime& now);

private:
    static QJsonObject collectSource(const SourceConfig& source, const QString& dataDir);
};

} // namespace ors
