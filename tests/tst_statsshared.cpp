// One stats database shared by several instances (the configuration's "stats" on the test MariaDB
// and the test PostgreSQL), through the real openresync-cli against the fake RESO server: two
// "machines" (data directories of their own, each owning one source) syncing at the same time into
// one fresh stats database, then a third that configures both reading the shared `history`;
// programs starting at once against an empty stats database; and a sync whose stats server cannot
// be reached, which runs all the same and says so without the password.
#include "StatsBackends.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSysInfo>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace ors;
using namespace ors::test;

Q_DECLARE_METATYPE(ors::test::StatsBackendKind)

namespace {

const QString kPasswordVariable = QStringLiteral("ORS_TEST_STATS_PASSWORD");

// A folder with the configuration of one "machine": its sources and the shared "stats".
struct Machine {
    QString config;
    QString dataDir;

    Machine(const QString& root, const QString& name, const QJsonArray& sources, const QJsonObject& stats) {
        const QString dir = QDir(root).filePath(name);
        QDir().mkpath(dir);
        QJsonObject document{{QStringLiteral("version"), 1}, {QStringLiteral("sources"), sources}};
        if (!stats.isEmpty())
            document.insert(QStringLiteral("stats"), stats);
        config = writeConfig(dir, document);
        dataDir = QDir(dir).filePath(QStringLiteral("data"));
    }
    QStringList args(const QStringList& command) const { return cliArgs(config, dataDir, command); }
};

QJsonObject runOf(const QJsonArray& runs, const QString& source) {
    for (const QJsonValue run : runs)
        if (run[QStringLiteral("source")].toString() == source)
            return run.toObject();
    return {};
}

qint64 downloaded(const QJsonObject& run, const QString& resource) {
    for (const QJsonValue r : run[QStringLiteral("resources")].toArray())
        if (r[QStringLiteral("resource")].toString() == resource)
            return r[QStringLiteral("downloaded")].toInteger();
    return -1;
}

qint64 applied(const QJsonObject& run, const QString& resource) {
    for (const QJsonValue d : run[QStringLiteral("destinations")].toArray())
        if (d[QStringLiteral("resource")].toString() == resource)
            return d[QStringLiteral("applied")].toInteger();
    return -1;
}

} // namespace

class TestStatsShared : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Every case runs against MariaDB and PostgreSQL, each in a fresh stats database.
    void initTestCase_data();
    void init();
    void cleanup();
    void twoMachinesSyncIntoOneHistory();
    void firstStartsAtOnceOnAnEmptyDatabase();
    void unreachableStatsServerDoesNotStopASync();
    void schedulerStatusIsPerDataDirectory();

private:
    std::unique_ptr<StatsBackend> m_backend;
};

void TestStatsShared::initTestCase_data() {
    QTest::addColumn<StatsBackendKind>("kind");
    QTest::newRow("mysql") << StatsBackendKind::Mysql;
    QTest::newRow("postgresql") << StatsBackendKind::Postgresql;
}

