#include "alerts/AlertRules.h"

#include "alerts/AlertLedger.h"
#include "config/DataDir.h"
#include "logging/Redactor.h"
#include "reso/PlatformProfile.h"
#include "stats/StatsStore.h"
#include "store/StateStore.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

namespace ors {

namespace {

Alert makeAlert(const QString& source, const QString& process, AlertCondition condition,
                const QString& subject, const QDateTime& now, const QString& message) {
    return Alert{
        source, process, condition, subject, AlertState::Raised, now.toUTC(), Redactor::redact(message)};
}

// Raises `alert` while `holds`, else clears it; whatever changed in the ledger is told.
Expected<void> settle(AlertLedger& ledger, bool holds, const Alert& alert, const QString& recovered,
                      QList<Alert>& out) {
    if (holds) {
        auto fresh = ledger.raise(alert);
        if (!fresh)
            return fresh.error();
        if (*fresh)
            out.append(alert);
        return {};
    }
    auto cleared = ledger.clear(alert.source, alert.process, alert.condition, alert.subject);
    if (!cleared)
        return cleared.error();
    if (*cleared) {
        Alert back = alert;
        back.state = AlertState::Recovered;
        back.message = Redactor::redact(recovered);
        out.append(back);
    }
    return {};
}

QString percentText(qint64 used, qint64 limit) {
    return QString::number(limit > 0 ? used * 100 / limit : 0);
}

} // namespace

AlertRules::AlertRules(Config config, QString dataDir)
    : m_config(std::move(config))
    , m_dataDir(std::move(dataDir)) {}

Expected<QList<Alert>> AlertRules::afterJob(const JobResult& result, const QDateTime& now) {
    QList<Alert> out;
    const SourceConfig* source = m_config.source(result.source);
    // Nothing ran where there is no data directory yet (e.g. an unknown source).
    if (!source || !QFileInfo(m_dataDir).isDir())
        return out;
    StatsStore stats(m_config.stats, m_dataDir);
    if (auto opened = stats.open(); !opened)
        return opened.error();
    AlertLedger ledger(stats);
    const QString& name = source->name;
    const QString& process = result.process;

    if (result.exitCode == ExitCode::Failure) {
        auto streak = ledger.addFailure(name, process);
        if (!streak)
            return streak.error();
        const QString error = result.error.isEmpty() ? QStringLiteral("no reason given") : result.error;
        if (auto r = settle(ledger, true,
                            makeAlert(name, process, AlertCondition::RunFailed, {}, now,
                                      QStringLiteral("%1 of %2 failed: %3").arg(process, name, error)),
                            {}, out);
            !r)
            return r.error();
        if (*streak >= m_config.alerts.failuresInARow) {
            const QString message = QStringLiteral("%1 of %2 failed %3 times in a row; last error: %4")
                                        .arg(process, name, QString::number(*streak), error);
            if (auto r = settle(ledger, true,
                                makeAlert(name, process, AlertCondition::FailuresInARow, {}, now, message),
                                {}, out);
                !r)
                return r.error();
        }
    } else if (result.exitCode == ExitCode::Refused) {
        if (auto r =
                settle(ledger, true,
                       makeAlert(name, process, AlertCondition::PurgeRefused, {}, now,
                                 QStringLiteral("%1 of %2 refused: %3").arg(process, name, result.error)),
                       {}, out);
            !r)
            return r.error();
    } else if (result.exitCode == ExitCode::Success) {
        if (auto r = ledger.resetFailures(name, process); !r)
            return r.error();
        const QString recovered = QStringLiteral("%1 of %2 succeeded").arg(process, name);
        for (AlertCondition condition :
             {AlertCondition::RunFailed, AlertCondition::FailuresInARow, AlertCondition::PurgeRefused}) {
            if (auto r =
                    settle(ledger, false, makeAlert(name, process, condition, {}, now, {}), recovered, out);
                !r)
                return r.error();
        }
    }
    if (auto r = sourceConditions(ledger, stats, *source, now, out); !r)
        return r.error();
    return out;
}

Expected<QList<Alert>> AlertRules::check(const QDateTime& now) {
    QList<Alert> out;
    StatsStore stats(m_config.stats, m_dataDir);
    if (!stats.exists())
        return out;
    if (auto opened = stats.open(); !opened)
        return opened.error();
    AlertLedger ledger(stats);
    for (const SourceConfig& source : std::as_const(m_config.sources))
        if (auto r = sourceConditions(ledger, stats, source, now, out); !r)
            return r.error();
    return out;
}

Expected<void> AlertRules::sourceConditions(AlertLedger& ledger, StatsStore& stats,
                                            const SourceConfig& source, const QDateTime& now,
                                            QList<Alert>& out) {
    if (auto r = blockedSteps(ledger, source, now, out); !r)
        return r;
    if (auto r = quota(ledger, stats, source, now, out); !r)
        return r;
    return syncAge(ledger, source, now, out);
}

Expected<void> AlertRules::blockedSteps(AlertLedger& ledger, const SourceConfig& source, const QDateTime& now,
                                        QList<Alert>& out) {
    // Blocked steps as `status` finds them: a step failure counted kBlockAfter times or more.
    QList<StepFailure> blocked;
    const QString statePath = DataLayout(m_dataDir).stateDatabase();
    if (QFileInfo::exists(statePath)) {
        StateStore state(statePath);
        if (auto opened = state.open(); !opened)
            return opened.error();
        auto failures = state.failures(source.name);
        if (!failures)
            return failures.error();
        for (const StepFailure& f : std::as_const(*failures))
            if (f.count >= kBlockAfter)
                blocked.append(f);
    }
    QSet<QString> stillBlocked;
    for (const StepFailure& f : std::as_const(blocked)) {
        const QString subject = QStringLiteral("%1 -> %2").arg(f.resource, f.destination);
        stillBlocked.insert(f.process + QLatin1Char('\n') + subject);
        const QString message =
            QStringLiteral("%1 of %2 is blocked: %3 step of %4 failed %5 times: %6; \"openresync-cli unblock "
                           "%2 %1\" retries it")
                .arg(f.process, source.name, f.step, subject, QString::number(f.count), f.lastError);
        if (auto r =
                settle(ledger, true,
                       makeAlert(source.name, f.process, AlertCondition::StepBlocked, subject, now, message),
                       {}, out);
            !r)
            return r;
    }
    auto open = ledger.open(source.name, AlertCondition::StepBlocked);
    if (!open)
        return open.error();
    for (const Alert& was : std::as_const(*open)) {
        if (stillBlocked.contains(was.process + QLatin1Char('\n') + was.subject))
            continue;
        if (auto r = settle(ledger, false,
                            makeAlert(source.name, was.process, was.condition, was.subject, now, {}),
                            QStringLiteral("%1 of %2: %3 is no longer blocked")
                                .arg(was.process, source.name, was.subject),
                            out);
            !r)
            return r;
    }
    return {};
}

Expected<void> AlertRules::quota(AlertLedger& ledger, StatsStore& stats, const SourceConfig& source,
                                 const QDateTime& now, QList<Alert>& out) {
    const RateLimits limits = PlatformProfile::forSource(source).rateLimit;
    auto hours = stats.usage(source.name, 24);
    if (!hours)
        return hours.error();
    const QDateTime utc = now.toUTC();
    const QDateTime thisHour(utc.date(), QTime(utc.time().hour(), 0), Qt::UTC);
    qint64 hourRequests = 0;
    qint64 hourBytes = 0;
    qint64 dayRequests = 0;
    for (const UsageHour& h : std::as_const(*hours)) {
        if (h.hour > thisHour || h.hour.secsTo(thisHour) >= 24 * 3600)
            continue;
        dayRequests += h.requests;
        if (h.hour == thisHour) {
            hourRequests += h.requests;
            hourBytes += h.bytes;
        }
    }
    struct Budget {
        const char* subject;
        const char* what;
        qint64 used;
        qint64 limit;
    };
    const Budget budgets[] = {
        {"requests per hour", "requests this hour", hourRequests, limits.perHour},
        {"requests per day", "requests in the last 24 hours", dayRequests, limits.perDay},
        {"bytes per hour", "bytes this hour", hourBytes, limits.bytesPerHour},
    };
    const int percent = m_config.alerts.quotaPercent;
    for (const Budget& b : budgets) {
        const QString subject = QString::fromLatin1(b.subject);
        const bool holds = b.limit > 0 && b.used * 100 >= b.limit * qint64(percent);
        const QString message =
            QStringLiteral("%1 of %2 %3 used (%4%, alert at %5%)")
                .arg(QString::number(b.used), QString::number(b.limit), QString::fromLatin1(b.what),
                     percentText(b.used, b.limit), QString::number(percent));
        if (auto r = settle(
                ledger, holds, makeAlert(source.name, {}, AlertCondition::Quota, subject, now, message),
                QStringLiteral("%1 back under %2%: %3").arg(subject, QString::number(percent), message), out);
            !r)
            return r;
    }
    return {};
}

Expected<void> AlertRules::syncAge(AlertLedger& ledger, const SourceConfig& source, const QDateTime& now,
                                   QList<Alert>& out) {
    const int maxMinutes = m_config.alerts.maxSyncAgeMinutes;
    if (maxMinutes <= 0)
        return {};
    const QString sync = QStringLiteral("sync");
    auto since = ledger.lastSuccessOrFirstTry(source.name, sync);
    if (!since)
        return since.error();
    if (!*since)
        return {}; // never tried: nothing is late yet
    const qint64 minutes = (*since)->secsTo(now.toUTC()) / 60;
    const bool holds = minutes > maxMinutes;
    const QString message = QStringLiteral("no successful sync of %1 since %2 (%3 minutes; alert after %4)")
                                .arg(source.name, (*since)->toString(Qt::ISODate), QString::number(minutes),
                                     QString::number(maxMinutes));
    return settle(ledger, holds, makeAlert(source.name, sync, AlertCondition::SyncAge, {}, now, message),
                  QStringLiteral("%1 synced again").arg(source.name), out);
}

} // namespace ors
