#include "config/Config.h"
#include "config/ConfigLoader.h"
#include "config/DataDir.h"
#include "config/SecretResolver.h"
#include "config/TableWriters.h"
#include "reso/PlatformProfile.h"

#include "TestSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QThread>
#include <QtTest>

#include <functional>
#include <memory>
#include <sys/stat.h>

using namespace ors;

namespace {

const QByteArray kFullExample = R"({
  "version": 1,
  "dataDir": "/srv/openresync",
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
      "schedules": { "sync": ["*/15 * * * *"], "purge": ["0 3 * * *"], "reconcile": ["30 3 * * 0", "0 0 4 * * 1"] }
    }
  ]
})";

QJsonObject minimalSource(const QString& name = QStringLiteral("crmls")) {
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

QByteArray documentOf(const QJsonArray& sources) {
    return QJsonDocument(QJsonObject{{QStringLiteral("sources"), sources}}).toJson();
}

// A valid one-source document, changed by `edit` into the case under test.
QByteArray withSource(const std::function<void(QJsonObject&)>& edit) {
    QJsonObject source = minimalSource();
    edit(source);
    return documentOf(QJsonArray{source});
}

QJsonObject objectFrom(const char* json) {
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

} // namespace

class TestConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void fullExampleLoads();
    void minimalConfigLoads();
    void errors_data();
    void errors();
    void severalErrorsAtOnce();
    void platformKeysLoad();
    void profileFilters();
    void syntaxErrorNamesLineAndColumn();
    void nonObjectDocument();
    void unknownKeysWarn();
    void misspeltKeysAtEveryLevel();
    void timeoutSeconds();
    void topIsPageSize();
    void literalSecretWarnsWithoutValue();
    void versionHandling_data();
    void versionHandling();
    void migrationSteps();
    void loadFile();
    void loadFileErrors();
    void tlsOptions();
    void tlsErrors_data();
    void tlsErrors();
    void plainHttpWarns();

    void nameHelpers();
    void secretRefParse_data();
    void secretRefParse();
    void effectiveMetadataUrl();
    void lookups();

    void resolveEnvSecret();
    void resolveFileSecret();
    void resolveLiteralAndNone();
    void keychainWithoutBackend();
    void keychainFromWorkerThreads();

    void locatePrecedence();
    void dataDirPrecedence();
    void dataLayout();
    void defaultSqlitePathPerSource();
    void tableWritersConflicts();
};

void TestConfig::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationName(QStringLiteral("openresync"));
}

void TestConfig::fullExampleLoads() {
    const ConfigLoadResult result = ConfigLoader::loadJson(kFullExample, QStringLiteral("full.json"));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(u'\n')));
    QCOMPARE(result.warnings, QStringList());
    QVERIFY(result.config);
    const Config& config = *result.config;
    QCOMPARE(config.version, 1);
    QCOMPARE(config.dataDir, QStringLiteral("/srv/openresync"));
    QCOMPARE(config.filePath, QStringLiteral("full.json"));
    QCOMPARE(config.sources.size(), 1);

    const SourceConfig& s = config.sources.at(0);
    QCOMPARE(s.name, QStringLiteral("crmls"));
    QCOMPARE(s.platform, Platform::Trestle);
    QCOMPARE(s.serviceUrl, QStringLiteral("https://api.example.com/trestle/odata"));
    QCOMPARE(s.effectiveMetadataUrl(),
             QStringLiteral("https://api.example.com/trestle/odata/$metadata?showEnums=true"));
    QCOMPARE(s.auth.type, AuthType::OAuth2);
    QCOMPARE(s.auth.tokenUrl, QStringLiteral("https://api.example.com/trestle/oidc/connect/token"));
    QCOMPARE(s.auth.clientId, QStringLiteral("abc"));
    QCOMPARE(s.auth.clientSecret.kind, SecretRef::Kind::Env);
    QCOMPARE(s.auth.clientSecret.value, QStringLiteral("TRESTLE_SECRET"));
    QCOMPARE(s.auth.scope, QStringLiteral("api"));
    QCOMPARE(s.pageSize, std::optional<int>(1000));

    QCOMPARE(s.resources.size(), 2);
    const ResourceConfig& property = s.resources.at(0);
    QCOMPARE(property.name, QStringLiteral("Property"));
    QCOMPARE(property.filter, QStringLiteral("StandardStatus eq 'Active'"));
    QCOMPARE(property.select, (QStringList{QStringLiteral("ListingKey"), QStringLiteral("ListPrice")}));
    QCOMPARE(property.expand.size(), 2);
    QCOMPARE(property.expand.at(0).name, QStringLiteral("Media"));
    QCOMPARE(property.expand.at(0).owned, true);
    QCOMPARE(property.expand.at(1).name, QStringLiteral("Rooms"));
    QCOMPARE(property.expand.at(1).owned, false);
    const ResourceConfig& member = s.resources.at(1);
    QCOMPARE(member.name, QStringLiteral("Member"));
    QVERIFY(member.filter.isEmpty());
    QVERIFY(member.select.isEmpty());
    QVERIFY(member.expand.isEmpty());

    QCOMPARE(s.destinations.size(), 4);
    const DestinationConfig& local = s.destinations.at(0);
    QCOMPARE(local.name, QStringLiteral("local"));
    QCOMPARE(local.type, DestinationType::Sqlite);
    QCOMPARE(local.path, QStringLiteral("/var/lib/mls/crmls.sqlite"));
    const DestinationConfig& mysql = s.destinations.at(1);
    QCOMPARE(mysql.type, DestinationType::Mysql);
    QCOMPARE(mysql.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(mysql.port, 3306);
    QCOMPARE(mysql.database, QStringLiteral("mls"));
    QCOMPARE(mysql.user, QStringLiteral("ors"));
    QCOMPARE(mysql.password.kind, SecretRef::Kind::Env);
    QCOMPARE(mysql.password.value, QStringLiteral("MYSQL_PASSWORD"));
    const DestinationConfig& pg = s.destinations.at(2);
    QCOMPARE(pg.type, DestinationType::Postgresql);
    QCOMPARE(pg.port, 5432);
    QCOMPARE(pg.password.kind, SecretRef::Kind::Keychain);
    QCOMPARE(pg.password.value, QStringLiteral("pg-password"));
    const DestinationConfig& solr = s.destinations.at(3);
    QCOMPARE(solr.type, DestinationType::Solr);
    QCOMPARE(solr.url, QStringLiteral("http://localhost:8983/solr/mls"));

    QCOMPARE(s.schedules.sync, QStringList{QStringLiteral("*/15 * * * *")});
    QCOMPARE(s.schedules.purge, QStringList{QStringLiteral("0 3 * * *")});
    QCOMPARE(s.purge.maxDeletes, 100);
    QCOMPARE(s.purge.maxKeyListAgeMinutes, 15);
    QCOMPARE(s.schedules.reconcile,
             (QStringList{QStringLiteral("30 3 * * 0"), QStringLiteral("0 0 4 * * 1")}));
}

void TestConfig::minimalConfigLoads() {
    const ConfigLoadResult result =
        ConfigLoader::loadJson(documentOf(QJsonArray{minimalSource()}), QStringLiteral("minimal.json"));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(u'\n')));
    QCOMPARE(result.warnings, QStringList());
    QVERIFY(result.config);
    QCOMPARE(result.config->version, kConfigVersion);
    QVERIFY(result.config->dataDir.isEmpty());
    const SourceConfig& s = result.config->sources.at(0);
    QCOMPARE(s.platform, Platform::Generic);
    QCOMPARE(s.auth.type, AuthType::None);
    QVERIFY(!s.auth.clientSecret.isSet());
    QVERIFY(!s.pageSize);
    QVERIFY(s.metadataUrl.isEmpty());
    QCOMPARE(s.effectiveMetadataUrl(), QStringLiteral("https://api.example.com/odata/$metadata"));
    QCOMPARE(s.destinations.at(0).type, DestinationType::Sqlite);
    QVERIFY(s.destinations.at(0).path.isEmpty());
    QVERIFY(s.schedules.sync.isEmpty());
    QCOMPARE(s.purge.maxKeyListAgeMinutes, 60);
    QCOMPARE(s.onBadRecord, BadRecordPolicy::Quarantine);
    const ConfigLoadResult failing = ConfigLoader::loadJson(
        withSource([](QJsonObject& o) { o.insert(QStringLiteral("onBadRecord"), QStringLiteral("fail")); }),
        QStringLiteral("fail.json"));
    QVERIFY2(failing.errors.isEmpty() && failing.warnings.isEmpty(), qPrintable(failing.errors.join(u'\n')));
    QCOMPARE(failing.config->sources.at(0).onBadRecord, BadRecordPolicy::Fail);

    // An empty source list is a valid (if idle) configuration, e.g. before the first source is added.
    const ConfigLoadResult empty = ConfigLoader::loadJson(R"({"sources": []})", QStringLiteral("empty.json"));
    QVERIFY(empty.errors.isEmpty());
    QVERIFY(empty.config);
    QVERIFY(empty.config->sources.isEmpty());
}

