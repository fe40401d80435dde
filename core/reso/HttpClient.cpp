#include "reso/HttpClient.h"

#include "logging/LogCategories.h"
#include "logging/Redactor.h"
#include "reso/AuthProvider.h"
#include "reso/RateLimiter.h"

#include <QDateTime>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

namespace ors {

QByteArray HttpResponse::header(const QByteArray& name) const {
    for (const auto& [key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

QString describeUrl(const QUrl& url) {
    QString text = Redactor::redactUrl(QString::fromUtf8(url.toEncoded()));
    if (text.size() > 300)
        text = text.left(300) + QStringLiteral("…");
    return text;
}

namespace {

// Retry-After is either seconds or an HTTP date.
std::optional<int> retryAfterMs(const QByteArray& value) {
    if (value.isEmpty())
        return std::nullopt;
    bool ok = false;
    const int seconds = value.trimmed().toInt(&ok);
    if (ok)
        return std::max(0, seconds) * 1000;
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(value.trimmed()), Qt::RFC2822Date);
    if (when.isValid())
        return int(std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when)));
    return std::nullopt;
}

QString bodyExcerpt(const QByteArray& body) {
    QString text = QString::fromUtf8(body.left(400)).simplified();
    return Redactor::redact(text);
}

bool isTransientStatus(int status) {
    return status == 408 || status >= 500;
}

int backoffMs(const RetryPolicy& policy, int failures) {
    const int delay = std::min(policy.maxDelayMs, policy.baseDelayMs << std::min(failures - 1, 16));
    return delay / 2 + int(QRandomGenerator::global()->bounded(delay / 2 + 1)); // jitter
}

} // namespace

HttpClient::HttpClient(RetryPolicy policy, const std::atomic<bool>* cancelled)
    : m_policy(policy)
    , m_cancelled(cancelled)
    , m_nam(std::make_unique<QNetworkAccessManager>()) {
    // Redirects are followed in exchange(): Qt's own policies would carry the Authorization
    // header to whatever host a server names.
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

HttpClient::~HttpClient() = default;

bool HttpClient::sleepMs(int ms) {
    QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        if (m_cancelled && m_cancelled->load())
            return false;
        QThread::msleep(quint64(std::min<qint64>(100, std::max<qint64>(1, deadline.remainingTime()))));
    }
    return true;
}

HttpClient::Attempt HttpClient::send(const QNetworkRequest& request, const QByteArray* postBody) {
    ++m_requests;
    QNetworkReply* reply = postBody ? m_nam->post(request, *postBody) : m_nam->get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    // Cancel must not wait for a slow answer (up to the transfer timeout): the flag is polled
    // while the request runs and the reply aborted.
    QTimer cancelPoll;
    bool cancelledHere = false;
    if (m_cancelled) {
        QObject::connect(&cancelPoll, &QTimer::timeout, reply, [this, reply, &cancelledHere] {
            if (m_cancelled->load()) {
                cancelledHere = true;
                reply->abort();
            }
        });
        cancelPoll.start(100);
    }
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    cancelPoll.stop();
    Attempt attempt;
    attempt.response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // An aborted reply (timeout, cancel) is closed: reading it only earns a Qt warning.
    if (reply->isOpen())
        attempt.response.body = reply->readAll();
    m_bytes += attempt.response.body.size();
    for (const auto& pair : reply->rawHeaderPairs())
        attempt.response.headers.append(pair);
    const QNetworkReply::NetworkError error = reply->error();
    // HTTP error statuses are judged by status; everything else (resets, timeouts, a body
    // shorter than its Content-Length) is a network failure.
    if (error != QNetworkReply::NoError &&
        (attempt.response.status == 0 || error < QNetworkReply::ContentAccessDenied)) {
        attempt.networkError = true;
        attempt.errorText = reply->errorString();
        // Qt reports its transfer timeout as "Operation canceled", like a cancel by the user.
        if (error == QNetworkReply::OperationCanceledError && !cancelledHere) {
            attempt.timedOut = true;
            attempt.errorText = QStringLiteral("timed out after %1 s without an answer")
                                    .arg(m_policy.transferTimeoutMs / 1000.0, 0, 'g', 4);
        }
    }
    // Deleted now: a deferred delete posted outside any running event loop would only run
    // when the job ends, keeping every reply of the run alive until then.
    delete reply;
    return attempt;
}

Expected<QNetworkRequest> HttpClient::makeRequest(const QUrl& url, const QByteArray& accept, bool post,
                                                  bool credentials, const RequestOptions& options) {
    QUrl target = url;
    // A token that travels in the query goes on every request to a trusted origin, nextLinks
    // included: they are stored without it, and servers do not always carry it over.
    if (credentials && !m_auth->queryToken().isEmpty()) {
        QUrlQuery query(target);
        if (!query.hasQueryItem(QStringLiteral("access_token"))) {
            QString encoded = target.query(QUrl::FullyEncoded);
            if (!encoded.isEmpty())
                encoded += QLatin1Char('&');
            encoded += QStringLiteral("access_token=") +
                       QString::fromLatin1(QUrl::toPercentEncoding(m_auth->queryToken()));
            target.setQuery(encoded, QUrl::StrictMode);
        }
    }
    QNetworkRequest request(target);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_policy.transferTimeoutMs);
    request.setRawHeader("Accept", accept);
    for (const auto& [name, value] : std::as_const(m_extraHeaders)) {
        // Qt asks for gzip by itself and decompresses only when it did the asking.
        if (name.compare("Accept-Encoding", Qt::CaseInsensitive) == 0)
            continue;
        request.setRawHeader(name, value);
    }
    for (const auto& [name, value] : options.headers)
        request.setRawHeader(name, value);
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("OpenReSync/" OPENRESYNC_VERSION));
    if (post)
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QStringLiteral("application/x-www-form-urlencoded"));
    if (credentials) {
        auto header = m_auth->authorizationHeader(*this);
        if (!header)
            return header.error();
        if (!header->isEmpty())
            request.setRawHeader("Authorization", *header);
    }
    return request;
}

