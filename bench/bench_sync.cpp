// Syncs N generated listings (with Media expanded) from the fake RESO server on loopback into a
// fresh SQLite, MariaDB or PostgreSQL destination through the real openresync-cli, and prints
// (and with --json appends to a JSON Lines file) what each run took: wall time, listings/s,
// Media rows/s, the CLI's peak RSS and CPU time, the job's own split into download, parse and
// write, and for big runs the pace at the start and at the end. Then, as asked: the database
// reference on the same rows (bench_reference), an incremental sync of --changed listings, and
// the write ceiling (--from-files: the same pages applied from disk).
//
// MariaDB and PostgreSQL come from the ORS_TEST_MYSQL_* / ORS_TEST_PG_* variables that
// scripts/mariadb-test and scripts/postgres-test print; each run gets a database of its own,
// dropped at the end. scripts/bench runs every case; see docs/PERFORMANCE.md.
#include "SyncBench.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace ors::bench;

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Sync throughput of openresync-cli against the fake RESO server."));
    parser.addHelpOption();
    const auto option = [&](const char* name, const char* help, const char* value, const char* fallback) {
        parser.addOption(
            {QLatin1String(name), QLatin1String(help), QLatin1String(value), QLatin1String(fallback)});
    };
    option("destination", "sqlite, mariadb or postgresql.", "D", "sqlite");
    option("listings", "Listings the server holds and the sync stores.", "N", "10000");
    option("fields", "Property fields (the built-in ~130, or more up to 600).", "N", "174");
    option("page-size", "The source's pageSize.", "N", "1000");
    option("changed", "Listings changed before an incremental sync (0: none).", "N", "0");
    option("incrementals",
           "Incremental syncs of --changed listings run one after another on the same table (A/B "
           "series, with ORS_BENCH_CLI_WRAPPER alternating the CLI).",
           "N", "1");
    option("latency-ms", "The fake server answers each page this much later (real servers: 100-1000 ms).",
           "MS", "0");
    option("db-pid", "The database server's process id, to measure its CPU time too.", "PID", "0");
    option("json", "Append each result as a line of JSON to this file (- for stdout).", "FILE", "");
    option("cli", "The openresync-cli to run (another build's).", "PATH", ORS_CLI_PATH);
    option("reference-program", "The bench_reference to run for --reference.", "PATH", ORS_REFERENCE_PATH);
    parser.addOption({QStringLiteral("light"),
                      QStringLiteral("Light listings (4 fields, no Media), for the 1,000,000-row runs.")});
    parser.addOption({QStringLiteral("reference"),
                      QStringLiteral("After the initial sync, time the database reference on its rows.")});
    parser.addOption({QStringLiteral("from-files"),
                      QStringLiteral("Also apply the same pages from files on disk (the write ceiling).")});
    parser.addOption({QStringLiteral("verify"),
                      QStringLiteral("Compare every stored field with the server after each run (slow for "
                                     "big N).")});
    parser.process(app);

    SyncBenchOptions options;
    const auto engine = engineFromName(parser.value(QStringLiteral("destination")));
    bool ok = true;
    const auto integer = [&](const char* name, int minimum) {
        bool valid = false;
        const int n = parser.value(QLatin1String(name)).toInt(&valid);
        if (!valid || n < minimum) {
            std::fprintf(stderr, "bench_sync: --%s needs an integer of at least %d, not \"%s\"\n", name,
                         minimum, qPrintable(parser.value(QLatin1String(name))));
            ok = false;
        }
        return n;
    };
    options.listings = integer("listings", 1);
    options.fields = integer("fields", 0);
    options.pageSize = integer("page-size", 1);
    options.changed = integer("changed", 0);
    const int incrementals = integer("incrementals", 1);
    options.latencyMs = integer("latency-ms", 0);
    options.dbPid = integer("db-pid", 0);
    if (!engine) {
        std::fprintf(stderr, "bench_sync: --destination must be sqlite, mariadb or postgresql, not \"%s\"\n",
                     qPrintable(parser.value(QStringLiteral("destination"))));
        ok = false;
    }
    if (options.fields > 600) {
        std::fprintf(stderr, "bench_sync: --fields goes up to 600\n");
        ok = false;
    }
    if (options.changed > options.listings) {
        std::fprintf(stderr, "bench_sync: --changed cannot exceed --listings\n");
        ok = false;
    }
    if (!ok)
        return 2;
    options.engine = *engine;
    options.light = parser.isSet(QStringLiteral("light"));
    options.verify = parser.isSet(QStringLiteral("verify"));
    options.cli = parser.value(QStringLiteral("cli"));
    if (parser.isSet(QStringLiteral("reference")))
        options.referenceProgram = parser.value(QStringLiteral("reference-program"));

    SyncBench bench(options, ResultLog(parser.value(QStringLiteral("json"))));
    if (!bench.start() || !bench.initial() || !bench.reference())
        return 1;
    for (int i = 0; i < incrementals; ++i)
        if (!bench.incremental())
            return 1;
    if (parser.isSet(QStringLiteral("from-files")) && !bench.fromFiles())
        return 1;
    return 0;
}