void TestConfig::errors_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    const auto set = [](const char* key, const QJsonValue& value) {
        return withSource([=](QJsonObject& s) { s.insert(QLatin1String(key), value); });
    };
    const auto setDestination = [](const QJsonObject& destination) {
        return withSource(
            [=](QJsonObject& s) { s.insert(QStringLiteral("destinations"), QJsonArray{destination}); });
    };
    const auto setResource = [](const QJsonObject& resource) {
        return withSource(
            [=](QJsonObject& s) { s.insert(QStringLiteral("resources"), QJsonArray{resource}); });
    };
    const auto s = [](const char* text) { return QString::fromUtf8(text); };

    {
        QJsonObject second = minimalSource(QStringLiteral("second"));
        second.insert(QStringLiteral("destinations"),
                      QJsonArray{objectFrom(R"({"name":"x","type":"mysq"})")});
        QTest::newRow("unknown destination type")
            << documentOf(QJsonArray{minimalSource(), second})
            << s(R"(sources[1].destinations[0].type: unknown destination type "mysq" (expected sqlite, mysql, postgresql, solr))");
    }
    QTest::newRow("missing name") << withSource([](QJsonObject& o) { o.remove(QStringLiteral("name")); })
                                  << s("sources[0].name: missing required key");
    const QString badName =
        s(R"(sources[0].name: must be non-empty and contain only letters, digits, "-" and "_")");
    QTest::newRow("empty name") << set("name", QString()) << badName;
    QTest::newRow("name with space") << set("name", s("crm ls")) << badName;
    QTest::newRow("name with slash") << set("name", s("../etc")) << badName;
    QTest::newRow("name not a string") << set("name", 5) << badName;
    QTest::newRow("duplicate source")
        << documentOf(QJsonArray{minimalSource(s("a")), minimalSource(), minimalSource()})
        << s(R"(sources[2].name: duplicate source name "crmls")");
    QTest::newRow("unknown onBadRecord")
        << set("onBadRecord", s("skip"))
        << s(R"(sources[0].onBadRecord: unknown value "skip" (expected quarantine, fail))");
    QTest::newRow("onBadRecord not a string")
        << set("onBadRecord", false) << s("sources[0].onBadRecord: must be a string");
    QTest::newRow("unknown platform")
        << set("platform", s("foo"))
        << s(R"(sources[0].platform: unknown platform "foo" (expected trestle, mlsgrid, bridge, spark, generic))");
    QTest::newRow("missing platform")
        << withSource([](QJsonObject& o) { o.remove(QStringLiteral("platform")); })
        << s("sources[0].platform: missing required key");
    QTest::newRow("ftp serviceUrl")
        << set("serviceUrl", s("ftp://example.com/odata"))
        << s(R"(sources[0].serviceUrl: not an http(s) URL "ftp://example.com/odata")");
    QTest::newRow("relative serviceUrl")
        << set("serviceUrl", s("odata")) << s(R"(sources[0].serviceUrl: not an http(s) URL "odata")");
    QTest::newRow("missing serviceUrl")
        << withSource([](QJsonObject& o) { o.remove(QStringLiteral("serviceUrl")); })
        << s("sources[0].serviceUrl: missing required key");
    QTest::newRow("bad metadataUrl") << set("metadataUrl", s("meta"))
                                     << s(R"(sources[0].metadataUrl: not an http(s) URL "meta")");
    QTest::newRow("unknown auth type")
        << set("auth", objectFrom(R"({"type":"basic"})"))
        << s(R"(sources[0].auth.type: unknown auth type "basic" (expected none, bearer, oauth2))");
    QTest::newRow("auth without type")
        << set("auth", QJsonObject{}) << s("sources[0].auth.type: missing required key");
    QTest::newRow("auth not an object")
        << set("auth", s("oauth2")) << s("sources[0].auth: must be an object");
    QTest::newRow("oauth2 without tokenUrl")
        << set("auth", objectFrom(R"({"type":"oauth2","clientId":"a","clientSecret":"env:X"})"))
        << s("sources[0].auth.tokenUrl: missing required key");
    QTest::newRow("oauth2 without clientSecret")
        << set("auth", objectFrom(R"({"type":"oauth2","tokenUrl":"https://h/t","clientId":"a"})"))
        << s("sources[0].auth.clientSecret: missing required key");
    QTest::newRow("bearer without token") << set("auth", objectFrom(R"({"type":"bearer"})"))
                                          << s("sources[0].auth.token: missing required key");
    QTest::newRow("empty env name")
        << set("auth", objectFrom(R"({"type":"bearer","token":"env:"})"))
        << s(R"(sources[0].auth.token: "env:" must be followed by an environment variable name)");
    QTest::newRow("empty file path")
        << set("auth", objectFrom(R"({"type":"bearer","token":"file:"})"))
        << s(R"(sources[0].auth.token: "file:" must be followed by a file path)");
    const QString badPageSize = s("sources[0].pageSize: must be a positive integer");
    QTest::newRow("pageSize zero") << set("pageSize", 0) << badPageSize;
    QTest::newRow("pageSize negative") << set("pageSize", -5) << badPageSize;
    QTest::newRow("pageSize fraction") << set("pageSize", 1.5) << badPageSize;
    QTest::newRow("pageSize string") << set("pageSize", s("100")) << badPageSize;
    QTest::newRow("no resources") << set("resources", QJsonArray{})
                                  << s("sources[0].resources: must list at least one resource");
    QTest::newRow("resources missing")
        << withSource([](QJsonObject& o) { o.remove(QStringLiteral("resources")); })
        << s("sources[0].resources: must list at least one resource");
    QTest::newRow("resources not array")
        << set("resources", s("Property")) << s("sources[0].resources: must be an array");
    QTest::newRow("duplicate resource")
        << set("resources",
               QJsonArray{objectFrom(R"({"name":"Property"})"), objectFrom(R"({"name":"Property"})")})
        << s(R"(sources[0].resources[1].name: duplicate resource "Property")");
    QTest::newRow("resource not object")
        << set("resources", QJsonArray{s("Property")}) << s("sources[0].resources[0]: must be an object");
    QTest::newRow("select not array")
        << setResource(objectFrom(R"({"name":"Property","select":"ListingKey"})"))
        << s("sources[0].resources[0].select: must be an array of strings");
    QTest::newRow("select of numbers") << setResource(objectFrom(R"({"name":"Property","select":[1]})"))
                                       << s("sources[0].resources[0].select: must be an array of strings");
    QTest::newRow("filter not string") << setResource(objectFrom(R"({"name":"Property","filter":true})"))
                                       << s("sources[0].resources[0].filter: must be a string");
    QTest::newRow("expand not array") << setResource(objectFrom(R"({"name":"Property","expand":"Media"})"))
                                      << s("sources[0].resources[0].expand: must be an array");
    QTest::newRow("expand item string")
        << setResource(objectFrom(R"({"name":"Property","expand":["Media"]})"))
        << s("sources[0].resources[0].expand[0]: must be an object");
    QTest::newRow("expand without name") << setResource(objectFrom(R"({"name":"Property","expand":[{}]})"))
                                         << s("sources[0].resources[0].expand[0].name: missing required key");
    QTest::newRow("expand owned not bool")
        << setResource(objectFrom(R"({"name":"Property","expand":[{"name":"Media","owned":"yes"}]})"))
        << s("sources[0].resources[0].expand[0].owned: must be true or false");
    QTest::newRow("no destinations") << set("destinations", QJsonArray{})
                                     << s("sources[0].destinations: must list at least one destination");
    QTest::newRow("duplicate destination")
        << set("destinations",
               QJsonArray{objectFrom(R"({"name":"local","type":"sqlite"})"),
                          objectFrom(R"({"name":"local","type":"solr","url":"http://h/solr"})")})
        << s(R"(sources[0].destinations[1].name: duplicate destination name "local")");
    QTest::newRow("destination bad name")
        << setDestination(objectFrom(R"({"name":"my db","type":"sqlite"})"))
        << s(R"(sources[0].destinations[0].name: must be non-empty and contain only letters, digits, "-" and "_")");
    QTest::newRow("destination without type") << setDestination(objectFrom(R"({"name":"x"})"))
                                              << s("sources[0].destinations[0].type: missing required key");
    QTest::newRow("mysql without host")
        << setDestination(objectFrom(R"({"name":"db","type":"mysql","database":"mls","user":"u"})"))
        << s("sources[0].destinations[0].host: missing required key");
    QTest::newRow("postgresql bad port")
        << setDestination(objectFrom(
               R"({"name":"db","type":"postgresql","host":"h","port":70000,"database":"mls","user":"u"})"))
        << s("sources[0].destinations[0].port: must be an integer between 1 and 65535");
    QTest::newRow("solr without url") << setDestination(objectFrom(R"({"name":"s","type":"solr"})"))
                                      << s("sources[0].destinations[0].url: missing required key");
    QTest::newRow("schedules not object")
        << set("schedules", QJsonArray{}) << s("sources[0].schedules: must be an object");
    QTest::newRow("schedule not array") << set("schedules", objectFrom(R"({"sync":"*/15 * * * *"})"))
                                        << s("sources[0].schedules.sync: must be an array of strings");
    QTest::newRow("schedule too few fields")
        << set("schedules", objectFrom(R"({"purge":["0 3 * * *", "* * *"]})"))
        << s(R"(sources[0].schedules.purge[1]: cron expression "* * *" must have 5 or 6 space-separated fields)");
    QTest::newRow("mlsgrid without originatingSystemName")
        << set("platform", QStringLiteral("mlsgrid"))
        << s(R"(sources[0].originatingSystemName: required for platform mlsgrid (the MLS's lower-case code, e.g. "actris"))");
    QTest::newRow("profile replication")
        << set("profile", objectFrom(R"({"replication":"suffix"})"))
        << s(R"(sources[0].profile.replication: unknown value "suffix" (expected plain, query or path))");
    QTest::newRow("profile page size")
        << set("profile", objectFrom(R"({"maxPageSize":0})"))
        << s("sources[0].profile.maxPageSize: must be an integer from 1 to 1000000");
    QTest::newRow("profile orderBy") << set("profile", objectFrom(R"({"orderBy":"no"})"))
                                     << s("sources[0].profile.orderBy: must be true or false");
    QTest::newRow("profile key list")
        << set("profile", objectFrom(R"({"keyListStyle":"eq"})"))
        << s(R"(sources[0].profile.keyListStyle: unknown value "eq" (expected in or or))");
    QTest::newRow("profile key field")
        << set("profile", objectFrom(R"({"keyFields":{"Property":3}})"))
        << s("sources[0].profile.keyFields.Property: must be a non-empty string");
    QTest::newRow("profile header authorization")
        << set("profile", objectFrom(R"({"headers":{"authorization":"Bearer x"}})"))
        << s("sources[0].profile.headers.authorization: is set by OpenReSync and cannot be overridden");
    QTest::newRow("profile overlap")
        << set("profile", objectFrom(R"({"overlapMinutes":-1})"))
        << s("sources[0].profile.overlapMinutes: must be an integer from 0 to 10080");
    QTest::newRow("purge maxKeyListAgeMinutes zero")
        << set("purge", objectFrom(R"({"maxKeyListAgeMinutes":0})"))
        << s("sources[0].purge.maxKeyListAgeMinutes: must be a whole number of minutes from 1 to 525600");
    QTest::newRow("purge maxKeyListAgeMinutes fraction")
        << set("purge", objectFrom(R"({"maxKeyListAgeMinutes":7.5})"))
        << s("sources[0].purge.maxKeyListAgeMinutes: must be a whole number of minutes from 1 to 525600");
    QTest::newRow("purge maxKeyListAgeMinutes string")
        << set("purge", objectFrom(R"({"maxKeyListAgeMinutes":"60"})"))
        << s("sources[0].purge.maxKeyListAgeMinutes: must be a whole number of minutes from 1 to 525600");
    QTest::newRow("rateLimit perSecond")
        << set("rateLimit", objectFrom(R"({"perSecond":"2"})"))
        << s("sources[0].rateLimit.perSecond: must be a number from 0 to 10000");
    QTest::newRow("timeoutSeconds too small")
        << set("timeoutSeconds", 4) << s("sources[0].timeoutSeconds: must be an integer from 5 to 3600");
    QTest::newRow("timeoutSeconds too large")
        << set("timeoutSeconds", 3601) << s("sources[0].timeoutSeconds: must be an integer from 5 to 3600");
    QTest::newRow("timeoutSeconds fraction")
        << set("timeoutSeconds", 30.5) << s("sources[0].timeoutSeconds: must be an integer from 5 to 3600");
    QTest::newRow("timeoutSeconds string")
        << set("timeoutSeconds", QStringLiteral("60"))
        << s("sources[0].timeoutSeconds: must be an integer from 5 to 3600");
    QTest::newRow("profile topIsPageSize string")
        << set("profile", objectFrom(R"({"topIsPageSize":"yes"})"))
        << s("sources[0].profile.topIsPageSize: must be true or false");
    QTest::newRow("profile topIsPageSize number")
        << set("profile", objectFrom(R"({"topIsPageSize":1})"))
        << s("sources[0].profile.topIsPageSize: must be true or false");
    QTest::newRow("rateLimit perHour")
        << set("rateLimit", objectFrom(R"({"perHour":1.5})"))
        << s("sources[0].rateLimit.perHour: must be an integer from 0 to 100000000");
    QTest::newRow("bearer sendAs")
        << set("auth", objectFrom(R"({"type":"bearer","token":"env:T","sendAs":"cookie"})"))
        << s(R"(sources[0].auth.sendAs: unknown value "cookie" (expected header or query))");
    QTest::newRow("unknown grant")
        << set("auth",
               objectFrom(
                   R"({"type":"oauth2","tokenUrl":"https://x/token","clientId":"c","clientSecret":"env:S","grantType":"implicit"})"))
        << s(R"(sources[0].auth.grantType: unknown grant "implicit" (expected client_credentials or password))");
    QTest::newRow("password grant without username")
        << set("auth",
               objectFrom(
                   R"({"type":"oauth2","grantType":"password","tokenUrl":"https://x/token","clientId":"c","password":"env:P"})"))
        << s("sources[0].auth.username: missing required key");
    QTest::newRow("sources missing") << QByteArray("{}") << s("sources: missing required key");
    QTest::newRow("sources not array") << QByteArray(R"({"sources":{}})") << s("sources: must be an array");
    QTest::newRow("source not object")
        << QByteArray(R"({"sources":[1]})") << s("sources[0]: must be an object");
    QTest::newRow("dataDir not string")
        << QByteArray(R"({"sources":[],"dataDir":3})") << s("dataDir: must be a string");
    QTest::newRow("unsupported version")
        << QByteArray(R"({"version":7,"sources":[]})")
        << s("version: unsupported configuration version 7 (this program supports up to 1)");
}

void TestConfig::errors() {
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const ConfigLoadResult result = ConfigLoader::loadJson(json, QStringLiteral("test.json"));
    QCOMPARE(result.errors, QStringList{expected});
    QVERIFY(!result.config);
}

void TestConfig::platformKeysLoad() {
    const QByteArray json = withSource([](QJsonObject& s) {
        s.insert(QStringLiteral("platform"), QStringLiteral("mlsgrid"));
        s.insert(QStringLiteral("originatingSystemName"), QStringLiteral("actris"));
        s.insert(QStringLiteral("profile"),
                 objectFrom(R"({"replication":"path","replicationUrl":"https://r.example.com/odata",
                    "maxPageSize":300,"maxPageSizeWithExpand":100,"maxKeyPageSize":9000,"orderBy":true,
                    "count":false,"mlgCanView":false,"keyListStyle":"or","maxUrlLength":4000,
                    "topIsPageSize":false,
                    "overlapMinutes":5,"excludeFields":["Z_*"],"keyFields":{"Member":"MemberMlsId"},
                    "headers":{"X-Feed":"idx"}})"));
        s.insert(QStringLiteral("rateLimit"),
                 objectFrom(R"({"perSecond":0.5,"perHour":0,"bytesPerHour":1000})"));
        s.insert(QStringLiteral("auth"),
                 objectFrom(R"({"type":"oauth2","grantType":"password","tokenUrl":"https://x/token",
                    "clientId":"c","username":"u","password":"env:P"})"));
    });
    const ConfigLoadResult result = ConfigLoader::loadJson(json, QStringLiteral("p.json"));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(u'\n')));
    QCOMPARE(result.warnings, QStringList());
    const SourceConfig& source = result.config->sources.at(0);
    QCOMPARE(source.auth.grant, OAuthGrant::Password);
    QCOMPARE(source.auth.username, QStringLiteral("u"));
    QVERIFY(!source.auth.clientSecret.isSet());

    const PlatformProfile p = PlatformProfile::forSource(source);
    QCOMPARE(p.replication, ReplicationStyle::PathSuffix);
    QCOMPARE(p.maxPageSize, 300);
    QCOMPARE(p.maxPageSizeWithExpand, 100);
    QCOMPARE(p.keyPageSize(), 9000);
    QVERIFY(p.orderBy);
    QVERIFY(!p.count);
    QVERIFY(!p.mlgCanView);
    QVERIFY(!p.topIsPageSize); // MLS Grid's default is true
    QCOMPARE(p.keyListStyle, KeyListStyle::EqOr);
    QCOMPARE(p.maxUrlLength, 4000);
    QCOMPARE(p.overlapSeconds, 300);
    QVERIFY(p.excludes(QStringLiteral("Z_Thing")) && !p.excludes(QStringLiteral("X_Thing")));
    QCOMPARE(p.keyFieldFor(QStringLiteral("Member")), QStringLiteral("MemberMlsId"));
    QCOMPARE(p.keyFieldFor(QStringLiteral("Property")), QStringLiteral("ListingId")); // the platform's, kept
    QCOMPARE(p.rateLimit.perSecond, 0.5);
    QCOMPARE(p.rateLimit.perHour, 0);    // 0 removes the platform's hourly limit
    QCOMPARE(p.rateLimit.perDay, 40000); // untouched platform default
    QCOMPARE(p.rateLimit.bytesPerHour, qint64(1000));
    QCOMPARE(p.pageSize(std::nullopt, false), 300);
    QCOMPARE(p.pageSize(50, true), 50);
    QCOMPARE(p.pageSize(5000, true), 100);
    QCOMPARE(p.replicationResourceUrl(source.serviceUrl, QStringLiteral("Property")),
             QStringLiteral("https://r.example.com/odata/Property/replication"));
    QCOMPARE(p.plainResourceUrl(source.serviceUrl, QStringLiteral("Property")),
             QStringLiteral("https://r.example.com/odata/Property"));
}

void TestConfig::profileFilters() {
    PlatformProfile grid = PlatformProfile::defaults(Platform::MlsGrid);
    grid.originatingSystemName = QStringLiteral("actris");
    // MLS Grid: no parentheses except around or/in groups.
    QCOMPARE(grid.filter({}, QStringLiteral("ModificationTimestamp gt 2024-01-01T00:00:00.000Z"), true),
             QStringLiteral(
                 "OriginatingSystemName eq 'actris' and MlgCanView eq true and ModificationTimestamp gt "
                 "2024-01-01T00:00:00.000Z"));
    QCOMPARE(
        grid.filter(QStringLiteral("StandardStatus eq 'Active' or StandardStatus eq 'Pending'"), {}, false),
        QStringLiteral(
            "OriginatingSystemName eq 'actris' and (StandardStatus eq 'Active' or StandardStatus eq "
            "'Pending')"));
    // A user filter that names the system itself is not doubled.
    QCOMPARE(grid.filter(QStringLiteral("OriginatingSystemName eq 'mred'"), {}, false),
             QStringLiteral("OriginatingSystemName eq 'mred'"));
    const PlatformProfile generic = PlatformProfile::defaults(Platform::Generic);
    QCOMPARE(generic.filter(QStringLiteral("City eq 'Or'"), QStringLiteral("K eq 'a' or K eq 'b'"), true),
             QStringLiteral("(City eq 'Or') and (K eq 'a' or K eq 'b')"));
    QCOMPARE(generic.filter({}, QStringLiteral("K gt 'x'"), true), QStringLiteral("K gt 'x'"));
    QVERIFY(hasTopLevelOr(QStringLiteral("a eq 1 or b eq 2")));
    QVERIFY(!hasTopLevelOr(QStringLiteral("(a eq 1 or b eq 2) and c eq 'x or y'")));
    QVERIFY(!hasTopLevelOr(QStringLiteral("Name eq 'O''Hare or not'")));

    QCOMPARE(PlatformProfile::defaults(Platform::Trestle)
                 .replicationResourceUrl(QStringLiteral("https://api/odata/"), QStringLiteral("Property")),
             QStringLiteral("https://api/odata/Property?replication=true"));
    SourceConfig spark;
    spark.platform = Platform::Spark;
    spark.serviceUrl = QStringLiteral("https://sparkapi.com/Reso/OData");
    QCOMPARE(PlatformProfile::forSource(spark).replicationResourceUrl(spark.serviceUrl,
                                                                      QStringLiteral("Property")),
             QStringLiteral("https://replication.sparkapi.com/Reso/OData/Property"));
    QCOMPARE(PlatformProfile::defaults(Platform::Spark).overlapSeconds, 1200);
    QVERIFY(PlatformProfile::defaults(Platform::Trestle).excludes(QStringLiteral("X_Foo")));
    QVERIFY(!PlatformProfile::defaults(Platform::Bridge).orderBy);
}

void TestConfig::severalErrorsAtOnce() {
    QJsonObject first = minimalSource();
    first.insert(QStringLiteral("platform"), QStringLiteral("foo"));
    first.insert(QStringLiteral("pageSize"), 0);
    QJsonObject second = minimalSource();
    second.remove(QStringLiteral("serviceUrl"));
    second.insert(QStringLiteral("destinations"), QJsonArray{objectFrom(R"({"name":"d","type":"mysq"})")});

    const ConfigLoadResult result =
        ConfigLoader::loadJson(documentOf(QJsonArray{first, second}), QStringLiteral("test.json"));
    QVERIFY(!result.config);
    const QStringList expected{
        QStringLiteral(
            R"(sources[0].platform: unknown platform "foo" (expected trestle, mlsgrid, bridge, spark, generic))"),
        QStringLiteral("sources[0].pageSize: must be a positive integer"),
        QStringLiteral(R"(sources[1].name: duplicate source name "crmls")"),
        QStringLiteral("sources[1].serviceUrl: missing required key"),
        QStringLiteral(
            R"(sources[1].destinations[0].type: unknown destination type "mysq" (expected sqlite, mysql, postgresql, solr))"),
    };
    QCOMPARE(result.errors, expected);
}

void TestConfig::syntaxErrorNamesLineAndColumn() {
    const QByteArray json =
        "{\n  \"sources\": [\n    { \"name\": \"a\" \"platform\": \"generic\" }\n  ]\n}\n";
    const ConfigLoadResult result = ConfigLoader::loadJson(json, QStringLiteral("/etc/ors/config.json"));
    QVERIFY(!result.config);
    QCOMPARE(result.errors.size(), 1);
    const QString message = result.errors.first();
    // The parser stops at the second string, which starts on line 3, column 19 (Qt versions differ slightly).
    QVERIFY2(message.startsWith(QStringLiteral("/etc/ors/config.json:3:")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("JSON syntax error")), qPrintable(message));
    const int column = message.section(u':', 2, 2).toInt();
    QVERIFY2(column >= 17 && column <= 20, qPrintable(message));

    const ConfigLoadResult truncated = ConfigLoader::loadJson("{\"sources\": [", QStringLiteral("t.json"));
    QCOMPARE(truncated.errors.size(), 1);
    QVERIFY2(truncated.errors.first().startsWith(QStringLiteral("t.json:1:")),
             qPrintable(truncated.errors.first()));
}

void TestConfig::nonObjectDocument() {
    const ConfigLoadResult result = ConfigLoader::loadJson("[1, 2]", QStringLiteral("list.json"));
    QCOMPARE(result.errors,
             QStringList{QStringLiteral("list.json: the configuration must be a JSON object")});
}

void TestConfig::unknownKeysWarn() {
    QJsonObject source = minimalSource();
    source.insert(QStringLiteral("foo"), 1);
    source.insert(QStringLiteral("resources"),
                  QJsonArray{objectFrom(R"({"name":"Property","orderby":"x"})")});
    source.insert(QStringLiteral("destinations"),
                  QJsonArray{objectFrom(R"({"name":"local","type":"sqlite","url":"http://x"})")});
    source.insert(QStringLiteral("schedules"),
                  objectFrom(R"({"sync":["* * * * *"],"vacuum":["* * * * *"]})"));
    QJsonObject root{{QStringLiteral("sources"), QJsonArray{source}}, {QStringLiteral("extra"), true}};

    const ConfigLoadResult result =
        ConfigLoader::loadJson(QJsonDocument(root).toJson(), QStringLiteral("t.json"));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(u'\n')));
    QVERIFY(result.config);
    const QStringList expected{
        QStringLiteral("extra: unknown key, ignored"),
        QStringLiteral("sources[0].foo: unknown key, ignored"),
        QStringLiteral("sources[0].resources[0].orderby: unknown key, ignored"),
        QStringLiteral("sources[0].destinations[0].url: unknown key, ignored"),
        QStringLiteral("sources[0].schedules.vacuum: unknown key, ignored"),
    };
    QCOMPARE(result.warnings, expected);
}

// A misspelt (or retired) key at every object level of a configuration is reported with its full
// path, by the loader and by "validate", which still exits 0 for warnings alone.
void TestConfig::misspeltKeysAtEveryLevel() {
    const QByteArray json = R"({
  "verison": 1,
  "dataDri": "/tmp/x",
  "sources": [ {
    "name": "mls", "platform": "generic", "serviceUrl": "https://api.example.com/odata",
    "pagesize": 100,
    "timeoutSecond": 60,
    "auth": { "type": "bearer", "token": "env:T", "sendas": "query" },
    "resources": [ { "name": "Property", "selct": ["ListPrice"],
                     "expand": [ { "name": "Media", "ownd": false } ] } ],
    "destinations": [
      { "name": "local", "type": "sqlite", "pth": "/tmp/x.sqlite" },
      { "name": "db", "type": "mysql", "host": "h", "database": "d", "user": "u",
        "tls": { "mode": "required", "verify": true } } ],
    "purge": { "maxDelete": 10 },
    "schedules": { "snyc": ["* * * * *"] },
    "profile": { "skip": false, "orderby": true, "topIsPageSize": true },
    "rateLimit": { "perMinut": 5 }
  } ]
})";
    const ConfigLoadResult result = ConfigLoader::loadJson(json, QStringLiteral("t.json"));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(u'\n')));
    QVERIFY(result.config);
    QStringList expected{
        QStringLiteral("verison: unknown key, ignored"),
        QStringLiteral("dataDri: unknown key, ignored"),
        QStringLiteral("sources[0].pagesize: unknown key, ignored"),
        QStringLiteral("sources[0].timeoutSecond: unknown key, ignored"),
        QStringLiteral("sources[0].auth.sendas: unknown key, ignored"),
        QStringLiteral("sources[0].resources[0].selct: unknown key, ignored"),
        QStringLiteral("sources[0].resources[0].expand[0].ownd: unknown key, ignored"),
        QStringLiteral("sources[0].destinations[0].pth: unknown key, ignored"),
        QStringLiteral("sources[0].destinations[1].tls.verify: unknown key, ignored"),
        QStringLiteral("sources[0].purge.maxDelete: unknown key, ignored"),
        QStringLiteral("sources[0].schedules.snyc: unknown key, ignored"),
        QStringLiteral("sources[0].profile.orderby: unknown key, ignored"),
        // Accepted by earlier versions without any effect: OpenReSync never sends $skip.
        QStringLiteral("sources[0].profile.skip: unknown key, ignored"),
        QStringLiteral("sources[0].rateLimit.perMinut: unknown key, ignored"),
    };
    QStringList warnings = result.warnings;
    warnings.sort();
    expected.sort();
    QCOMPARE(warnings, expected);
    // The misspelt keys took no effect; the correctly spelt neighbour did.
    const SourceConfig& source = result.config->sources.at(0);
    QCOMPARE(source.timeoutSeconds, 120);
    QVERIFY(!source.pageSize);
    QVERIFY(source.resources.at(0).expand.at(0).owned);
    QCOMPARE(source.profile.topIsPageSize, std::optional<bool>(true));
    QVERIFY(!source.profile.orderBy);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("config.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(json);
    file.close();
    const test::CliResult validate =
        test::runCli({QStringLiteral("--config"), path, QStringLiteral("--data-dir"),
                      dir.filePath(QStringLiteral("data")), QStringLiteral("validate")});
    QCOMPARE(validate.exitCode, 0);
    for (const QString& warning : std::as_const(expected))
        QVERIFY2(validate.err.contains(QStringLiteral("warning: %1\n").arg(warning).toUtf8()),
                 validate.err.constData());
    QVERIFY2(validate.err.contains("configuration is valid: 1 source(s)"), validate.err.constData());
}

void TestConfig::timeoutSeconds() {
    const auto load = [](const QJsonValue& value) {
        return ConfigLoader::loadJson(withSource([&](QJsonObject& s) {
                                          if (!value.isUndefined())
                                              s.insert(QStringLiteral("timeoutSeconds"), value);
                                      }),
                                      QStringLiteral("t.json"));
    };
    const ConfigLoadResult defaults = load(QJsonValue::Undefined);
    QVERIFY(defaults.config);
    QCOMPARE(defaults.config->sources.at(0).timeoutSeconds, 120);
    for (const int seconds : {5, 300, 3600}) {
        const ConfigLoadResult result = load(seconds);
        QVERIFY2(result.config, qPrintable(result.errors.join(u'\n')));
        QCOMPARE(result.warnings, QStringList());
        QCOMPARE(result.config->sources.at(0).timeoutSeconds, seconds);
    }
    const ConfigLoadResult bad = load(0);
    QVERIFY(!bad.config);
    QCOMPARE(bad.errors,
             QStringList{QStringLiteral("sources[0].timeoutSeconds: must be an integer from 5 to 3600")});
}

void TestConfig::topIsPageSize() {
    // The vendors document $top as their page size; a server following OData takes it as a total.
    QVERIFY(PlatformProfile::defaults(Platform::Trestle).topIsPageSize);
    QVERIFY(PlatformProfile::defaults(Platform::MlsGrid).topIsPageSize);
    QVERIFY(PlatformProfile::defaults(Platform::Bridge).topIsPageSize);
    QVERIFY(PlatformProfile::defaults(Platform::Spark).topIsPageSize);
    QVERIFY(!PlatformProfile::defaults(Platform::Generic).topIsPageSize);

    const auto profileOf = [](const char* platform, const char* profile) {
        const ConfigLoadResult result =
            ConfigLoader::loadJson(withSource([&](QJsonObject& s) {
                                       s.insert(QStringLiteral("platform"), QLatin1String(platform));
                                       if (profile)
                                           s.insert(QStringLiteral("profile"), objectFrom(profile));
                                   }),
                                   QStringLiteral("t.json"));
        if (!result.config)
            qFatal("%s", qPrintable(result.errors.join(u'\n')));
        return PlatformProfile::forSource(result.config->sources.at(0));
    };
    QVERIFY(!profileOf("generic", nullptr).topIsPageSize);
    QVERIFY(profileOf("generic", R"({"topIsPageSize":true})").topIsPageSize);
    QVERIFY(profileOf("trestle", nullptr).topIsPageSize);
    QVERIFY(!profileOf("trestle", R"({"topIsPageSize":false})").topIsPageSize);
    QVERIFY(!profileOf("bridge", R"({"topIsPageSize":false})").topIsPageSize);
}

void TestConfig::literalSecretWarnsWithoutValue() {
    const QString secret = QStringLiteral("s3cr3t-Value");
    QJsonObject source = minimalSource();
    source.insert(QStringLiteral("auth"),
                  QJsonObject{{QStringLiteral("type"), QStringLiteral("oauth2")},
                              {QStringLiteral("tokenUrl"), QStringLiteral("https://h/token")},
                              {QStringLiteral("clientId"), QStringLiteral("abc")},
                              {QStringLiteral("clientSecret"), secret}});
    source.insert(QStringLiteral("destinations"),
                  QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("db")},
                                         {QStringLiteral("type"), QStringLiteral("postgresql")},
                                         {QStringLiteral("host"), QStringLiteral("h")},
                                         {QStringLiteral("database"), QStringLiteral("d")},
                                         {QStringLiteral("user"), QStringLiteral("u")},
                                         {QStringLiteral("password"), secret}}});
    const ConfigLoadResult result =
        ConfigLoader::loadJson(documentOf(QJsonArray{source}), QStringLiteral("t.json"));
    QVERIFY(result.errors.isEmpty());
    QVERIFY(result.config);
    QCOMPARE(result.config->sources.at(0).auth.clientSecret.kind, SecretRef::Kind::Literal);
    QCOMPARE(result.config->sources.at(0).auth.clientSecret.value, secret);
    QCOMPARE(result.warnings.size(), 2);
    QVERIFY(result.warnings.at(0).startsWith(QStringLiteral("sources[0].auth.clientSecret: ")));
    QVERIFY(result.warnings.at(1).startsWith(QStringLiteral("sources[0].destinations[0].password: ")));
    for (const QString& warning : result.warnings) {
        QVERIFY2(warning.contains(QStringLiteral("plain text")), qPrintable(warning));
        QVERIFY2(!warning.contains(secret), qPrintable(warning));
    }
}

void TestConfig::versionHandling_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("errors");
    const QStringList none;
    QTest::newRow("absent") << QByteArray(R"({"sources":[]})") << none;
    QTest::newRow("current") << QByteArray(R"({"version":1,"sources":[]})") << none;
    QTest::newRow("newer")
        << QByteArray(R"({"version":7,"sources":[{"bad":true}]})")
        << QStringList{QStringLiteral(
               "version: unsupported configuration version 7 (this program supports up to 1)")};
    const QStringList notPositive{QStringLiteral("version: must be a positive integer")};
    QTest::newRow("zero") << QByteArray(R"({"version":0,"sources":[]})") << notPositive;
    QTest::newRow("string") << QByteArray(R"({"version":"1","sources":[]})") << notPositive;
    QTest::newRow("fraction") << QByteArray(R"({"version":1.5,"sources":[]})") << notPositive;
    QTest::newRow("invalid version still validates the rest")
        << QByteArray(R"({"version":-1})")
        << QStringList{QStringLiteral("version: must be a positive integer"),
                       QStringLiteral("sources: missing required key")};
}

void TestConfig::versionHandling() {
    QFETCH(QByteArray, json);
    QFETCH(QStringList, errors);
    const ConfigLoadResult result = ConfigLoader::loadJson(json, QStringLiteral("v.json"));
    QCOMPARE(result.errors, errors);
    QCOMPARE(result.config.has_value(), errors.isEmpty());
    if (result.config)
        QCOMPARE(result.config->version, kConfigVersion);
}

void TestConfig::migrationSteps() {
    static constexpr ConfigLoader::MigrationStep kSteps[] = {
        [](const QJsonObject& root) {
            QJsonObject next = root;
            next.insert(QStringLiteral("step1"), true);
            return next;
        },
        [](const QJsonObject& root) {
            QJsonObject next = root;
            next.insert(QStringLiteral("step2"), next.value(QStringLiteral("step1")).toBool());
            return next;
        },
    };
    const QJsonObject fromOne = ConfigLoader::migrate(QJsonObject{}, 1, kSteps);
    QCOMPARE(fromOne.value(QStringLiteral("version")).toInt(), 3);
    QVERIFY(fromOne.value(QStringLiteral("step1")).toBool());
    QVERIFY(fromOne.value(QStringLiteral("step2")).toBool());

    const QJsonObject fromTwo = ConfigLoader::migrate(QJsonObject{}, 2, kSteps);
    QCOMPARE(fromTwo.value(QStringLiteral("version")).toInt(), 3);
    QVERIFY(!fromTwo.contains(QStringLiteral("step1")));
    QVERIFY(fromTwo.contains(QStringLiteral("step2")));

    const QJsonObject upToDate = ConfigLoader::migrate(QJsonObject{}, 3, kSteps);
    QCOMPARE(upToDate, (QJsonObject{{QStringLiteral("version"), 3}}));
}

void TestConfig::loadFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("config.json"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kFullExample);
    }
    const QDateTime modified = QFileInfo(path).lastModified();
    const QStringList entries = QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);

    const ConfigLoadResult result = ConfigLoader::loadFile(path);
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(u'\n')));
    QVERIFY(result.config);
    QCOMPARE(result.config->filePath, QFileInfo(path).absoluteFilePath());
    QCOMPARE(result.config->sources.at(0).name, QStringLiteral("crmls"));

    // Loading must leave the disk alone.
    QCOMPARE(QFileInfo(path).lastModified(), modified);
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), entries);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), kFullExample);
}

