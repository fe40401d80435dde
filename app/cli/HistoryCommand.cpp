#include "cli/HistoryCommand.h"

#include "cli/CliOutput.h"
#include "config/DataDir.h"
#include "processes/JobTypes.h"
#include "stats/RunJson.h"
#include "stats/StatsStore.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ors {

namespace {

constexpr int kMaxLimit = 100000;

QString localTime(const QString& iso) {
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODateWithMs);
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : iso;
}

QString durationText(const RunSummary& run) {
    const auto seconds = runDurationSeconds(run);
    if (!seconds)
        return QStringLiteral("-");
    if (*seconds < 60)
        return QString::number(*seconds, 'f', 1) + QLatin1Char('s');
    const qint64 whole = qint64(*seconds);
    if (whole < 3600)
        return QStringLiteral("%1m%2s").arg(whole / 60).arg(whole % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h%2m").arg(whole / 3600).arg((whole % 3600) / 60, 2, 10, QLatin1Char('0'));
}

// "Property -> db" or "Property" or "-".
QString place(const QString& resource, const QString& destination) {
    if (resource.isEmpty() && destination.isEmpty())
        return QStringLiteral("-");
    if (destination.isEmpty())
        return resource;
    return (resource.isEmpty() ? QStringLiteral("-") : resource) + QStringLiteral(" -> ") + destination;
}

QString runText(const RunDetail& detail) {
    const RunSummary& run = detail.run;
    QString out =
        QStringLiteral("#%1  %2  %3  %4  %5  %6  batch %7\n")
            .arg(QString::number(run.id), run.source, run.process.leftJustified(9), localTime(run.started),
                 durationText(run).rightJustified(7), run.result.leftJustified(7), run.batchId);
    if (!run.error.isEmpty())
        out += QStringLiteral("    error: %1\n").arg(run.error);
    for (const RunResourceCount& r : detail.resources)
        out += QStringLiteral("    %1: %2 downloaded%3, %4 page(s)\n")
                   .arg(r.resource)
                   .arg(r.downloaded)
                   .arg(r.expected < 0 ? QString() : QStringLiteral(" of %1 expected").arg(r.expected))
                   .arg(r.pages);
    for (const RunDestinationCount& d : detail.destinations)
        out += QStringLiteral("    %1 -> %2: %3 applied\n").arg(d.resource, d.destination).arg(d.applied);
    for (const RunFailure& f : detail.failures)
        out += QStringLiteral("    failure %1 %2 at %3: %4\n")
                   .arg(f.step, place(f.resource, f.destination), localTime(f.time), f.message);
    for (const StatsEvent& e : detail.events)
        out += QStringLiteral("    event %1 %2 at %3: %4\n")
                   .arg(e.kind, e.resource.isEmpty() ? QStringLiteral("-") : e.resource, localTime(e.time),
                        e.message);
    return out;
}

} // namespace

bool HistoryCommand::checkArguments(HistoryArguments& arguments, const QString& limitText) {
    if (!arguments.process.isEmpty() && !processFromName(arguments.process)) {
        cli::printErr(QStringLiteral("history: --process \"%1\" is not one of sync, purge, reconcile")
                          .arg(arguments.process));
        return false;
    }
    const QStringList results = StatsStore::runResults();
    if (!arguments.result.isEmpty() && !results.contains(arguments.result)) {
        cli::printErr(QStringLiteral("history: --result \"%1\" is not one of %2")
                          .arg(arguments.result, results.join(QStringLiteral(", "))));
        return false;
    }
    if (!limitText.isEmpty()) {
        bool ok = false;
        const int limit = limitText.toInt(&ok);
        if (!ok || limit < 1 || limit > kMaxLimit) {
            cli::printErr(QStringLiteral("history: --limit \"%1\" is not a number from 1 to %2")
                              .arg(limitText)
                              .arg(kMaxLimit));
            return false;
        }
        arguments.limit = limit;
    }
    return true;
}

int HistoryCommand::run(const Config& config, const QString& dataDir, const HistoryArguments& arguments) {
    if (!arguments.source.isEmpty() && !config.source(arguments.source)) {
        cli::printErr(QStringLiteral("unknown source \"%1\"").arg(arguments.source));
        return int(ExitCode::Usage);
    }
    QList<RunDetail> runs;
    StatsStore stats(config.stats, dataDir);
    // Opening would create the file (and its folder): a data directory that never ran stays as it is.
    if (stats.exists()) {
        if (auto opened = stats.open(); !opened) {
            cli::printErr(QStringLiteral("history failed: %1").arg(opened.errorMessage()));
            return int(ExitCode::Failure);
        }
        RunQuery query;
        query.source = arguments.source;
        query.process = arguments.process;
        query.result = arguments.result;
        query.limit = arguments.limit;
        auto read = stats.history(query);
        if (!read) {
            cli::printErr(QStringLiteral("history failed: %1").arg(read.errorMessage()));
            return int(ExitCode::Failure);
        }
        runs = std::move(*read);
    }
    if (arguments.json) {
        QJsonArray array;
        for (const RunDetail& detail : std::as_const(runs))
            array.append(runJson(detail));
        cli::printOut(QJsonDocument(array).toJson(QJsonDocument::Indented));
    } else {
        QString out;
        for (const RunDetail& detail : std::as_const(runs))
            out += runText(detail);
        cli::printOut(out);
    }
    if (runs.isEmpty())
        cli::printErr(QStringLiteral("history: no runs recorded%1")
                          .arg(arguments.source.isEmpty() ? QString()
                                                          : QStringLiteral(" for %1").arg(arguments.source)));
    return int(ExitCode::Success);
}

} // namespace ors
