// Syncs N generated listings (with Media) from the fake RESO server on loopback into a
// fresh SQLite destination through the real openresync-cli, and prints records/s and the
// CLI's peak RSS. Usage: bench_sync [--listings N] [--page-size N] [--incremental FRACTION]
// [--latency-ms MS] [--cli PATH]
#include "FakeResoServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

namespace {

struct Run {
    double seconds = 0;
    int exitCode = -1;
    QByteArray err;
    double peakRssMb = 0;
};

// VmHWM of the running CLI. getrusage(RUSAGE_CHILDREN) would report the forked copy of this
// process (which holds the whole generated MLS) before exec, not the CLI.
double peakRssMb(qint64 pid) {
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return 0;
}

QString g_cliPath = QStringLiteral(ORS_CLI_PATH);

Run runSync(const QString& config, const QString& dataDir) {
    QProcess process;
    QElapsedTimer timer;
    timer.start();
    process.start(g_cliPath, {QStringLiteral("--config"), config, QStringLiteral("--data-dir"), dataDir,
                              QStringLiteral("sync"), QStringLiteral("bench")});
    Run run;
    while (!process.waitForFinished(20))
        run.peakRssMb = std::max(run.peakRssMb, peakRssMb(process.processId()));
    run.seconds = double(timer.nsecsElapsed()) / 1e9;
    run.exitCode = process.exitCode();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("listings"), QStringLiteral("Listings to sync."), QStringLiteral("N"),
                      QStringLiteral("10000")});
    parser.addOption({QStringLiteral("page-size"), QStringLiteral("Page size."), QStringLiteral("N"),
                      QStringLiteral("1000")});
    parser.addOption({QStringLiteral("incremental"), QStringLiteral("Fraction changed before a second sync."),
                      QStringLiteral("F"), QStringLiteral("0.1")});
    parser.addOption({QStringLiteral("latency-ms"),
                      QStringLiteral("The fake server answers each page this much later (real servers: "
                                     "100-1000 ms)."),
                      QStringLiteral("MS"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("cli"), QStringLiteral("The openresync-cli to run (another build's)."),
                      QStringLiteral("PATH"), QStringLiteral(ORS_CLI_PATH)});
    parser.process(app);
    g_cliPath = parser.value(QStringLiteral("cli"));
    const int listings = parser.value(QStringLiteral("listings")).toInt();

    ors::fake::ServerOptions options;
    options.listingCount = listings;
    options.maxPageSize = 5000;
    options.pageLatencyMs = parser.value(QStringLiteral("latency-ms")).toInt();
    ors::fake::FakeResoServer server(options);
    QElapsedTimer gen;
    gen.start();
    if (!server.start()) {
        std::fprintf(stderr, "server did not start\n");
        return 1;
    }
    const qint64 media = server.records(QStringLiteral("Media")).size();
    std::printf("generated %d listings with %lld media in %.1f s\n", listings, static_cast<long long>(media),
                double(gen.elapsed()) / 1000.0);

    QTemporaryDir dir;
    const QJsonObject source{
        {QStringLiteral("name"), QStringLiteral("bench")},
        {QStringLiteral("platform"), QStringLiteral("generic")},
        {QStringLiteral("serviceUrl"), server.serviceUrl()},
        {QStringLiteral("pageSize"), parser.value(QStringLiteral("page-size")).toInt()},
        {QStringLiteral("resources"),
         QJsonArray{
             QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")},
                         {QStringLiteral("expand"),
                          QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Media")}}}}}}},
        {QStringLiteral("destinations"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("local")},
                                {QStringLiteral("type"), QStringLiteral("sqlite")}}}},
    };
    const QString config = dir.filePath(QStringLiteral("config.json"));
    QFile file(config);
    file.open(QIODevice::WriteOnly);
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("sources"), QJsonArray{source}}}).toJson());
    file.close();
    const QString dataDir = dir.filePath(QStringLiteral("data"));

    const Run initial = runSync(config, dataDir);
    if (initial.exitCode != 0) {
        std::fprintf(stderr, "sync failed: %s\n", initial.err.constData());
        return 1;
    }
    const double peakMb = initial.peakRssMb;
    std::printf("initial sync: %d listings (+%lld media) in %.2f s = %.0f listings/s; CLI peak RSS %.1f MB\n",
                listings, static_cast<long long>(media), initial.seconds, listings / initial.seconds, peakMb);

    const QStringList changed = server.changeRecords(parser.value(QStringLiteral("incremental")).toDouble());
    const Run incremental = runSync(config, dataDir);
    std::printf("incremental sync: %lld changed listings in %.2f s; CLI peak RSS %.1f MB\n",
                static_cast<long long>(changed.size()), incremental.seconds, incremental.peakRssMb);
    std::printf(
        "destination file: %.1f MB\n",
        double(QFileInfo(QDir(dataDir).filePath(QStringLiteral("destinations/bench/local.sqlite"))).size()) /
            1048576.0);
    return incremental.exitCode == 0 ? 0 : 1;
}