void TestConfig::loadFileErrors() {
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("nope.json"));
    QCOMPARE(ConfigLoader::loadFile(missing).errors,
             QStringList{missing + QStringLiteral(": file not found")});

    const ConfigLoadResult directory = ConfigLoader::loadFile(dir.path());
    QCOMPARE(directory.errors.size(), 1);
    QVERIFY(directory.errors.first().startsWith(dir.path() + QStringLiteral(": ")));

    const QString bad = dir.filePath(QStringLiteral("bad.json"));
    {
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\n  \"sources\": [,]\n}\n");
    }
    const ConfigLoadResult syntax = ConfigLoader::loadFile(bad);
    QCOMPARE(syntax.errors.size(), 1);
    // Line 2 is `  "sources": [,]`: the stray comma is in column 15.
    QVERIFY2(syntax.errors.first().startsWith(bad + QStringLiteral(":2:15: JSON syntax error: ")),
             qPrintable(syntax.errors.first()));
}

void TestConfig::nameHelpers() {
    for (const Platform p :
         {Platform::Trestle, Platform::MlsGrid, Platform::Bridge, Platform::Spark, Platform::Generic})
        QCOMPARE(platformFromName(platformName(p)), std::optional<Platform>(p));
    for (const AuthType t : {AuthType::None, AuthType::Bearer, AuthType::OAuth2})
        QCOMPARE(authTypeFromName(authTypeName(t)), std::optional<AuthType>(t));
    for (const DestinationType t : {DestinationType::Sqlite, DestinationType::Mysql,
                                    DestinationType::Postgresql, DestinationType::Solr})
        QCOMPARE(destinationTypeFromName(destinationTypeName(t)), std::optional<DestinationType>(t));
    for (const ProcessType p : {ProcessType::Sync, ProcessType::Purge, ProcessType::Reconcile})
        QCOMPARE(processFromName(processName(p)), std::optional<ProcessType>(p));
    QCOMPARE(platformName(Platform::MlsGrid), QStringLiteral("mlsgrid"));
    QCOMPARE(destinationTypeName(DestinationType::Postgresql), QStringLiteral("postgresql"));
    QCOMPARE(processName(ProcessType::Reconcile), QStringLiteral("reconcile"));
    QVERIFY(!platformFromName(QStringLiteral("Trestle")));
    QVERIFY(!destinationTypeFromName(QString()));
}

