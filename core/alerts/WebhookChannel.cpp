#include "alerts/AlertChannel.h"

#include "alerts/CurlTransfer.h"
#include "config/SecretResolver.h"
#include "logging/LogCategories.h"
#include "logging/Redactor.h"

#include <QJsonDocument>
#include <QThread>
#include <QUrl>

#include <curl/curl.h>

#include <atomic>

namespace ors {

namespace {

std::atomic<int> g_backoffMs{1000};
constexpr int kAttempts = 3;

size_t discard(char*, size_t size, size_t count, void*) {
    return size * count;
}

} // namespace

void WebhookChannel::setBackoffMs(int firstMs) {
    g_backoffMs = firstMs;
}

Expected<void> WebhookChannel::send(const Alert& alert) {
    const QString keyPath = m_config.keyPath + QStringLiteral(".url");
    auto url = SecretResolver::resolve(m_config.url, keyPath);
    if (!url)
        return Error{describe() + QStringLiteral(": ") + url.errorMessage()};
    // A Slack webhook URL is its own credential: no message may show it.
    if (m_config.url.kind != SecretRef::Kind::Literal)
        Redactor::addSecret(*url);
    const QString origin = QUrl(*url).scheme() + QStringLiteral("://") + QUrl(*url).host();
    const QByteArray body = QJsonDocument(alert.toJson()).toJson(QJsonDocument::Compact);
    const QByteArray urlBytes = url->toUtf8();
    QString lastError;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
        if (attempt > 1)
            QThread::msleep(static_cast<unsigned long>(g_backoffMs.load()) << (attempt - 2));
        CurlTransfer transfer(m_config.timeoutSeconds);
        CURL* curl = transfer.handle();
        curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_URL, urlBytes.constData());
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.constData());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, long(body.size()));
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
        const auto done = transfer.perform();
        const long status = transfer.responseCode();
        curl_slist_free_all(headers);
        if (!done) {
            lastError = done.errorMessage();
        } else if (status >= 200 && status < 300) {
            return {};
        } else {
            lastError = QStringLiteral("HTTP %1").arg(status);
            // Anything else than overload or a server error will not pass on a retry.
            if (status != 429 && status < 500)
                return Error{QStringLiteral("%1 at %2: %3").arg(describe(), origin, lastError), int(status)};
        }
        qCInfo(lcAlerts).noquote() << QStringLiteral("%1 at %2: attempt %3 of %4 failed: %5")
                                          .arg(describe(), origin, QString::number(attempt),
                                               QString::number(kAttempts), lastError);
    }
    return Error{Redactor::redact(QStringLiteral("%1 at %2: gave up after %3 attempts: %4")
                                      .arg(describe(), origin, QString::number(kAttempts), lastError))};
}

} // namespace ors
