#include "cli/CheckCommand.h"

#include "cli/CliOutput.h"
#include "inspect/SourceCheck.h"
#include "processes/JobTypes.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdio>

namespace ors {

int CheckCommand::run(const Config& config, const QString& dataDir, const QString& sourceName, bool json) {
    const SourceConfig* source = config.source(sourceName);
    if (!source) {
        cli::printErr(QStringLiteral("unknown source \"%1\"").arg(sourceName));
        return int(ExitCode::Usage);
    }
    // The requests run in a pool thread with their own event loop; this one only waits.
    QFutureWatcher<CheckReport> watcher;
    QObject::connect(&watcher, &QFutureWatcher<CheckReport>::finished, QCoreApplication::instance(),
                     [] { QCoreApplication::exit(0); });
    watcher.setFuture(
        QtConcurrent::run([source = *source, dataDir] { return SourceCheck::run(source, dataDir); }));
    QCoreApplication::exec();
    const CheckReport report = watcher.result();
    // Server answers quoted in the details pass the Redactor like every other output.
    const QString text =
        json ? QString::fromUtf8(QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented))
             : report.toText();
    cli::printOut(text);
    return int(report.ok() ? ExitCode::Success : ExitCode::Failure);
}

} // namespace ors
