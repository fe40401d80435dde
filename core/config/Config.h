#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ors {

inline constexpr int kConfigVersion = 1;

enum class Platform { Trestle, MlsGrid, Bridge, Spark, Generic };
enum class AuthType { None, Bearer, OAuth2 };
enum class DestinationType { Sqlite, Mysql, Postgresql, Solr };
enum class ProcessType { Sync, Purge, Reconcile };

QString platformName(Platform platform);
std::optional<Platform> platformFromName(const QString& name);
QString authTypeName(AuthType type);
std::optional<AuthType> authTypeFromName(const QString& name);
QString destinationTypeName(DestinationType type);
std::optional<DestinationType> destinationTypeFromName(const QString& name);
QString processName(ProcessType process);
std::optional<ProcessType> processFromName(const QString& name);

// A reference to a secret, never the secret itself: the config file holds only this.
struct SecretRef {
    enum class Kind { None, Env, Keychain, File, Literal };
    Kind kind = Kind::None;
    QString value; // variable name, keychain key, file path, or the literal text

    bool isSet() const { return kind != Kind::None; }
    static SecretRef parse(const QString& text);
};

struct AuthConfig {
    AuthType type = AuthType::None;
    SecretRef token; // bearer
    QString tokenUrl;
    QString clientId;
    SecretRef clientSecret;
    QString scope;
};

struct ExpandConfig {
    QString name;      // navigation property of the resource, e.g. "Media"
    bool owned = true; // owned children are replaced with (and deleted with) their parent
};

struct ResourceConfig {
    QString name;
    QString filter;
    QStringList select;
    QList<ExpandConfig> expand;
};

struct DestinationConfig {
    QString name;
    DestinationType type = DestinationType::Sqlite;
    QString path; // sqlite; empty means <data>/destinations/<name>.sqlite
    QString host;
    int port = 0;
    QString database;
    QString user;
    SecretRef password;
    QString url; // solr
};

struct Schedules {
    QStringList sync;
    QStringList purge;
    QStringList reconcile;
};

// Safety limits of purge: a run that would delete more refuses (exit code 3).
struct PurgeConfig {
    qint64 maxDeletes = 5000;
    double maxDeletePercent = 5; // of the destination's current rows for the resource
};

struct SourceConfig {
    QString name;
    Platform platform = Platform::Generic;
    QString serviceUrl;
    QString metadataUrl; // empty: serviceUrl + "/$metadata"
    AuthConfig auth;
    std::optional<int> pageSize;
    QList<ResourceConfig> resources;
    QList<DestinationConfig> destinations;
    Schedules schedules;
    PurgeConfig purge;

    QString effectiveMetadataUrl() const;
    const ResourceConfig* resource(const QString& name) const;
    const DestinationConfig* destination(const QString& name) const;
};

struct Config {
    int version = kConfigVersion;
    QString dataDir; // optional "dataDir" key
    QList<SourceConfig> sources;
    QString filePath; // where it was loaded from

    const SourceConfig* source(const QString& name) const;
};

} // namespace ors