void TestStatsShared::init() {
    QFETCH_GLOBAL(StatsBackendKind, kind);
    m_backend = std::make_unique<StatsBackend>(kind);
    if (const QString reason = m_backend->skipReason(); !reason.isEmpty())
        QSKIP(qPrintable(reason));
    const QString error = m_backend->reset();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestStatsShared::cleanup() {
    m_backend.reset();
}

void TestStatsShared::twoMachinesSyncIntoOneHistory() {
    StatsBackend& backend = *m_backend; // a fresh database: both syncs also create the schema at once

    // Slow pages, so the two runs overlap.
    fake::ServerOptions eastOptions;
    eastOptions.listingCount = 40;
    eastOptions.memberCount = 20;
    eastOptions.pageLatencyMs = 80;
    fake::ServerOptions westOptions = eastOptions;
    westOptions.seed = 7;
    westOptions.listingCount = 65;
    westOptions.memberCount = 35;
    fake::FakeResoServer east(eastOptions);
    fake::FakeResoServer west(westOptions);
    QVERIFY(east.start() && west.start());
    QTemporaryDir dir;
    const QJsonObject stats = backend.configKey(kPasswordVariable);
    const QJsonObject eastSource = sourceConfig(QStringLiteral("east"), east.serviceUrl(),
                                                {dir.filePath(QStringLiteral("east.sqlite"))}, 10);
    const QJsonObject westSource = sourceConfig(QStringLiteral("west"), west.serviceUrl(),
                                                {dir.filePath(QStringLiteral("west.sqlite"))}, 10);
    const Machine one(dir.path(), QStringLiteral("one"), {eastSource}, stats);
    const Machine two(dir.path(), QStringLiteral("two"), {westSource}, stats);
    const Machine viewer(dir.path(), QStringLiteral("viewer"), {eastSource, westSource}, stats);
    const QProcessEnvironment env = backend.withPassword(cliEnvironment(), kPasswordVariable);

    auto first = startCli(one.args({QStringLiteral("sync"), QStringLiteral("east")}), env);
    auto second = startCli(two.args({QStringLiteral("sync"), QStringLiteral("west")}), env);
    QVERIFY(first->waitForFinished(300000) && second->waitForFinished(300000));
    const QByteArray firstErr = first->readAllStandardError();
    const QByteArray secondErr = second->readAllStandardError();
    QVERIFY2(first->exitCode() == 0, firstErr.constData());
    QVERIFY2(second->exitCode() == 0, secondErr.constData());
    // Nothing was lost on the way: no run says its history is incomplete.
    QVERIFY2(!firstErr.contains("stats store"), firstErr.constData());
    QVERIFY2(!secondErr.contains("stats store"), secondErr.constData());
    // The stats live on the server: neither data directory has a stats.sqlite.
    QVERIFY(!QFile::exists(QDir(one.dataDir).filePath(QStringLiteral("stats.sqlite"))));
    QVERIFY(!QFile::exists(QDir(two.dataDir).filePath(QStringLiteral("stats.sqlite"))));

    // A third machine that configures both sources sees both runs, each complete.
    const CliResult history = runCli(viewer.args({QStringLiteral("history"), QStringLiteral("--json")}), env);
    QVERIFY2(history.exitCode == 0, history.err.constData());
    const QJsonArray runs = QJsonDocument::fromJson(history.out).array();
    QCOMPARE(runs.size(), 2);
    const QJsonObject eastRun = runOf(runs, QStringLiteral("east"));
    const QJsonObject westRun = runOf(runs, QStringLiteral("west"));
    for (const QJsonObject& run : {eastRun, westRun}) {
        QCOMPARE(run[QStringLiteral("process")].toString(), QStringLiteral("sync"));
        QCOMPARE(run[QStringLiteral("result")].toString(), QStringLiteral("success"));
        QVERIFY(run[QStringLiteral("error")].isNull());
        QCOMPARE(run[QStringLiteral("host")].toString(), QSysInfo::machineHostName());
        QVERIFY(run[QStringLiteral("failures")].toArray().isEmpty());
    }
    QCOMPARE(downloaded(eastRun, QStringLiteral("Property")), 40);
    QCOMPARE(downloaded(eastRun, QStringLiteral("Member")), 20);
    QCOMPARE(applied(eastRun, QStringLiteral("Property")), 40);
    QCOMPARE(downloaded(westRun, QStringLiteral("Property")), 65);
    QCOMPARE(downloaded(westRun, QStringLiteral("Member")), 35);
    QCOMPARE(applied(westRun, QStringLiteral("Property")), 65);
    // They ran at the same time: each began before the other ended.
    const auto at = [](const QJsonObject& run, const char* key) {
        return QDateTime::fromString(run[QLatin1String(key)].toString(), Qt::ISODateWithMs);
    };
    QVERIFY2(at(eastRun, "started") < at(westRun, "finished") &&
                 at(westRun, "started") < at(eastRun, "finished"),
             history.out.constData());

    // One source's history alone, as its own machine reads it.
    const CliResult own =
        runCli(one.args({QStringLiteral("history"), QStringLiteral("east"), QStringLiteral("--json")}), env);
    QVERIFY2(own.exitCode == 0, own.err.constData());
    QCOMPARE(QJsonDocument::fromJson(own.out).array().size(), 1);
    // The schema was made once, by whichever started first.
    const QString versionRows = backend.scalar(QStringLiteral("SELECT COUNT(*) FROM ors_stats_version"));
    QCOMPARE(versionRows, QStringLiteral("1"));
    QCOMPARE(backend.scalar(QStringLiteral("SELECT version FROM ors_stats_version")), QStringLiteral("6"));
}

void TestStatsShared::firstStartsAtOnceOnAnEmptyDatabase() {
    StatsBackend& backend = *m_backend;
    fake::FakeResoServer server(fake::ServerOptions{});
    QVERIFY(server.start());
    QTemporaryDir dir;
    const QJsonObject source =
        sourceConfig(QStringLiteral("mls"), server.serviceUrl(), {dir.filePath(QStringLiteral("d.sqlite"))});
    const QProcessEnvironment env = backend.withPassword(cliEnvironment(), kPasswordVariable);
    // Six programs of six machines ask for the history of an empty stats database at once: each
    // creates the schema unless another already does.
    constexpr int kPrograms = 6;
    std::vector<std::unique_ptr<Machine>> machines;
    std::vector<std::unique_ptr<QProcess>> programs;
    for (int i = 0; i < kPrograms; ++i)
        machines.push_back(std::make_unique<Machine>(dir.path(), QStringLiteral("m%1").arg(i),
                                                     QJsonArray{source},
                                                     backend.configKey(kPasswordVariable)));
    for (int i = 0; i < kPrograms; ++i)
        programs.push_back(
            startCli(machines[size_t(i)]->args({QStringLiteral("history"), QStringLiteral("--json")}), env));
    for (int i = 0; i < kPrograms; ++i) {
        QProcess& p = *programs[size_t(i)];
        QVERIFY(p.waitForFinished(120000));
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitCode() == 0, err.constData());
        QCOMPARE(QJsonDocument::fromJson(p.readAllStandardOutput()).array().size(), 0);
    }
    QCOMPARE(backend.scalar(QStringLiteral("SELECT COUNT(*) FROM ors_stats_version")), QStringLiteral("1"));
    QCOMPARE(backend.scalar(QStringLiteral("SELECT version FROM ors_stats_version")), QStringLiteral("6"));
    QCOMPARE(backend.scalar(QStringLiteral("SELECT COUNT(*) FROM run")), QStringLiteral("0"));
}

