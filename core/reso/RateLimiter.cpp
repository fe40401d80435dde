#include "reso/RateLimiter.h"

#include "logging/LogCategories.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <optional>

namespace ors {

namespace {

constexpr qint64 kHourMs = 3600 * 1000;
// A server's reset time is its clock, not ours: going a second late costs little, going early
// costs a 429.
constexpr qint64 kResetMarginMs = 1000;
// No quota of a known platform resets later than an hour ahead; a later reset time is a bogus
// header that would otherwise park the job for as long.
constexpr qint64 kMaxResetAheadMs = 3600 * 1000;
// Per-second pacing is measured where requests arrive, so leave room for network jitter.
constexpr double kPacingMargin = 1.05;
constexpr qint64 kAnnounceMs = 2000;
constexpr qint64 kMaxSliceMs = 60 * 1000;
constexpr qint64 kLowWithoutLimit = 20;

QByteArray headerValue(const RateLimiter::Headers& headers, const char* name) {
    for (const auto& [key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    return {};
}

// Platforms write counts as "7200" or "7200.0".
std::optional<qint64> count(const QByteArray& value) {
    bool ok = false;
    const double number = value.toDouble(&ok);
    if (value.isEmpty() || !ok || !std::isfinite(number) || number < 0)
        return std::nullopt;
    return qint64(number);
}

// Unix ms (Trestle), Unix seconds, seconds from now, or a date (Bridge, RFC 2822 or ISO 8601);
// 0 when unreadable.
qint64 resetTime(const QByteArray& value, qint64 now) {
    if (value.isEmpty())
        return 0;
    bool ok = false;
    const double number = value.toDouble(&ok);
    if (ok && std::isfinite(number) && number >= 0) {
        if (number > 1e11)
            return qint64(number);
        if (number > 1e9)
            return qint64(number * 1000);
        return now + qint64(number * 1000);
    }
    const QString text = QString::fromLatin1(value);
    QDateTime when = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!when.isValid())
        when = QDateTime::fromString(text, Qt::RFC2822Date);
    return when.isValid() ? when.toMSecsSinceEpoch() : 0;
}

// Unix ms from the wall clock at start on, advanced by a monotonic clock: a clock set back
// during a run must not stall it for as long.
RateLimiter::Clock monotonicClock() {
    QElapsedTimer timer;
    timer.start();
    return [start = QDateTime::currentMSecsSinceEpoch(), timer] { return start + timer.elapsed(); };
}

} // namespace

UsageWindow::UsageWindow(qint64 lengthMs)
    : m_length(lengthMs) {}

void UsageWindow::add(qint64 at, qint64 weight) {
    if (weight <= 0)
        return;
    prune(at); // also when no limit of this window is set, which never asks for used()
    m_sum += weight;
    if (!m_entries.empty() && at >= m_entries.back().first && at - m_entries.back().first < m_length / 3600) {
        m_entries.back().first = at;
        m_entries.back().second += weight;
        return;
    }
    auto at_or_after = std::upper_bound(m_entries.begin(), m_entries.end(), at,
                                        [](qint64 t, const auto& entry) { return t < entry.first; });
    m_entries.insert(at_or_after, {at, weight});
}

void UsageWindow::prune(qint64 now) {
    while (!m_entries.empty() && m_entries.front().first <= now - span()) {
        m_sum -= m_entries.front().second;
        m_entries.pop_front();
    }
}

qint64 UsageWindow::used(qint64 now) {
    prune(now);
    return m_sum;
}

qint64 UsageWindow::usedSince(qint64 since) const {
    qint64 sum = 0;
    for (auto it = m_entries.rbegin(); it != m_entries.rend() && it->first >= since; ++it)
        sum += it->second;
    return sum;
}

qint64 UsageWindow::availableAt(qint64 now, qint64 need, qint64 limit) {
    prune(now);
    qint64 left = m_sum;
    if (left + need <= limit || m_entries.empty())
        return now;
    for (const auto& [at, weight] : m_entries) {
        left -= weight;
        // Something larger than the whole budget goes once the window is empty.
        if (left + need <= limit || left == 0)
            return at + span();
    }
    return now;
}

RateLimiter::RateLimiter(RateLimits limits, const std::atomic<bool>* cancelled)
    : m_limits(limits)
    , m_cancelled(cancelled)
    , m_clock(monotonicClock()) {
    m_sleep = [this](qint64 ms) {
        QDeadlineTimer deadline(ms);
        while (!deadline.hasExpired()) {
            if (m_cancelled && m_cancelled->load())
                return false;
            QThread::msleep(quint64(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
        }
        return !(m_cancelled && m_cancelled->load());
    };
    m_burst.name = QStringLiteral("the server's per-minute quota");
    m_hourly.name = QStringLiteral("the server's hourly quota");
    m_usageTakenMs = m_clock();
}

RateLimits RateLimiter::effective() const {
    RateLimits e = m_limits;
    if (m_learnedPerMinute > 0)
        e.perMinute =
            int(e.perMinute > 0 ? std::min<qint64>(e.perMinute, m_learnedPerMinute) : m_learnedPerMinute);
    if (m_learnedPerHour > 0)
        e.perHour = int(e.perHour > 0 ? std::min<qint64>(e.perHour, m_learnedPerHour) : m_learnedPerHour);
    return e;
}

qint64 RateLimiter::nextAllowed(const ServerQuota& quota, qint64 now, QString* reason) const {
    if (quota.remaining < 0 || quota.resetAtMs <= 0 || now >= quota.resetAtMs + kResetMarginMs)
        return now; // never told, or it has been reset since
    const qint64 left = quota.remaining - quota.sentSince;
    if (left <= 0) {
        *reason = QStringLiteral("%1 is used up until it resets").arg(quota.name);
        return quota.resetAtMs + kResetMarginMs;
    }
    const bool low = quota.limit > 0 ? left * 4 <= quota.limit : left <= kLowWithoutLimit;
    if (!low || now >= quota.resetAtMs)
        return now;
    // Spread what is left evenly until the reset instead of running into a 429 and a wait: the
    // last request goes one interval before the reset.
    const qint64 from = m_lastRequestMs > 0 ? m_lastRequestMs : now;
    *reason = QStringLiteral("%1 has %2 left for %3 s")
                  .arg(quota.name)
                  .arg(left)
                  .arg((quota.resetAtMs - now + 999) / 1000);
    return from + (quota.resetAtMs - from) / (left + 1);
}

qint64 RateLimiter::delayMs(QString* reason) {
    const qint64 now = m_clock();
    const RateLimits limits = effective();
    qint64 until = now;
    auto consider = [&](qint64 at, const QString& why) {
        if (at > until) {
            until = at;
            if (reason)
                *reason = why;
        }
    };
    if (limits.perSecond > 0 && m_lastRequestMs > 0)
        consider(m_lastRequestMs + qint64(std::ceil(1000.0 * kPacingMargin / limits.perSecond)),
                 QStringLiteral("%1 requests a second").arg(limits.perSecond));
    if (limits.perMinute > 0)
        consider(m_minute.availableAt(now, 1, limits.perMinute),
                 QStringLiteral("%1 requests a minute").arg(limits.perMinute));
    if (limits.perHour > 0)
        consider(m_hour.availableAt(now, 1, limits.perHour),
                 QStringLiteral("%1 requests an hour").arg(limits.perHour));
    if (limits.perDay > 0)
        consider(m_day.availableAt(now, 1, limits.perDay),
                 QStringLiteral("%1 requests a day").arg(limits.perDay));
    if (limits.bytesPerHour > 0) {
        // Leave room for a response of the usual size: its size is known only once it is here.
        const qint64 typical = m_responses > 0 ? std::max<qint64>(1, m_bytes / m_responses) : 1;
        consider(m_hourBytes.availableAt(now, typical, limits.bytesPerHour),
                 QStringLiteral("%1 bytes an hour").arg(limits.bytesPerHour));
    }
    for (const ServerQuota* quota : {&m_burst, &m_hourly}) {
        QString why;
        const qint64 at = nextAllowed(*quota, now, &why);
        consider(at, why);
    }
    return until - now;
}

bool RateLimiter::announceWait(qint64 delay, const QString& reason) {
    if (delay < kAnnounceMs)
        return false;
    const QString note =
        QStringLiteral("rate limit: waiting %1 s (%2)").arg(double(delay) / 1000.0, 0, 'f', 1).arg(reason);
    qCInfo(lcHttp).noquote() << note;
    if (onWait)
        onWait(note);
    return true;
}

qint64 RateLimiter::maxSliceMs() {
    return kMaxSliceMs;
}

bool RateLimiter::acquire() {
    bool announced = false;
    for (;;) {
        QString reason;
        const qint64 delay = delayMs(&reason);
        if (delay <= 0)
            break;
        if (!announced)
            announced = announceWait(delay, reason);
        // In slices: a clock that jumps is noticed within a minute.
        const qint64 slice = std::min(delay, kMaxSliceMs);
        if (!m_sleep(slice))
            return false;
        m_waitedMs += slice;
    }
    countRequest();
    return true;
}

void RateLimiter::countRequest() {
    const qint64 now = m_clock();
    m_minute.add(now, 1);
    m_hour.add(now, 1);
    m_day.add(now, 1);
    ++m_burst.sentSince;
    ++m_hourly.sentSince;
    ++bucket(now).requests;
    ++m_requests;
    m_lastRequestMs = now;
}

void RateLimiter::recordResponse(int status, qint64 bytes, const Headers& headers) {
    const qint64 now = m_clock();
    if (status > 0)
        ++m_responses;
    m_bytes += bytes;
    m_hourBytes.add(now, bytes);
    UsageCount& usage = bucket(now);
    usage.bytes += bytes;
    if (status == 429) {
        ++m_throttled;
        ++usage.throttled;
    }
    readTrestle(headers, now);
    readBridge(headers, now);
}

qint64 RateLimiter::readReset(const Headers& headers, const char* name, qint64 now) {
    const QByteArray value = headerValue(headers, name);
    const qint64 reset = resetTime(value, now);
    if (reset <= now + kMaxResetAheadMs)
        return reset;
    const QByteArray header(name);
    if (!m_cappedResets.contains(header)) {
        m_cappedResets.insert(header);
        const QString note = QStringLiteral("the server's %1 header (%2) lies %3 s ahead; waiting for at "
                                            "most %4 s instead")
                                 .arg(QString::fromLatin1(header), QString::fromLatin1(value.left(40)))
                                 .arg((reset - now) / 1000)
                                 .arg(kMaxResetAheadMs / 1000);
        qCWarning(lcReso).noquote() << note;
        if (onWarning)
            onWarning(note);
    }
    return now + kMaxResetAheadMs;
}

// Trestle sends its limits on every response (even a 401): Minute-Quota-Limit,
// Hour-Quota-Limit, Hour-Quota-ResetTime (Unix ms), QuotaType; some feeds also send
// Hour-/Minute-Quota-Available.
void RateLimiter::readTrestle(const Headers& headers, qint64 now) {
    const auto minuteLimit = count(headerValue(headers, "Minute-Quota-Limit"));
    if (minuteLimit && *minuteLimit > 0)
        m_learnedPerMinute = *minuteLimit;
    const auto hourLimit = count(headerValue(headers, "Hour-Quota-Limit"));
    if (hourLimit && *hourLimit > 0)
        m_learnedPerHour = *hourLimit;
    const qint64 hourReset = readReset(headers, "Hour-Quota-ResetTime", now);
    if (const auto available = count(headerValue(headers, "Hour-Quota-Available"))) {
        m_hourly.limit = hourLimit.value_or(0);
        m_hourly.remaining = *available;
        m_hourly.resetAtMs = hourReset;
        m_hourly.sentSince = 0;
    } else if (hourLimit && *hourLimit > 0 && hourReset > now) {
        // Only the limit and the reset: what is left is the limit less what we sent since the
        // server's hour began (earlier runs included, through seed()).
        m_hourly.limit = *hourLimit;
        m_hourly.remaining = std::max<qint64>(0, *hourLimit - m_hour.usedSince(hourReset - kHourMs));
        m_hourly.resetAtMs = hourReset;
        m_hourly.sentSince = 0;
    }
    if (const auto available = count(headerValue(headers, "Minute-Quota-Available"))) {
        const qint64 reset = readReset(headers, "Minute-Quota-ResetTime", now);
        m_burst.limit = minuteLimit.value_or(0);
        m_burst.remaining = *available;
        m_burst.resetAtMs = reset > 0 ? reset : now + 60 * 1000;
        m_burst.sentSince = 0;
    }
}

// Bridge: Burst-RateLimit-Limit/-Remaining/-Reset for its per-minute burst, and the hourly
// equivalents (Application-RateLimit-* or the IETF draft's RateLimit-*).
void RateLimiter::readBridge(const Headers& headers, qint64 now) {
    const auto burstLimit = count(headerValue(headers, "Burst-RateLimit-Limit"));
    if (burstLimit && *burstLimit > 0)
        m_learnedPerMinute = *burstLimit;
    if (const auto remaining = count(headerValue(headers, "Burst-RateLimit-Remaining"))) {
        const qint64 reset = readReset(headers, "Burst-RateLimit-Reset", now);
        m_burst.limit = burstLimit.value_or(0);
        m_burst.remaining = *remaining;
        m_burst.resetAtMs = reset > 0 ? reset : now + 60 * 1000;
        m_burst.sentSince = 0;
    }
    for (const char* prefix : {"Application-RateLimit-", "RateLimit-"}) {
        const QByteArray p(prefix);
        const auto remaining = count(headerValue(headers, QByteArray(p + "Remaining").constData()));
        const qint64 reset = readReset(headers, QByteArray(p + "Reset").constData(), now);
        if (!remaining || reset <= 0)
            continue;
        // The window of these is not stated, so the limit only tells what "low" means.
        m_hourly.limit = count(headerValue(headers, QByteArray(p + "Limit").constData())).value_or(0);
        m_hourly.remaining = *remaining;
        m_hourly.resetAtMs = reset;
        m_hourly.sentSince = 0;
        break;
    }
}

void RateLimiter::seed(QList<UsageCount> hours) {
    std::sort(hours.begin(), hours.end(),
              [](const UsageCount& a, const UsageCount& b) { return a.hourStartMs < b.hourStartMs; });
    // Only whole hours are kept; counting each at its hour's start matches quotas that reset on
    // the hour (Trestle's Hour-Quota-ResetTime), and the per-second pacing covers the rest.
    for (const UsageCount& hour : std::as_const(hours)) {
        m_hour.add(hour.hourStartMs, hour.requests);
        m_day.add(hour.hourStartMs, hour.requests);
        m_hourBytes.add(hour.hourStartMs, hour.bytes);
    }
}

UsageCount& RateLimiter::bucket(qint64 now) {
    const qint64 hour = now - now % kHourMs;
    UsageCount& usage = m_usage[hour];
    usage.hourStartMs = hour;
    return usage;
}

QList<UsageCount> RateLimiter::takeUsage() {
    QList<UsageCount> out;
    for (const auto& [hour, usage] : m_usage)
        out.append(usage);
    m_usage.clear();
    m_usageTakenMs = m_clock();
    return out;
}

} // namespace ors
