#pragma once

#include "config/Config.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QSet>
#include <QStringList>

#include <initializer_list>
#include <optional>

namespace ors {

// Turns the JSON tree of a configuration (already migrated to the current version) into a Config.
// It keeps going after a problem so that a person fixing the file sees every mistake in one pass;
// each message starts with the key path, e.g. "sources[0].auth.tokenUrl: missing required key".
class ConfigValidator {
public:
    // The Config is returned only when no error was found; warnings never prevent loading.
    std::optional<Config> validate(const QJsonObject& root);

    const QStringList& errors() const { return m_errors; }
    const QStringList& warnings() const { return m_warnings; }

    // The folder relative file paths of the configuration (tls files) are taken from: the
    // configuration file's. Without it, the current directory.
    void setBaseDirectory(const QString& directory) { m_baseDirectory = directory; }

    // The keys each object of the configurations validated so far accepts, by key path pattern:
    // indices become "[]" and, where the accepted keys depend on the object's type, the type
    // follows in braces ("sources[].destinations[]{mysql}"); the top level is "". Filled from the
    // same lists that decide which keys are unknown, so docs/configuration.md can be checked
    // against it (tests/tst_configreference.cpp).
    const QMap<QString, QStringList>& knownKeys() const { return m_knownKeys; }

    // A key named "//" is a comment, skipped silently in every object (`init` writes them).
    static bool isComment(const QString& key) { return key == QLatin1String("//"); }

    static QString childPath(const QString& path, QLatin1String key);
    static QString indexPath(const QString& path, qsizetype index);

private:
    enum class Presence { Optional, Required };

    void addError(const QString& path, const QString& problem);
    void addWarning(const QString& path, const QString& problem);
    // variant: the object's type where its accepted keys depend on it (see knownKeys()).
    void warnUnknownKeys(const QJsonObject& object, const QString& path,
                         std::initializer_list<const char*> knownKeys, const char* variant = nullptr);
    void recordKnownKey(const QString& path, const char* key, const char* variant = nullptr);

    // Readers report their own problems and return nullopt when the key is absent or unusable,
    // so callers only need to decide what to do with a good value.
    std::optional<QString> readString(const QJsonObject& object, const QString& path, const char* key,
                                      Presence presence);
    std::optional<QString> readName(const QJsonObject& object, const QString& path);
    std::optional<QString> readUrl(const QJsonObject& object, const QString& path, const char* key,
                                   Presence presence);
    // A warning naming the key when a URL that carries credentials is plain http://.
    void warnIfPlainHttp(const QString& path, const char* key, const QString& url);
    // A path to an existing, readable file, made absolute; an error naming the key otherwise.
    std::optional<QString> readFilePath(const QJsonObject& object, const QString& path, const char* key);
    SourceTls readSourceTls(const QJsonObject& source, const QString& sourcePath);
    TlsConfig readTls(const QJsonObject& destination, const QString& destinationPath);
    // overflowBudget and overflowFields of a MySQL or PostgreSQL destination.
    void readOverflow(const QJsonObject& object, const QString& path, DestinationConfig& destination);
    SecretRef readSecret(const QJsonObject& object, const QString& path, const char* key, Presence presence);
    std::optional<QStringList> readStringList(const QJsonObject& object, const QString& path,
                                              const char* key);
    std::optional<int> readPort(const QJsonObject& object, const QString& path, const char* key);
    std::optional<QJsonObject> readObject(const QJsonObject& object, const QString& path, const char* key);
    std::optional<qint64> readInteger(const QJsonObject& object, const QString& path, const char* key,
                                      qint64 min, qint64 max);
    std::optional<bool> readBool(const QJsonObject& object, const QString& path, const char* key);
    LogsConfig readLogs(const QJsonObject& root);
    // The top-level "stats" object (ConfigValidatorStats.cpp); nullopt when absent or wrong.
    std::optional<SqlServerConfig> readStats(const QJsonObject& root);
    PurgeConfig readPurge(const QJsonObject& source, const QString& sourcePath);
    ProfileOverrides readProfile(const QJsonObject& source, const QString& sourcePath);
    RateLimitConfig readRateLimit(const QJsonObject& source, const QString& sourcePath);
    QStringList readAllowedHosts(const QJsonObject& source, const QString& sourcePath);
    QList<std::pair<QString, QString>> readStringMap(const QJsonObject& object, const QString& path,
                                                     const char* key);
    // Returns the array only when present and of the right type.
    std::optional<QJsonArray> readArray(const QJsonObject& object, const QString& path, const char* key);

    std::optional<SourceConfig> readSource(const QJsonValue& value, const QString& path,
                                           QSet<QString>& seenNames);
    AuthConfig readAuth(const QJsonObject& source, const QString& sourcePath);
    QList<ResourceConfig> readResources(const QJsonObject& source, const QString& sourcePath);
    std::optional<ResourceConfig> readResource(const QJsonValue& value, const QString& path,
                                               QSet<QString>& seenNames);
    QList<ExpandConfig> readExpand(const QJsonObject& resource, const QString& resourcePath);
    QList<DestinationConfig> readDestinations(const QJsonObject& source, const QString& sourcePath);
    std::optional<DestinationConfig> readDestination(const QJsonValue& value, const QString& path,
                                                     QSet<QString>& seenNames);
    // The field-mapping keys of a destination (ConfigValidatorMapping.cpp), taken out of `object`
    // so the type's own key list need not name them.
    MappingConfig readMapping(QJsonObject& object, const QString& path);
    // The tables a source's mapped destinations would write are valid names.
    void checkMappedTables(const SourceConfig& source, const QString& sourcePath);
    Schedules readSchedules(const QJsonObject& source, const QString& sourcePath);
    // The top-level "alerts" object (ConfigValidatorAlerts.cpp).
    AlertsConfig readAlerts(const QJsonObject& root);
    std::optional<AlertChannelConfig> readAlertChannel(const QJsonValue& value, const QString& path,
                                                       QSet<QString>& seenNames);
    // An optional "timeZone" key: an IANA zone name this system knows.
    std::optional<QString> readTimeZone(const QJsonObject& object, const QString& path);

    QStringList m_errors;
    QStringList m_warnings;
    QString m_baseDirectory;
    QMap<QString, QStringList> m_knownKeys;
};

} // namespace ors