Expected<HttpClient::Attempt> HttpClient::exchange(const QUrl& url, const QByteArray& accept,
                                                   const QByteArray* postBody, bool authenticate,
                                                   RateLimiter* limiter, const QString& what,
                                                   const RequestOptions& options) {
    QUrl target = url;
    bool credentials = authenticate && m_auth && m_origins.mayReceiveCredentials(url);
    for (int redirects = 0;; ++redirects) {
        if (m_cancelled && m_cancelled->load())
            return makeError(QStringLiteral("%1: cancelled").arg(what));
        // Before the token is looked at: a long wait here must not leave us with an expired one.
        if (limiter && !limiter->acquire())
            return makeError(QStringLiteral("%1: cancelled").arg(what));
        auto request = makeRequest(target, accept, postBody != nullptr, credentials, options);
        if (!request)
            return request.error();
        Attempt result = send(*request, postBody);
        result.credentialsSent = credentials;
        if (limiter)
            limiter->recordResponse(result.networkError ? 0 : result.response.status,
                                    result.response.body.size(), result.response.headers);
        const int status = result.response.status;
        const bool redirect =
            status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        const QByteArray location = result.response.header("Location");
        if (result.networkError || !redirect || location.isEmpty())
            return result;
        const QUrl next = target.resolved(QUrl::fromEncoded(location.trimmed()));
        const QString from = Origin::of(target).text();
        const QString to = describeUrl(next);
        auto refuse = [&](const QString& why) {
            Error error = makeError(
                QStringLiteral("%1: HTTP %2 redirect to %3: %4").arg(what, QString::number(status), to, why));
            error.httpStatus = status;
            return error;
        };
        if (postBody)
            return refuse(QStringLiteral("token requests do not follow redirects, since the form carries "
                                         "the client's secrets; configure the address the server names"));
        if (redirects == kMaxRedirects)
            return refuse(QStringLiteral("more than %1 redirects, not followed").arg(kMaxRedirects));
        if (next.scheme() != QLatin1String("http") && next.scheme() != QLatin1String("https"))
            return refuse(QStringLiteral("not an http(s) URL, not followed"));
        if (OriginPolicy::isDowngrade(target, next) && !m_origins.isAllowedHost(next))
            return refuse(QStringLiteral("from %1 to %2, https to plain http, not followed")
                              .arg(from, Origin::of(next).text()));
        qCDebug(lcHttp).noquote() << "HTTP" << status << "redirect from" << describeUrl(target) << "to" << to;
        if (Origin::of(next) != Origin::of(target)) {
            // Once the answer came from elsewhere, nothing of ours goes along any more.
            credentials = false;
            target = OriginPolicy::withoutAccessToken(next);
        } else {
            target = next;
        }
    }
}

