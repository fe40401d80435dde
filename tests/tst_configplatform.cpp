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

// Platform keys and profiles, timeouts and page sizes, and the connection's TLS settings.
class TestConfigPlatform : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void platformKeysLoad();
    void profileFilters();
    void timeoutSeconds();
    void topIsPageSize();
    void tlsOptions();
    void tlsErrors_data();
    void tlsErrors();
    void plainHttpWarns();
};

void TestConfigPlatform::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationName(QStringLiteral("openresync"));
}

void TestConfigPlatform::platformKeysLoad() {
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

void TestConfigPlatform::profileFilters() {
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

void TestConfigPlatform::timeoutSeconds() {
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

void TestConfigPlatform::topIsPageSize() {
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

// A MySQL destination's "tls": every mode by name, files relative to the configuration's folder.
void TestConfigPlatform::tlsOptions() {
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

void TestConfigPlatform::tlsErrors_data() {
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

void TestConfigPlatform::tlsErrors() {
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
void TestConfigPlatform::plainHttpWarns() {
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

QTEST_GUILESS_MAIN(TestConfigPlatform)
#include "tst_configplatform.moc"
