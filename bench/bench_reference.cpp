// The database references of target 2 (docs/PERFORMANCE.md): the rows a sync stored, read back
// and loaded again into empty copies of the same tables (same DDL, indexes, server and
// settings) the fastest plain way each database offers, timing the load alone. Compared with a
// sync's listings/s they say how close the sync gets to what the database can take.
//
//   bench_reference --engine sqlite --sqlite FILE          C API, prepared upsert bound per row,
//                                                         1,000 rows a transaction
//   bench_reference --engine mariadb --database NAME       LOAD DATA LOCAL INFILE, one per table,
//                                                         in key order, then in arrival order
//   bench_reference --engine postgresql --database NAME    COPY FROM STDIN, one per table
//   [--tables Property,Media] [--json FILE|-]
//
// MariaDB and PostgreSQL come from the ORS_TEST_MYSQL_* / ORS_TEST_PG_* variables. The figures
// go to stderr as text and, with --json, as one JSON line per reference (bench_sync --reference
// runs this).
#include "ReferenceLoads.h"
#include "ResultLog.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdio>

using namespace ors;
using namespace ors::bench;

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Database reference loads of a sync's tables."));
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("engine"), QStringLiteral("sqlite, mariadb or postgresql."), QStringLiteral("E")});
    parser.addOption(
        {QStringLiteral("sqlite"), QStringLiteral("The SQLite file a sync wrote."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("database"),
                      QStringLiteral("The MariaDB or PostgreSQL database a sync wrote."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("tables"),
                      QStringLiteral("Tables to load; the first counts as listings."), QStringLiteral("LIST"),
                      QStringLiteral("Property,Media")});
    parser.addOption({QStringLiteral("json"),
                      QStringLiteral("Append the result as a line of JSON (- for stdout)."),
                      QStringLiteral("FILE")});
    parser.process(app);

    const QString engine = parser.value(QStringLiteral("engine"));
    const QStringList tables =
        parser.value(QStringLiteral("tables")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    QTemporaryDir work;
    if (!work.isValid()) {
        std::fprintf(stderr, "bench_reference: cannot make a temporary folder: %s\n",
                     qPrintable(work.errorString()));
        return 1;
    }
    // One reference (a method and its loads), printed and appended as a line of JSON.
    ResultLog log(parser.value(QStringLiteral("json")));
    const auto report = [&](const QString& method, const Expected<QList<TableLoad>>& loads) -> bool {
        if (!loads) {
            std::fprintf(stderr, "bench_reference: %s\n", qPrintable(loads.errorMessage()));
            return false;
        }
        if (loads->isEmpty() || loads->first().table != tables.value(0)) {
            std::fprintf(stderr, "bench_reference: the source has no table %s\n",
                         qPrintable(tables.value(0)));
            return false;
        }
        double seconds = 0;
        QJsonArray perTable;
        for (const TableLoad& load : *loads) {
            seconds += load.seconds;
            perTable.append(QJsonObject{
                {QStringLiteral("table"), load.table},
                {QStringLiteral("rows"), load.rows},
                {QStringLiteral("seconds"), load.seconds},
                {QStringLiteral("rowsPerSecond"), load.seconds > 0 ? double(load.rows) / load.seconds : 0}});
        }
        const qint64 listings = loads->first().rows;
        const qint64 media = loads->size() > 1 ? loads->at(1).rows : 0;
        const QJsonObject result{
            {QStringLiteral("bench"), QStringLiteral("reference")},
            {QStringLiteral("case"), method},
            {QStringLiteral("destination"), engine},
            {QStringLiteral("listings"), listings},
            {QStringLiteral("media"), media},
            {QStringLiteral("wallSeconds"), seconds},
            {QStringLiteral("listingsPerSecond"), seconds > 0 ? double(listings) / seconds : 0},
            {QStringLiteral("mediaRowsPerSecond"), seconds > 0 ? double(media) / seconds : 0},
            {QStringLiteral("tables"), perTable},
        };
        std::fprintf(stderr,
                     "%s reference (%s): %lld listings (+%lld %s rows) loaded in %.2f s = %.0f listings/s\n",
                     qPrintable(engine), qPrintable(method), static_cast<long long>(listings),
                     static_cast<long long>(media), qPrintable(tables.value(1)), seconds,
                     seconds > 0 ? double(listings) / seconds : 0.0);
        return log.append(result);
    };
    if (engine == QLatin1String("sqlite") && parser.isSet(QStringLiteral("sqlite")))
        return report(QStringLiteral("C API, 1,000 rows a transaction"),
                      loadSqliteReference(parser.value(QStringLiteral("sqlite")), tables, work.path()))
                   ? 0
                   : 1;
    if (engine == QLatin1String("mariadb") && parser.isSet(QStringLiteral("database"))) {
        // In key order, as the rows read back come (the reference), and in the order the
        // sync had to insert them: what InnoDB's random-order inserts cost a load too.
        const QString database = parser.value(QStringLiteral("database"));
        const bool keyed = report(QStringLiteral("LOAD DATA LOCAL INFILE"),
                                  loadMysqlReference(database, tables, work.path(), RowOrder::Key));
        return keyed && report(QStringLiteral("LOAD DATA LOCAL INFILE, arrival order"),
                               loadMysqlReference(database, tables, work.path(), RowOrder::Arrival))
                   ? 0
                   : 1;
    }
    if (engine == QLatin1String("postgresql") && parser.isSet(QStringLiteral("database")))
        return report(QStringLiteral("COPY FROM STDIN"),
                      loadPostgresReference(parser.value(QStringLiteral("database")), tables, work.path()))
                   ? 0
                   : 1;
    std::fprintf(stderr, "bench_reference: give --engine sqlite with --sqlite FILE, or --engine mariadb or "
                         "postgresql with --database NAME\n");
    return 2;
}