void TestStatsShared::unreachableStatsServerDoesNotStopASync() {
    StatsBackend& backend = *m_backend;
    int port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    fake::ServerOptions options;
    options.listingCount = 30;
    options.memberCount = 20;
    fake::FakeResoServer server(options);
    QVERIFY(server.start());
    QTemporaryDir dir;
    QJsonObject stats = backend.configKey(kPasswordVariable);
    stats.insert(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
    stats.insert(QStringLiteral("port"), port);
    const QString sqlite = dir.filePath(QStringLiteral("d.sqlite"));
    const Machine machine(dir.path(), QStringLiteral("m"),
                          {sourceConfig(QStringLiteral("mls"), server.serviceUrl(), {sqlite}, 25)}, stats);
    const QString secret = QStringLiteral("Unreachable-Stats-Pw-77");
    QProcessEnvironment env = cliEnvironment();
    env.insert(kPasswordVariable, secret);

    const CliResult sync = runCli(machine.args({QStringLiteral("sync"), QStringLiteral("mls")}), env);
    QVERIFY2(sync.exitCode == 0, sync.err.constData());
    QVERIFY2(sync.err.contains("warning: the stats store did not record this run"), sync.err.constData());
    QVERIFY2(sync.err.contains(QStringLiteral("cannot connect to 127.0.0.1:%1").arg(port).toUtf8()),
             sync.err.constData());
    QVERIFY2(sync.err.contains("sync mls: 50 records downloaded, 50 applied"), sync.err.constData());
    QCOMPARE(readTable(sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(), 30);
    // The source's log says it too; no local stats.sqlite stands in for the server.
    const QString log = QDir(machine.dataDir).filePath(QStringLiteral("logs/mls.ndjson"));
    QFile logFile(log);
    QVERIFY(logFile.open(QIODevice::ReadOnly));
    QVERIFY(logFile.readAll().contains("the stats store did not record this run"));
    QVERIFY(!QFile::exists(QDir(machine.dataDir).filePath(QStringLiteral("stats.sqlite"))));

    // Reading the history needs the server: exit 1 naming it.
    const CliResult history = runCli(machine.args({QStringLiteral("history")}), env);
    QCOMPARE(history.exitCode, 1);
    QVERIFY2(history.err.contains(QStringLiteral("cannot connect to 127.0.0.1:%1").arg(port).toUtf8()),
             history.err.constData());
    // The password is nowhere: not in any output, log or file.
    for (const QByteArray& text : {sync.out, sync.err, history.out, history.err, contentsUnder(dir.path())})
        QVERIFY(!text.contains(secret.toUtf8()));
}

// A `serve` on one machine keeps its heartbeat row in the shared database; `status` on that
// machine sees it running, on another machine (another data directory) no scheduler runs.
void TestStatsShared::schedulerStatusIsPerDataDirectory() {
    StatsBackend& backend = *m_backend;
    fake::FakeResoServer server(fake::ServerOptions{});
    QVERIFY(server.start());
    QTemporaryDir dir;
    const QJsonObject stats = backend.configKey(kPasswordVariable);
    const QJsonObject source =
        sourceConfig(QStringLiteral("mls"), server.serviceUrl(), {dir.filePath(QStringLiteral("d.sqlite"))});
    const Machine one(dir.path(), QStringLiteral("one"), {source}, stats);
    const Machine two(dir.path(), QStringLiteral("two"), {source}, stats);
    const QProcessEnvironment env = backend.withPassword(cliEnvironment(), kPasswordVariable);

    auto serve = startCli(one.args({QStringLiteral("serve")}), env);
    QByteArray err;
    QVERIFY(QTest::qWaitFor(
        [&] {
            err += serve->readAllStandardError();
            return err.contains("serving ");
        },
        60000));
    const auto scheduler = [&](const Machine& machine) {
        const CliResult status =
            runCli(machine.args({QStringLiteral("status"), QStringLiteral("--json")}), env);
        return QJsonDocument::fromJson(status.out).object()[QStringLiteral("scheduler")].toObject();
    };
    const QJsonObject here = scheduler(one);
    QCOMPARE(here[QStringLiteral("running")].toBool(), true);
    QCOMPARE(here[QStringLiteral("pid")].toInteger(), serve->processId());
    const QJsonObject elsewhere = scheduler(two);
    QCOMPARE(elsewhere[QStringLiteral("running")].toBool(true), false);
    QVERIFY(elsewhere[QStringLiteral("pid")].isNull());

    serve->terminate();
    QVERIFY(serve->waitForFinished(15000));
    QCOMPARE(serve->exitCode(), 0);
    const QJsonObject after = scheduler(one);
    QCOMPARE(after[QStringLiteral("running")].toBool(true), false);
    QVERIFY(after[QStringLiteral("stopped")].isString());
    QCOMPARE(backend.scalar(QStringLiteral("SELECT COUNT(*) FROM instance")), QStringLiteral("1"));
}

QTEST_GUILESS_MAIN(TestStatsShared)
#include "tst_statsshared.moc"