void TestConfig::secretRefParse_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("value");
    QTest::newRow("env") << QStringLiteral("env:TRESTLE_SECRET") << int(SecretRef::Kind::Env)
                         << QStringLiteral("TRESTLE_SECRET");
    QTest::newRow("keychain") << QStringLiteral("keychain:crmls") << int(SecretRef::Kind::Keychain)
                              << QStringLiteral("crmls");
    QTest::newRow("file") << QStringLiteral("file:/run/secrets/x") << int(SecretRef::Kind::File)
                          << QStringLiteral("/run/secrets/x");
    QTest::newRow("literal") << QStringLiteral("hunter2") << int(SecretRef::Kind::Literal)
                             << QStringLiteral("hunter2");
    QTest::newRow("literal with colon")
        << QStringLiteral("ENV:x") << int(SecretRef::Kind::Literal) << QStringLiteral("ENV:x");
    QTest::newRow("empty") << QString() << int(SecretRef::Kind::None) << QString();
}

void TestConfig::secretRefParse() {
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, value);
    const SecretRef ref = SecretRef::parse(text);
    QCOMPARE(int(ref.kind), kind);
    QCOMPARE(ref.value, value);
    QCOMPARE(ref.isSet(), kind != int(SecretRef::Kind::None));
}

void TestConfig::effectiveMetadataUrl() {
    SourceConfig source;
    source.serviceUrl = QStringLiteral("https://api.example.com/odata//");
    QCOMPARE(source.effectiveMetadataUrl(), QStringLiteral("https://api.example.com/odata/$metadata"));
    source.metadataUrl = QStringLiteral("https://other.example.com/meta.xml");
    QCOMPARE(source.effectiveMetadataUrl(), source.metadataUrl);
}

