// core/config/ConfigWriter: one source added or replaced in a real configuration file, the rest
// of the document kept, validation before writing, the previous file kept as .bak, and no
// secret ever written as text. SecretResolver::storeInKeychain against whatever keychain the
// machine has (none in CI: then the error must name the entry).
#include "config/ConfigLoader.h"
#include "config/ConfigWriter.h"
#include "config/SecretResolver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace ors;

namespace {

QJsonObject source(const QString& name, const QString& secret = QStringLiteral("env:MLS_SECRET")) {
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("platform"), QStringLiteral("generic")},
        {QStringLiteral("serviceUrl"), QStringLiteral("https://mls.example.com/odata")},
        {QStringLiteral("auth"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("oauth2")},
                     {QStringLiteral("tokenUrl"), QStringLiteral("https://mls.example.com/token")},
                     {QStringLiteral("clientId"), QStringLiteral("id")},
                     {QStringLiteral("clientSecret"), secret}}},
        {QStringLiteral("resources"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")}}}},
        {QStringLiteral("destinations"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("local")},
                                {QStringLiteral("type"), QStringLiteral("sqlite")}}}},
    };
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& body) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(body);
}

} // namespace

class TestConfigWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void addsToMissingFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.json"));
        auto result = ConfigWriter::putSource(path, source(QStringLiteral("crmls")));
        QVERIFY2(result, qPrintable(result ? QString() : result.errorMessage()));
        QVERIFY(result->backupPath.isEmpty());
        QVERIFY(!QFile::exists(path + QStringLiteral(".bak")));
        QCOMPARE(result->config.sources.size(), 1);
        const ConfigLoadResult loaded = ConfigLoader::loadFile(path);
        QVERIFY2(loaded.config, qPrintable(loaded.errors.join(QLatin1Char('\n'))));
        QCOMPARE(loaded.config->sources.at(0).auth.clientSecret.kind, SecretRef::Kind::Env);
    }

    // A new machine: the configuration's folder does not exist yet either (made private).
    void addsInAFolderNotYetMade() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("home/.config/openresync/config.json"));
        auto result = ConfigWriter::putSource(path, source(QStringLiteral("crmls")));
        QVERIFY2(result, qPrintable(result ? QString() : result.errorMessage()));
        QVERIFY(ConfigLoader::loadFile(path).config);
        QCOMPARE(QFileInfo(QFileInfo(path).path()).permissions() &
                     (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());
    }

    // The other sources and the keys the writer does not know stay as they were; the old file
    // becomes .bak byte for byte.
    void replacesKeepingTheRest() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.json"));
        QJsonObject other = source(QStringLiteral("armls"));
        other.insert(QStringLiteral("pageSize"), 250);
        const QJsonObject root{
            {QStringLiteral("version"), 1},
            {QStringLiteral("timeZone"), QStringLiteral("America/Denver")},
            {QStringLiteral("sources"), QJsonArray{source(QStringLiteral("crmls")), other}}};
        const QByteArray before = QJsonDocument(root).toJson();
        writeAll(path, before);

        QJsonObject renamed =
            source(QStringLiteral("crmls2"), QStringLiteral("keychain:crmls2.clientSecret"));
        auto result = ConfigWriter::putSource(path, renamed, QStringLiteral("crmls"));
        QVERIFY2(result, qPrintable(result ? QString() : result.errorMessage()));
        QCOMPARE(result->backupPath, path + QStringLiteral(".bak"));
        QCOMPARE(readAll(result->backupPath), before);

        const QJsonObject after = QJsonDocument::fromJson(readAll(path)).object();
        QCOMPARE(after.value(QStringLiteral("timeZone")).toString(), QStringLiteral("America/Denver"));
        const QJsonArray sources = after.value(QStringLiteral("sources")).toArray();
        QCOMPARE(sources.size(), 2);
        QCOMPARE(sources.at(0).toObject(), renamed); // in the replaced one's place
        QCOMPARE(sources.at(1).toObject(), other);
    }

    void refusesLiteralSecret() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.json"));
        writeAll(path, QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                                 {QStringLiteral("sources"),
                                                  QJsonArray{source(QStringLiteral("armls"))}}})
                           .toJson());
        const QByteArray before = readAll(path);
        auto result =
            ConfigWriter::putSource(path, source(QStringLiteral("crmls"), QStringLiteral("hunter2-secret")));
        QVERIFY(!result);
        QVERIFY2(result.errorMessage().contains(QStringLiteral("sources[1].auth.clientSecret")),
                 qPrintable(result.errorMessage()));
        QVERIFY(!result.errorMessage().contains(QStringLiteral("hunter2-secret")));
        QCOMPARE(readAll(path), before);
        QVERIFY(!QFile::exists(path + QStringLiteral(".bak")));
    }

    // Core's validator decides first; its message names the key path, and nothing is written.
    void refusesInvalid() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.json"));
        QJsonObject bad = source(QStringLiteral("crmls"));
        bad.insert(QStringLiteral("serviceUrl"), QStringLiteral("not a url"));
        auto result = ConfigWriter::putSource(path, bad);
        QVERIFY(!result);
        QVERIFY2(result.errorMessage().contains(QStringLiteral("sources[0].serviceUrl")),
                 qPrintable(result.errorMessage()));
        QVERIFY(!QFile::exists(path));
    }

    void refusesDuplicateName() {
        const QJsonObject root{{QStringLiteral("version"), 1},
                               {QStringLiteral("sources"),
                                QJsonArray{source(QStringLiteral("a")), source(QStringLiteral("b"))}}};
        auto result = ConfigWriter::withSource(root, source(QStringLiteral("b")), QStringLiteral("a"));
        QVERIFY(!result);
        QVERIFY2(result.errorMessage().startsWith(QStringLiteral("sources[1].name")),
                 qPrintable(result.errorMessage()));
        auto missing = ConfigWriter::withSource(root, source(QStringLiteral("c")), QStringLiteral("zz"));
        QVERIFY(!missing);
        QVERIFY(missing.errorMessage().contains(QStringLiteral("\"zz\"")));
    }

    void refusesBrokenFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.json"));
        writeAll(path, "{ \"version\": 1, ");
        auto result = ConfigWriter::putSource(path, source(QStringLiteral("crmls")));
        QVERIFY(!result);
        QVERIFY2(result.errorMessage().startsWith(path), qPrintable(result.errorMessage()));
        QCOMPARE(readAll(path), QByteArray("{ \"version\": 1, "));
    }

    // With a working keychain the secret comes back through a keychain: reference; without one
    // (a headless machine) the error names the entry, so the wizard can say why and offer env:.
    void keychainStoreOrReason() {
        const QString key = QStringLiteral("ors-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        auto stored = SecretResolver::storeInKeychain(key, QStringLiteral("s3cret-value"));
        if (stored) {
            auto back = SecretResolver::resolve(SecretRef::parse(QStringLiteral("keychain:") + key),
                                                QStringLiteral("t"));
            QVERIFY2(back, qPrintable(back ? QString() : back.errorMessage()));
            QCOMPARE(*back, QStringLiteral("s3cret-value"));
        } else {
            QVERIFY2(stored.errorMessage().contains(key), qPrintable(stored.errorMessage()));
            QVERIFY(!stored.errorMessage().contains(QStringLiteral("s3cret-value")));
        }
    }
};

QTEST_GUILESS_MAIN(TestConfigWriter)
#include "tst_configwriter.moc"
