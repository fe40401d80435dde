#include "reso/AuthProvider.h"

#include "config/SecretResolver.h"
#include "logging/LogCategories.h"
#include "logging/Redactor.h"
#include "reso/HttpClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace ors {

AuthProvider::AuthProvider(AuthConfig config, QString keyPath)
    : m_config(std::move(config))
    , m_keyPath(std::move(keyPath)) {}

Expected<void> AuthProvider::resolveSecrets() {
    if (m_config.type == AuthType::Bearer) {
        auto token = SecretResolver::resolve(m_config.token, m_keyPath + QStringLiteral(".token"));
        if (!token)
            return token.error();
        m_bearer = *token;
        Redactor::addSecret(m_bearer);
    } else if (m_config.type == AuthType::OAuth2) {
        // The password grant may go without a client secret (public clients).
        if (m_config.clientSecret.isSet()) {
            auto secret =
                SecretResolver::resolve(m_config.clientSecret, m_keyPath + QStringLiteral(".clientSecret"));
            if (!secret)
                return secret.error();
            m_clientSecret = *secret;
            Redactor::addSecret(m_clientSecret);
        }
        if (m_config.grant == OAuthGrant::Password) {
            auto password =
                SecretResolver::resolve(m_config.password, m_keyPath + QStringLiteral(".password"));
            if (!password)
                return password.error();
            m_password = *password;
            Redactor::addSecret(m_password);
        }
    }
    return {};
}

QString AuthProvider::queryToken() const {
    return m_config.type == AuthType::Bearer && m_config.sendAs == TokenPlacement::Query ? m_bearer
                                                                                         : QString();
}

void AuthProvider::invalidate() {
    m_accessToken.clear();
    m_expires = {};
}

Expected<QByteArray> AuthProvider::authorizationHeader(HttpClient& http) {
    switch (m_config.type) {
    case AuthType::None:
        return QByteArray();
    case AuthType::Bearer:
        if (m_config.sendAs == TokenPlacement::Query)
            return QByteArray();
        return QByteArray(QByteArray("Bearer ") + m_bearer.toUtf8());
    case AuthType::OAuth2:
        // A token about to expire is replaced before use rather than after a 401.
        if (m_accessToken.isEmpty() || QDateTime::currentDateTimeUtc().secsTo(m_expires) < 60) {
            if (auto r = fetchToken(http); !r)
                return r.error();
        }
        return QByteArray(QByteArray("Bearer ") + m_accessToken);
    }
    return QByteArray();
}

Expected<void> AuthProvider::fetchToken(HttpClient& http) {
    auto field = [](const char* name, const QString& value) -> QByteArray {
        return QByteArray(name) + '=' + QUrl::toPercentEncoding(value);
    };
    QByteArray body;
    if (m_config.grant == OAuthGrant::Password)
        body = field("grant_type", QStringLiteral("password")) + '&' + field("username", m_config.username) +
               '&' + field("password", m_password) + '&' + field("client_id", m_config.clientId);
    else
        body = field("grant_type", QStringLiteral("client_credentials")) + '&' +
               field("client_id", m_config.clientId);
    if (!m_clientSecret.isEmpty())
        body += '&' + field("client_secret", m_clientSecret);
    if (!m_config.scope.isEmpty())
        body += QByteArray("&scope=") + QUrl::toPercentEncoding(m_config.scope);
    auto response = http.postForm(QUrl(m_config.tokenUrl), body);
    if (!response)
        return makeError(
            QStringLiteral("%1: OAuth2 token request failed: %2").arg(m_keyPath, response.errorMessage()));
    QJsonParseError parseError;
    const QJsonObject json = QJsonDocument::fromJson(response->body, &parseError).object();
    const QString token = json.value(QStringLiteral("access_token")).toString();
    if (token.isEmpty())
        return makeError(QStringLiteral("%1: the token endpoint %2 answered without an access_token")
                             .arg(m_keyPath, describeUrl(QUrl(m_config.tokenUrl))));
    m_accessToken = token.toUtf8();
    Redactor::addSecret(token);
    const int expiresIn = json.value(QStringLiteral("expires_in")).toInt(3600);
    m_expires = QDateTime::currentDateTimeUtc().addSecs(std::max(expiresIn, 1));
    qCInfo(lcHttp) << "fetched an OAuth2 token valid for" << expiresIn << "s";
    return {};
}

} // namespace ors
