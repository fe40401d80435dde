#include "reso/PendingRequest.h"

#include "logging/LogCategories.h"
#include "logging/Redactor.h"
#include "reso/AuthProvider.h"
#include "reso/GzipBody.h"
#include "reso/RateLimiter.h"

#include <QDateTime>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSslError>

namespace ors {

namespace {

constexpr int kCancelPollMs = 100;

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

PendingRequest::PendingRequest(HttpClient& client, const QUrl& url, const QByteArray& accept,
                               std::optional<QByteArray> postBody, HttpClient::Validator validator,
                               bool authenticate, RequestOptions options)
    : m_client(client)
    , m_url(url)
    , m_accept(accept)
    , m_postBody(std::move(postBody))
    , m_validator(std::move(validator))
    , m_authenticate(authenticate)
    , m_options(std::move(options)) {
    m_what = QStringLiteral("%1 %2").arg(m_postBody ? QStringLiteral("POST") : QStringLiteral("GET"),
                                         describeUrl(url));
    // Token requests are not what the platforms' quotas count (Trestle counts them apart).
    m_limiter = authenticate ? client.m_limiter : nullptr;
    m_wait.setSingleShot(true);
    QObject::connect(&m_wait, &QTimer::timeout, this, [this] {
        auto then = std::move(m_afterWait);
        m_afterWait = {};
        if (then)
            then();
    });
    // Cancel must not wait for a slow answer (up to the transfer timeout) or a long wait: the
    // flag is polled while the request runs and the reply aborted or the wait ended.
    if (client.m_cancelled) {
        QObject::connect(&m_cancelPoll, &QTimer::timeout, this, &PendingRequest::pollCancel);
        m_cancelPoll.start(kCancelPollMs);
    }
}

PendingRequest::~PendingRequest() {
    abort();
}

bool PendingRequest::cancelled() const {
    return m_client.m_cancelled && m_client.m_cancelled->load();
}

void PendingRequest::begin() {
    if (m_client.m_policy.maxAttempts < 1)
        return finish(makeError(QStringLiteral("%1 (gave up after %2 attempts)")
                                    .arg(m_lastReason, QString::number(m_client.m_policy.maxAttempts))));
    nextAttempt();
}

Expected<HttpResponse> PendingRequest::wait() {
    if (!m_result) {
        QEventLoop loop;
        m_loop = &loop;
        loop.exec(QEventLoop::ExcludeUserInputEvents);
        m_loop = nullptr;
    }
    Expected<HttpResponse> result = std::move(*m_result);
    return result;
}

void PendingRequest::abort() {
    if (isFinished())
        return;
    m_afterWait = {};
    m_wait.stop();
    if (QNetworkReply* reply = std::exchange(m_reply, nullptr)) {
        QObject::disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        delete reply;
        // Sent and counted: the limiter hears that no answer came.
        if (m_limiter)
            m_limiter->recordResponse(0, 0, {});
    }
    finish(makeError(QStringLiteral("%1: abandoned").arg(m_what)));
}

void PendingRequest::finish(Expected<HttpResponse> result) {
    m_result = std::move(result);
    m_cancelPoll.stop();
    m_wait.stop();
    m_afterWait = {};
    if (m_loop)
        m_loop->quit();
}

void PendingRequest::finishCancelled() {
    finish(makeError(QStringLiteral("%1: cancelled").arg(m_what)));
}

void PendingRequest::waitThen(qint64 ms, std::function<void()> then) {
    if (ms <= 0)
        return then();
    if (cancelled())
        return finishCancelled();
    m_afterWait = std::move(then);
    m_wait.start(int(std::min<qint64>(ms, std::numeric_limits<int>::max())));
}

void PendingRequest::pollCancel() {
    if (isFinished() || !cancelled())
        return;
    if (m_reply) {
        m_cancelledHere = true;
        m_reply->abort(); // finishes the reply: onReplyFinished() goes on from there
    } else if (m_wait.isActive()) {
        finishCancelled();
    }
}

void PendingRequest::nextAttempt() {
    if (cancelled())
        return finishCancelled();
    m_target = m_url;
    m_credentials = m_authenticate && (m_client.m_auth || !m_client.m_staticAuthorization.isEmpty()) &&
                    m_client.m_origins.mayReceiveCredentials(m_url);
    m_redirects = 0;
    sendHop();
}

void PendingRequest::sendHop() {
    if (cancelled())
        return finishCancelled();
    m_announced = false;
    waitForLimiter();
}

void PendingRequest::waitForLimiter() {
    // Before the token is looked at: a long wait here must not leave us with an expired one.
    if (m_limiter) {
        QString reason;
        const qint64 delay = m_limiter->delayMs(&reason);
        if (delay > 0) {
            if (!m_announced)
                m_announced = m_limiter->announceWait(delay, reason);
            // In slices: a clock that jumps is noticed within a minute.
            const qint64 slice = std::min(delay, RateLimiter::maxSliceMs());
            return waitThen(slice, [this, slice] {
                m_limiter->addWaited(slice);
                if (cancelled())
                    return finishCancelled();
                waitForLimiter();
            });
        }
        m_limiter->countRequest();
    }
    auto request = m_client.makeRequest(m_target, m_accept, m_postBody.has_value(), m_credentials, m_options);
    if (!request)
        return finish(request.error());
    ++m_client.m_requests;
    m_cancelledHere = false;
    m_reply = m_postBody ? m_client.m_nam->post(*request, *m_postBody) : m_client.m_nam->get(*request);
    m_sslErrors.clear();
    m_tooLarge = false;
    // Checked as the answer arrives, so a huge or endless one is cut off at the limit instead of
    // being held whole in memory.
    QObject::connect(m_reply, &QNetworkReply::readyRead, this, [this] {
        if (m_reply && !m_tooLarge && m_reply->bytesAvailable() > m_client.m_policy.maxBodyBytes) {
            m_tooLarge = true;
            m_reply->abort();
        }
    });
    QObject::connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError>& errors) {
        for (const QSslError& error : errors)
            m_sslErrors.append(error.errorString());
    });
    QObject::connect(m_reply, &QNetworkReply::finished, this, &PendingRequest::onReplyFinished);
}

