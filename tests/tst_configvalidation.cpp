#include "config/Config.h"
#include "config/ConfigLoader.h"
#include "config/DataDir.h"
#include "config/SecretResolver.h"
#include "config/TableWriters.h"
#include "reso/PlatformProfile.h"

#include "ConfigTestSupport.h"
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
using namespace ors::test;

// What a configuration is refused or warned for, and with which message.
class TestConfigValidation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void errors_data();
    void errors();
    void severalErrorsAtOnce();
    void syntaxErrorNamesLineAndColumn();
    void nonObjectDocument();
    void unknownKeysWarn();
    void misspeltKeysAtEveryLevel();
    void literalSecretWarnsWithoutValue();
    void overflowKeys();
    void statsServerKey();
    void versionHandling_data();
    void versionHandling();
    void migrationSteps();
};

void TestConfigValidation::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationName(QStringLiteral("openresync"));
}

void TestConfigValidation::errors_data() {
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
    {
        // The field-mapping keys of a destination (ConfigValidatorMapping.cpp).
        const auto mapped = [&](const char* extra) {
            const QByteArray text = QByteArray(R"({"name":"db","type":"sqlite",)") + extra + "}";
            return setDestination(objectFrom(text.constData()));
        };
        const QString at = s("sources[0].destinations[0].");
        QTest::newRow("mapping: prefix no identifier")
            << mapped(R"("tablePrefix":"mls-")")
            << at +
                   s(R"(tablePrefix: "mls-" is no identifier prefix (letters, digits and _, not starting with a digit, at most 48))");
        QTest::newRow("mapping: tableName without resource")
            << mapped(R"("tableName":"{source}_all")")
            << at +
                   s(R"(tableName: "{source}_all" must contain {resource}, or every resource would be written to one table)");
        QTest::newRow("mapping: tableName unknown placeholder")
            << mapped(R"("tableName":"{mls}_{resource}")")
            << at +
                   s(R"(tableName: "{mls}_{resource}": only {source}, {resource}, letters, digits and _ are allowed)");
        QTest::newRow("mapping: tableName too long")
            << mapped(
                   R"("tableName":"{resource}_0123456789012345678901234567890123456789012345678901234567")")
            << at +
                   s(R"(tableName: table Property would be named "Property_0123456789012345678901234567890123456789012345678901234567", which is no identifier (at most 64 letters, digits and _))");
        QTest::newRow("mapping: unknown columnCase")
            << mapped(R"("columnCase":"camel")")
            << at + s(R"(columnCase: unknown value "camel" (expected as-is, snake_case, lowercase))");
        QTest::newRow("mapping: rename to no identifier")
            << mapped(R"("rename":{"ListPrice":"list price"})")
            << at + s("rename.ListPrice: must be a column name (letters, digits and _, not starting with a "
                      "digit, at most 64)");
        QTest::newRow("mapping: two renames, one column")
            << mapped(R"("rename":{"ListPrice":"price","OriginalListPrice":"Price"})")
            << at + s("rename.OriginalListPrice: ListPrice and OriginalListPrice are both renamed to column "
                      "Price");
        QTest::newRow("mapping: drop the timestamp")
            << mapped(R"("drop":["Foo","ModificationTimestamp"])")
            << at + s("drop[1]: ModificationTimestamp cannot be dropped: sync starts from it, purge and "
                      "reconcile compare it");
        QTest::newRow("mapping: strip zero") << mapped(R"("stripKeyPrefix":0)")
                                             << at + s("stripKeyPrefix: must be true, a number of characters "
                                                       "from 1 to 64, or a regular expression");
        QTest::newRow("mapping: strip bad pattern")
            << mapped(R"("stripKeyPrefix":"[A-Z")")
            << at +
                   s(R"(stripKeyPrefix: "[A-Z" is no regular expression: missing terminating ] for character class)");
        QTest::newRow("mapping: copy no field")
            << mapped(R"("copyParentFields":["List Price"])")
            << at + s(R"(copyParentFields[0]: "List Price" is no field name)");
        QTest::newRow("mapping: manageSchema not bool")
            << mapped(R"("manageSchema":"no")") << at + s("manageSchema: must be true or false");
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
    QTest::newRow("postgresql empty schema")
        << setDestination(objectFrom(
               R"({"name":"db","type":"postgresql","host":"h","database":"mls","user":"u","schema":""})"))
        << s("sources[0].destinations[0].schema: must be a schema name of 1 to 63 characters");
    {
        // The overflow keys of the server destinations.
        const auto server = [&](const char* type, const char* extra) {
            const QByteArray text = QByteArray(R"({"name":"db","type":")") + type +
                                    R"(","host":"h","database":"mls","user":"u",)" + extra + "}";
            return setDestination(objectFrom(text.constData()));
        };
        const QString at = s("sources[0].destinations[0].");
        QTest::newRow("overflowBudget negative")
            << server("mysql", R"("overflowBudget":-1)")
            << at + s("overflowBudget: must be an integer from 0 to 1000000");
        QTest::newRow("overflowBudget fraction")
            << server("postgresql", R"("overflowBudget":7900.5)")
            << at + s("overflowBudget: must be an integer from 0 to 1000000");
        QTest::newRow("overflowBudget text")
            << server("postgresql", R"("overflowBudget":"8k")")
            << at + s("overflowBudget: must be an integer from 0 to 1000000");
        QTest::newRow("overflowFields not a list") << server("mysql", R"("overflowFields":"PublicRemarks")")
                                                   << at + s("overflowFields: must be an array of strings");
        QTest::newRow("overflowFields no field name")
            << server("mysql", R"("overflowFields":["PublicRemarks","Public Remarks"])")
            << at + s(R"(overflowFields[1]: "Public Remarks" is no field name)");
        QTest::newRow("overflowFields twice")
            << server("postgresql", R"("overflowFields":["PublicRemarks","Appliances","PublicRemarks"])")
            << at + s(R"(overflowFields[2]: "PublicRemarks" is listed twice)");
    }
    QTest::newRow("solr without url") << setDestination(objectFrom(R"({"name":"s","type":"solr"})"))
                                      << s("sources[0].destinations[0].url: missing required key");
    QTest::newRow("solr core without {table}")
        << setDestination(objectFrom(R"({"name":"s","type":"solr","url":"http://h/solr","core":"mls"})"))
        << s(R"(sources[0].destinations[0].core: must contain {table}: each table (resource or expanded child) is a core of its own, e.g. "mls_{table}")");
    QTest::newRow("solr commitWithinMs zero")
        << setDestination(
               objectFrom(R"({"name":"s","type":"solr","url":"http://h/solr","commitWithinMs":0})"))
        << s("sources[0].destinations[0].commitWithinMs: must be an integer from 1 to 3600000");
    QTest::newRow("solr password without user")
        << setDestination(
               objectFrom(R"({"name":"s","type":"solr","url":"https://h/solr","password":"env:P"})"))
        << s("sources[0].destinations[0].user: missing: a password is sent with a user name (HTTP Basic)");
    QTest::newRow("schedules not object")
        << set("schedules", QJsonArray{}) << s("sources[0].schedules: must be an object");
    QTest::newRow("schedule not array") << set("schedules", objectFrom(R"({"sync":"*/15 * * * *"})"))
                                        << s("sources[0].schedules.sync: must be an array of strings");
    QTest::newRow("schedule too few fields")
        << set("schedules", objectFrom(R"({"purge":["0 3 * * *", "* * *"]})"))
        << s(R"(sources[0].schedules.purge[1]: "* * *": expected 5 or 6 space-separated fields, got 3)");
    QTest::newRow("schedule step zero")
        << set("schedules", objectFrom(R"({"sync":["0 * * * *", "*/0 * * * *"]})"))
        << s(R"(sources[0].schedules.sync[1]: "*/0 * * * *": step must be at least 1)");
    QTest::newRow("schedule minute out of range")
        << set("schedules", objectFrom(R"({"reconcile":["61 * * * *"]})"))
        << s(R"(sources[0].schedules.reconcile[0]: "61 * * * *": minute 61 is out of range 0-59)");
    QTest::newRow("schedule unknown month name")
        << set("schedules", objectFrom(R"({"purge":["0 3 1 JANUARY *"]})"))
        << s(R"(sources[0].schedules.purge[0]: "0 3 1 JANUARY *": month "JANUARY" is not a number or a month name (JAN-DEC))");
    QTest::newRow("schedule unknown macro")
        << set("schedules", objectFrom(R"({"sync":["@reboot"]})"))
        << s(R"(sources[0].schedules.sync[0]: "@reboot": unknown macro @reboot (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly))");
    QTest::newRow("schedule unknown time zone")
        << set("schedules", objectFrom(R"({"sync":["0 3 * * *"],"timeZone":"Mars/Olympus_Mons"})"))
        << s(R"(sources[0].schedules.timeZone: unknown time zone "Mars/Olympus_Mons" (expected an IANA name such as Europe/Berlin, America/Denver or UTC))");
    QTest::newRow("schedule time zone not a string") << set("schedules", objectFrom(R"({"timeZone":2})"))
                                                     << s("sources[0].schedules.timeZone: must be a string");
    QTest::newRow("schedule catchUp not a bool") << set("schedules", objectFrom(R"({"catchUp":"yes"})"))
                                                 << s("sources[0].schedules.catchUp: must be true or false");
    QTest::newRow("top-level unknown time zone")
        << QByteArray(R"({"sources":[],"timeZone":"Europe/Berln"})")
        << s(R"(timeZone: unknown time zone "Europe/Berln" (expected an IANA name such as Europe/Berlin, America/Denver or UTC))");
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
    QTest::newRow("maxConcurrentJobs zero") << QByteArray(R"({"sources":[],"maxConcurrentJobs":0})")
                                            << s("maxConcurrentJobs: must be an integer from 1 to 256");
    QTest::newRow("maxConcurrentJobs fraction") << QByteArray(R"({"sources":[],"maxConcurrentJobs":2.5})")
                                                << s("maxConcurrentJobs: must be an integer from 1 to 256");
    QTest::newRow("maxConcurrentJobs text") << QByteArray(R"({"sources":[],"maxConcurrentJobs":"4"})")
                                            << s("maxConcurrentJobs: must be an integer from 1 to 256");
    // The top-level "stats": a MySQL/MariaDB or PostgreSQL database for the stats store.
    const auto stats = [](const char* json) -> QByteArray {
        return QByteArray(R"({"sources":[],"stats":)") + QByteArray(json) + QByteArray("}");
    };
    QTest::newRow("stats not object") << stats("3") << s("stats: must be an object");
    QTest::newRow("stats type missing")
        << stats(R"({"host":"db","database":"ors","user":"u"})") << s("stats.type: missing required key");
    QTest::newRow("stats type sqlite")
        << stats(R"({"type":"sqlite"})")
        << s(R"(stats.type: unknown stats database type "sqlite" (expected mysql or postgresql; without "stats" )"
             R"(the history stays in the data directory's stats.sqlite))");
    QTest::newRow("stats type solr")
        << stats(R"({"type":"solr","host":"db","database":"ors","user":"u"})")
        << s(R"(stats.type: unknown stats database type "solr" (expected mysql or postgresql; without "stats" )"
             R"(the history stays in the data directory's stats.sqlite))");
    QTest::newRow("stats host missing")
        << stats(R"({"type":"mysql","database":"ors","user":"u"})") << s("stats.host: missing required key");
    QTest::newRow("stats host empty") << stats(R"({"type":"mysql","host":"","database":"ors","user":"u"})")
                                      << s("stats.host: must be a non-empty string");
    QTest::newRow("stats port")
        << stats(R"({"type":"postgresql","host":"db","port":70000,"database":"ors","user":"u"})")
        << s("stats.port: must be an integer between 1 and 65535");
    QTest::newRow("stats database missing") << stats(R"({"type":"postgresql","host":"db","user":"u"})")
                                            << s("stats.database: missing required key");
    QTest::newRow("stats user missing")
        << stats(R"({"type":"mysql","host":"db","database":"ors"})") << s("stats.user: missing required key");
    QTest::newRow("stats password reference")
        << stats(R"({"type":"mysql","host":"db","database":"ors","user":"u","password":"env:"})")
        << s(R"(stats.password: "env:" must be followed by an environment variable name)");
    QTest::newRow("stats tls mode")
        << stats(R"({"type":"mysql","host":"db","database":"ors","user":"u","tls":{"mode":"always"}})")
        << s(R"(stats.tls.mode: unknown TLS mode "always" (expected disabled, preferred, required, verify-ca or )"
             R"(verify-identity))");
    QTest::newRow("stats tls verify without ca")
        << stats(
               R"({"type":"postgresql","host":"db","database":"ors","user":"u","tls":{"mode":"verify-ca"}})")
        << s(R"(stats.tls.ca: missing: mode "verify-ca" checks the server's certificate against this CA file)");
    QTest::newRow("stats schema empty")
        << stats(R"({"type":"postgresql","host":"db","database":"ors","user":"u","schema":""})")
        << s("stats.schema: must be a schema name of 1 to 63 characters");
    QTest::newRow("unsupported version")
        << QByteArray(R"({"version":7,"sources":[]})")
        << s("version: unsupported configuration version 7 (this program supports up to 1)");
}

void TestConfigValidation::errors() {
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const ConfigLoadResult result = ConfigLoader::loadJson(json, QStringLiteral("test.json"));
    QCOMPARE(result.errors, QStringList{expected});
    QVERIFY(!result.config);
}

void TestConfigValidation::severalErrorsAtOnce() {
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

void TestConfigValidation::syntaxErrorNamesLineAndColumn() {
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

void TestConfigValidation::nonObjectDocument() {
    const ConfigLoadResult result = ConfigLoader::loadJson("[1, 2]", QStringLiteral("list.json"));
    QCOMPARE(result.errors,
             QStringList{QStringLiteral("list.json: the configuration must be a JSON object")});
}

void TestConfigValidation::unknownKeysWarn() {
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
void TestConfigValidation::misspeltKeysAtEveryLevel() {
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

// overflowBudget and overflowFields reach a MySQL or PostgreSQL destination's configuration; an
// SQLite destination, whose rows have no size limit, warns that it ignores them.
void TestConfigValidation::overflowKeys() {
    QJsonObject source = minimalSource();
    source.insert(
        QStringLiteral("destinations"),
        QJsonArray{
            objectFrom(R"({"name":"m","type":"mysql","host":"h","database":"d","user":"u",
                                  "overflowBudget":12000,"overflowFields":["PublicRemarks","Appliances"]})"),
            objectFrom(R"({"name":"p","type":"postgresql","host":"h","database":"d","user":"u",
                                  "overflowBudget":0})"),
            objectFrom(R"({"name":"q","type":"postgresql","host":"h","database":"d","user":"u"})"),
            objectFrom(R"({"name":"s","type":"sqlite","overflowBudget":100,"overflowFields":["X"]})")});
    const ConfigLoadResult result = ConfigLoader::loadJson(
        QJsonDocument(QJsonObject{{QStringLiteral("sources"), QJsonArray{source}}}).toJson(),
        QStringLiteral("t.json"));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(u'\n')));
    QVERIFY(result.config);
    const QList<DestinationConfig>& destinations = result.config->sources.first().destinations;
    QCOMPARE(destinations.at(0).overflowBudget, std::optional<int>(12000));
    QCOMPARE(destinations.at(0).overflowFields,
             (QStringList{QStringLiteral("PublicRemarks"), QStringLiteral("Appliances")}));
    QCOMPARE(destinations.at(1).overflowBudget, std::optional<int>(0));
    QVERIFY(destinations.at(1).overflowFields.isEmpty());
    QCOMPARE(destinations.at(2).overflowBudget, std::nullopt); // the backend's measured default
    QCOMPARE(
        result.warnings,
        (QStringList{QStringLiteral("sources[0].destinations[3].overflowBudget: ignored: SQLite rows have no "
                                    "size limit, so every field keeps a column of its own"),
                     QStringLiteral("sources[0].destinations[3].overflowFields: ignored: SQLite rows have no "
                                    "size limit, so every field keeps a column of its own")}));
}

void TestConfigValidation::literalSecretWarnsWithoutValue() {
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

// "stats" names the database the stats store lives in; every source carries it, as jobs run on
// sources alone. Keys of the other type warn like any unknown key; a plain-text password warns.
void TestConfigValidation::statsServerKey() {
    QJsonObject root{
        {QStringLiteral("sources"), QJsonArray{minimalSource(), minimalSource(QStringLiteral("other"))}},
        {QStringLiteral("stats"),
         objectFrom(R"({"type":"mysql","host":"db.example.com","database":"ors_stats","user":"ors",)"
                    R"("password":"keychain:ors-stats","schema":"s","tls":{"mode":"required"}})")}};
    ConfigLoadResult result = ConfigLoader::loadJson(QJsonDocument(root).toJson(), QStringLiteral("t.json"));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(u'\n')));
    QCOMPARE(result.warnings, QStringList{QStringLiteral("stats.schema: unknown key, ignored")});
    QVERIFY(result.config && result.config->stats);
    const SqlServerConfig& stats = *result.config->stats;
    QCOMPARE(stats.type, DestinationType::Mysql);
    QCOMPARE(stats.host, QStringLiteral("db.example.com"));
    QCOMPARE(stats.port, 3306);
    QCOMPARE(stats.database, QStringLiteral("ors_stats"));
    QCOMPARE(stats.user, QStringLiteral("ors"));
    QCOMPARE(stats.password.kind, SecretRef::Kind::Keychain);
    QCOMPARE(stats.password.value, QStringLiteral("ors-stats"));
    QCOMPARE(stats.tls.mode, TlsMode::Required);
    QVERIFY(stats.schema.isEmpty());
    QCOMPARE(stats.describe(), QStringLiteral("mysql ors@db.example.com:3306/ors_stats"));
    for (const SourceConfig& source : result.config->sources) {
        QVERIFY(source.stats);
        QCOMPARE(source.stats->database, QStringLiteral("ors_stats"));
    }

    root.insert(
        QStringLiteral("stats"),
        objectFrom(R"({"type":"postgresql","host":"db","database":"ors","user":"ors","schema":"history",)"
                   R"("password":"hunter2"})"));
    result = ConfigLoader::loadJson(QJsonDocument(root).toJson(), QStringLiteral("t.json"));
    QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join(u'\n')));
    QCOMPARE(result.warnings, QStringList{QStringLiteral(
                                  "stats.password: secret is stored in plain text in the configuration file; "
                                  "prefer env:NAME, keychain:NAME or file:PATH")});
    QVERIFY(!result.warnings.join(u' ').contains(QStringLiteral("hunter2")));
    QCOMPARE(result.config->stats->port, 5432);
    QCOMPARE(result.config->stats->schema, QStringLiteral("history"));
    QCOMPARE(result.config->stats->describe(), QStringLiteral("postgresql ors@db:5432/ors schema history"));

    // Without the key: the data directory's stats.sqlite, for every source.
    root.remove(QStringLiteral("stats"));
    result = ConfigLoader::loadJson(QJsonDocument(root).toJson(), QStringLiteral("t.json"));
    QVERIFY(result.config);
    QVERIFY(!result.config->stats);
    QVERIFY(!result.config->sources.first().stats);
}

void TestConfigValidation::versionHandling_data() {
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

void TestConfigValidation::versionHandling() {
    QFETCH(QByteArray, json);
    QFETCH(QStringList, errors);
    const ConfigLoadResult result = ConfigLoader::loadJson(json, QStringLiteral("v.json"));
    QCOMPARE(result.errors, errors);
    QCOMPARE(result.config.has_value(), errors.isEmpty());
    if (result.config)
        QCOMPARE(result.config->version, kConfigVersion);
}

void TestConfigValidation::migrationSteps() {
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

QTEST_GUILESS_MAIN(TestConfigValidation)
#include "tst_configvalidation.moc"
