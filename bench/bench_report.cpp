// Turns the JSON Lines the benchmark programs append (bench_sync, bench_reference, bench_purge,
// bench_window --json FILE) into one table on stdout and one JSON document for run-to-run
// comparison, with the targets checked against the figures (docs/PERFORMANCE.md).
//
//   bench_report --results FILE [--out bench-results.json] [--meta KEY=VALUE ...]
#include "ReportTable.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <cstdio>

using namespace ors::bench;

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The benchmark results as a table and one JSON document."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("results"), QStringLiteral("The JSON Lines the benchmarks appended."),
                      QStringLiteral("FILE")});
    parser.addOption(
        {QStringLiteral("out"), QStringLiteral("Where to write the JSON document."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("meta"),
                      QStringLiteral("KEY=VALUE recorded with the results (repeatable)."),
                      QStringLiteral("KEY=VALUE")});
    parser.process(app);

    QFile in(parser.value(QStringLiteral("results")));
    if (!in.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "bench_report: cannot read %s: %s\n", qPrintable(in.fileName()),
                     qPrintable(in.errorString()));
        return 1;
    }
    QList<QJsonObject> results;
    int lineNumber = 0;
    for (const QByteArray& line : in.readAll().split('\n')) {
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (!document.isObject()) {
            std::fprintf(stderr, "bench_report: %s line %d is not a JSON object: %s\n",
                         qPrintable(in.fileName()), lineNumber, qPrintable(error.errorString()));
            return 1;
        }
        results.append(document.object());
    }

    QJsonObject meta;
    for (const QString& pair : parser.values(QStringLiteral("meta"))) {
        const qsizetype equals = pair.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            std::fprintf(stderr, "bench_report: --meta takes KEY=VALUE, not \"%s\"\n", qPrintable(pair));
            return 2;
        }
        meta.insert(pair.left(equals), pair.mid(equals + 1));
    }

    // The machine the benchmarks ran on (scripts/bench passes cpus=$(nproc)), else this one.
    const int cores = meta.contains(QStringLiteral("cpus"))
                          ? meta.value(QStringLiteral("cpus")).toString().toInt()
                          : QThread::idealThreadCount();
    const ReportTable table(results, cores);
    std::fputs(table.text().toUtf8().constData(), stdout);
    if (!parser.isSet(QStringLiteral("out")))
        return 0;
    QJsonArray all;
    for (const QJsonObject& r : std::as_const(results))
        all.append(r);
    const QJsonObject document{
        {QStringLiteral("generated"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
        {QStringLiteral("meta"), meta},
        {QStringLiteral("results"), all},
        {QStringLiteral("targets"), table.targets()},
    };
    QFile out(parser.value(QStringLiteral("out")));
    const QByteArray text = QJsonDocument(document).toJson();
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(text) != text.size()) {
        std::fprintf(stderr, "bench_report: cannot write %s: %s\n", qPrintable(out.fileName()),
                     qPrintable(out.errorString()));
        return 1;
    }
    std::printf("\nresults written to %s\n", qPrintable(out.fileName()));
    return 0;
}
