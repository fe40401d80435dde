#pragma once

#include "alerts/Alert.h"
#include "config/Config.h"
#include "processes/JobTypes.h"
#include "util/Expected.h"

#include <QDateTime>
#include <QList>

namespace ors {

class AlertLedger;
class StatsStore;

// Decides what is worth telling, from finished runs and from the stores, and records what it
// told in the ledger: each condition is raised once and recovers once. Opens the stores of the
// data directory on the calling thread (blocking SQLite; run it on a worker).
class AlertRules {
public:
    AlertRules(Config config, QString dataDir);

    // A finished run: run-failed, failures-in-a-row, purge-refused are raised or recover; then the
    // conditions of its source (blocked steps, quota, sync age).
    Expected<QList<Alert>> afterJob(const JobResult& result, const QDateTime& now);
    // The conditions of every source that hold without a run: sync age, quota, blocked steps.
    Expected<QList<Alert>> check(const QDateTime& now);

private:
    Expected<void> sourceConditions(AlertLedger& ledger, StatsStore& stats, const SourceConfig& source,
                                    const QDateTime& now, QList<Alert>& out);
    Expected<void> blockedSteps(AlertLedger& ledger, const SourceConfig& source, const QDateTime& now,
                                QList<Alert>& out);
    Expected<void> quota(AlertLedger& ledger, StatsStore& stats, const SourceConfig& source,
                         const QDateTime& now, QList<Alert>& out);
    Expected<void> syncAge(AlertLedger& ledger, const SourceConfig& source, const QDateTime& now,
                           QList<Alert>& out);

    Config m_config;
    QString m_dataDir;
};

} // namespace ors
