#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace ors {

// What a configuration looks like once it may leave the machine (a diagnostics bundle, an
// exported setup): each secret written out as text is replaced by kRemovedSecret, while secret
// references (env:, keychain:, file:) stay, so whoever reads it sees where every secret comes
// from. Passwords inside URLs (user:password@host) and token query parameters go too.
struct RedactedConfig {
    QJsonObject root;
    QStringList removed; // key paths whose literal secret was replaced, e.g. "sources[0].auth.token"
};

inline constexpr char kRemovedSecret[] = "<secret removed>";

// Judged by key name rather than by the validator's schema, so a secret under a key this version
// does not know (a newer file, a typo) is still taken out.
RedactedConfig redactConfig(const QJsonObject& root);

// Whether `text` is a secret reference (env:, keychain:, file:) rather than a secret written out.
bool isSecretReference(const QString& text);

// Whether `key` names a secret in a configuration object (token, clientSecret, password, …).
bool isSecretKey(const QString& key);

} // namespace ors
