#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <optional>

namespace ors {

inline constexpr int kConfigVersion = 1;

enum class Platform { Trestle, MlsGrid, Bridge, Spark, Generic };
enum class AuthType { None, Bearer, OAuth2 };
enum class DestinationType { Sqlite, Mysql, Postgresql, Solr };
enum class ProcessType { Sync, Purge, Reconcile };
// TLS of a database destination's connection, as MySQL's --ssl-mode names them.
enum class TlsMode { Disabled, Preferred, Required, VerifyCa, VerifyIdentity };
// What a record that cannot be stored does: set aside in the rejected file while the rest of its
// page is written (Quarantine), or fail its page as a whole (Fail).
enum class BadRecordPolicy { Quarantine, Fail };

QString platformName(Platform platform);
std::optional<Platform> platformFromName(const QString& name);
QString authTypeName(AuthType type);
std::optional<AuthType> authTypeFromName(const QString& name);
QString destinationTypeName(DestinationType type);
std::optional<DestinationType> destinationTypeFromName(const QString& name);
QString processName(ProcessType process);
std::optional<ProcessType> processFromName(const QString& name);
QString tlsModeName(TlsMode mode);
std::optional<TlsMode> tlsModeFromName(const QString& name);
QString badRecordPolicyName(BadRecordPolicy policy);
std::optional<BadRecordPolicy> badRecordPolicyFromName(const QString& name);

// A reference to a secret, never the secret itself: the config file holds only this.
struct SecretRef {
    enum class Kind { None, Env, Keychain, File, Literal };
    Kind kind = Kind::None;
    QString value; // variable name, keychain key, file path, or the literal text

    bool isSet() const { return kind != Kind::None; }
    static SecretRef parse(const QString& text);
};

// Where a static bearer token travels: the Authorization header, or an access_token query
// parameter (Bridge accepts both; some feeds only the latter).
enum class TokenPlacement { Header, Query };
enum class OAuthGrant { ClientCredentials, Password };
// The configuration's names ("header"/"query", "client_credentials"/"password"); none when unknown.
std::optional<TokenPlacement> tokenPlacementFromName(const QString& name);
std::optional<OAuthGrant> oauthGrantFromName(const QString& name);

struct AuthConfig {
    AuthType type = AuthType::None;
    SecretRef token; // bearer
    TokenPlacement sendAs = TokenPlacement::Header;
    QString tokenUrl;
    OAuthGrant grant = OAuthGrant::ClientCredentials;
    QString clientId;
    SecretRef clientSecret; // optional for the password grant
    QString username;       // password grant (Rapattoni)
    SecretRef password;     // password grant
    QString scope;
};

// How the replication URL of a resource is formed from the service URL.
enum class ReplicationStyle {
    Plain,          // the resource URL itself (MLS Grid, generic)
    QueryParameter, // ...?replication=true (Trestle)
    PathSuffix,     // .../Property/replication (Bridge)
};
// How records are asked for by key: "Key in ('a','b')" or "Key eq 'a' or Key eq 'b'".
enum class KeyListStyle { In, EqOr };
// The profile's names ("plain"/"query"/"path", "in"/"or"); none when unknown.
std::optional<ReplicationStyle> replicationStyleFromName(const QString& name);
std::optional<KeyListStyle> keyListStyleFromName(const QString& name);

// A source's overrides of its platform's profile; every value unset keeps the platform default.
struct ProfileOverrides {
    std::optional<ReplicationStyle> replication;
    QString replicationUrl; // a separate replication host (Spark); empty: the serviceUrl
    std::optional<int> maxPageSize;
    std::optional<int> maxPageSizeWithExpand;
    std::optional<int> maxKeyPageSize;
    std::optional<bool> orderBy;
    std::optional<bool> topIsPageSize;
    std::optional<bool> count;
    std::optional<bool> mlgCanView;
    std::optional<KeyListStyle> keyListStyle;
    std::optional<int> maxUrlLength;
    std::optional<int> overlapSeconds;
    std::optional<QStringList> excludeFields;
    QList<std::pair<QString, QString>> keyFields; // resource -> key field
    QList<std::pair<QString, QString>> headers;
};

// Request budget of a source; unset values keep the platform's documented limits, 0 disables one.
struct RateLimitConfig {
    std::optional<double> perSecond;
    std::optional<int> perMinute;
    std::optional<int> perHour;
    std::optional<int> perDay;
    std::optional<qint64> bytesPerHour;
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

// "tls": {mode, ca, cert, key} of a MySQL/MariaDB (and later PostgreSQL) destination. Paths are
// absolute once validated (relative ones are taken from the configuration file's folder).
struct TlsConfig {
    TlsMode mode = TlsMode::Preferred;
    QString ca;   // CA certificate(s) the server's certificate must chain to (verify-ca, verify-identity)
    QString cert; // client certificate, with key, for servers that ask for one
    QString key;
};

// How a destination names and shapes what it stores (the original's makeTableName, makeFieldName,
// makePrimaryKeyValueFor*, transform and shouldSyncTableSchema callbacks, as keys of the
// destination). Applied in one place, destinations/MappedDestination; see records/DestinationMapping.
enum class ColumnCase { AsIs, SnakeCase, Lowercase };
QString columnCaseName(ColumnCase value);
std::optional<ColumnCase> columnCaseFromName(const QString& name);

struct MappingConfig {
    QString keyPath;     // "sources[0].destinations[1]", so plan-time errors name the key
    QString tablePrefix; // literal, before every table name, children included
    QString tableName;   // template with {source} and {resource}; empty: "{resource}"
    ColumnCase columnCase = ColumnCase::AsIs;
    QList<std::pair<QString, QString>> rename; // field -> column, before columnCase (which it skips)
    QStringList drop;                          // fields not stored
    int stripKeyPrefixLength = 0;              // characters taken off the front of every key value
    QString stripKeyPrefixPattern;             // or: a regular expression whose match at the front goes
    QStringList copyParentFields;              // parent fields copied into each expanded child's rows
    bool manageSchema = true;                  // false: never CREATE or ALTER, only check