void PendingRequest::onReplyFinished() {
    QNetworkReply* reply = std::exchange(m_reply, nullptr);
    if (!reply)
        return;
    QObject::disconnect(reply, nullptr, this, nullptr);
    Attempt attempt;
    attempt.response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // An aborted reply (timeout, cancel) is closed: reading it only earns a Qt warning.
    if (reply->isOpen())
        attempt.response.body = reply->readAll();
    for (const auto& pair : reply->rawHeaderPairs())
        attempt.response.headers.append(pair);
    const QNetworkReply::NetworkError error = reply->error();
    const QByteArray encoding = attempt.response.header("Content-Encoding").trimmed().toLower();
    std::optional<QString> unreadable;
    // Every answer that arrived whole is inflated, an HTTP error's too (its excerpt is quoted);
    // a network failure's partial body is not read, and an empty one has nothing to inflate.
    const bool whole = error == QNetworkReply::NoError || error >= QNetworkReply::ContentAccessDenied;
    if (whole && !attempt.response.body.isEmpty() && !encoding.isEmpty() && encoding != "identity") {
        if (encoding == "gzip" || encoding == "x-gzip") {
            const qint64 compressed = attempt.response.body.size();
            GzipBody inflated = GzipBody::inflate(attempt.response.body, m_client.m_policy.maxBodyBytes);
            if (inflated.outcome == GzipBody::Outcome::Inflated)
                attempt.response.gzip = std::move(attempt.response.body);
            attempt.response.body = std::move(inflated.body);
            if (inflated.outcome == GzipBody::Outcome::TooLarge)
                m_tooLarge = true;
            else if (inflated.outcome != GzipBody::Outcome::Inflated)
                unreadable = QStringLiteral("Decompression failed: ") +
                             GzipBody::describe(inflated.outcome, compressed);
        } else {
            attempt.response.body.clear();
            unreadable = QStringLiteral("it came with Content-Encoding \"%1\", which was not asked for")
                             .arg(QString::fromLatin1(encoding.left(40)));
        }
    }
    // Counted as inflated, as the stores and the platforms' quotas have always seen it.
    m_client.m_bytes += attempt.response.body.size();
    // HTTP error statuses are judged by status; everything else (resets, timeouts, a body
    // shorter than its Content-Length) is a network failure.
    if (error != QNetworkReply::NoError &&
        (attempt.response.status == 0 || error < QNetworkReply::ContentAccessDenied)) {
        attempt.networkError = true;
        attempt.errorText = reply->errorString();
        // Qt reports its transfer timeout as "Operation canceled", like a cancel by the user.
        if (error == QNetworkReply::OperationCanceledError && !m_cancelledHere) {
            attempt.timedOut = true;
            attempt.errorText = QStringLiteral("timed out after %1 s without an answer")
                                    .arg(m_client.m_policy.transferTimeoutMs / 1000.0, 0, 'g', 4);
        }
    }
    // Deleted by the event loop that delivered this signal, not inside it; every reply of a run
    // goes as soon as it is read.
    reply->deleteLater();
    // Qt refused the body of a 2xx itself (a decompression bomb past its ratio check, a corrupt
    // gzip stream): the same answer would come again, so it is not retried.
    if (error >= QNetworkReply::ContentAccessDenied && attempt.response.status >= 200 &&
        attempt.response.status < 300)
        unreadable = reply->errorString();
    // The same holds for a body this client could not inflate (a bomb, corrupt gzip).
    if (unreadable && attempt.response.status >= 200 && attempt.response.status < 300)
        return finish(makeError(QStringLiteral("%1: the answer (HTTP %2) could not be read: %3")
                                    .arg(m_what, QString::number(attempt.response.status), *unreadable)));
    if (m_tooLarge)
        return finish(
            makeError(QStringLiteral("%1: the answer is larger than %2 MB; the source's maxPageMegabytes "
                                     "allows no more (ask for smaller pages with pageSize, or raise it)")
                          .arg(m_what)
                          .arg(m_client.m_policy.maxBodyBytes >> 20)));
    // A certificate refused now is refused on every retry: said at once, with what to do.
    if (error == QNetworkReply::SslHandshakeFailedError) {
        m_sslErrors.removeDuplicates();
        return finish(
            makeError(QStringLiteral(
                          "%1: TLS: the server's certificate is not trusted (%2); for a server whose "
                          "certificate a private CA signed, set the source's tls.ca to that CA's certificate")
                          .arg(m_what, m_sslErrors.isEmpty() ? reply->errorString()
                                                             : m_sslErrors.join(QStringLiteral("; ")))));
    }
    onRedirectOrAnswer(std::move(attempt));
}

