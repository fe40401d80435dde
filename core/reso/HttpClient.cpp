#include "reso/HttpClient.h"

#include "logging/Redactor.h"
#include "reso/AuthProvider.h"
#include "reso/PendingRequest.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>
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

HttpClient::HttpClient(RetryPolicy policy, const std::atomic<bool>* cancelled)
    : m_policy(policy)
    , m_cancelled(cancelled)
    , m_nam(std::make_unique<QNetworkAccessManager>()) {
    // Redirects are followed in PendingRequest: Qt's own policies would carry the Authorization
    // header to whatever host a server names.
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

HttpClient::~HttpClient() = default;

Expected<QNetworkRequest> HttpClient::makeRequest(const QUrl& url, const QByteArray& accept, bool post,
                                                  bool credentials, const RequestOptions& options) {
    QUrl target = url;
    // A token that travels in the query goes on every request to a trusted origin, nextLinks
    // included: they are stored without it, and servers do not always carry it over.
    if (credentials && m_auth && !m_auth->queryToken().isEmpty()) {
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
    if (m_ssl)
        request.setSslConfiguration(*m_ssl);
    request.setRawHeader("Accept", accept);
    // Asked for here, so that Qt leaves the body compressed: PendingRequest inflates it (GzipBody).
    request.setRawHeader("Accept-Encoding", "gzip");
    for (const auto& [name, value] : std::as_const(m_extraHeaders)) {
        // A profile's own encoding would give bodies GzipBody cannot read.
        if (name.compare("Accept-Encoding", Qt::CaseInsensitive) == 0)
            continue;
        request.setRawHeader(name, value);
    }
    for (const auto& [name, value] : options.headers)
        request.setRawHeader(name, value);
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("OpenReSync/" OPENRESYNC_VERSION));
    if (post)
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          options.contentType.isEmpty()
                              ? QByteArrayLiteral("application/x-www-form-urlencoded")
                              : options.contentType);
    if (credentials && !m_auth) {
        request.setRawHeader("Authorization", m_staticAuthorization);
    } else if (credentials) {
        auto header = m_auth->authorizationHeader(*this);
        if (!header)
            return header.error();
        if (!header->isEmpty())
            request.setRawHeader("Authorization", *header);
    }
    return request;
}

std::unique_ptr<PendingRequest> HttpClient::start(const QUrl& url, const QByteArray& accept,
                                                  Validator validator, RequestOptions options) {
    std::unique_ptr<PendingRequest> request(
        new PendingRequest(*this, url, accept, std::nullopt, std::move(validator), true, std::move(options)));
    request->begin();
    return request;
}

Expected<HttpResponse> HttpClient::get(const QUrl& url, const QByteArray& accept, const Validator& validator,
                                       const RequestOptions& options) {
    return start(url, accept, validator, options)->wait();
}

Expected<HttpResponse> HttpClient::postForm(const QUrl& url, const QByteArray& body) {
    std::unique_ptr<PendingRequest> request(
        new PendingRequest(*this, url, "application/json", body, {}, false, {}));
    request->begin();
    return request->wait();
}

Expected<HttpResponse> HttpClient::post(const QUrl& url, const QByteArray& body, const QByteArray& accept,
                                        const RequestOptions& options) {
    std::unique_ptr<PendingRequest> request(new PendingRequest(*this, url, accept, body, {}, true, options));
    request->begin();
    return request->wait();
}

} // namespace ors