Expected<HttpResponse> HttpClient::run(const QUrl& url, const QByteArray& accept, const QByteArray* postBody,
                                       const Validator& validator, bool authenticate,
                                       const RequestOptions& options) {
    const QString what = QStringLiteral("%1 %2").arg(
        postBody ? QStringLiteral("POST") : QStringLiteral("GET"), describeUrl(url));
    QString lastReason;
    bool authRetried = false;
    // Token requests are not what the platforms' quotas count (Trestle counts them apart).
    RateLimiter* limiter = authenticate ? m_limiter : nullptr;
    int throttled = 0;
    qint64 throttleWaited = 0;
    bool lastTimedOut = false;
    for (int attempt = 1; attempt <= m_policy.maxAttempts; ++attempt) {
        if (m_cancelled && m_cancelled->load())
            return makeError(QStringLiteral("%1: cancelled").arg(what));
        auto exchanged = exchange(url, accept, postBody, authenticate, limiter, what, options);
        if (!exchanged)
            return exchanged.error();
        Attempt& result = *exchanged;
        std::optional<int> serverDelay;
        lastTimedOut = result.networkError && result.timedOut;
        if (lastTimedOut) {
            lastReason = QStringLiteral("%1: %2").arg(what, result.errorText);
            if (options.timeoutEndsRequest) {
                Error error = makeError(lastReason);
                error.timedOut = true;
                return error;
            }
        } else if (result.networkError) {
            lastReason =
                QStringLiteral("%1: network error: %2").arg(what, Redactor::redact(result.errorText));
        } else if (result.response.status == 401 && result.credentialsSent && m_auth &&
                   m_auth->canRefresh() && !authRetried) {
            // An expired or revoked token: fetch a new one once for this request.
            authRetried = true;
            m_auth->invalidate();
            --attempt;
            qCInfo(lcHttp) << "401 from" << describeUrl(url) << "- fetching a new token";
            continue;
        } else if (result.response.status == 429) {
            // The server pacing us is no failure of the request: it waits (Retry-After when
            // given, exponential otherwise) without using up attempts, up to a total.
            ++m_throttled;
            ++throttled;
            lastReason = QStringLiteral("%1: HTTP 429: %2").arg(what, bodyExcerpt(result.response.body));
            const std::optional<int> told = retryAfterMs(result.response.header("Retry-After"));
            const int delay = std::max(m_policy.baseDelayMs, told ? std::min(m_policy.maxRetryAfterMs, *told)
                                                                  : backoffMs(m_policy, throttled));
            if (throttled > m_policy.maxThrottled || throttleWaited + delay > m_policy.maxThrottleWaitMs) {
                Error error = makeError(
                    // One arg() call: the URL in lastReason may hold "%2C" and the like.
                    QStringLiteral("%1 (still throttled after %2 answers of HTTP 429 and %3 s of waiting; "
                                   "the server allows fewer requests than this source's rateLimit)")
                        .arg(lastReason, QString::number(throttled), QString::number(throttleWaited / 1000)));
                error.httpStatus = 429;
                return error;
            }
            throttleWaited += delay;
            m_throttleWaitMs += delay;
            const QString note =
                QStringLiteral("%1 (throttled: 429 number %2 for this request); retrying in %3 ms")
                    .arg(lastReason, QString::number(throttled), QString::number(delay));
            qCWarning(lcHttp).noquote() << note;
            if (onRetry)
                onRetry(note);
            if (!sleepMs(delay))
                return makeError(QStringLiteral("%1: cancelled").arg(what));
            --attempt;
            continue;
        } else if (isTransientStatus(result.response.status)) {
            // One multi-argument arg(): a "%2C" inside the URL must not be taken for a placeholder.
            lastReason =
                QStringLiteral("%1: HTTP %2: %3")
                    .arg(what, QString::number(result.response.status), bodyExcerpt(result.response.body));
            serverDelay = retryAfterMs(result.response.header("Retry-After"));
        } else if (result.response.status >= 300 || result.response.status < 200) {
            // Other client errors will not change by asking again (nor will a redirect
            // without a Location).
            Error error = makeError(
                QStringLiteral("%1: HTTP %2: %3")
                    .arg(what, QString::number(result.response.status), bodyExcerpt(result.response.body)));
            error.httpStatus = result.response.status;
            return error;
        } else if (validator) {
            if (auto valid = validator(result.response); !valid)
                lastReason = QStringLiteral("%1: %2").arg(what, valid.errorMessage());
            else
                return std::move(result.response);
        } else {
            return std::move(result.response);
        }
        if (attempt == m_policy.maxAttempts)
            break;
        int delay = backoffMs(m_policy, attempt);
        if (serverDelay)
            delay = std::min(m_policy.maxRetryAfterMs, std::max(delay, *serverDelay));
        const QString note = QStringLiteral("%1 (attempt %2 of %3); retrying in %4 ms")
                                 .arg(lastReason, QString::number(attempt),
                                      QString::number(m_policy.maxAttempts), QString::number(delay));
        qCWarning(lcHttp).noquote() << note;
        if (onRetry)
            onRetry(note);
        if (!sleepMs(delay))
            return makeError(QStringLiteral("%1: cancelled").arg(what));
    }
    Error error = makeError(QStringLiteral("%1 (gave up after %2 attempts)")
                                .arg(lastReason, QString::number(m_policy.maxAttempts)));
    error.timedOut = lastTimedOut;
    return error;
}

Expected<HttpResponse> HttpClient::get(const QUrl& url, const QByteArray& accept, const Validator& validator,
                                       const RequestOptions& options) {
    return run(url, accept, nullptr, validator, true, options);
}

Expected<HttpResponse> HttpClient::postForm(const QUrl& url, const QByteArray& body) {
    return run(url, "application/json", &body, {}, false, {});
}

} // namespace ors
