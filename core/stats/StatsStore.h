#pragma once

#include "store/SqliteStore.h"

#include <QString>

#include <optional>

namespace ors {

struct RunSummary {
    qint64 id = 0;
    QString source;
    QString process;
    QString batchId;
    QString started;
    QString finished;
    QString result; // running | success | error | cancelled
    QString error;
    qint64 records = 0;
};

// stats.sqlite: a row per run, per resource and per destination, and every failure.
class StatsStore : public SqliteStore {
public:
    explicit StatsStore(const QString& path);
    Expected<void> open();

    Expected<qint64> startRun(const QString& source, const QString& process, const QString& batchId);
    Expected<void> finishRun(qint64 runId, const QString& result, const QString& error);
    Expected<void> addResourceCounts(qint64 runId, const QString& resource, qint64 downloaded,
                                     qint64 expected, qint64 pages);
    Expected<void> addDestinationCount(qint64 runId, const QString& resource, const QString& destination,
                                       qint64 applied);
    Expected<void> recordFailure(qint64 runId, const QString& source, const QString& process,
                                 const QString& resource, const QString& destination, const QString& step,
                                 const QString& message);
    Expected<std::optional<RunSummary>> lastRun(const QString& source, const QString& process = {});
    Expected<qint64> failureCount(const QString& source);
};

} // namespace ors
