#pragma once

// What the configuration suites (tst_config, tst_configvalidation, tst_configplatform) share:
// the full example document, minimal sources to edit into each case, and an environment guard.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

namespace ors::test {

inline const QByteArray kFullExample = R"({
  "version": 1,
  "dataDir": "/srv/openresync",
  "timeZone": "America/Denver",
  "sources": [
    {
      "name": "crmls",
      "platform": "trestle",
      "serviceUrl": "https://api.example.com/trestle/odata",
      "metadataUrl": "https://api.example.com/trestle/odata/$metadata?showEnums=true",
      "auth": { "type": "oauth2", "tokenUrl": "https://api.example.com/trestle/oidc/connect/token",
                "clientId": "abc", "clientSecret": "env:TRESTLE_SECRET", "scope": "api" },
      "pageSize": 1000,
      "resources": [
        { "name": "Property", "filter": "StandardStatus eq 'Active'", "select": ["ListingKey", "ListPrice"],
          "expand": [ { "name": "Media" }, { "name": "Rooms", "owned": false } ] },
        { "name": "Member" }
      ],
      "destinations": [
        { "name": "local", "type": "sqlite", "path": "/var/lib/mls/crmls.sqlite" },
        { "name": "db", "type": "mysql", "host": "127.0.0.1", "port": 3306, "database": "mls", "user": "ors",
          "password": "env:MYSQL_PASSWORD" },
        { "name": "pg", "type": "postgresql", "host": "db.example.com", "database": "mls", "user": "ors",
          "password": "keychain:pg-password" },
        { "name": "search", "type": "solr", "url": "http://localhost:8983/solr/mls" }
      ],
      "purge": { "maxDeletes": 100, "maxKeyListAgeMinutes": 15 },
      "schedules": { "sync": ["*/15 * * * *"], "purge": ["0 3 * * *"], "reconcile": ["30 3 * * 0", "0 0 4 * * 1"],
                     "timeZone": "Europe/Berlin", "catchUp": true }
    }
  ]
})";

inline QJsonObject minimalSource(const QString& name = QStringLiteral("crmls")) {
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("platform"), QStringLiteral("generic")},
        {QStringLiteral("serviceUrl"), QStringLiteral("https://api.example.com/odata")},
        {QStringLiteral("resources"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")}}}},
        {QStringLiteral("destinations"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("local")},
                                {QStringLiteral("type"), QStringLiteral("sqlite")}}}},
    };
}

inline QByteArray documentOf(const QJsonArray& sources) {
    return QJsonDocument(QJsonObject{{QStringLiteral("sources"), sources}}).toJson();
}

// A valid one-source document, changed by `edit` into the case under test.
inline QByteArray withSource(const std::function<void(QJsonObject&)>& edit) {
    QJsonObject source = minimalSource();
    edit(source);
    return documentOf(QJsonArray{source});
}

inline QJsonObject objectFrom(const char* json) {
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

// Sets or clears an environment variable for one scope and restores the previous state afterwards.
class EnvGuard {
public:
    EnvGuard(const char* name, const std::optional<QByteArray>& value)
        : m_name(name)
        , m_hadValue(qEnvironmentVariableIsSet(name))
        , m_old(qgetenv(name)) {
        if (value)
            qputenv(name, *value);
        else
            qunsetenv(name);
    }
    ~EnvGuard() {
        if (m_hadValue)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

private:
    const char* m_name;
    bool m_hadValue;
    QByteArray m_old;
};

} // namespace ors::test