void PendingRequest::onRedirectOrAnswer(Attempt result) {
    result.credentialsSent = m_credentials;
    if (m_limiter)
        m_limiter->recordResponse(result.networkError ? 0 : result.response.status,
                                  result.response.body.size(), result.response.headers);
    const int status = result.response.status;
    const bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    const QByteArray location = result.response.header("Location");
    if (result.networkError || !redirect || location.isEmpty())
        return onAttempt(result);
    const QUrl next = m_target.resolved(QUrl::fromEncoded(location.trimmed()));
    const QString from = Origin::of(m_target).text();
    const QString to = describeUrl(next);
    auto refuse = [&](const QString& why) {
        Error error = makeError(
            QStringLiteral("%1: HTTP %2 redirect to %3: %4").arg(m_what, QString::number(status), to, why));
        error.httpStatus = status;
        finish(error);
    };
    if (m_postBody && !m_authenticate)
        return refuse(QStringLiteral("token requests do not follow redirects, since the form carries "
                                     "the client's secrets; configure the address the server names"));
    if (m_postBody)
        return refuse(
            QStringLiteral("a POST is not sent again elsewhere; configure the address the server names"));
    if (m_redirects == HttpClient::kMaxRedirects)
        return refuse(QStringLiteral("more than %1 redirects, not followed").arg(HttpClient::kMaxRedirects));
    if (next.scheme() != QLatin1String("http") && next.scheme() != QLatin1String("https"))
        return refuse(QStringLiteral("not an http(s) URL, not followed"));
    if (OriginPolicy::isDowngrade(m_target, next) && !m_client.m_origins.isAllowedHost(next))
        return refuse(QStringLiteral("from %1 to %2, https to plain http, not followed")
                          .arg(from, Origin::of(next).text()));
    qCDebug(lcHttp).noquote() << "HTTP" << status << "redirect from" << describeUrl(m_target) << "to" << to;
    if (Origin::of(next) != Origin::of(m_target)) {
        // Once the answer came from elsewhere, nothing of ours goes along any more.
        m_credentials = false;
        m_target = OriginPolicy::withoutAccessToken(next);
    } else {
        m_target = next;
    }
    ++m_redirects;
    sendHop();
}

