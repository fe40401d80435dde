// The support commands through the real openresync-cli: a diagnostics bundle that holds what
// support needs and no secret, and a configuration moved between machines by export-config and
// import-config, secrets left out and asked back as references.
#include "CliFixture.h"

#include "support/ZipWriter.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

const QString kClientSecret = QStringLiteral("diag-client-secret-93f1");
const QString kWebhookToken = QStringLiteral("diag-webhook-token-5521");
const QString kSecretPath = QStringLiteral("sources[0].auth.clientSecret");

QMap<QString, QByteArray> zipEntries(const QString& path) {
    QMap<QString, QByteArray> out;
    auto entries = readZip(path, qint64(256) * 1024 * 1024);
    if (!entries) {
        qWarning() << entries.errorMessage();
        return out;
    }
    for (const auto& [name, body] : *entries)
        out.insert(name, body);
    return out;
}

// The fixture's source with OAuth2 whose client secret is written out as text (allowed, with a
// warning) and a webhook channel whose URL carries a token: the two kinds of secret a bundle or
// an export must leave out.
QJsonObject configWithLiteralSecrets(const CliFixture& f, const fake::ServerOptions& options) {
    QJsonObject source =
        sourceConfig(QStringLiteral("mls"), f.server->serviceUrl(), {f.path(QStringLiteral("d.sqlite"))});
    source.insert(QStringLiteral("auth"), QJsonObject{{QStringLiteral("type"), QStringLiteral("oauth2")},
                                                      {QStringLiteral("tokenUrl"), f.server->tokenUrl()},
                                                      {QStringLiteral("clientId"), options.clientId},
                                                      {QStringLiteral("clientSecret"), kClientSecret}});
    source.insert(QStringLiteral("schedules"),
                  QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("*/15 * * * *")}}});
    QJsonObject root = configWith(source);
    root.insert(QStringLiteral("alerts"),
                QJsonObject{{QStringLiteral("failuresInARow"), 2},
                            {QStringLiteral("channels"),
                             QJsonArray{QJsonObject{
                                 {QStringLiteral("type"), QStringLiteral("webhook")},
                                 {QStringLiteral("url"),
                                  QString(QStringLiteral("http://127.0.0.1:9/hooks/") + kWebhookToken)}}}}});
    return root;
}

} // namespace

