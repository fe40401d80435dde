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

// Loading a configuration (the example, files, names), secrets, and where files live.
class TestConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void fullExampleLoads();
    void minimalConfigLoads();
    void loadFile();
    void loadFileErrors();
    void nameHelpers();
    void secretRefParse_data();
    void secretRefParse();
    void effectiveMetadataUrl();
    void scheduleZoneResolution();
    void maxConcurrentJobs();
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
    QCOMPARE(s.schedules.timeZone, QStringLiteral("Europe/Berlin"));
    QVERIFY(s.schedules.catchUp);
    QCOMPARE(result.config->timeZone, QStringLiteral("America/Denver"));
}

// The zone a source's schedules run in: its own, else the top-level one, else UTC.
void TestConfig::scheduleZoneResolution() {
    QJsonObject own = minimalSource(QStringLiteral("own"));
    own.insert(QStringLiteral("schedules"),
               objectFrom(R"({"sync":["0 3 * * *"],"timeZone":"Europe/Berlin"})"));
    const QJsonObject inherits = minimalSource(QStringLiteral("inherits"));
    QJsonObject root{{QStringLiteral("sources"), QJsonArray{own, inherits}},
                     {QStringLiteral("timeZone"), QStringLiteral("America/Denver")}};
    const ConfigLoadResult withTop =
        ConfigLoader::loadJson(QJsonDocument(root).toJson(), QStringLiteral("z.json"));
    QVERIFY2(withTop.config, qPrintable(withTop.errors.join(u'\n')));
    QCOMPARE(withTop.config->scheduleZone(withTop.config->sources.at(0)).id(), QByteArray("Europe/Berlin"));
    QCOMPARE(withTop.config->scheduleZone(withTop.config->sources.at(1)).id(), QByteArray("America/Denver"));
    QVERIFY(!withTop.config->sources.at(0).schedules.catchUp);

    root.remove(QStringLiteral("timeZone"));
    const ConfigLoadResult noTop =
        ConfigLoader::loadJson(QJsonDocument(root).toJson(), QStringLiteral("z.json"));
    QVERIFY(noTop.config);
    QCOMPARE(noTop.config->scheduleZone(noTop.config->sources.at(0)).id(), QByteArray("Europe/Berlin"));
    const QTimeZone fallback = noTop.config->scheduleZone(noTop.config->sources.at(1));
    QCOMPARE(fallback.offsetFromUtc(QDateTime::currentDateTimeUtc()), 0);
    QVERIFY(!fallback.hasDaylightTime());
}