    // The table `table` (an entity type's name) becomes: tableName with {source} and {resource}
    // replaced ("-" in a source name becomes "_"), after tablePrefix. (config/MappingConfig.cpp)
    QString tableFor(const QString& source, const QString& table) const;
    bool mapsKeys() const { return stripKeyPrefixLength > 0 || !stripKeyPrefixPattern.isEmpty(); }
    bool isIdentity() const {
        return tablePrefix.isEmpty() && tableName.isEmpty() && columnCase == ColumnCase::AsIs &&
               rename.isEmpty() && drop.isEmpty() && !mapsKeys() && copyParentFields.isEmpty() &&
               manageSchema;
    }
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
    TlsConfig tls;  // mysql, postgresql
    QString schema; // postgresql; empty means the connection's current schema
    QString url;    // solr: the base URL, e.g. http://localhost:8983/solr
    // solr: the core (or collection) of each table, a resource or an expanded child: "{table}"
    // stands for the table's name, "{source}" for the source's.
    QString core = QStringLiteral("{table}");
    int commitWithinMs = 10000; // solr: documents become searchable within this time
    // mysql, postgresql: how many bytes a row's columns may take at worst (after the server moved
    // long values out of the row); fields beyond it, and those named in overflowFields, are kept
    // in the table's JSON column "_overflow" instead. nullopt: the backend's measured default.
    std::optional<int> overflowBudget;
    QStringList overflowFields;
    MappingConfig mapping;
    // Set by TableWriters::settle: (table, who else writes it) for each table of this destination
    // that a destination of another source writes too. Purge refuses those tables.
    QList<std::pair<QString, QString>> sharedTables;
};

// A MySQL/MariaDB or PostgreSQL database the program keeps its own tables in: the top-level
// "stats" key, where the stats store (runs, failures, events, usage, open alerts, heartbeats) lives
// instead of <data>/stats.sqlite, so instances on several machines write one shared history.
struct SqlServerConfig {
    DestinationType type = DestinationType::Mysql; // mysql or postgresql
    QString host;
    int port = 0;
    QString database;
    QString user;
    SecretRef password;
    TlsConfig tls;
    QString schema; // postgresql; empty means the connection's current schema

    // "mysql user@host:port/database" (and " schema S"), for messages: no secret in it.
    QString describe() const;
};

// Cron expressions per process (checked by schedule/CronExpression at load), run in the wall-clock
// time of timeZone (an IANA name; empty: the configuration's top-level timeZone, else UTC).
struct Schedules {
    QStringList sync;
    QStringList purge;
    QStringList reconcile;
    QString timeZone;
    // A fire missed while no scheduler ran is run once at start (runner/Scheduler::catchUp).
    bool catchUp = false;