void TestConfig::lookups() {
    const ConfigLoadResult result = ConfigLoader::loadJson(kFullExample, QStringLiteral("full.json"));
    QVERIFY(result.config);
    const SourceConfig* source = result.config->source(QStringLiteral("crmls"));
    QVERIFY(source);
    QVERIFY(!result.config->source(QStringLiteral("other")));
    QCOMPARE(source->resource(QStringLiteral("Member"))->name, QStringLiteral("Member"));
    QVERIFY(!source->resource(QStringLiteral("Office")));
    QCOMPARE(source->destination(QStringLiteral("db"))->type, DestinationType::Mysql);
    QVERIFY(!source->destination(QStringLiteral("nope")));
}

void TestConfig::resolveEnvSecret() {
    const QString keyPath = QStringLiteral("sources[0].auth.clientSecret");
    {
        EnvGuard guard("ORS_TEST_SECRET", QByteArray("from-env"));
        const Expected<QString> value =
            SecretResolver::resolve(SecretRef::parse(QStringLiteral("env:ORS_TEST_SECRET")), keyPath);
        QVERIFY(value.ok());
        QCOMPARE(*value, QStringLiteral("from-env"));
    }
    for (const auto& state : {std::optional<QByteArray>(), std::optional<QByteArray>(QByteArray())}) {
        EnvGuard guard("ORS_TEST_SECRET", state);
        const Expected<QString> value =
            SecretResolver::resolve(SecretRef::parse(QStringLiteral("env:ORS_TEST_SECRET")), keyPath);
        QVERIFY(!value.ok());
        QCOMPARE(
            value.errorMessage(),
            QStringLiteral("sources[0].auth.clientSecret: environment variable ORS_TEST_SECRET is not set"));
    }
}

