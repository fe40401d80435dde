#include "reso/HttpClient.h"

#include "logging/LogCategories.h"
#include "logging/Redactor.h"
#include "reso/AuthProvider.h"

#include <QDateTime>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QThread>

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
    return status == 408 || status == 429 || status >= 500;
}

} // namespace

HttpClient::HttpClient(RetryPolicy policy, const std::atomic<bool>* cancelled)
    : m_policy(policy)
    , m_cancelled(cancelled)
    , m_nam(std::make_unique<QNetworkAccessManager>()) {
    m_nam->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
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
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    Attempt attempt;
    attempt.response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
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
    }
    // Deleted now: a deferred delete posted outside any running event loop would only run
    // when the job ends, keeping every reply of the run alive until then.
    delete reply;
    return attempt;
}

Expected<HttpResponse> HttpClient::run(const QUrl& url, const QByteArray& accept, const QByteArray* postBody,
                                       const Validator& validator, bool authenticate) {
    const QString what = QStringLiteral("%1 %2").arg(
        postBody ? QStringLiteral("POST") : QStringLiteral("GET"), describeUrl(url));
    QString lastReason;
    bool authRetried = false;
    for (int attempt = 1; attempt <= m_policy.maxAttempts; ++attempt) {
        if (m_cancelled && m_cancelled->load())
            return makeError(QStringLiteral("%1: cancelled").arg(what));
        QNetworkRequest request(url);
        request.setTransferTimeout(m_policy.transferTimeoutMs);
        request.setRawHeader("Accept", accept);
        request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("OpenReSync/" OPENRESYNC_VERSION));
        if (postBody)
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QStringLiteral("application/x-www-form-urlencoded"));
        if (authenticate && m_auth) {
            auto header = m_auth->authorizationHeader(*this);
            if (!header)
                return header.error();
            if (!header->isEmpty())
                request.setRawHeader("Authorization", *header);
        }
        Attempt result = send(request, postBody);
        std::optional<int> serverDelay;
        if (result.networkError) {
            lastReason =
                QStringLiteral("%1: network error: %2").arg(what, Redactor::redact(result.errorText));
        } else if (result.response.status == 401 && authenticate && m_auth && m_auth->canRefresh() &&
                   !authRetried) {
            // An expired or revoked token: fetch a new one once for this request.
            authRetried = true;
            m_auth->invalidate();
            --attempt;
            qCInfo(lcHttp) << "401 from" << describeUrl(url) << "- fetching a new token";
            continue;
        } else if (isTransientStatus(result.response.status)) {
            lastReason = QStringLiteral("%1: HTTP %2: %3")
                             .arg(what)
                             .arg(result.response.status)
                             .arg(bodyExcerpt(result.response.body));
            serverDelay = retryAfterMs(result.response.header("Retry-After"));
        } else if (result.response.status >= 400 || result.response.status < 200) {
            // Other client errors will not change by asking again.
            return makeError(QStringLiteral("%1: HTTP %2: %3")
                                 .arg(what)
                                 .arg(result.response.status)
                                 .arg(bodyExcerpt(result.response.body)));
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
        int delay = std::min(m_policy.maxDelayMs, m_policy.baseDelayMs << std::min(attempt - 1, 16));
        delay = delay / 2 + int(QRandomGenerator::global()->bounded(delay / 2 + 1)); // jitter
        if (serverDelay)
            delay = std::min(m_policy.maxRetryAfterMs, std::max(delay, *serverDelay));
        const QString note = QStringLiteral("%1 (attempt %2 of %3); retrying in %4 ms")
                                 .arg(lastReason)
                                 .arg(attempt)
                                 .arg(m_policy.maxAttempts)
                                 .arg(delay);
        qCWarning(lcHttp).noquote() << note;
        if (onRetry)
            onRetry(note);
        if (!sleepMs(delay))
            return makeError(QStringLiteral("%1: cancelled").arg(what));
    }
    return makeError(
        QStringLiteral("%1 (gave up after %2 attempts)").arg(lastReason).arg(m_policy.maxAttempts));
}

Expected<HttpResponse> HttpClient::get(const QUrl& url, const QByteArray& accept,
                                       const Validator& validator) {
    return run(url, accept, nullptr, validator, true);
}

Expected<HttpResponse> HttpClient::postForm(const QUrl& url, const QByteArray& body) {
    return run(url, "application/json", &body, {}, false);
}

} // namespace ors