// The job queue's global limit: a top-level key, absent by default (the queue then uses the cores).
void TestConfig::maxConcurrentJobs() {
    QJsonObject root{{QStringLiteral("sources"), QJsonArray{minimalSource()}}};
    const ConfigLoadResult absent =
        ConfigLoader::loadJson(QJsonDocument(root).toJson(), QStringLiteral("j.json"));
    QVERIFY(absent.config);
    QVERIFY(!absent.config->maxConcurrentJobs);
    root.insert(QStringLiteral("maxConcurrentJobs"), 3);
    const ConfigLoadResult three =
        ConfigLoader::loadJson(QJsonDocument(root).toJson(), QStringLiteral("j.json"));
    QVERIFY2(three.config, qPrintable(three.errors.join(u'\n')));
    QCOMPARE(three.config->maxConcurrentJobs, std::optional<int>(3));
    QCOMPARE(three.warnings, QStringList());
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

    // One file, one table, two sources: allowed (one table for several MLSs) with a warning
    // naming both writers, the table and the file; each is marked so its purge refuses.
    const QString file = QFileInfo(dir.path()).canonicalFilePath() + QStringLiteral("/x.sqlite");
    config = twoSources({sqliteAt(QStringLiteral("local"), file)}, {sqliteAt(QStringLiteral("local"), file)});
    config.sources[1].resources.first().name = QStringLiteral("Property");
    warnings.clear();
    QVERIFY2(TableWriters::settle(config, layout, errors, warnings), qPrintable(errors.join(u'\n')));
    QVERIFY(errors.isEmpty());
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(
        warnings.first().startsWith(QStringLiteral("sources[1].destinations[0] (\"local\") and "
                                                   "sources[0].destinations[0] (\"local\") both write table "
                                                   "Property in %1: ")
                                        .arg(file)),
        qPrintable(warnings.first()));
    QVERIFY(warnings.first().contains(QStringLiteral("tablePrefix")));
    QCOMPARE(config.sources[0].destinations[0].sharedTables.size(), 1);
    QCOMPARE(config.sources[0].destinations[0].sharedTables.first().first, QStringLiteral("Property"));
    QCOMPARE(config.sources[0].destinations[0].sharedTables.first().second,
             QStringLiteral("sources[1].destinations[0] (\"local\")"));
    QCOMPARE(config.sources[1].destinations[0].sharedTables.size(), 1);

    // A tablePrefix (or tableName) separates them.
    warnings.clear();
    config = twoSources({sqliteAt(QStringLiteral("local"), file)}, {sqliteAt(QStringLiteral("local"), file)});
    config.sources[1].resources.first().name = QStringLiteral("Property");
    config.sources[1].destinations[0].mapping.tablePrefix = QStringLiteral("b_");
    QVERIFY(TableWriters::settle(config, layout, errors, warnings));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    config.sources[1].destinations[0].mapping.tablePrefix.clear();
    config.sources[1].destinations[0].mapping.tableName = QStringLiteral("{source}_{resource}");
    QVERIFY(TableWriters::settle(config, layout, errors, warnings));
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    // ... unless the prefix makes the other's names: b_ + Property against "b_Property".
    config.sources[1].destinations[0].mapping.tableName.clear();
    config.sources[1].destinations[0].mapping.tablePrefix = QStringLiteral("b_");
    config.sources[0].resources.first().name = QStringLiteral("b_Property");
    QVERIFY(TableWriters::settle(config, layout, errors, warnings));
    QCOMPARE(warnings.size(), 1);

    // Another spelling of the same file (relative to the data directory, through a symbolic
    // link), and an expansion of one source against a resource of the other (Media).
    warnings.clear();
    QVERIFY(QFile::link(dir.path(), dir.filePath(QStringLiteral("alias"))));
    config = twoSources({sqliteAt(QStringLiteral("one"), file)},
                        {sqliteAt(QStringLiteral("two"), QStringLiteral("alias/x.sqlite"))});
    config.sources[1].resources.first().name = QStringLiteral("media");
    QVERIFY(TableWriters::settle(config, layout, errors, warnings));
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().contains(QStringLiteral("both write table media in ") + file),
             qPrintable(warnings.first()));

    // One file, different tables: allowed, without a word.
    warnings.clear();
    config = twoSources({sqliteAt(QStringLiteral("one"), file)}, {sqliteAt(QStringLiteral("two"), file)});
    QVERIFY2(TableWriters::settle(config, layout, errors, warnings), qPrintable(errors.join(u'\n')));
    QVERIFY(warnings.isEmpty());

    // Two destinations of one source in one file write every table twice: refused.
    config = twoSources({sqliteAt(QStringLiteral("one"), file), sqliteAt(QStringLiteral("two"), file)}, {});
    QVERIFY(!TableWriters::settle(config, layout, errors, warnings));
    QCOMPARE(errors.size(), 2); // Property and Media
    QVERIFY(errors.first().startsWith(
        QStringLiteral("sources[0].destinations[1] (\"two\") and sources[0].destinations[0] (\"one\")")));
    // Unless their prefixes differ.
    errors.clear();
    config.sources[0].destinations[1].mapping.tablePrefix = QStringLiteral("copy_");
    QVERIFY2(TableWriters::settle(config, layout, errors, warnings), qPrintable(errors.join(u'\n')));

    // MySQL: the same server (loopback names are one host) and database.
    warnings.clear();
    config =
        twoSources({mysqlAt(QStringLiteral("db"), QStringLiteral("localhost"), 3306, QStringLiteral("mls"))},
                   {mysqlAt(QStringLiteral("db"), QStringLiteral("127.0.0.1"), 3306, QStringLiteral("mls"))});
    config.sources[1].resources.first().name = QStringLiteral("Property");
    QVERIFY(TableWriters::settle(config, layout, errors, warnings));
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().startsWith(
                 QStringLiteral("sources[1].destinations[0] (\"db\") and sources[0].destinations[0] "
                                "(\"db\") both write table Property in mysql://localhost:3306/mls")),
             qPrintable(warnings.first()));
    // Another database, or another port, is another place.
    warnings.clear();
    config.sources[1].destinations[0].database = QStringLiteral("mls2");
    QVERIFY(TableWriters::settle(config, layout, errors, warnings));
    config.sources[1].destinations[0].database = QStringLiteral("mls");
    config.sources[1].destinations[0].port = 3307;
    QVERIFY(TableWriters::settle(config, layout, errors, warnings));
    QVERIFY(errors.isEmpty());
    QVERIFY(warnings.isEmpty());
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