void TestConfig::resolveFileSecret() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secret.txt"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(" top secret \r\n\n");
    }
    const QString keyPath = QStringLiteral("sources[0].destinations[1].password");
    const Expected<QString> value = SecretResolver::resolve(SecretRef{SecretRef::Kind::File, path}, keyPath);
    QVERIFY(value.ok());
    QCOMPARE(*value, QStringLiteral(" top secret"));

    const QString missing = dir.filePath(QStringLiteral("missing.txt"));
    const Expected<QString> error =
        SecretResolver::resolve(SecretRef{SecretRef::Kind::File, missing}, keyPath);
    QVERIFY(!error.ok());
    QVERIFY2(
        error.errorMessage().startsWith(keyPath + QStringLiteral(": cannot read secret file ") + missing),
        qPrintable(error.errorMessage()));

    const QString empty = dir.filePath(QStringLiteral("empty.txt"));
    {
        QFile file(empty);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\n");
    }
    const Expected<QString> emptyError =
        SecretResolver::resolve(SecretRef{SecretRef::Kind::File, empty}, keyPath);
    QVERIFY(!emptyError.ok());
    QCOMPARE(emptyError.errorMessage(),
             keyPath + QStringLiteral(": secret file ") + empty + QStringLiteral(" is empty"));
}

void TestConfig::resolveLiteralAndNone() {
    const Expected<QString> literal =
        SecretResolver::resolve(SecretRef::parse(QStringLiteral("plain")), QStringLiteral("k"));
    QVERIFY(literal.ok());
    QCOMPARE(*literal, QStringLiteral("plain"));
    const Expected<QString> none =
        SecretResolver::resolve(SecretRef{}, QStringLiteral("sources[0].auth.token"));
    QVERIFY(!none.ok());
    QCOMPARE(none.errorMessage(), QStringLiteral("sources[0].auth.token: no secret configured"));
}

void TestConfig::keychainWithoutBackend() {
    // No D-Bus session here, so the keychain must fail cleanly, promptly and without a secret in sight.
    EnvGuard noBus("DBUS_SESSION_BUS_ADDRESS", QByteArray("unix:path=/nonexistent/ors-test-bus"));
    const QString keyPath = QStringLiteral("sources[0].auth.clientSecret");
    QElapsedTimer timer;
    timer.start();
    const Expected<QString> value =
        SecretResolver::resolve(SecretRef::parse(QStringLiteral("keychain:ors-test-entry")), keyPath);
    const qint64 elapsed = timer.elapsed();
    QVERIFY(!value.ok());
    const QString message = value.errorMessage();
    QVERIFY2(message.startsWith(keyPath + QStringLiteral(": ")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("\"ors-test-entry\"")), qPrintable(message));
    QVERIFY2(elapsed < 25000, qPrintable(QString::number(elapsed)));
    qDebug() << "keychain error after" << elapsed << "ms:" << message;
}

void TestConfig::keychainFromWorkerThreads() {
    // Workers run no event loop, and each may be gone before the next read: every read must still finish.
    EnvGuard noBus("DBUS_SESSION_BUS_ADDRESS", QByteArray("unix:path=/nonexistent/ors-test-bus"));
    for (int i = 0; i < 2; ++i) {
        std::optional<Expected<QString>> result;
        std::unique_ptr<QThread> worker(QThread::create([&result] {
            result = SecretResolver::resolve(SecretRef::parse(QStringLiteral("keychain:ors-test-entry")),
                                             QStringLiteral("sources[0].destinations[0].password"));
        }));
        worker->start();
        QVERIFY(worker->wait(QDeadlineTimer(30000)));
        QVERIFY(result);
        QVERIFY(!result->ok());
        QVERIFY2(result->errorMessage().startsWith(QStringLiteral("sources[0].destinations[0].password: ")),
                 qPrintable(result->errorMessage()));
    }
}

void TestConfig::locatePrecedence() {
    QTemporaryDir dir;
    EnvGuard config("OPENRESYNC_CONFIG", QByteArray("/env/config.json"));
    EnvGuard xdg("XDG_CONFIG_HOME", dir.path().toLocal8Bit());
    QCOMPARE(ConfigLoader::locate(QStringLiteral("/cli/config.json")), QStringLiteral("/cli/config.json"));
    QCOMPARE(ConfigLoader::locate(QString()), QStringLiteral("/env/config.json"));
    {
        EnvGuard noConfig("OPENRESYNC_CONFIG", std::nullopt);
        QCOMPARE(ConfigLoader::locate(QString()), dir.path() + QStringLiteral("/openresync/config.json"));
        EnvGuard noXdg("XDG_CONFIG_HOME", std::nullopt);
        QCOMPARE(ConfigLoader::locate(QString()),
                 QDir::homePath() + QStringLiteral("/.config/openresync/config.json"));
        EnvGuard emptyConfig("OPENRESYNC_CONFIG", QByteArray());
        QCOMPARE(ConfigLoader::locate(QString()),
                 QDir::homePath() + QStringLiteral("/.config/openresync/config.json"));
    }
}

