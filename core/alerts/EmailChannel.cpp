#include "alerts/AlertChannel.h"

#include "alerts/CurlTransfer.h"
#include "config/SecretResolver.h"
#include "logging/Redactor.h"

#include <QLocale>
#include <QUuid>

#include <curl/curl.h>

#include <cstring>

namespace ors {

namespace {

struct Upload {
    QByteArray data;
    qsizetype offset = 0;
};

size_t readUpload(char* buffer, size_t size, size_t count, void* userdata) {
    auto* upload = static_cast<Upload*>(userdata);
    const size_t room = size * count;
    const size_t left = size_t(upload->data.size() - upload->offset);
    const size_t n = std::min(room, left);
    std::memcpy(buffer, upload->data.constData() + upload->offset, n);
    upload->offset += qsizetype(n);
    return n;
}

// RFC 2047: a header with anything beyond ASCII as one UTF-8 base64 word.
QByteArray headerText(const QString& text) {
    QByteArray utf8 = text.toUtf8();
    for (const char c : utf8)
        if (static_cast<unsigned char>(c) >= 0x80 || c == '\r' || c == '\n')
            return "=?UTF-8?B?" + utf8.toBase64() + "?=";
    return utf8;
}

QByteArray angle(const QString& address) {
    return '<' + address.trimmed().toUtf8() + '>';
}

} // namespace

QByteArray EmailChannel::message(const AlertChannelConfig& config, const Alert& alert) {
    const QDateTime time = alert.time.isValid() ? alert.time.toUTC() : QDateTime::currentDateTimeUtc();
    QByteArray out;
    out += "Date: " + QLocale::c().toString(time, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss")).toLatin1() +
           " +0000\r\n";
    out += "From: " + config.from.toUtf8() + "\r\n";
    out += "To: " + config.to.join(QStringLiteral(", ")).toUtf8() + "\r\n";
    out += "Subject: " + headerText(alert.title()) + "\r\n";
    out +=
        "Message-ID: <" + QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1() + "@openresync>\r\n";
    out +=
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n";
    out += "\r\n";
    QString body = alert.message + QStringLiteral("\n\n");
    body += QStringLiteral("source:    %1\n").arg(alert.source);
    if (!alert.process.isEmpty())
        body += QStringLiteral("process:   %1\n").arg(alert.process);
    body += QStringLiteral("condition: %1\n").arg(alertConditionName(alert.condition));
    if (!alert.subject.isEmpty())
        body += QStringLiteral("subject:   %1\n").arg(alert.subject);
    body += QStringLiteral("state:     %1\n").arg(alertStateName(alert.state));
    body += QStringLiteral("time:      %1\n").arg(time.toString(Qt::ISODate));
    out += body.toUtf8().replace("\r\n", "\n").replace('\n', "\r\n");
    return out;
}

Expected<void> EmailChannel::send(const Alert& alert) {
    QString password;
    if (m_config.password.isSet()) {
        auto resolved =
            SecretResolver::resolve(m_config.password, m_config.keyPath + QStringLiteral(".password"));
        if (!resolved)
            return Error{describe() + QStringLiteral(": ") + resolved.errorMessage()};
        password = *resolved;
        Redactor::addSecret(password);
    }
    Upload upload{message(m_config, alert)};
    CurlTransfer transfer(m_config.timeoutSeconds);
    CURL* curl = transfer.handle();
    const QByteArray url = m_config.server.toUtf8();
    const QByteArray from = angle(m_config.from);
    const QByteArray user = m_config.username.toUtf8();
    const QByteArray pass = password.toUtf8();
    const QByteArray ca = m_config.caFile.toUtf8();
    curl_slist* recipients = nullptr;
    QList<QByteArray> to;
    for (const QString& address : m_config.to)
        to.append(angle(address));
    for (const QByteArray& address : std::as_const(to))
        recipients = curl_slist_append(recipients, address.constData());
    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // smtp:// must upgrade with STARTTLS or fail: an alert never travels, nor logs in, in clear text.
    curl_easy_setopt(curl, CURLOPT_USE_SSL, long(CURLUSESSL_ALL));
    if (!m_config.caFile.isEmpty())
        curl_easy_setopt(curl, CURLOPT_CAINFO, ca.constData());
    if (!m_config.username.isEmpty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, pass.constData());
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, readUpload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    const auto done = transfer.perform();
    curl_slist_free_all(recipients);
    if (!done)
        return Error{Redactor::redact(
            QStringLiteral("%1 via %2: %3").arg(describe(), m_config.server, done.errorMessage()))};
    return {};
}

} // namespace ors
