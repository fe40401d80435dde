#include "processes/UsageLedger.h"

#include "logging/LogCategories.h"
#include "processes/SourceContext.h"
#include "reso/RateLimiter.h"
#include "stats/StatsStore.h"

#include <QDateTime>

namespace ors {

namespace {
constexpr qint64 kFlushEveryMs = 60 * 1000;
}

void UsageLedger::seed(StatsStore& stats, const QString& source, RateLimiter& limiter) {
    auto hours = stats.usage(source, 24);
    if (!hours) {
        // Without history the limits still hold within this run.
        qCWarning(lcStats).noquote() << hours.errorMessage();
        return;
    }
    QList<UsageCount> counts;
    for (const UsageHour& hour : std::as_const(*hours))
        counts.append(UsageCount{hour.hour.toMSecsSinceEpoch(), hour.requests, hour.bytes, hour.throttled});
    limiter.seed(counts);
}

void UsageLedger::flush(StatsStore& stats, const QString& source, RateLimiter& limiter, bool force) {
    if (!force && limiter.msSinceUsageTaken() < kFlushEveryMs)
        return;
    for (const UsageCount& usage : limiter.takeUsage()) {
        const QDateTime hour = QDateTime::fromMSecsSinceEpoch(usage.hourStartMs, Qt::UTC);
        if (auto r = stats.addUsage(source, hour, usage.requests, usage.bytes, usage.throttled); !r)
            qCWarning(lcStats).noquote() << r.errorMessage();
    }
}

void UsageLedger::finish(StatsStore& stats, qint64 runId, const QString& source, const QString& process,
                         SourceContext& context) {
    RateLimiter& limiter = context.rateLimiter();
    flush(stats, source, limiter, true);
    if (limiter.throttledCount() == 0)
        return;
    const QString message =
        QStringLiteral("%1 of %2 requests were answered HTTP 429 (too many requests); waited %3 s for the "
                       "server and %4 s pacing requests")
            .arg(QString::number(limiter.throttledCount()), QString::number(limiter.requestCount()),
                 QString::number(context.http().throttleWaitMs() / 1000),
                 QString::number(limiter.waitedMs() / 1000));
    if (auto r = stats.recordEvent(runId, source, process, {}, QStringLiteral("throttled"), message); !r)
        qCWarning(lcStats).noquote() << r.errorMessage();
}

QJsonObject UsageLedger::summary(StatsStore& stats, const QString& source) {
    QJsonObject hour{
        {QStringLiteral("requests"), 0}, {QStringLiteral("bytes"), 0}, {QStringLiteral("throttled"), 0}};
    QJsonObject day = hour;
    auto hours = stats.usage(source, 24);
    if (!hours)
        return QJsonObject{{QStringLiteral("error"), hours.errorMessage()}};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto add = [](QJsonObject& into, const UsageHour& usage) {
        into[QStringLiteral("requests")] =
            into.value(QStringLiteral("requests")).toInteger() + usage.requests;
        into[QStringLiteral("bytes")] = into.value(QStringLiteral("bytes")).toInteger() + usage.bytes;
        into[QStringLiteral("throttled")] =
            into.value(QStringLiteral("throttled")).toInteger() + usage.throttled;
    };
    for (const UsageHour& usage : std::as_const(*hours)) {
        add(day, usage);
        if (usage.hour.secsTo(now) < 3600)
            add(hour, usage);
    }
    return QJsonObject{{QStringLiteral("currentHour"), hour}, {QStringLiteral("last24Hours"), day}};
}

} // namespace ors
