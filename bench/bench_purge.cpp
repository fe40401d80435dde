// Purge and reconcile of N keys against a destination that already holds N rows, through the
// real openresync-cli, against the fake RESO server (light listings) on loopback, for SQLite
// and MariaDB. Prints wall time and the CLI's peak RSS of each run and checks the results.
//
// Usage: bench_purge [--keys N[,N...]] [--engine sqlite|mysql|both] [--platform generic|trestle]
//                    [--diff FRACTION] [--phases] [--json FILE]
// --json appends one line per purge and per reconcile for bench_report (scripts/bench).
// MariaDB comes from ORS_TEST_MYSQL_HOST/PORT/USER/PASSWORD (as printed by
// `scripts/mariadb-test start env`); the bench creates and drops a database ors_test_bench_<pid>
// (kept with ORS_BENCH_KEEP_MYSQL=1).
//
// The destination is filled by an ordinary sync of the light listings (a few columns each, so
// a million take about a minute). Then the MLS loses FRACTION of its keys (purge must delete
// them), the destination loses FRACTION/2 of its rows and the MLS changes FRACTION/2 of its
// listings (reconcile must fetch both).
#include "FakeResoServer.h"
#include "MeasuredRun.h"
#include "ResultLog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <optional>

namespace {

const QString kSource = QStringLiteral("bench");
const QString kPasswordVariable = QStringLiteral("ORS_BENCH_MYSQL_PASSWORD");
constexpr double kRssTargetMb = 150;
constexpr double kRssGrowthTarget = 0.20;

struct Run {
    double seconds = 0;
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;
    double peakRssMb = 0;
    double cliCpuSeconds = 0;
    double benchCpuSeconds = 0; // this process: the fake server, serving the CLI
    QDateTime started;
};

// Peak RSS is the child's own VmHWM, sampled while it runs (MeasuredRun): getrusage(RUSAGE_CHILDREN)
// would count the forked copy of this process, which holds the whole generated MLS, before exec.
QString g_cliPath = QStringLiteral(ORS_CLI_PATH);
int g_latencyMs = 0;

Run runCli(const QStringList& args, const QProcessEnvironment& env) {
    Run run;
    run.started = QDateTime::currentDateTimeUtc();
    const ors::bench::MeasuredRun measured = ors::bench::runMeasured(g_cliPath, args, env);
    run.seconds = measured.seconds;
    run.exitCode = measured.exitCode;
    run.crashed = measured.crashed;
    run.out = measured.out;
    run.err = measured.err;
    run.peakRssMb = measured.peakRssMb;
    run.cliCpuSeconds = measured.cpuSeconds;
    run.benchCpuSeconds = measured.selfCpuSeconds;
    return run;
}

struct MysqlServer {
    QString host;
    int port = 0;
    QString user;
    QString password;
};

std::optional<MysqlServer> mysqlFromEnvironment() {
    MysqlServer server;
    server.host = qEnvironmentVariable("ORS_TEST_MYSQL_HOST");
    server.port = qEnvironmentVariableIntValue("ORS_TEST_MYSQL_PORT");
    server.user = qEnvironmentVariable("ORS_TEST_MYSQL_USER");
    server.password = qEnvironmentVariable("ORS_TEST_MYSQL_PASSWORD");
    if (server.host.isEmpty() || server.port <= 0 || server.user.isEmpty())
        return std::nullopt;
    return server;
}

QString sqlString(const QString& text) {
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// A connection of the bench's own to the destination the CLI writes, opened only between CLI
// runs. Every failure is remembered in `error` and turns later calls into no-ops.
class Destination {
public:
    // mysqlDatabase empty: SQLite at `path`.
    Destination(const QString& path, const std::optional<MysqlServer>& mysql, const QString& mysqlDatabase) {
        static int counter = 0;
        m_name = QStringLiteral("bench-%1").arg(++counter);
        m_mysql = mysql.has_value();
        QSqlDatabase db =
            QSqlDatabase::addDatabase(m_mysql ? QStringLiteral("QMYSQL") : QStringLiteral("QSQLITE"), m_name);
        if (m_mysql) {
            db.setHostName(mysql->host);
            db.setPort(mysql->port);
            db.setUserName(mysql->user);
            db.setPassword(mysql->password);
            db.setDatabaseName(mysqlDatabase);
        } else {
            db.setDatabaseName(path);
        }
        if (!db.isValid())
            error = QStringLiteral("the Qt SQL driver for %1 is not available").arg(db.driverName());
        else if (!db.open())
            error = QStringLiteral("cannot open the destination: %1").arg(db.lastError().text());
    }
    ~Destination() {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    Destination(const Destination&) = delete;
    Destination& operator=(const Destination&) = delete;

    qint64 scalar(const QString& sql) {
        if (!error.isEmpty())
            return -1;
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        if (!query.exec(sql) || !query.next()) {
            error = QStringLiteral("%1: %2").arg(sql.left(200), query.lastError().text());
            return -1;
        }
        return query.value(0).toLongLong();
    }

    bool exec(const QString& sql) {
        if (!error.isEmpty())
            return false;
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        if (!query.exec(sql)) {
            error = QStringLiteral("%1: %2").arg(sql.left(200), query.lastError().text());
            return false;
        }
        return true;
    }

    qint64 rows() { return scalar(QStringLiteral("SELECT COUNT(*) FROM Property")); }

    // Rows whose ModificationTimestamp is after `iso` ("2024-05-01T10:00:00.123Z").
    qint64 newerThan(const QString& iso) {
        // MariaDB holds DATETIME(3) in UTC without the T and the Z; SQLite the text itself.
        const QString literal = m_mysql ? iso.left(10) + QLatin1Char(' ') + iso.mid(11, 12) : iso;
        return scalar(QStringLiteral("SELECT COUNT(*) FROM Property WHERE ModificationTimestamp > %1")
                          .arg(sqlString(literal)));
    }

    // How many of `keys` the destination holds.
    qint64 holding(const QStringList& keys) {
        qint64 total = 0;
        forChunks(keys, [&](const QString& list) {
            const qint64 n =
                scalar(QStringLiteral("SELECT COUNT(*) FROM Property WHERE ListingKey IN (%1)").arg(list));
            total += n;
            return n >= 0;
        });
        return error.isEmpty() ? total : -1;
    }

    bool remove(const QStringList& keys) {
        return forChunks(keys, [&](const QString& list) {
            return exec(QStringLiteral("DELETE FROM Property WHERE ListingKey IN (%1)").arg(list));
        });
    }

    // Every `step`-th key in key order, at most `count` of them.
    QStringList everyNth(qint64 step, qint64 count) {
        QStringList keys;
        if (!error.isEmpty())
            return keys;
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        query.setForwardOnly(true);
        if (!query.exec(QStringLiteral("SELECT ListingKey FROM Property ORDER BY ListingKey"))) {
            error = query.lastError().text();
            return keys;
        }
        for (qint64 i = 0; query.next() && keys.size() < count; ++i)
            if (i % step == step / 2)
                keys.append(query.value(0).toString());
        return keys;
    }

    QString error;

private:
    template <typename F>
    bool forChunks(const QStringList& keys, F f) {
        for (qsizetype at = 0; at < keys.size(); at += 500) {
            QStringList quoted;
            for (const QString& key : keys.mid(at, 500))
                quoted.append(sqlString(key));
            if (!f(quoted.join(QLatin1Char(','))))
                return false;
        }
        return error.isEmpty();
    }

    QString m_name;
    bool m_mysql = false;
};

struct Figures {
    QString engine;
    int keys = 0;
    Run purge;
    Run reconcile;
};

qint64 firstNumber(const QByteArray& text, const QString& pattern) {
    const QRegularExpressionMatch m = QRegularExpression(pattern).match(QString::fromUtf8(text));
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

bool fail(const QString& message) {
    std::fprintf(stderr, "bench_purge: ERROR: %s\n", qPrintable(message));
    return false;
}

// On failure the CLI's own log says more than its one-line error: its last lines are shown.
bool ranOk(const char* what, const Run& run, const QString& dataDir) {
    if (!run.crashed && run.exitCode == 0)
        return true;
    QFile log(QDir(dataDir).filePath(QStringLiteral("logs/%1.ndjson").arg(kSource)));
    QByteArray tail;
    if (log.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = log.readAll().trimmed().split('\n');
        for (qsizetype i = std::max<qsizetype>(0, lines.size() - 5); i < lines.size(); ++i)
            tail += "\n  log: " + lines.at(i);
    }
    return fail(QStringLiteral("%1 failed (exit %2%3): %4%5")
                    .arg(QLatin1String(what))
                    .arg(run.exitCode)
                    .arg(run.crashed ? QStringLiteral(", crashed") : QString())
                    .arg(QString::fromUtf8(run.err).trimmed(), QString::fromUtf8(tail)));
}

// The CLI's own log lines of one run, timed from its start: where the wall time went.
void printPhases(const Run& run, const QString& dataDir) {
    QFile log(QDir(dataDir).filePath(QStringLiteral("logs/%1.ndjson").arg(kSource)));
    if (!log.open(QIODevice::ReadOnly))
        return;
    for (const QByteArray& line : log.readAll().split('\n')) {
        const QJsonObject entry = QJsonDocument::fromJson(line).object();
        const QDateTime time =
            QDateTime::fromString(entry.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
        if (entry.isEmpty() || time < run.started)
            continue;
        QString detail;
        for (const char* field : {"resource", "destination", "count", "missing", "stale", "records"})
            if (entry.contains(QLatin1String(field)))
                detail += QStringLiteral(" %1=%2").arg(
                    QLatin1String(field), entry.value(QLatin1String(field)).toVariant().toString());
        std::printf("         %+8.2f s  %s%s\n", double(run.started.msecsTo(time)) / 1000.0,
                    qPrintable(entry.value(QStringLiteral("msg")).toString()), qPrintable(detail));
    }
}

void printRun(const char* what, const Figures& f, const Run& run, const QString& detail) {
    std::printf("%-6s %8d keys  %-9s %7.2f s  peak RSS %6.1f MB  CPU: CLI %.2f s, fake server %.2f s  %s\n",
                qPrintable(f.engine), f.keys, what, run.seconds, run.peakRssMb, run.cliCpuSeconds,
                run.benchCpuSeconds, qPrintable(detail));
    std::fflush(stdout);
}

bool benchOne(const QString& engine, const QString& platform, int keys, double fraction, bool phases,
              const std::optional<MysqlServer>& mysql, Figures* figures) {
    figures->engine = engine;
    figures->keys = keys;
    const bool useMysql = engine == QLatin1String("mysql");

    ors::fake::ServerOptions options;
    options.lightListings = true;
    options.listingCount = keys;
    options.memberCount = 0;
    options.maxPageSize = 5000;
    options.pageLatencyMs = g_latencyMs;
    if (platform == QLatin1String("trestle")) {
        // Trestle serves key lists in pages of up to 300,000 (the CLI asks for 100,000).
        options.flavour = ors::fake::Flavour::Trestle;
        options.maxPageSize = 300000;
    }
    QElapsedTimer gen;
    gen.start();
    ors::fake::FakeResoServer server(options);
    if (!server.start())
        return fail(QStringLiteral("the fake RESO server did not start"));
    std::printf("%-6s %8d keys  server generated in %.1f s (bench process RSS %.0f MB)\n", qPrintable(engine),
                keys, double(gen.elapsed()) / 1000.0, ors::bench::selfRssMb());

    QTemporaryDir dir;
    const QString dataDir = dir.filePath(QStringLiteral("data"));
    QString database;
    QJsonObject destination{{QStringLiteral("name"), QStringLiteral("local")}};
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("OPENRESYNC_CONFIG"));
    env.remove(QStringLiteral("OPENRESYNC_DATA_DIR"));
    if (useMysql) {
        database = QStringLiteral("ors_test_bench_%1").arg(QCoreApplication::applicationPid());
        Destination admin({}, mysql, {});
        admin.exec(QStringLiteral("DROP DATABASE IF EXISTS `%1`").arg(database));
        admin.exec(QStringLiteral("CREATE DATABASE `%1`").arg(database));
        if (!admin.error.isEmpty())
            return fail(admin.error);
        destination.insert(QStringLiteral("type"), QStringLiteral("mysql"));
        destination.insert(QStringLiteral("host"), mysql->host);
        destination.insert(QStringLiteral("port"), mysql->port);
        destination.insert(QStringLiteral("database"), database);
        destination.insert(QStringLiteral("user"), mysql->user);
        destination.insert(QStringLiteral("password"), QString(QStringLiteral("env:") + kPasswordVariable));
        env.insert(kPasswordVariable, mysql->password);
    } else {
        destination.insert(QStringLiteral("type"), QStringLiteral("sqlite"));
    }
    // Dropped however the run ends, so a failed run leaves no million-row database behind.
    struct DropDatabase {
        const std::optional<MysqlServer>& mysql;
        const QString& name;
        ~DropDatabase() {
            if (!name.isEmpty() && qEnvironmentVariable("ORS_BENCH_KEEP_MYSQL") != QLatin1String("1")) {
                Destination admin({}, mysql, {});
                admin.exec(QStringLiteral("DROP DATABASE IF EXISTS `%1`").arg(name));
            }
        }
    } dropDatabase{mysql, database};

    QJsonObject source{
        {QStringLiteral("name"), kSource},
        {QStringLiteral("platform"), platform},
        {QStringLiteral("serviceUrl"), server.serviceUrl()},
        {QStringLiteral("pageSize"), 5000},
        {QStringLiteral("resources"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")}}}},
        {QStringLiteral("destinations"), QJsonArray{destination}},
        // The planned deletions are the point here, not a mistake to guard against.
        {QStringLiteral("purge"),
         QJsonObject{{QStringLiteral("maxDeletes"), keys}, {QStringLiteral("maxDeletePercent"), 100}}},
    };
    // The CLI's Trestle quota (180 requests a minute) would make a million-key sync take minutes
    // of waiting; the bench measures the work, not the quota.
    if (platform == QLatin1String("trestle"))
        source.insert(QStringLiteral("rateLimit"), QJsonObject{{QStringLiteral("perMinute"), 100000000},
                                                               {QStringLiteral("perHour"), 100000000}});
    const QString config = dir.filePath(QStringLiteral("config.json"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("sources"), QJsonArray{source}}}).toJson()) < 0)
        return fail(QStringLiteral("cannot write %1").arg(config));
    file.close();
    const auto cli = [&](const QString& command) {
        return runCli(
            {QStringLiteral("--config"), config, QStringLiteral("--data-dir"), dataDir, command, kSource},
            env);
    };
    const auto open = [&] {
        return std::make_unique<Destination>(
            QDir(dataDir).filePath(QStringLiteral("destinations/bench/local.sqlite")),
            useMysql ? mysql : std::nullopt, database);
    };

    const Run sync = cli(QStringLiteral("sync"));
    if (!ranOk("sync", sync, dataDir))
        return false;
    printRun("sync", *figures, sync, QStringLiteral("(filling the destination)"));
    {
        auto db = open();
        const qint64 rows = db->rows();
        if (rows != keys)
            return fail(
                db->error.isEmpty()
                    ? QStringLiteral("after sync the destination holds %1 rows, not %2").arg(rows).arg(keys)
                    : db->error);
    }

    // The differences. Deleted keys are chosen before changed ones, so no changed key is deleted.
    const QString newestBefore = server.maxModificationTimestamp();
    const int deleteCount = std::max(1, int(double(keys) * fraction));
    const QStringList deleted = server.deleteRecords(deleteCount);
    const QStringList changed = server.changeRecords(fraction / 2);
    QStringList lost;
    {
        auto db = open();
        const qint64 lostCount = std::max<qint64>(1, qint64(double(keys) * fraction / 2));
        lost = db->everyNth(std::max<qint64>(1, keys / lostCount), lostCount);
        db->remove(lost);
        if (!db->error.isEmpty())
            return fail(db->error);
    }
    const QSet<QString> deletedSet(deleted.begin(), deleted.end());
    const QSet<QString> lostSet(lost.begin(), lost.end());
    QSet<QString> refetch(changed.begin(), changed.end());
    QStringList lostStill; // rows the destination lost whose keys the MLS still has
    for (const QString& key : lost)
        if (!deletedSet.contains(key)) {
            refetch.insert(key);
            lostStill.append(key);
        }
    qint64 purgeable = 0;
    for (const QString& key : deleted)
        purgeable += lostSet.contains(key) ? 0 : 1;
    const qint64 serverRows = keys - deleted.size();
    std::printf("%-6s %8d keys  diff: %lld deleted on the MLS, %lld changed on the MLS, %lld lost by the "
                "destination\n",
                qPrintable(engine), keys, static_cast<long long>(deleted.size()),
                static_cast<long long>(changed.size()), static_cast<long long>(lost.size()));

    figures->purge = cli(QStringLiteral("purge"));
    if (!ranOk("purge", figures->purge, dataDir))
        return false;
    const qint64 purged = firstNumber(figures->purge.err, QStringLiteral("-> local: deleted (\\d+) of"));
    printRun("purge", *figures, figures->purge, QStringLiteral("(%1 deleted)").arg(purged));
    if (phases)
        printPhases(figures->purge, dataDir);
    {
        auto db = open();
        const qint64 rows = db->rows();
        const qint64 stale = db->holding(deleted);
        if (!db->error.isEmpty())
            return fail(db->error);
        if (purged != purgeable || rows != keys - lost.size() - purgeable || stale != 0)
            return fail(
                QStringLiteral("purge: expected %1 deletions and %2 rows, got %3 deletions and %4 rows; "
                               "%5 keys the MLS deleted are still held")
                    .arg(purgeable)
                    .arg(keys - lost.size() - purgeable)
                    .arg(purged)
                    .arg(rows)
                    .arg(stale));
    }

    figures->reconcile = cli(QStringLiteral("reconcile"));
    if (!ranOk("reconcile", figures->reconcile, dataDir))
        return false;
    const qint64 fetched = firstNumber(figures->reconcile.err,
                                       QStringLiteral("reconcile \\S+: (\\d+) missing or stale records"));
    printRun("reconcile", *figures, figures->reconcile, QStringLiteral("(%1 fetched)").arg(fetched));
    if (phases)
        printPhases(figures->reconcile, dataDir);
    {
        auto db = open();
        const qint64 rows = db->rows();
        const qint64 back = db->holding(lostStill);
        const qint64 newer = db->newerThan(newestBefore);
        if (!db->error.isEmpty())
            return fail(db->error);
        if (fetched != refetch.size() || rows != serverRows || back != lostStill.size() ||
            newer != changed.size())
            return fail(QStringLiteral("reconcile: expected %1 fetched, %2 rows, %3 lost rows back and %4 "
                                       "changed; got %5, %6, %7 and %8")
                            .arg(refetch.size())
                            .arg(serverRows)
                            .arg(lostStill.size())
                            .arg(changed.size())
                            .arg(fetched)
                            .arg(rows)
                            .arg(back)
                            .arg(newer));
    }
    return true;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Purge and reconcile of N keys through openresync-cli."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("keys"), QStringLiteral("Keys (listings), or a comma-separated list."),
                      QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("engine"), QStringLiteral("sqlite, mysql or both."), QStringLiteral("E"),
                      QStringLiteral("sqlite")});
    parser.addOption({QStringLiteral("diff"), QStringLiteral("Fraction of keys the MLS deletes."),
                      QStringLiteral("F"), QStringLiteral("0.001")});
    parser.addOption({QStringLiteral("platform"),
                      QStringLiteral("generic (key pages of 5,000) or trestle (100,000)."),
                      QStringLiteral("P"), QStringLiteral("generic")});
    parser.addOption(
        {QStringLiteral("phases"), QStringLiteral("Print the CLI's log lines of each run, timed.")});
    parser.addOption({QStringLiteral("latency-ms"),
                      QStringLiteral("The fake server answers each page this much later (real servers: "
                                     "100-1000 ms)."),
                      QStringLiteral("MS"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("cli"), QStringLiteral("The openresync-cli to run (another build's)."),
                      QStringLiteral("PATH"), QStringLiteral(ORS_CLI_PATH)});
    parser.addOption(
        {QStringLiteral("json"),
         QStringLiteral("Append each run's figures as a line of JSON to this file (- for stdout)."),
         QStringLiteral("FILE")});
    parser.process(app);
    g_cliPath = parser.value(QStringLiteral("cli"));
    g_latencyMs = parser.value(QStringLiteral("latency-ms")).toInt();

    QList<int> sizes;
    for (const QString& text : parser.value(QStringLiteral("keys")).split(QLatin1Char(','))) {
        bool ok = false;
        const int n = text.trimmed().toInt(&ok);
        if (!ok || n < 100) {
            std::fprintf(stderr, "bench_purge: --keys needs integers of at least 100\n");
            return 2;
        }
        sizes.append(n);
    }
    const QString engineOption = parser.value(QStringLiteral("engine"));
    QStringList engines;
    if (engineOption == QLatin1String("both"))
        engines = {QStringLiteral("sqlite"), QStringLiteral("mysql")};
    else if (engineOption == QLatin1String("sqlite") || engineOption == QLatin1String("mysql"))
        engines = {engineOption};
    else {
        std::fprintf(stderr, "bench_purge: --engine must be sqlite, mysql or both\n");
        return 2;
    }
    const QString platform = parser.value(QStringLiteral("platform"));
    if (platform != QLatin1String("generic") && platform != QLatin1String("trestle")) {
        std::fprintf(stderr, "bench_purge: --platform must be generic or trestle\n");
        return 2;
    }
    bool ok = false;
    const double fraction = parser.value(QStringLiteral("diff")).toDouble(&ok);
    if (!ok || fraction <= 0 || fraction > 0.5) {
        std::fprintf(stderr, "bench_purge: --diff needs a fraction in (0, 0.5]\n");
        return 2;
    }
    const std::optional<MysqlServer> mysql = mysqlFromEnvironment();
    if (engines.contains(QStringLiteral("mysql")) && !mysql) {
        std::fprintf(stderr,
                     "bench_purge: ORS_TEST_MYSQL_HOST/PORT/USER/PASSWORD are not set; start a server "
                     "with: eval \"$(ORS_MARIADB_DIR=/tmp/ors-bench-db scripts/mariadb-test start env)\"\n");
        return 2;
    }

    QList<Figures> all;
    for (const QString& engine : std::as_const(engines))
        for (int keys : std::as_const(sizes)) {
            Figures f;
            if (!benchOne(engine, platform, keys, fraction, parser.isSet(QStringLiteral("phases")), mysql,
                          &f))
                return 1;
            all.append(f);
        }

    std::printf(
        "\nsummary (target: CLI peak RSS < %.0f MB, and within %.0f%% between the smallest and largest N)\n",
        kRssTargetMb, kRssGrowthTarget * 100);
    bool met = true;
    for (const Figures& f : std::as_const(all)) {
        std::printf("%-6s %8d keys  purge %7.2f s %6.1f MB   reconcile %7.2f s %6.1f MB\n",
                    qPrintable(f.engine), f.keys, f.purge.seconds, f.purge.peakRssMb, f.reconcile.seconds,
                    f.reconcile.peakRssMb);
        met = met && f.purge.peakRssMb < kRssTargetMb && f.reconcile.peakRssMb < kRssTargetMb;
    }
    for (const QString& engine : std::as_const(engines)) {
        const Figures* smallest = nullptr;
        const Figures* largest = nullptr;
        for (const Figures& f : std::as_const(all))
            if (f.engine == engine) {
                if (!smallest || f.keys < smallest->keys)
                    smallest = &f;
                if (!largest || f.keys > largest->keys)
                    largest = &f;
            }
        if (!smallest || smallest->keys == largest->keys)
            continue;
        const double purgeGrowth = largest->purge.peakRssMb / smallest->purge.peakRssMb - 1;
        const double reconcileGrowth = largest->reconcile.peakRssMb / smallest->reconcile.peakRssMb - 1;
        std::printf("%-6s RSS growth %d -> %d keys: purge %+.1f%%, reconcile %+.1f%%\n", qPrintable(engine),
                    smallest->keys, largest->keys, purgeGrowth * 100, reconcileGrowth * 100);
        met = met && purgeGrowth <= kRssGrowthTarget && reconcileGrowth <= kRssGrowthTarget;
    }
    std::printf("targets %s\n", met ? "met" : "NOT met");
    const ors::bench::ResultLog results(parser.value(QStringLiteral("json")));
    for (const Figures& f : std::as_const(all))
        for (const auto& [name, run] : {std::pair{"purge", &f.purge}, std::pair{"reconcile", &f.reconcile}})
            if (!results.append(QJsonObject{
                    {QStringLiteral("bench"), QStringLiteral("purge")},
                    {QStringLiteral("case"), QLatin1String(name)},
                    {QStringLiteral("destination"),
                     f.engine == QLatin1String("mysql") ? QStringLiteral("mariadb") : f.engine},
                    {QStringLiteral("platform"), platform},
                    {QStringLiteral("keys"), f.keys},
                    {QStringLiteral("wallSeconds"), run->seconds},
                    {QStringLiteral("peakRssMb"), run->peakRssMb},
                    {QStringLiteral("cpuSeconds"), run->cliCpuSeconds},
                    {QStringLiteral("fakeServerCpuSeconds"), run->benchCpuSeconds},
                }))
                return 1;
    return 0;
}
