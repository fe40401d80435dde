#include "RateGate.h"

#include "ResoService.h"

#include <QDateTime>

#include <algorithm>

namespace ors::fake {

RateGate::RateGate(const ServerOptions& options)
    : m_options(options) {
    m_clock.start();
}

qint64 RateGate::windowMs() const {
    return m_options.quotaHeaders == QuotaHeaders::Trestle ? 3600 * 1000 : 60 * 1000;
}

int RateGate::quotaLimit() const {
    if (m_options.quotaLimit > 0)
        return m_options.quotaLimit;
    return m_options.quotaHeaders == QuotaHeaders::Trestle ? 7200 : 334;
}

void RateGate::refreshQuota(qint64 now) {
    if (now < m_quotaResetAt)
        return;
    m_quotaRemaining = quotaLimit();
    m_quotaResetAt = now + windowMs();
}

void RateGate::setQuotaRemaining(int remaining, int resetInMs) {
    // Applied when the next request arrives, so a test's timing does not depend on how long the
    // client takes to start.
    m_pending = {remaining, resetInMs};
}

RateGate::Headers RateGate::quotaHeaders(qint64 now) const {
    // Reset times are wall-clock times, as the platforms send them.
    const qint64 resetWallMs = QDateTime::currentMSecsSinceEpoch() + (m_quotaResetAt - now);
    Headers headers;
    switch (m_options.quotaHeaders) {
    case QuotaHeaders::None:
        break;
    case QuotaHeaders::Trestle:
        headers.append(header("Minute-Quota-Limit", "180"));
        headers.append(header("Hour-Quota-Limit", QByteArray::number(quotaLimit()) + ".0"));
        headers.append(header("Hour-Quota-ResetTime", QByteArray::number(resetWallMs)));
        headers.append(header("Hour-Quota-Available", QByteArray::number(m_quotaRemaining)));
        headers.append(header("QuotaType", "Api"));
        break;
    case QuotaHeaders::Bridge: {
        // A date with whole seconds, rounded up so it is never earlier than the real reset.
        const QDateTime reset = QDateTime::fromMSecsSinceEpoch((resetWallMs + 999) / 1000 * 1000, Qt::UTC);
        headers.append(header("Burst-RateLimit-Limit", QByteArray::number(quotaLimit())));
        headers.append(header("Burst-RateLimit-Remaining", QByteArray::number(m_quotaRemaining)));
        headers.append(header("Burst-RateLimit-Reset", reset.toString(Qt::ISODate).toLatin1()));
        break;
    }
    }
    return headers;
}

HttpResponse RateGate::tooMany(const QString& why, std::optional<qint64> retryAfterMs,
                               const Headers& headers) {
    ++m_throttled;
    HttpResponse response = ResoService::error(429, QStringLiteral("TooManyRequests"),
                                               QStringLiteral("Rate limit exceeded: %1").arg(why));
    response.headers += headers;
    if (retryAfterMs)
        response.headers.append(header("Retry-After", QByteArray::number((*retryAfterMs + 999) / 1000)));
    return response;
}

std::optional<HttpResponse> RateGate::admit(const HttpRequest& request, Headers* headers) {
    headers->clear();
    if (request.path() == "/token")
        return std::nullopt;
    const qint64 now = m_clock.elapsed();
    while (!m_accepted.empty() && m_accepted.front() <= now - 60 * 1000)
        m_accepted.pop_front();
    auto inLast = [&](qint64 ms) {
        return std::count_if(m_accepted.begin(), m_accepted.end(), [&](qint64 t) { return t > now - ms; });
    };
    const std::optional<qint64> retryAfter =
        m_options.rateLimitRetryAfterSeconds >= 0
            ? std::optional<qint64>(m_options.rateLimitRetryAfterSeconds * 1000)
            : std::nullopt;
    if (m_options.rateLimitPerSecond > 0 && inLast(1000) >= m_options.rateLimitPerSecond)
        return tooMany(QStringLiteral("%1 requests a second").arg(m_options.rateLimitPerSecond), retryAfter,
                       {});
    if (m_options.rateLimitPerMinute > 0 && inLast(60 * 1000) >= m_options.rateLimitPerMinute)
        return tooMany(QStringLiteral("%1 requests a minute").arg(m_options.rateLimitPerMinute), retryAfter,
                       {});
    if (m_options.quotaHeaders != QuotaHeaders::None) {
        refreshQuota(now);
        if (m_pending) {
            m_quotaRemaining = m_pending->first;
            m_quotaResetAt = now + m_pending->second;
            m_pending.reset();
        }
        if (m_quotaRemaining <= 0)
            return tooMany(QStringLiteral("quota used up"), m_quotaResetAt - now, quotaHeaders(now));
        --m_quotaRemaining;
        *headers = quotaHeaders(now);
    }
    m_accepted.push_back(now);
    return std::nullopt;
}

} // namespace ors::fake
