#pragma once

#include "alerts/Alert.h"
#include "util/Expected.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace ors {

class StatsStore;

// The open alert conditions and failure streaks in the stats store (alert_open, alert_streak), so a
// CLI run from cron and a later run, the window and `serve`, or instances on several machines
// sharing a stats server, agree on what was already told.
// Each change is one statement: of two processes raising (or clearing) one condition, exactly
// one sees its row inserted (or deleted), and only that one sends.
class AlertLedger {
public:
    explicit AlertLedger(StatsStore& stats)
        : m_stats(stats) {}

    // True when the condition was not open yet: this caller tells it.
    Expected<bool> raise(const Alert& alert);
    // True when the condition was open: this caller tells that it recovered.
    Expected<bool> clear(const QString& source, const QString& process, AlertCondition condition,
                         const QString& subject);
    // The open conditions of `condition` for `source` (the message is the one raised).
    Expected<QList<Alert>> open(const QString& source, AlertCondition condition);

    // The failure streak of one process of one source, after adding this failure.
    Expected<int> addFailure(const QString& source, const QString& process);
    Expected<void> resetFailures(const QString& source, const QString& process);

    // When the last successful run of `process` finished; without one, when its first run
    // started (a source that never synced is as old as its first try); nothing without any run.
    Expected<std::optional<QDateTime>> lastSuccessOrFirstTry(const QString& source, const QString& process);

private:
    StatsStore& m_stats;
};

} // namespace ors
