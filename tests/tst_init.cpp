// `openresync-cli init --platform P [--output FILE] [--force]` through the real executable: the
// starter file of each platform is docs/examples/P.json byte for byte and loads without an error
// or a warning; the default location is the one the other commands read; an existing file is
// kept without --force; bad input exits 2 (1 when the file cannot be written) and writes nothing.
#include "TestSupport.h"

#include "config/ConfigLoader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

const QStringList kPlatforms{QStringLiteral("trestle"), QStringLiteral("mlsgrid"), QStringLiteral("bridge"),
                             QStringLiteral("spark"), QStringLiteral("generic")};

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// No configuration location from the test's own environment: XDG_CONFIG_HOME decides.
QProcessEnvironment environment(const QString& configHome) {
    QProcessEnvironment env = cliEnvironment();
    env.remove(QStringLiteral("OPENRESYNC_CONFIG"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    return env;
}

} // namespace

class TestInit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void examplesAreInitOutput_data();
    void examplesAreInitOutput();
    void defaultLocationIsWhereCommandsLook();
    void existingFileNeedsForce();
    void badInput();
};

void TestInit::examplesAreInitOutput_data() {
    QTest::addColumn<QString>("platform");
    for (const QString& platform : kPlatforms)
        QTest::newRow(qPrintable(platform)) << platform;
}

void TestInit::examplesAreInitOutput() {
    QFETCH(QString, platform);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString output = dir.filePath(QStringLiteral("sub/") + platform + QStringLiteral(".json"));
    const CliResult result = runCli(
        {QStringLiteral("init"), QStringLiteral("--platform"), platform, QStringLiteral("--output"), output},
        environment(dir.filePath(QStringLiteral("xdg"))));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.contains(QDir::toNativeSeparators(output).toUtf8()), result.out.constData());
    QVERIFY2(result.out.contains("validate"), result.out.constData());

    const QString example = sourcePath(QStringLiteral("docs/examples/") + platform + QStringLiteral(".json"));
    const QByteArray written = readAll(output);
    QVERIFY(!written.isEmpty());
    QVERIFY2(written == readAll(example),
             qPrintable(example + QStringLiteral(" differs from `init --platform ") + platform +
                        QStringLiteral("`; regenerate it with that command")));

    const ConfigLoadResult loaded = ConfigLoader::loadFile(example);
    QVERIFY2(loaded.config, qPrintable(loaded.errors.join(QLatin1Char('\n'))));
    QCOMPARE(loaded.warnings, QStringList());
    QCOMPARE(loaded.config->sources.size(), 1);
    const SourceConfig& source = loaded.config->sources.first();
    QCOMPARE(platformName(source.platform), platform);
    QCOMPARE(source.resources.size(), 3);
    QCOMPARE(source.resources.first().expand.first().name, QStringLiteral("Media"));
    QCOMPARE(source.destinations.first().type, DestinationType::Sqlite);
    QVERIFY(!source.schedules.sync.isEmpty());
    // Secrets only as references, and the message names the variable to set.
    const SecretRef secret =
        source.auth.type == AuthType::OAuth2 ? source.auth.clientSecret : source.auth.token;
    QCOMPARE(secret.kind, SecretRef::Kind::Env);
    QVERIFY2(result.out.contains(secret.value.toUtf8()), result.out.constData());
}

void TestInit::defaultLocationIsWhereCommandsLook() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString configHome = dir.filePath(QStringLiteral("xdg"));
    const QProcessEnvironment env = environment(configHome);
    const CliResult init =
        runCli({QStringLiteral("init"), QStringLiteral("--platform"), QStringLiteral("spark")}, env);
    QVERIFY2(init.exitCode == 0, init.err.constData());
    const QString expected = configHome + QStringLiteral("/openresync/config.json");
    QCOMPARE(readAll(expected), readAll(sourcePath(QStringLiteral("docs/examples/spark.json"))));

    // The other commands find it without being told where.
    const CliResult validate = runCli({QStringLiteral("validate")}, env);
    QVERIFY2(validate.exitCode == 0, validate.err.constData());
    QVERIFY2(validate.err.contains("1 source(s)"), validate.err.constData());

    // --config names the file as for every command.
    const QString named = dir.filePath(QStringLiteral("named.json"));
    const CliResult withConfig = runCli({QStringLiteral("--config"), named, QStringLiteral("init"),
                                         QStringLiteral("--platform"), QStringLiteral("generic")},
                                        env);
    QVERIFY2(withConfig.exitCode == 0, withConfig.err.constData());
    QCOMPARE(readAll(named), readAll(sourcePath(QStringLiteral("docs/examples/generic.json"))));
}

void TestInit::existingFileNeedsForce() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QProcessEnvironment env = environment(dir.filePath(QStringLiteral("xdg")));
    const QString output = dir.filePath(QStringLiteral("config.json"));
    QFile file(output);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"mine\": true}\n");
    file.close();

    const QStringList args{QStringLiteral("init"), QStringLiteral("--platform"), QStringLiteral("bridge"),
                           QStringLiteral("--output"), output};
    const CliResult refused = runCli(args, env);
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("--force"), refused.err.constData());
    QCOMPARE(readAll(output), QByteArray("{\"mine\": true}\n"));

    const CliResult forced = runCli(args + QStringList{QStringLiteral("--force")}, env);
    QVERIFY2(forced.exitCode == 0, forced.err.constData());
    QCOMPARE(readAll(output), readAll(sourcePath(QStringLiteral("docs/examples/bridge.json"))));
}

void TestInit::badInput() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QProcessEnvironment env = environment(dir.filePath(QStringLiteral("xdg")));
    const QString output = dir.filePath(QStringLiteral("config.json"));

    const CliResult unknown = runCli({QStringLiteral("init"), QStringLiteral("--platform"),
                                      QStringLiteral("rets"), QStringLiteral("--output"), output},
                                     env);
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("unknown platform \"rets\""), unknown.err.constData());

    const CliResult missing = runCli({QStringLiteral("init"), QStringLiteral("--output"), output}, env);
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains("--platform is required"), missing.err.constData());

    const CliResult extra =
        runCli({QStringLiteral("init"), QStringLiteral("mlsgrid"), QStringLiteral("--platform"),
                QStringLiteral("mlsgrid"), QStringLiteral("--output"), output},
               env);
    QCOMPARE(extra.exitCode, 2);
    QVERIFY(!QFile::exists(output));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("xdg"))));

    // A folder that cannot be made (a file is in the way; as root a read-only folder would not do).
    const QString blocker = dir.filePath(QStringLiteral("blocker"));
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const QString unwritable = blocker + QStringLiteral("/config.json");
    const CliResult cannot = runCli({QStringLiteral("init"), QStringLiteral("--platform"),
                                     QStringLiteral("trestle"), QStringLiteral("--output"), unwritable},
                                    env);
    QCOMPARE(cannot.exitCode, 1);
    QVERIFY2(cannot.err.contains("cannot write"), cannot.err.constData());
    QVERIFY(QFileInfo(blocker).isFile());
    QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries),
             QStringList{QStringLiteral("blocker")});
}

QTEST_GUILESS_MAIN(TestInit)
#include "tst_init.moc"
