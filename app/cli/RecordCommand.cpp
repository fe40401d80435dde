#include "cli/RecordCommand.h"

#include "cli/CliOutput.h"
#include "cli/RecordReport.h"
#include "inspect/RecordInspector.h"
#include "logging/Redactor.h"
#include "processes/JobTypes.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdio>

namespace ors {

namespace {

using cli::printErr;
using cli::printOut;

} // namespace

int RecordCommand::run(const Config& config, const QString& dataDir, const QString& sourceName,
                       const QString& resource, const QString& key, bool json) {
    const QString what = QStringLiteral("record %1 %2 \"%3\"").arg(sourceName, resource, key);
    const SourceConfig* source = config.source(sourceName);
    if (!source) {
        printErr(QStringLiteral("%1 failed: unknown source \"%2\"").arg(what, sourceName));
        return int(ExitCode::Usage); // as for every command
    }
    // Network and database reads happen in a pool thread; this thread only waits for them.
    QFutureWatcher<RecordComparison> watcher;
    QObject::connect(&watcher, &QFutureWatcher<RecordComparison>::finished, QCoreApplication::instance(),
                     [] { QCoreApplication::exit(0); });
    watcher.setFuture(QtConcurrent::run([source = *source, dataDir, resource, key] {
        return RecordInspector::inspect(source, dataDir, resource, key);
    }));
    QCoreApplication::exec();
    const RecordComparison comparison = watcher.result();
    if (!comparison.error.isEmpty()) {
        printErr(QStringLiteral("%1 failed: %2").arg(what, comparison.error));
        return int(ExitCode::Failure);
    }
    if (json)
        printOut(QString::fromUtf8(
            QJsonDocument(RecordReport::toJson(comparison)).toJson(QJsonDocument::Indented)));
    else
        printOut(RecordReport::toText(comparison));

    if (!comparison.mlsError.isEmpty())
        printErr(QStringLiteral("%1 failed: the MLS could not be read: %2").arg(what, comparison.mlsError));
    for (const DestinationRecord& d : comparison.destinations)
        if (!d.error.isEmpty())
            printErr(
                QStringLiteral("%1 failed: destination %2 could not be read: %3").arg(what, d.name, d.error));
    if (comparison.failed())
        return int(ExitCode::Failure);
    if (!comparison.foundAnywhere()) {
        printErr(QStringLiteral("%1: not found on the MLS nor in any destination").arg(what));
        return int(ExitCode::Failure);
    }
    return int(ExitCode::Success);
}

} // namespace ors
