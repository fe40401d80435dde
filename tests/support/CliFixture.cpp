#include "CliFixture.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QMap>
#include <QTest>

#include <csignal>

namespace ors::test {

namespace {
const QString kSource = QStringLiteral("mls");
}

ServeProcess::ServeProcess(const CliFixture& f, const QProcessEnvironment& env) {
    process = startCli(f.args({QStringLiteral("serve")}), env);
    QObject::connect(process.get(), &QProcess::readyReadStandardError, process.get(),
                     [this] { err += process->readAllStandardError(); });
}

ServeProcess::~ServeProcess() {
    if (process->state() != QProcess::NotRunning) {
        process->kill();
        process->waitForFinished();
    }
}

bool ServeProcess::waitFor(const QByteArray& text, int timeoutMs) {
    return QTest::qWaitFor(
        [&] {
            err += process->readAllStandardError();
            return err.contains(text);
        },
        timeoutMs);
}

void ServeProcess::signal(int number) const {
    ::kill(pid_t(process->processId()), number);
}

int ServeProcess::terminate() {
    signal(SIGTERM);
    if (!process->waitForFinished(10000))
        return -1;
    err += process->readAllStandardError();
    return process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
}

bool CliFixture::startServer(const fake::ServerOptions& options) {
    server = std::make_unique<fake::FakeResoServer>(options);
    if (!server->start())
        return false;
    dataDir = dir.filePath(QStringLiteral("data"));
    return true;
}

QString CliFixture::path(const QString& name) const {
    return dir.filePath(name);
}

void CliFixture::writeSource(const QJsonObject& source) {
    config = writeConfig(dir.path(), configWith(source));
}

QStringList CliFixture::args(const QStringList& command) const {
    return cliArgs(config, dataDir, command);
}

CliResult CliFixture::run(const QString& process, const QProcessEnvironment& env, int timeoutMs) const {
    return runCli(args({process, kSource}), env, timeoutMs);
}

CliResult CliFixture::cli(const QStringList& command, const QProcessEnvironment& env) const {
    return runCli(args(command), env);
}

std::unique_ptr<QProcess> CliFixture::launch(const QString& process, const QProcessEnvironment& env) const {
    return startCli(args({process, kSource}), env);
}

QString CliFixture::pageDir(const QString& resource) const {
    return QDir(dataDir).filePath(QStringLiteral("sources/%1/downloadedData/%2").arg(kSource, resource));
}

QStringList CliFixture::leftovers() const {
    return filesUnder(QDir(dataDir).filePath(QStringLiteral("sources")), QStringLiteral("*.json"));
}

QByteArray CliFixture::sourceLog() const {
    QFile file(QDir(dataDir).filePath(QStringLiteral("logs/%1.ndjson").arg(kSource)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList CliFixture::events(const QString& kind) const {
    // readTable gives a hash: without sorting, "the first event" would be any one of them.
    QMap<qint64, QString> byId;
    const auto table = readTable(QDir(dataDir).filePath(QStringLiteral("stats.sqlite")),
                                 QStringLiteral("event"), QStringLiteral("id"));
    for (const QVariantMap& row : table)
        if (row.value(QStringLiteral("kind")).toString() == kind)
            byId.insert(row.value(QStringLiteral("id")).toLongLong(),
                        row.value(QStringLiteral("message")).toString());
    return byId.values();
}

QStringList listingDifferences(const fake::FakeResoServer& server, const QString& sqlite, bool withMember) {
    QStringList all = compareWithServer(server, QStringLiteral("Property"), sqlite,
                                        QStringLiteral("Property"), QStringLiteral("ListingKey"));
    all += compareWithServer(server, QStringLiteral("Media"), sqlite, QStringLiteral("Media"),
                             QStringLiteral("MediaKey"), QStringLiteral("ListingKey"),
                             QStringLiteral("ResourceRecordKey"));
    if (withMember)
        all += compareWithServer(server, QStringLiteral("Member"), sqlite, QStringLiteral("Member"),
                                 QStringLiteral("MemberKey"));
    return all;
}

MysqlTestDatabase::~MysqlTestDatabase() {
    if (!name.isEmpty() && qEnvironmentVariable("ORS_TEST_KEEP_MYSQL") != QLatin1String("1"))
        (void)mysqlExec(server, {}, {QStringLiteral("DROP DATABASE IF EXISTS `%1`").arg(name)});
}

bool MysqlTestDatabase::create(const MysqlServer& on, const QString& prefix) {
    static QAtomicInt counter;
    const QString wanted = QStringLiteral("ors_test_%1_%2_%3")
                               .arg(prefix)
                               .arg(QCoreApplication::applicationPid())
                               .arg(counter.fetchAndAddRelaxed(1));
    if (const QString error = recreateMysqlDatabase(on, wanted); !error.isEmpty()) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    server = on;
    name = wanted;
    return true;
}

void MysqlTestDatabase::addDestination(QJsonObject& source, const QString& passwordVariable) const {
    QJsonArray destinations = source.value(QStringLiteral("destinations")).toArray();
    destinations.append(
        serverDestination(QStringLiteral("db"), QStringLiteral("mysql"), server, name, passwordVariable));
    source.insert(QStringLiteral("destinations"), destinations);
}

QJsonObject serverDestination(const QString& name, const QString& type, const DatabaseServer& server,
                              const QString& database, const QString& passwordVariable) {
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("type"), type},
                       {QStringLiteral("host"), server.host},
                       {QStringLiteral("port"), server.port},
                       {QStringLiteral("database"), database},
                       {QStringLiteral("user"), server.user},
                       {QStringLiteral("password"), QString(QStringLiteral("env:") + passwordVariable)}};
}

QProcessEnvironment serverCliEnvironment(const QString& variablePrefix, const QString& passwordVariable,
                                         const std::optional<DatabaseServer>& server) {
    QProcessEnvironment env = cliEnvironment();
    for (const QString& key : env.keys())
        if (key.startsWith(variablePrefix))
            env.remove(key);
    if (server)
        env.insert(passwordVariable, server->password);
    env.insert(QStringLiteral("TZ"), QStringLiteral("EST5EDT,M3.2.0,M11.1.0"));
    return env;
}

} // namespace ors::test
