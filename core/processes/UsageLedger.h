#pragma once

#include <QJsonObject>
#include <QString>

namespace ors {

class RateLimiter;
class SourceContext;
class StatsStore;

// Request usage between the rate limiter and stats.sqlite (usage_hour, event): what earlier runs
// used goes into the limiter, what this run uses comes out per clock hour, for the limits and for
// the window's quota display.
class UsageLedger {
public:
    // The last 24 hours of the source's usage, so two runs in one hour share that hour's budget.
    static void seed(StatsStore& stats, const QString& source, RateLimiter& limiter);
    // Writes what was used since the last write; unless `force`, at most once a minute.
    static void flush(StatsStore& stats, const QString& source, RateLimiter& limiter, bool force);
    // At the end of a run: the last flush, and one "throttled" event if the server answered 429
    // (one per run, however many there were, so events stay few).
    static void finish(StatsStore& stats, qint64 runId, const QString& source, const QString& process,
                       SourceContext& context);
    // {"currentHour": {requests, bytes, throttled}, "last24Hours": {…}} (clock hours, UTC).
    static QJsonObject summary(StatsStore& stats, const QString& source);
};

} // namespace ors