class TestSupport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void diagnosticsBundleHoldsNoSecret() {
        fake::ServerOptions options;
        options.listingCount = 30;
        options.auth = fake::AuthMode::OAuth2;
        options.clientSecret = kClientSecret;
        CliFixture f;
        QVERIFY(f.startServer(options));
        f.config = writeConfig(f.dir.path(), configWithLiteralSecrets(f, options));
        const CliResult synced = f.run(QStringLiteral("sync"));
        QVERIFY2(synced.exitCode == 0, synced.err.constData());
        // A failed run, so the bundle has an error to show.
        fake::Fault fault;
        fault.kind = fake::Fault::Kind::Status500;
        fault.pathContains = QStringLiteral("Property");
        fault.count = 100;
        f.server->injectFault(fault);
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("OPENRESYNC_RETRY_ATTEMPTS"), QStringLiteral("1"));
        const CliResult failed = f.run(QStringLiteral("sync"), env);
        QCOMPARE(failed.exitCode, 1);

        const QString zip = f.path(QStringLiteral("bundle.zip"));
        const CliResult r = f.cli({QStringLiteral("diagnostics"), QStringLiteral("--output"), zip});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QString::fromUtf8(r.out.trimmed()), QFileInfo(zip).absoluteFilePath());
        QCOMPARE(QFileInfo(zip).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        const QMap<QString, QByteArray> entries = zipEntries(zip);
        for (const QString& name :
             {QStringLiteral("README.txt"), QStringLiteral("about.json"), QStringLiteral("config.json"),
              QStringLiteral("sources.json"), QStringLiteral("logs/mls.ndjson"),
              QStringLiteral("state.sqlite"), QStringLiteral("stats.sqlite")})
            QVERIFY2(entries.contains(name), qPrintable(name + QStringLiteral(" missing: ") +
                                                        QStringList(entries.keys()).join(QLatin1Char(' '))));

        const QJsonObject about =
            QJsonDocument::fromJson(entries.value(QStringLiteral("about.json"))).object();
        QCOMPARE(about.value(QStringLiteral("version")).toString(), QStringLiteral(OPENRESYNC_VERSION));
        QCOMPARE(about.value(QStringLiteral("qtRuntime")).toString(), QString::fromLatin1(qVersion()));
        const QJsonObject config =
            QJsonDocument::fromJson(entries.value(QStringLiteral("config.json"))).object();
        const QJsonObject auth = config.value(QStringLiteral("sources"))
                                     .toArray()
                                     .at(0)
                                     .toObject()
                                     .value(QStringLiteral("auth"))
                                     .toObject();
        QCOMPARE(auth.value(QStringLiteral("clientSecret")).toString(), QStringLiteral("<secret removed>"));
        QCOMPARE(auth.value(QStringLiteral("tokenUrl")).toString(), f.server->tokenUrl());
        QVERIFY(entries.value(QStringLiteral("logs/mls.ndjson")).contains("\"level\""));
        QVERIFY(entries.value(QStringLiteral("state.sqlite")).startsWith("SQLite format 3"));
        QVERIFY(entries.value(QStringLiteral("stats.sqlite")).startsWith("SQLite format 3"));
        const QJsonObject mls = QJsonDocument::fromJson(entries.value(QStringLiteral("sources.json")))
                                    .object()
                                    .value(QStringLiteral("mls"))
                                    .toObject();
        const QJsonArray errors = mls.value(QStringLiteral("lastErrors")).toArray();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(
            errors.at(0).toObject().value(QStringLiteral("error")).toString().contains(QLatin1String("500")),
            qPrintable(QString::fromUtf8(QJsonDocument(errors).toJson())));
        QCOMPARE(mls.value(QStringLiteral("lastRuns"))
                     .toObject()
                     .value(QStringLiteral("sync"))
                     .toObject()
                     .value(QStringLiteral("result")),
                 QJsonValue(QStringLiteral("error")));

        // No secret in any entry (the databases included), nor on the command's outputs.
        QByteArray all = r.out + r.err;
        for (const QByteArray& body : entries)
            all += body;
        QVERIFY(!all.contains(kClientSecret.toUtf8()));
        QVERIFY(!all.contains(kWebhookToken.toUtf8()));
        QVERIFY(QFile::exists(zip));
    }

    void diagnosticsOfABrokenConfiguration() {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config.json"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"version\": 1, \"sources\": [\n");
        file.close();
        const QString zip = dir.filePath(QStringLiteral("b.zip"));
        const CliResult r = runCli(cliArgs(config, dir.filePath(QStringLiteral("data")),
                                           {QStringLiteral("diagnostics"), QStringLiteral("--output"), zip}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QMap<QString, QByteArray> entries = zipEntries(zip);
        QVERIFY2(entries.value(QStringLiteral("config-errors.txt")).contains("JSON syntax error"),
                 entries.value(QStringLiteral("config-errors.txt")).constData());
        QVERIFY(entries.value(QStringLiteral("omitted.txt")).contains("state.sqlite: no such file"));

        const CliResult days =
            runCli(cliArgs(config, dir.filePath(QStringLiteral("data")),
                           {QStringLiteral("diagnostics"), QStringLiteral("--days"), QStringLiteral("0")}));
        QCOMPARE(days.exitCode, 2);
        QVERIFY2(days.err.contains("--days"), days.err.constData());
        const CliResult nowhere = runCli(cliArgs(config, dir.filePath(QStringLiteral("data")),
                                                 {QStringLiteral("diagnostics"), QStringLiteral("--output"),
                                                  dir.filePath(QStringLiteral("no/such/folder/b.zip"))}));
        QCOMPARE(nowhere.exitCode, 1);
        QVERIFY2(nowhere.err.contains("the folder does not exist"), nowhere.err.constData());
    }

    void exportAndImportMoveASetup() {
        fake::ServerOptions options;
        options.auth = fake::AuthMode::OAuth2;
        CliFixture f;
        QVERIFY(f.startServer(options));
        QJsonObject root = configWithLiteralSecrets(f, options);
        f.config = writeConfig(f.dir.path(), root);
        const QString zip = f.path(QStringLiteral("setup.zip"));
        const CliResult exported = f.cli({QStringLiteral("export-config"), zip});
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QVERIFY2(exported.err.contains(kSecretPath.toUtf8()), exported.err.constData());
        const QMap<QString, QByteArray> entries = zipEntries(zip);
        QCOMPARE(QStringList(entries.keys()),
                 (QStringList{QStringLiteral("config.json"), QStringLiteral("manifest.json")}));
        const QJsonArray needed = QJsonDocument::fromJson(entries.value(QStringLiteral("manifest.json")))
                                      .object()
                                      .value(QStringLiteral("secretsNeeded"))
                                      .toArray();
        // In key order, as the JSON object holds them.
        QCOMPARE(needed, (QJsonArray{QStringLiteral("alerts.channels[0].url"), kSecretPath}));
        QVERIFY(!entries.value(QStringLiteral("config.json")).contains(kClientSecret.toUtf8()));
        QVERIFY(!entries.value(QStringLiteral("config.json")).contains(kWebhookToken.toUtf8()));

        // The other machine: no configuration yet, in a folder that does not exist.
        QTemporaryDir other;
        const QString target = other.filePath(QStringLiteral("conf/openresync/config.json"));
        const QStringList base{QStringLiteral("--config"), target, QStringLiteral("--data-dir"),
                               other.filePath(QStringLiteral("data"))};
        const CliResult unanswered = runCli(base + QStringList{QStringLiteral("import-config"), zip});
        QCOMPARE(unanswered.exitCode, 2);
        QVERIFY2(unanswered.err.contains(
                     QString(kSecretPath + QStringLiteral(": needs a secret reference")).toUtf8()),
                 unanswered.err.constData());
        QVERIFY(!QFile::exists(target));
        const CliResult plainText = runCli(
            base + QStringList{QStringLiteral("import-config"), zip, QStringLiteral("--secret"),
                               QString(kSecretPath + QStringLiteral("=hunter2")), QStringLiteral("--secret"),
                               QStringLiteral("alerts.channels[0].url=env:HOOK")});
        QCOMPARE(plainText.exitCode, 2);
        QVERIFY2(plainText.err.contains("not the secret itself"), plainText.err.constData());
        QVERIFY(!QFile::exists(target));

        const QStringList answered =
            base +
            QStringList{
                QStringLiteral("import-config"), zip,
                QStringLiteral("--secret"),      QString(kSecretPath + QStringLiteral("=env:MLS_SECRET")),
                QStringLiteral("--secret"),      QStringLiteral("alerts.channels[0].url=keychain:hook")};
        const CliResult imported = runCli(answered);
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QFile written(target);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QJsonObject result = QJsonDocument::fromJson(written.readAll()).object();
        // Everything as it was, the secrets now references.
        QJsonObject expected = root;
        QJsonArray sources = expected.value(QStringLiteral("sources")).toArray();
        QJsonObject source = sources.at(0).toObject();
        QJsonObject auth = source.value(QStringLiteral("auth")).toObject();
        auth.insert(QStringLiteral("clientSecret"), QStringLiteral("env:MLS_SECRET"));
        source.insert(QStringLiteral("auth"), auth);
        sources.replace(0, source);
        expected.insert(QStringLiteral("sources"), sources);
        QJsonObject alerts = expected.value(QStringLiteral("alerts")).toObject();
        alerts.insert(QStringLiteral("channels"),
                      QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("webhook")},
                                             {QStringLiteral("url"), QStringLiteral("keychain:hook")}}});
        expected.insert(QStringLiteral("alerts"), alerts);
        QCOMPARE(result, expected);
        const CliResult valid = runCli(base + QStringList{QStringLiteral("validate")});
        QVERIFY2(valid.exitCode == 0, valid.err.constData());

        // A second import needs --force and keeps the first as .bak.
        const CliResult again = runCli(answered);
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains("--force"), again.err.constData());
        const CliResult forced = runCli(answered + QStringList{QStringLiteral("--force")});
        QVERIFY2(forced.exitCode == 0, forced.err.constData());
        QVERIFY(QFile::exists(target + QStringLiteral(".bak")));
    }

    void importRefusesWhatIsNotAnExport_data() {
        QTest::addColumn<QByteArray>("manifest");
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<int>("exitCode");
        const QByteArray manifest("{\"format\": \"openresync-config-export\", \"formatVersion\": 1}");
        QTest::addRow("not a zip") << QByteArray() << QByteArray() << QByteArray("not a zip file") << 2;
        QTest::addRow("no manifest") << QByteArray("-") << QByteArray("{}")
                                     << QByteArray("needs manifest.json") << 2;
        QTest::addRow("other format") << QByteArray("{\"format\": \"x\"}") << QByteArray("{}")
                                      << QByteArray("not an OpenReSync configuration export") << 2;
        QTest::addRow("newer format")
            << QByteArray("{\"format\": \"openresync-config-export\", \"formatVersion\": 9}")
            << QByteArray("{}") << QByteArray("formatVersion 9") << 2;
        QTest::addRow("config not JSON")
            << manifest << QByteArray("{\"sources\": [") << QByteArray("config.json: not a JSON object") << 2;
        QTest::addRow("config that does not load")
            << manifest << QByteArray("{\"version\": 1, \"sources\": 7}") << QByteArray("would not load")
            << 1;
    }

    void importRefusesWhatIsNotAnExport() {
        QFETCH(QByteArray, manifest);
        QFETCH(QByteArray, config);
        QFETCH(QByteArray, message);
        QFETCH(int, exitCode);
        QTemporaryDir dir;
        const QString zip = dir.filePath(QStringLiteral("in.zip"));
        if (manifest.isEmpty()) {
            QFile text(zip);
            QVERIFY(text.open(QIODevice::WriteOnly));
            text.write("just text\n");
        } else {
            ZipWriter writer(zip);
            QVERIFY(writer.open());
            if (manifest != "-")
                QVERIFY(writer.add(QStringLiteral("manifest.json"), manifest));
            QVERIFY(writer.add(QStringLiteral("config.json"), config));
            QVERIFY(writer.commit());
        }
        const QString target = dir.filePath(QStringLiteral("config.json"));
        const CliResult r =
            runCli({QStringLiteral("--config"), target, QStringLiteral("--data-dir"),
                    dir.filePath(QStringLiteral("data")), QStringLiteral("import-config"), zip});
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), r.err.constData());
        QVERIFY(!QFile::exists(target));
    }
};

QTEST_GUILESS_MAIN(TestSupport)
#include "tst_support.moc"