    // The cron expressions of one process.
    const QStringList& of(ProcessType process) const {
        return process == ProcessType::Purge ? purge : process == ProcessType::Reconcile ? reconcile : sync;
    }
};

// Safety limits of purge: a run that would delete more refuses (exit code 3).
struct PurgeConfig {
    qint64 maxDeletes = 5000;
    double maxDeletePercent = 5; // of the destination's current rows for the resource
    // A key list older than this is downloaded again by a resumed purge, and rows without a
    // ModificationTimestamp are only deleted while the list is younger.
    int maxKeyListAgeMinutes = 60;
};

// Size rotation and age retention of the per-source logs (<data>/logs/<source>.ndjson): the
// top-level "logs" object, copied into each source so a job carries it.
struct LogsConfig {
    qint64 maxSizeBytes = 20LL * 1024 * 1024; // rotate before a line would make the file larger
    int keep = 10;                            // rotated files kept: <source>.ndjson.1 (newest) .. .keep
    int retentionDays = 30;                   // rotated files older than this (by mtime) go; 0: no age limit
};

// How a source's HTTPS servers are trusted: the system's CAs, plus `ca` (PEM or DER certificates of
// a private CA) when set; `insecure` turns verification off (self-signed test servers only; every
// run logs a warning, and the window shows the configuration's warning).
struct SourceTls {
    QString ca;
    bool insecure = false;
};

struct SourceConfig {
    QString name;
    Platform platform = Platform::Generic;
    QString serviceUrl;
    QString metadataUrl; // empty: serviceUrl + "/$metadata"
    AuthConfig auth;
    std::optional<int> pageSize;
    // Per request: an attempt that receives no byte for this long fails (and is retried).
    int timeoutSeconds = 120;
    // The largest answer taken (decompressed); a larger one fails the request, not retried.
    int maxPageMegabytes = 256;
    QList<ResourceConfig> resources;
    QList<DestinationConfig> destinations;
    Schedules schedules;
    PurgeConfig purge;
    QString originatingSystemName; // MLS Grid: the one OriginatingSystemName every request names
    ProfileOverrides profile;
    RateLimitConfig rateLimit;
    // Hosts (lower case) besides the configured URLs' that nextLinks may lead to and that
    // receive the credentials, on any scheme and port.
    QStringList allowedHosts;
    SourceTls tls;
    BadRecordPolicy onBadRecord = BadRecordPolicy::Quarantine;
    LogsConfig logs; // the configuration's top-level "logs"
    // The configuration's top-level "stats": where this source's runs are recorded; absent:
    // <data>/stats.sqlite.
    std::optional<SqlServerConfig> stats;

    QString effectiveMetadataUrl() const;
    const ResourceConfig* resource(const QString& name) const;
    const DestinationConfig* destination(const QString& name) const;
};

// Where alerts go (alerts/Notifier decides when). Secrets (a webhook URL, an SMTP password) are
// references, resolved only when an alert is sent.
enum class AlertChannelType { Desktop, Webhook, Email, Command };
QString alertChannelTypeName(AlertChannelType type);
std::optional<AlertChannelType> alertChannelTypeFromName(const QString& name);

struct AlertChannelConfig {
    QString name; // for messages; defaults to the type
    AlertChannelType type = AlertChannelType::Desktop;
    QString keyPath; // "alerts.channels[0]", so a secret that cannot be resolved names its key
    SecretRef url;   // webhook: the URL (Slack's carries its token, so it may be a secret reference)
    QString server;  // email: smtp://host[:port] (STARTTLS required) or smtps://host[:port]
    QString from;
    QStringList to;
    QString username;
    SecretRef password;
    QString caFile;  // email: CA certificate(s) for a server with a self-signed certificate
    QString program; // command: run with the alert as JSON on stdin and ALERT_* variables
    QStringList args;
    int timeoutSeconds = 30; // webhook and email per attempt, command in all
};

struct AlertsConfig {
    int failuresInARow = 3;
    int maxSyncAgeMinutes = 0; // no successful sync for longer: an alert; 0: off
    int quotaPercent = 90;     // of a platform or configured request limit
    QList<AlertChannelConfig> channels;
    bool enabled() const { return !channels.isEmpty(); }
    bool hasChannel(AlertChannelType type) const;
};

struct Config {
    int version = kConfigVersion;
    QString dataDir;  // optional "dataDir" key
    QString timeZone; // optional "timeZone": the schedules' zone where a source names none
    // Optional "maxConcurrentJobs": how many jobs of different sources the job queue runs at
    // once (runner/JobQueue); unset: QThread::idealThreadCount().
    std::optional<int> maxConcurrentJobs;
    LogsConfig logs; // optional "logs"
    // Optional "stats": the database the stats store lives in; absent: <data>/stats.sqlite.
    std::optional<SqlServerConfig> stats;
    QList<SourceConfig> sources;
    AlertsConfig alerts;
    QString filePath; // where it was loaded from

    const SourceConfig* source(const QString& name) const;
    // The zone a source's schedules run in: its schedules.timeZone, else timeZone, else UTC.
    QTimeZone scheduleZone(const SourceConfig& source) const;
};

} // namespace ors