void TestConfig::dataDirPrecedence() {
    Config config;
    config.dataDir = QStringLiteral("/config/data");
    EnvGuard env("OPENRESYNC_DATA_DIR", QByteArray("/env/data"));
    QCOMPARE(resolveDataDir(QStringLiteral("/cli/data"), &config), QStringLiteral("/cli/data"));
    QCOMPARE(resolveDataDir(QString(), &config), QStringLiteral("/env/data"));
    {
        EnvGuard noEnv("OPENRESYNC_DATA_DIR", std::nullopt);
        QCOMPARE(resolveDataDir(QString(), &config), QStringLiteral("/config/data"));
        config.filePath = QStringLiteral("/etc/openresync/config.json");
        config.dataDir = QStringLiteral("data");
        QCOMPARE(resolveDataDir(QString(), &config), QStringLiteral("/etc/openresync/data"));
        config.dataDir.clear();
        const QString standard = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QVERIFY(standard.contains(QStringLiteral("openresync")));
        QCOMPARE(resolveDataDir(QString(), &config), QDir::cleanPath(standard));
        QCOMPARE(resolveDataDir(QString(), nullptr), QDir::cleanPath(standard));
    }
    QCOMPARE(resolveDataDir(QStringLiteral("rel/dir"), nullptr),
             QDir::cleanPath(QDir::currentPath() + QStringLiteral("/rel/dir")));
}

void TestConfig::dataLayout() {
    const mode_t oldMask = ::umask(0);
    const auto restoreMask = qScopeGuard([oldMask] { ::umask(oldMask); });
    QTemporaryDir dir;
    const DataLayout layout(dir.path() + QStringLiteral("/data/"));
    const QString root = dir.path() + QStringLiteral("/data");
    QCOMPARE(layout.root(), root);
    QCOMPARE(layout.stateDatabase(), root + QStringLiteral("/state.sqlite"));
    QCOMPARE(layout.statsDatabase(), root + QStringLiteral("/stats.sqlite"));
    QCOMPARE(layout.lockFile(QStringLiteral("crmls")), root + QStringLiteral("/locks/crmls.lock"));
    QCOMPARE(layout.downloadedDataDir(QStringLiteral("crmls"), QStringLiteral("Property")),
             root + QStringLiteral("/sources/crmls/downloadedData/Property"));
    QCOMPARE(layout.logFile(QStringLiteral("crmls")), root + QStringLiteral("/logs/crmls.ndjson"));
    QCOMPARE(layout.defaultSqlitePath(QStringLiteral("crmls"), QStringLiteral("local")),
             root + QStringLiteral("/destinations/crmls/local.sqlite"));
    QCOMPARE(layout.legacySqlitePath(QStringLiteral("local")),
             root + QStringLiteral("/destinations/local.sqlite"));

    DestinationConfig destination;
    destination.name = QStringLiteral("local");
    QCOMPARE(layout.sqlitePath(destination, QStringLiteral("crmls")),
             root + QStringLiteral("/destinations/crmls/local.sqlite"));
    destination.path = QStringLiteral("/var/lib/mls/x.sqlite");
    QCOMPARE(layout.sqlitePath(destination, QStringLiteral("crmls")), destination.path);

    // Computing paths creates nothing; the ensure… calls do.
    QVERIFY(!QFileInfo::exists(root));
    QVERIFY(layout.ensureLocksDir().ok());
    QVERIFY(layout.ensureLogsDir().ok());
    QVERIFY(layout.ensureDestinationsDir().ok());
    QVERIFY(layout.ensureDownloadedDataDir(QStringLiteral("crmls"), QStringLiteral("Property")).ok());
    QVERIFY(QFileInfo(layout.locksDir()).isDir());
    QVERIFY(QFileInfo(layout.logsDir()).isDir());
    QVERIFY(QFileInfo(layout.destinationsDir()).isDir());
    QVERIFY(QFileInfo(layout.downloadedDataDir(QStringLiteral("crmls"), QStringLiteral("Property"))).isDir());
    QVERIFY(DataLayout::ensureParentDir(root + QStringLiteral("/custom/db/x.sqlite")).ok());
    QVERIFY(QFileInfo(root + QStringLiteral("/custom/db")).isDir());
    // Every directory created is private, whatever the umask.
    for (const QString& created :
         QStringList{root, layout.locksDir(), layout.logsDir(), layout.destinationsDir(),
                     layout.sourceDir(QStringLiteral("crmls")), root + QStringLiteral("/custom/db")})
        QCOMPARE(QFileInfo(created).permissions(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                       QFileDevice::ExeOwner | QFileDevice::ReadUser |
                                                       QFileDevice::WriteUser | QFileDevice::ExeUser);

    const QString blocker = dir.filePath(QStringLiteral("file"));
    {
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    const Expected<void> failed = DataLayout::ensureDir(blocker + QStringLiteral("/sub"));
    QVERIFY(!failed.ok());
    QVERIFY(failed.errorMessage().startsWith(blocker + QStringLiteral("/sub: ")));
}

namespace {

Config twoSources(const QList<DestinationConfig>& first, const QList<DestinationConfig>& second) {
    Config config;
    SourceConfig a;
    a.name = QStringLiteral("a");
    a.resources = {
        ResourceConfig{QStringLiteral("Property"), {}, {}, {ExpandConfig{QStringLiteral("Media")}}}};
    a.destinations = first;
    SourceConfig b;
    b.name = QStringLiteral("b");
    b.resources = {ResourceConfig{QStringLiteral("Member"), {}, {}, {}}};
    b.destinations = second;
    config.sources = {a, b};
    return config;
}

DestinationConfig sqliteAt(const QString& name, const QString& path = {}) {
    DestinationConfig d;
    d.name = name;
    d.path = path;
    return d;
}

DestinationConfig mysqlAt(const QString& name, const QString& host, int port, const QString& database) {
    DestinationConfig d;
    d.name = name;
    d.type = DestinationType::Mysql;
    d.host = host;
    d.port = port;
    d.database = database;
    d.user = QStringLiteral("u");
    return d;
}

bool touch(const QString& path) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly);
}

} // namespace

void TestConfig::defaultSqlitePathPerSource() {
    QTemporaryDir dir;
    const DataLayout layout(dir.path());
    const QString legacy = dir.filePath(QStringLiteral("destinations/local.sqlite"));
    QStringList warnings;

    // Fresh data directory: one file per source, even for destinations of one name.
    Config config = twoSources({sqliteAt(QStringLiteral("local"))}, {sqliteAt(QStringLiteral("local"))});
    layout.resolveSqlitePaths(config, warnings);
    QCOMPARE(config.sources[0].destinations[0].path,
             dir.filePath(QStringLiteral("destinations/a/local.sqlite")));
    QCOMPARE(config.sources[1].destinations[0].path,
             dir.filePath(QStringLiteral("destinations/b/local.sqlite")));
    QVERIFY(warnings.isEmpty());

    // An earlier version's file stays in use while only one source has a destination of that name.
    QVERIFY(touch(legacy));
    config = twoSources({sqliteAt(QStringLiteral("local"))}, {sqliteAt(QStringLiteral("other"))});
    layout.resolveSqlitePaths(config, warnings);
    QCOMPARE(config.sources[0].destinations[0].path, legacy);
    QCOMPARE(config.sources[1].destinations[0].path,
             dir.filePath(QStringLiteral("destinations/b/other.sqlite")));
    QVERIFY(warnings.isEmpty());

    // Shared by name (case-folded): nobody may assume the old file is theirs; it is reported.
    config = twoSources({sqliteAt(QStringLiteral("local"))}, {sqliteAt(QStringLiteral("LOCAL"))});
    layout.resolveSqlitePaths(config, warnings);
    QCOMPARE(config.sources[0].destinations[0].path,
             dir.filePath(QStringLiteral("destinations/a/local.sqlite")));
    QCOMPARE(config.sources[1].destinations[0].path,
             dir.filePath(QStringLiteral("destinations/b/LOCAL.sqlite")));
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().startsWith(QStringLiteral("sources[0].destinations[0]: ") + legacy +
                                         QStringLiteral(" is no longer used")),
             qPrintable(warnings.first()));

    // Once the per-source file exists it wins over the legacy one.
    warnings.clear();
    QVERIFY(touch(dir.filePath(QStringLiteral("destinations/a/local.sqlite"))));
    config = twoSources({sqliteAt(QStringLiteral("local"))}, {sqliteAt(QStringLiteral("other"))});
    layout.resolveSqlitePaths(config, warnings);
    QCOMPARE(config.sources[0].destinations[0].path,
             dir.filePath(QStringLiteral("destinations/a/local.sqlite")));

    // A configured path is left alone.
    config = twoSources({sqliteAt(QStringLiteral("local"), QStringLiteral("x.sqlite"))}, {});
    layout.resolveSqlitePaths(config, warnings);
    QCOMPARE(config.sources[0].destinations[0].path, QStringLiteral("x.sqlite"));
}

