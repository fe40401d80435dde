#pragma once

#include "config/Config.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QDateTime>

namespace ors {

class HttpClient;

// Supplies the Authorization header. OAuth2 tokens live in memory only and are fetched again
// shortly before they expire, or when the server rejects one.
class AuthProvider {
public:
    AuthProvider(AuthConfig config, QString keyPath);

    // Resolves the configured secrets (environment, keychain, secret file) once.
    Expected<void> resolveSecrets();
    // Empty when the source needs no authentication.
    Expected<QByteArray> authorizationHeader(HttpClient& http);
    // The token to send as an access_token query parameter; empty when it goes in a header.
    QString queryToken() const;
    void invalidate();
    bool canRefresh() const { return m_config.type == AuthType::OAuth2; }

private:
    Expected<void> fetchToken(HttpClient& http);

    AuthConfig m_config;
    QString m_keyPath;
    QString m_bearer;
    QString m_clientSecret;
    QString m_password;
    QByteArray m_accessToken;
    QDateTime m_expires;
};

} // namespace ors