void PendingRequest::onAttempt(Attempt& result) {
    const RetryPolicy& policy = m_client.m_policy;
    std::optional<int> serverDelay;
    m_lastTimedOut = result.networkError && result.timedOut;
    if (m_lastTimedOut) {
        m_lastReason = QStringLiteral("%1: %2").arg(m_what, result.errorText);
        if (m_options.timeoutEndsRequest) {
            Error error = makeError(m_lastReason);
            error.timedOut = true;
            return finish(error);
        }
    } else if (result.networkError) {
        m_lastReason =
            QStringLiteral("%1: network error: %2").arg(m_what, Redactor::redact(result.errorText));
    } else if (result.response.status == 401 && result.credentialsSent && m_client.m_auth &&
               m_client.m_auth->canRefresh() && !m_authRetried) {
        // An expired or revoked token: fetch a new one once for this request.
        m_authRetried = true;
        m_client.m_auth->invalidate();
        qCInfo(lcHttp) << "401 from" << describeUrl(m_url) << "- fetching a new token";
        return nextAttempt();
    } else if (result.response.status == 429) {
        // The server pacing us is no failure of the request: it waits (Retry-After when
        // given, exponential otherwise) without using up attempts, up to a total.
        ++m_client.m_throttled;
        ++m_throttled;
        m_lastReason = QStringLiteral("%1: HTTP 429: %2").arg(m_what, bodyExcerpt(result.response.body));
        const std::optional<int> told = retryAfterMs(result.response.header("Retry-After"));
        const int delay = std::max(policy.baseDelayMs, told ? std::min(policy.maxRetryAfterMs, *told)
                                                            : backoffMs(policy, m_throttled));
        if (m_throttled > policy.maxThrottled || m_throttleWaited + delay > policy.maxThrottleWaitMs) {
            Error error = makeError(
                // One arg() call: the URL in lastReason may hold "%2C" and the like.
                QStringLiteral("%1 (still throttled after %2 answers of HTTP 429 and %3 s of waiting; "
                               "the server allows fewer requests than this source's rateLimit)")
                    .arg(m_lastReason, QString::number(m_throttled),
                         QString::number(m_throttleWaited / 1000)));
            error.httpStatus = 429;
            return finish(error);
        }
        m_throttleWaited += delay;
        m_client.m_throttleWaitMs += delay;
        const QString note =
            QStringLiteral("%1 (throttled: 429 number %2 for this request); retrying in %3 ms")
                .arg(m_lastReason, QString::number(m_throttled), QString::number(delay));
        qCWarning(lcHttp).noquote() << note;
        if (m_client.onRetry)
            m_client.onRetry(note);
        return waitThen(delay, [this] { nextAttempt(); });
    } else if (isTransientStatus(result.response.status)) {
        // One multi-argument arg(): a "%2C" inside the URL must not be taken for a placeholder.
        m_lastReason =
            QStringLiteral("%1: HTTP %2: %3")
                .arg(m_what, QString::number(result.response.status), bodyExcerpt(result.response.body));
        serverDelay = retryAfterMs(result.response.header("Retry-After"));
    } else if ((result.response.status >= 300 || result.response.status < 200) &&
               !(m_options.clientErrorsAnswer && result.response.status >= 400 &&
                 result.response.status < 500)) {
        // Other client errors will not change by asking again (nor will a redirect
        // without a Location). A caller that takes 4xx as an answer gets it, unvalidated, below.
        Error error = makeError(
            QStringLiteral("%1: HTTP %2: %3")
                .arg(m_what, QString::number(result.response.status), bodyExcerpt(result.response.body)));
        error.httpStatus = result.response.status;
        return finish(error);
    } else if (m_validator && result.response.status < 300) {
        if (auto valid = m_validator(result.response); !valid)
            m_lastReason = QStringLiteral("%1: %2").arg(m_what, valid.errorMessage());
        else
            return finish(std::move(result.response));
    } else {
        return finish(std::move(result.response));
    }
    if (m_attempt >= policy.maxAttempts) {
        Error error = makeError(QStringLiteral("%1 (gave up after %2 attempts)")
                                    .arg(m_lastReason, QString::number(policy.maxAttempts)));
        error.timedOut = m_lastTimedOut;
        return finish(error);
    }
    int delay = backoffMs(policy, m_attempt);
    if (serverDelay)
        delay = std::min(policy.maxRetryAfterMs, std::max(delay, *serverDelay));
    const QString note = QStringLiteral("%1 (attempt %2 of %3); retrying in %4 ms")
                             .arg(m_lastReason, QString::number(m_attempt),
                                  QString::number(policy.maxAttempts), QString::number(delay));
    qCWarning(lcHttp).noquote() << note;
    if (m_client.onRetry)
        m_client.onRetry(note);
    waitThen(delay, [this] {
        ++m_attempt;
        nextAttempt();
    });
}

} // namespace ors
