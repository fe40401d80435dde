#pragma once

#include "reso/OriginPolicy.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QList>
#include <QSslConfiguration>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkRequest;

namespace ors {

class AuthProvider;
class PendingRequest;
class RateLimiter;

struct RetryPolicy {
    int maxAttempts = 6;
    int baseDelayMs = 1000;
    int maxDelayMs = 60000;
    int maxRetryAfterMs = 300000;
    // 429s do not use up attempts (the server is pacing us, not failing): a request waits out
    // at most this much throttling, in total, before it fails.
    qint64 maxThrottleWaitMs = 30 * 60 * 1000;
    int maxThrottled = 2000; // and at most this many 429s, should a server answer Retry-After: 0
    int transferTimeoutMs =
        120000; // no byte for this long (connecting included) fails the attempt (timeoutSeconds)
    // An answer larger than this (as received, and again once inflated) is cut off and the
    // request fails without a retry: memory stays bounded whatever a server (or a gzip bomb)
    // sends. A source's maxPageMegabytes.
    qint64 maxBodyBytes = qint64(256) << 20;
};

// What one request adds to the client's own settings.
struct RequestOptions {
    QList<std::pair<QByteArray, QByteArray>> headers; // e.g. Prefer: odata.maxpagesize=N
    // A timed-out attempt ends the request (Error::timedOut) instead of being retried, so the
    // caller can ask for less (a smaller page) rather than repeat what the server cannot answer.
    bool timeoutEndsRequest = false;
    // The body's type for a POST (default: a form); e.g. application/json.
    QByteArray contentType;
    // 4xx answers (other than a 401 that a new token cures and 429) are returned as responses
    // rather than errors, for callers that read the server's own explanation in the body.
    bool clientErrorsAnswer = false;
};

struct HttpResponse {
    int status = 0;
    QByteArray body;
    // The body as it came, when it came with Content-Encoding: gzip and `body` is all of it
    // inflated; empty otherwise. A page file keeps these bytes, several times fewer to write.
    QByteArray gzip;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray header(const QByteArray& name) const;
};

// Requests from a job's own thread. It owns its QNetworkAccessManager (created in, and only
// used from, that thread); each request is a PendingRequest driven by that thread's event loop,
// so a caller can start one and wait for it later (the next page while this one is written);
// the GUI thread never calls it. Transient failures are retried with exponential backoff and
// jitter, honouring Retry-After. Credentials go only to the origins its OriginPolicy trusts, and
// redirects are followed by hand, so that they never carry credentials elsewhere.
class HttpClient {
public:
    // Returns an error to make a 200 response count as a transient failure (e.g. cut-off JSON).
    using Validator = std::function<Expected<void>(const HttpResponse&)>;

    HttpClient(RetryPolicy policy, const std::atomic<bool>* cancelled = nullptr);
    ~HttpClient();

    static constexpr int kMaxRedirects = 5;

    void setAuth(AuthProvider* auth) { m_auth = auth; }
    // Without one, credentials go nowhere.
    void setOriginPolicy(OriginPolicy policy) { m_origins = std::move(policy); }
    const OriginPolicy& origins() const { return m_origins; }
    // Every request except token requests waits for the limiter and reports back to it.
    void setRateLimiter(RateLimiter* limiter) { m_limiter = limiter; }
    // A fixed Authorization header (e.g. HTTP Basic for a destination) for clients without an
    // AuthProvider; it goes, like a provider's, only where the OriginPolicy allows credentials.
    void setStaticAuthorization(QByteArray header) { m_staticAuthorization = std::move(header); }
    // How the servers' certificates are checked (a private CA added, or none checked); without
    // it, Qt's default: the system's CAs.
    void setSslConfiguration(QSslConfiguration configuration) { m_ssl = std::move(configuration); }
    // Headers a platform or the source's profile adds to every request (Accept-Encoding is the
    // client's own: it always asks for gzip).
    void setExtraHeaders(QList<std::pair<QByteArray, QByteArray>> headers) {
        m_extraHeaders = std::move(headers);
    }
    // Starts a GET; it runs while this thread's event loop does (PendingRequest::wait() runs it).
    std::unique_ptr<PendingRequest> start(const QUrl& url, const QByteArray& accept, Validator validator = {},
                                          RequestOptions options = {});
    // start() and wait().
    Expected<HttpResponse> get(const QUrl& url, const QByteArray& accept, const Validator& validator = {},
                               const RequestOptions& options = {});
    // Form POST without authentication (token endpoints); retried like a GET. A redirect is
    // not followed: the form carries the client secret or password.
    Expected<HttpResponse> postForm(const QUrl& url, const QByteArray& body);
    // An authenticated POST (options.contentType names the body's type), retried like a GET for
    // transient failures, so only for requests that may be repeated (idempotent updates).
    Expected<HttpResponse> post(const QUrl& url, const QByteArray& body, const QByteArray& accept,
                                const RequestOptions& options = {});

    int timeoutSeconds() const { return m_policy.transferTimeoutMs / 1000; }
    int requestCount() const { return m_requests; }
    qint64 bytesReceived() const { return m_bytes; }
    int throttledCount() const { return m_throttled; }         // 429 answers
    qint64 throttleWaitMs() const { return m_throttleWaitMs; } // waited because of them
    std::function<void(const QString&)> onRetry;               // told about each retry, for logs and the UI

private:
    friend class PendingRequest;
    Expected<QNetworkRequest> makeRequest(const QUrl& url, const QByteArray& accept, bool post,
                                          bool credentials, const RequestOptions& options);

    RetryPolicy m_policy;
    const std::atomic<bool>* m_cancelled;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    AuthProvider* m_auth = nullptr;
    OriginPolicy m_origins;
    RateLimiter* m_limiter = nullptr;
    QList<std::pair<QByteArray, QByteArray>> m_extraHeaders;
    QByteArray m_staticAuthorization;
    std::optional<QSslConfiguration> m_ssl;
    int m_requests = 0;
    qint64 m_bytes = 0;
    int m_throttled = 0;
    qint64 m_throttleWaitMs = 0;
};

QString describeUrl(const QUrl& url); // for messages: redacted, shortened

} // namespace ors
