#pragma once

#include "HttpMessage.h"
#include "ServerOptions.h"

#include <QElapsedTimer>
#include <QList>

#include <deque>
#include <optional>
#include <utility>

namespace ors::fake {

// The fake server's rate limits and quota headers (ServerOptions, "Rate limits and quota
// headers"): requests over a per-second or per-minute limit, or over the quota, get a 429;
// the others get the platform's quota headers. Not thread-safe: FakeResoServer calls it under
// its mutex.
class RateGate {
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    explicit RateGate(const ServerOptions& options);

    // For a request as it arrives: the 429 to answer, or nothing to serve it, with the quota
    // headers for its response in *headers.
    std::optional<HttpResponse> admit(const HttpRequest& request, Headers* headers);
    // From the next request on, the quota has `remaining` requests left (that one included)
    // until `resetInMs` after it; then it is full again.
    void setQuotaRemaining(int remaining, int resetInMs);
    int throttled() const { return m_throttled; }

private:
    qint64 windowMs() const;
    int quotaLimit() const;
    void refreshQuota(qint64 now);
    Headers quotaHeaders(qint64 now) const;
    HttpResponse tooMany(const QString& why, std::optional<qint64> retryAfterMs, const Headers& headers);

    ServerOptions m_options;
    QElapsedTimer m_clock;
    std::deque<qint64> m_accepted; // arrival of the requests let through in the last minute
    int m_quotaRemaining = 0;
    qint64 m_quotaResetAt = -1; // on m_clock
    int m_throttled = 0;
    std::optional<std::pair<int, int>> m_pending; // setQuotaRemaining, not yet applied
};

} // namespace ors::fake