void TestConfig::tableWritersConflicts() {
    QTemporaryDir dir;
    const DataLayout layout(dir.path());
    QStringList errors;
    QStringList warnings;

    // Default paths of two sources' "local" destinations are different files: no conflict.
    Config config = twoSources({sqliteAt(QStringLiteral("local"))}, {sqliteAt(QStringLiteral("local"))});
    config.sources[1].resources.first().name = QStringLiteral("Property");
    QVERIFY2(TableWriters::settle(config, layout, errors, warnings), qPrintable(errors.join(u'\n')));

    // One file, one table: refused, naming both writers, the table and the file.
    const QString file = QFileInfo(dir.path()).canonicalFilePath() + QStringLiteral("/x.sqlite");
    config = twoSources({sqliteAt(QStringLiteral("local"), file)}, {sqliteAt(QStringLiteral("local"), file)});
    config.sources[1].resources.first().name = QStringLiteral("Property");
    QVERIFY(!TableWriters::settle(config, layout, errors, warnings));
    QCOMPARE(errors, QStringList{QStringLiteral("sources[1].destinations[0] (\"local\") and "
                                                "sources[0].destinations[0] (\"local\") both write table "
                                                "Property in %1")
                                     .arg(file)});

    // Another spelling of the same file (relative to the data directory, through a symbolic
    // link), and an expansion of one source against a resource of the other (Media).
    errors.clear();
    QVERIFY(QFile::link(dir.path(), dir.filePath(QStringLiteral("alias"))));
    config = twoSources({sqliteAt(QStringLiteral("one"), file)},
                        {sqliteAt(QStringLiteral("two"), QStringLiteral("alias/x.sqlite"))});
    config.sources[1].resources.first().name = QStringLiteral("media");
    QVERIFY(!TableWriters::settle(config, layout, errors, warnings));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().contains(QStringLiteral("both write table media in ") + file),
             qPrintable(errors.first()));

    // One file, different tables: allowed.
    errors.clear();
    config = twoSources({sqliteAt(QStringLiteral("one"), file)}, {sqliteAt(QStringLiteral("two"), file)});
    QVERIFY2(TableWriters::settle(config, layout, errors, warnings), qPrintable(errors.join(u'\n')));

    // Two destinations of one source in one file write every table twice.
    config = twoSources({sqliteAt(QStringLiteral("one"), file), sqliteAt(QStringLiteral("two"), file)}, {});
    QVERIFY(!TableWriters::settle(config, layout, errors, warnings));
    QCOMPARE(errors.size(), 2); // Property and Media
    QVERIFY(errors.first().startsWith(
        QStringLiteral("sources[0].destinations[1] (\"two\") and sources[0].destinations[0] (\"one\")")));

    // MySQL: the same server (loopback names are one host) and database.
    errors.clear();
    config =
        twoSources({mysqlAt(QStringLiteral("db"), QStringLiteral("localhost"), 3306, QStringLiteral("mls"))},
                   {mysqlAt(QStringLiteral("db"), QStringLiteral("127.0.0.1"), 3306, QStringLiteral("mls"))});
    config.sources[1].resources.first().name = QStringLiteral("Property");
    QVERIFY(!TableWriters::settle(config, layout, errors, warnings));
    QCOMPARE(errors,
             QStringList{QStringLiteral("sources[1].destinations[0] (\"db\") and sources[0].destinations[0] "
                                        "(\"db\") both write table Property in mysql://localhost:3306/mls")});
    // Another database, or another port, is another place.
    errors.clear();
    config.sources[1].destinations[0].database = QStringLiteral("mls2");
    QVERIFY(TableWriters::settle(config, layout, errors, warnings));
    config.sources[1].destinations[0].database = QStringLiteral("mls");
    config.sources[1].destinations[0].port = 3307;
    QVERIFY(TableWriters::settle(config, layout, errors, warnings));
    QVERIFY(errors.isEmpty());
}

// A MySQL destination's "tls": every mode by name, files relative to the configuration's folder.
void TestConfig::tlsOptions() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("certs")));
    for (const char* name : {"certs/ca.pem", "certs/client.pem", "certs/client.key"}) {
        QFile file(dir.filePath(QLatin1String(name)));
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    const QString path = dir.filePath(QStringLiteral("config.json"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(withSource([&](QJsonObject& s) {
            s.insert(
                QStringLiteral("destinations"),
                QJsonArray{
                    QJsonDocument::fromJson(
                        QByteArray(R"({"name":"db","type":"mysql","host":"h","database":"d","user":"u",
                          "tls":{"mode":"verify-identity","ca":"certs/ca.pem","cert":"certs/client.pem",
                                 "key":")") +
                        dir.filePath(QStringLiteral("certs/client.key")).toUtf8() + QByteArray(R"("}})"))
                        .object(),
                    objectFrom(R"({"name":"plain","type":"mysql","host":"h","database":"d","user":"u"})"),
                    objectFrom(R"({"name":"pg","type":"postgresql","host":"h","database":"d","user":"u",
                          "tls":{"mode":"required"}})")});
        }));
    }
    const ConfigLoadResult result = ConfigLoader::loadFile(path);
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(u'\n')));
    QCOMPARE(result.warnings, QStringList());
    const QList<DestinationConfig>& destinations = result.config->sources.at(0).destinations;
    QCOMPARE(destinations.at(0).tls.mode, TlsMode::VerifyIdentity);
    QCOMPARE(destinations.at(0).tls.ca, QDir(dir.path()).absoluteFilePath(QStringLiteral("certs/ca.pem")));
    QCOMPARE(destinations.at(0).tls.cert,
             QDir(dir.path()).absoluteFilePath(QStringLiteral("certs/client.pem")));
    QCOMPARE(destinations.at(0).tls.key,
             QDir(dir.path()).absoluteFilePath(QStringLiteral("certs/client.key")));
    QCOMPARE(destinations.at(1).tls.mode, TlsMode::Preferred);
    QCOMPARE(destinations.at(2).tls.mode, TlsMode::Required);
    for (const char* mode : {"disabled", "preferred", "required", "verify-ca", "verify-identity"})
        QCOMPARE(tlsModeName(*tlsModeFromName(QLatin1String(mode))), QLatin1String(mode));
}

void TestConfig::tlsErrors_data() {
    QTest::addColumn<QString>("tls");
    QTest::addColumn<QString>("expected");
    const QString key = QStringLiteral("sources[0].destinations[0].tls");
    QTest::newRow("unknown mode") << QStringLiteral(R"({"mode":"strict"})")
                                  << key + QStringLiteral(
                                               R"(.mode: unknown TLS mode "strict" (expected disabled, )"
                                               R"(preferred, required, verify-ca or verify-identity))");
    QTest::newRow("mode not a string")
        << QStringLiteral(R"({"mode":true})") << key + QStringLiteral(".mode: must be a string");
    QTest::newRow("not an object") << QStringLiteral(R"("required")")
                                   << key + QStringLiteral(": must be an object");
    QTest::newRow("verify-ca without ca")
        << QStringLiteral(R"({"mode":"verify-ca"})")
        << key +
               QStringLiteral(
                   R"(.ca: missing: mode "verify-ca" checks the server's certificate against this CA file)");
    QTest::newRow("missing ca file")
        << QStringLiteral(R"({"mode":"verify-identity","ca":"/nonexistent/ca.pem"})")
        << key + QStringLiteral(R"(.ca: file "/nonexistent/ca.pem" does not exist)");
    QTest::newRow("ca is a folder") << QStringLiteral(R"({"ca":"/tmp"})")
                                    << key + QStringLiteral(R"(.ca: "/tmp" is not a readable file)");
    QTest::newRow("empty cert") << QStringLiteral(R"({"cert":"","key":"CERT"})")
                                << key + QStringLiteral(".cert: must be a non-empty file path");
    QTest::newRow("cert without key")
        << QStringLiteral(R"({"cert":"CERT"})")
        << key + QStringLiteral(".key: missing: a client certificate needs both cert and key");
    QTest::newRow("semicolon in path")
        << QStringLiteral(R"({"ca":"/tmp/a;b.pem"})")
        << key + QStringLiteral(
                     R"(.ca: the path "/tmp/a;b.pem" contains ";", which the MySQL driver cannot take)");
}

void TestConfig::tlsErrors() {
    QFETCH(QString, tls);
    QFETCH(QString, expected);
    // A real file for the keys a case does not test, so only the one problem is reported.
    QTemporaryFile file;
    QVERIFY(file.open());
    tls.replace(QStringLiteral("CERT"), file.fileName());
    const QJsonValue value = QJsonDocument::fromJson("[" + tls.toUtf8() + "]").array().at(0);
    QJsonObject destination =
        objectFrom(R"({"name":"db","type":"mysql","host":"h","database":"d","user":"u"})");
    destination.insert(QStringLiteral("tls"), value);
    const ConfigLoadResult result =
        ConfigLoader::loadJson(withSource([&](QJsonObject& s) {
                                   s.insert(QStringLiteral("destinations"), QJsonArray{destination});
                               }),
                               QStringLiteral("test.json"));
    QCOMPARE(result.errors, QStringList{expected});
    QVERIFY(!result.config);
}

// http:// service, metadata, token and replication URLs load, with a warning naming the key.
void TestConfig::plainHttpWarns() {
    const QByteArray json = withSource([](QJsonObject& s) {
        s.insert(QStringLiteral("serviceUrl"), QStringLiteral("http://mls.example.com/odata"));
        s.insert(QStringLiteral("metadataUrl"), QStringLiteral("HTTP://mls.example.com/odata/$metadata"));
        s.insert(QStringLiteral("auth"),
                 objectFrom(R"({"type":"oauth2","tokenUrl":"http://mls.example.com/token",
                    "clientId":"c","clientSecret":"env:S"})"));
        s.insert(QStringLiteral("profile"), objectFrom(R"({"replicationUrl":"http://r.example.com/odata"})"));
    });
    const ConfigLoadResult result = ConfigLoader::loadJson(json, QStringLiteral("t.json"));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(u'\n')));
    QVERIFY(result.config);
    QCOMPARE(result.config->sources.at(0).serviceUrl, QStringLiteral("http://mls.example.com/odata"));
    const QString why = QStringLiteral(
        ": http:// is not encrypted: credentials and data can be read on the way; use https://");
    QCOMPARE(result.warnings, (QStringList{QStringLiteral("sources[0].serviceUrl") + why,
                                           QStringLiteral("sources[0].metadataUrl") + why,
                                           QStringLiteral("sources[0].auth.tokenUrl") + why,
                                           QStringLiteral("sources[0].profile.replicationUrl") + why}));
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
