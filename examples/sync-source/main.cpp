// sync-source: one sync of one configured source, to completion, with the installed sync core
// (find_package(OpenReSyncCore)). What `openresync-cli sync SOURCE` does, without its extras
// (signals, alerts, history output): a starting point for programs of your own.
//
//   sync-source CONFIG.json SOURCE [DATA_DIR]
//
// Progress goes to stderr; the exit code is 0 on success and the job's own code otherwise
// (1 failure, 2 usage, 3 refused).
#include "config/ConfigLoader.h"
#include "config/DataDir.h"
#include "config/TableWriters.h"
#include "processes/SyncProcess.h"
#include "runner/ProgressText.h"

#include <QCoreApplication>
#include <QThreadPool>

#include <cstdio>

namespace {

void printErr(const QString& line) {
    std::fprintf(stderr, "%s\n", line.toLocal8Bit().constData());
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    // The data directory's default location is derived from these, as for openresync-cli.
    QCoreApplication::setOrganizationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationName(QStringLiteral("openresync"));

    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 3 || args.size() > 4) {
        printErr(QStringLiteral("usage: sync-source CONFIG.json SOURCE [DATA_DIR]"));
        return int(ors::ExitCode::Usage);
    }
    const QString sourceName = args.at(2);

    // Loading validates the file and resolves no secrets: the job resolves them in its thread.
    ors::ConfigLoadResult loaded = ors::ConfigLoader::loadFile(args.at(1));
    for (const QString& warning : std::as_const(loaded.warnings))
        printErr(QStringLiteral("warning: %1").arg(warning));
    if (!loaded.config) {
        for (const QString& error : std::as_const(loaded.errors))
            printErr(error);
        return int(ors::ExitCode::Usage);
    }
    ors::Config config = *loaded.config;
    const QString dataDir = ors::resolveDataDir(args.size() > 3 ? args.at(3) : QString(), &config);

    // Settles SQLite paths (relative ones are under the data directory) and refuses two
    // destinations of the source writing one table, as every openresync-cli command does.
    QStringList errors;
    QStringList warnings;
    const bool settled = ors::TableWriters::settle(config, ors::DataLayout(dataDir), errors, warnings);
    for (const QString& line : std::as_const(warnings))
        printErr(QStringLiteral("warning: %1").arg(line));
    for (const QString& line : std::as_const(errors))
        printErr(line);
    if (!settled)
        return int(ors::ExitCode::Usage);
    const ors::SourceConfig* source = config.source(sourceName);
    if (!source) {
        printErr(QStringLiteral("unknown source \"%1\"").arg(sourceName));
        return int(ors::ExitCode::Usage);
    }

    // The job runs on a pool thread and reports by queued signals; this thread only listens.
    ors::SyncProcess job(*source, dataDir);
    ors::JobResult result;
    QObject::connect(
        &job, &ors::ProcessJob::progress, &app,
        [](const ors::JobProgress& p) { printErr(ors::describeProgress(p)); }, Qt::QueuedConnection);
    QObject::connect(
        &job, &ors::ProcessJob::finished, &app,
        [&result](const ors::JobResult& r) {
            result = r;
            QCoreApplication::exit(0);
        },
        Qt::QueuedConnection);
    QThreadPool::globalInstance()->start(&job);
    QCoreApplication::exec();
    QThreadPool::globalInstance()->waitForDone();

    for (const QString& warning : std::as_const(result.warnings))
        printErr(QStringLiteral("warning: %1").arg(warning));
    if (!result.ok()) {
        printErr(QStringLiteral("sync %1 failed: %2").arg(sourceName, result.error));
        return int(result.exitCode);
    }
    printErr(QStringLiteral("sync %1: %2 records downloaded, %3 applied")
                 .arg(sourceName)
                 .arg(result.recordsDownloaded)
                 .arg(result.recordsApplied));
    return 0;
}
