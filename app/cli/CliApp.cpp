#include "cli/CliApp.h"

#include "alerts/Notifier.h"
#include "cli/CheckCommand.h"
#include "cli/CliOutput.h"
#include "cli/CliProgress.h"
#include "cli/ControlCommands.h"
#include "cli/HistoryCommand.h"
#include "cli/InitCommand.h"
#include "cli/LoadedConfig.h"
#include "cli/LogsCommand.h"
#include "cli/RecordCommand.h"
#include "cli/RejectedCommand.h"
#include "cli/ResetMarkCommand.h"
#include "cli/ScheduleCommand.h"
#include "cli/ServeCommand.h"
#include "cli/StopSignals.h"
#include "cli/SupportCommands.h"
#include "config/CommandLine.h"
#include "config/DataDir.h"
#include "inspect/StatusReport.h"
#include "logging/Redactor.h"
#include "processes/PurgeProcess.h"
#include "processes/ReconcileProcess.h"
#include "processes/SyncProcess.h"
#include "processes/Unblock.h"
#include "records/Timestamps.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QtConcurrent/QtConcurrentRun>
#include <QThreadPool>

#include <csignal>
#include <cstdio>
#include <optional>

namespace ors {

namespace {

using cli::printErr;
using cli::printOut;

const char* kUsage =
    "usage: openresync-cli [--config FILE] [--data-dir DIR] COMMAND\n"
    "commands:\n"
    "  init --platform trestle|mlsgrid|bridge|spark|generic [--output FILE] [--force]\n"
    "                                   write a starter configuration (default: where it is looked for)\n"
    "  validate                         check the configuration\n"
    "  sync SOURCE [--resource NAME] [--resume-only]\n"
    "                                   sync one source to completion (--resume-only: finish an\n"
    "                                   unfinished batch without asking for newer changes)\n"
    "  status [SOURCE] [--json]         MLS and destination counts, last runs\n"
    "  purge SOURCE [--resource NAME] [--dry-run] [--allow-large-delete] [--json]\n"
    "                                   delete what the MLS no longer has (exit 3: refused)\n"
    "  reconcile SOURCE [--resource NAME] fetch what the destinations miss or hold stale\n"
    "  unblock SOURCE PROCESS [--skip-file | --discard-batch]\n"
    "                                   clear a blocked step of sync, purge or reconcile\n"
    "  record SOURCE RESOURCE KEY [--json]\n"
    "                                   one record on the MLS beside each destination's copy\n"
    "  check SOURCE [--json]            test token, $metadata, one page per resource, quota headers\n"
    "  reset-mark SOURCE [--resource R] [--destination D] (--to TIMESTAMP | --full)\n"
    "                                   lower or clear high-water marks (where the next sync starts)\n"
    "  rejected SOURCE [--json]         records set aside because a destination could not store them\n"
    "  schedule [SOURCE] [--at TIMESTAMP] [--json]\n"
    "                                   each schedule's next fire time (local and UTC), overlaps marked\n"
    "  logs SOURCE [--follow] [--level LEVEL] [--process P] [--since WHEN] [--json]\n"
    "                                   the source's log, readable (raw NDJSON with --json); LEVEL\n"
    "                                   debug|info|warn|error, WHEN 90s|15m|2h|3d or an ISO 8601 time\n"
    "  history [SOURCE] [--process P] [--result R] [--limit N] [--json]\n"
    "                                   recorded runs, newest first, with counts, failures, events\n"
    "                                   (R: success|error|refused|cancelled|running)\n"
    "  serve                            run every schedule until SIGINT/SIGTERM (SIGHUP reloads); waits\n"
    "                                   in standby while another instance runs this data directory\n"
    "  jobs [--json]                    running and queued jobs of the running serve or window\n"
    "  run SOURCE PROCESS [--resource R] [--dry-run] [--allow-large-delete] [--resume-only]\n"
    "                                   queue sync, purge or reconcile in the running instance; without\n"
    "                                   one, run it here as the sync, purge and reconcile commands do\n"
    "  cancel SOURCE                    stop the source's job at its next checkpoint, drop its queued ones\n"
    "  pause | resume [SOURCE]          pause or resume the running instance's schedules (of SOURCE only)\n"
    "  diagnostics [--output FILE.zip] [--days N]\n"
    "                                   a zip for support: logs of the last N days (default 7), the\n"
    "                                   configuration without secrets, state, stats, versions, last errors\n"
    "  export-config FILE.zip           the configuration (sources, schedules, alerts) to move to another\n"
    "                                   machine; secrets written as text are left out\n"
    "  import-config FILE.zip [--secret PATH=REF]... [--force]\n"
    "                                   install an exported configuration; each left-out secret needs a\n"
    "                                   reference (asked on a terminal); --force replaces an existing one\n";

using Loaded = LoadedConfig;

std::optional<Loaded> loadConfig(const QCommandLineParser& parser) {
    return LoadedConfig::load(locationOptions(parser));
}

// Runs one process job on the pool while this thread shows its progress. SIGINT or SIGTERM
// cancels it at its next checkpoint; *stoppedBy is then that signal.
JobResult runJob(ProcessJob* job, int* stoppedBy) {
    CliProgress progress;
    JobResult result;
    StopSignals stopSignals([job](int number) {
        printErr(
            QStringLiteral("%1 received: stopping at the next checkpoint (send it again to exit at once)")
                .arg(number == SIGINT ? QStringLiteral("SIGINT") : QStringLiteral("SIGTERM")));
        job->cancel();
    });
    QObject::connect(job, &ProcessJob::progress, &progress, &CliProgress::show, Qt::QueuedConnection);
    QObject::connect(
        job, &ProcessJob::finished, QCoreApplication::instance(),
        [&result](const JobResult& r) {
            result = r;
            QCoreApplication::exit(0);
        },
        Qt::QueuedConnection);
    QThreadPool::globalInstance()->start(job);
    QCoreApplication::exec();
    QThreadPool::globalInstance()->waitForDone();
    progress.finish();
    *stoppedBy = stopSignals.received();
    return result;
}

// Tells alerts.channels what the run changed (a failure, a recovery, a blocked step, a quota or a
// late sync of its source), so a system-cron user is told too; waits for the deliveries, whose
// failures are warnings only. A run stopped by a signal is neither a failure nor a success.
void notifyAlerts(const Loaded& loaded, const JobResult& result, int stoppedBy) {
    if (!loaded.config.alerts.enabled() || (stoppedBy != 0 && !result.ok()))
        return;
    Notifier notifier(loaded.config, loaded.dataDir);
    notifier.jobFinished(result).waitForFinished();
}

// A job stopped by a signal exits 128 + the signal (130 SIGINT, 143 SIGTERM); it resumes on the
// next run. A job that ended anyway keeps its own outcome.
std::optional<int> stoppedExit(const QString& what, const JobResult& result, int signal) {
    if (signal == 0 || result.ok())
        return std::nullopt;
    printErr(QStringLiteral("%1 stopped by %2; run it again to resume")
                 .arg(what, signal == SIGINT ? QStringLiteral("SIGINT") : QStringLiteral("SIGTERM")));
    return 128 + signal;
}

const SourceConfig* findSource(const Loaded& loaded, const QString& sourceName) {
    const SourceConfig* source = loaded.config.source(sourceName);
    if (!source)
        printErr(QStringLiteral("unknown source \"%1\"").arg(sourceName));
    return source;
}

// A run that took up an unfinished batch says so, and from when, whatever its outcome.
void printResumed(const JobResult& result) {
    if (result.resumedFrom.isEmpty())
        return;
    QString line = QStringLiteral("%1 %2: resumed the unfinished batch begun at %3")
                       .arg(result.process, result.source, result.resumedFrom);
    if (result.resumedApplied >= 0)
        line += QStringLiteral(" (%1 records applied from it)").arg(result.resumedApplied);
    printErr(line);
}

int runSync(const Loaded& loaded, const QString& sourceName, const SyncOptions& options) {
    const SourceConfig* source = findSource(loaded, sourceName);
    if (!source)
        return int(ExitCode::Usage);
    SyncProcess job(*source, loaded.dataDir, options);
    int signal = 0;
    const JobResult result = runJob(&job, &signal);
    printResumed(result);
    notifyAlerts(loaded, result, signal);
    if (auto code = stoppedExit(QStringLiteral("sync %1").arg(sourceName), result, signal))
        return *code;
    if (!result.ok()) {
        printErr(QStringLiteral("sync %1 failed: %2").arg(sourceName, result.error));
        // Destinations behind: the others took the changes, which is worth counting too.
        if (!result.behind.isEmpty())
            printErr(
                QStringLiteral("sync %1: %2 records downloaded, %3 applied to the destinations still going")
                    .arg(sourceName)
                    .arg(result.recordsDownloaded)
                    .arg(result.recordsApplied));
        return int(result.exitCode);
    }
    for (const QString& warning : result.warnings)
        printErr(QStringLiteral("warning: %1").arg(warning));
    printErr(QStringLiteral("sync %1: %2 records downloaded, %3 applied")
                 .arg(sourceName)
                 .arg(result.recordsDownloaded)
                 .arg(result.recordsApplied));
    return 0;
}

int runReconcile(const Loaded& loaded, const QString& sourceName, const QString& resource) {
    const SourceConfig* source = findSource(loaded, sourceName);
    if (!source)
        return int(ExitCode::Usage);
    ReconcileProcess job(*source, loaded.dataDir, ReconcileOptions{resource});
    int signal = 0;
    const JobResult result = runJob(&job, &signal);
    printResumed(result);
    notifyAlerts(loaded, result, signal);
    if (auto code = stoppedExit(QStringLiteral("reconcile %1").arg(sourceName), result, signal))
        return *code;
    if (!result.ok()) {
        printErr(QStringLiteral("reconcile %1 failed: %2").arg(sourceName, result.error));
        // Destinations behind: the others were reconciled, which is worth counting too.
        if (!result.behind.isEmpty())
            printErr(QStringLiteral("reconcile %1: %2 missing or stale records fetched, %3 applied to the "
                                    "destinations still going")
                         .arg(sourceName)
                         .arg(result.recordsDownloaded)
                         .arg(result.recordsApplied));
        return int(result.exitCode);
    }
    for (const QString& warning : result.warnings)
        printErr(QStringLiteral("warning: %1").arg(warning));
    printErr(QStringLiteral("reconcile %1: %2 missing or stale records fetched, %3 applied")
                 .arg(sourceName)
                 .arg(result.recordsDownloaded)
                 .arg(result.recordsApplied));
    return 0;
}

int runPurge(const Loaded& loaded, const QString& sourceName, const PurgeOptions& options, bool json) {
    const SourceConfig* source = findSource(loaded, sourceName);
    if (!source)
        return int(ExitCode::Usage);
    PurgeProcess job(*source, loaded.dataDir, options);
    int signal = 0;
    const JobResult result = runJob(&job, &signal);
    printResumed(result);
    notifyAlerts(loaded, result, signal);
    for (const QString& warning : job.warnings())
        printErr(QStringLiteral("warning: purge %1: %2").arg(sourceName, warning));
    if (auto code = stoppedExit(QStringLiteral("purge %1").arg(sourceName), result, signal))
        return *code;
    const QJsonArray& findings = job.findings();
    const auto printFindings = [&]() {
        for (const QJsonValue f : findings) {
            QString line =
                QStringLiteral("purge %1 %2 -> %3: %4 %5 of %6 rows")
                    .arg(sourceName, f[QStringLiteral("resource")].toString(),
                         f[QStringLiteral("destination")].toString(),
                         options.dryRun ? QStringLiteral("would delete") : QStringLiteral("deleted"))
                    .arg(f[QStringLiteral("deletes")].toInteger())
                    .arg(f[QStringLiteral("destinationRows")].toInteger());
            if (f[QStringLiteral("kept")].toInteger() > 0)
                line += QStringLiteral(" (kept %1 changed since the key download began)")
                            .arg(f[QStringLiteral("kept")].toInteger());
            if (f[QStringLiteral("failed")].isString())
                line += QStringLiteral(" before it failed: %1").arg(f[QStringLiteral("failed")].toString());
            printErr(line);
        }
    };
    if (!result.ok()) {
        printErr(QStringLiteral("purge %1 %2: %3")
                     .arg(sourceName,
                          result.exitCode == ExitCode::Refused ? QStringLiteral("refused")
                                                               : QStringLiteral("failed"),
                          result.error));
        // Destinations behind: what the others' purge did is worth knowing too.
        if (!result.behind.isEmpty())
            printFindings();
        return int(result.exitCode);
    }
    if (json) {
        printOut(QJsonDocument(
                     QJsonObject{{QStringLiteral("source"), sourceName},
                                 {QStringLiteral("dryRun"), options.dryRun},
                                 {QStringLiteral("destinations"), findings},
                                 {QStringLiteral("warnings"), QJsonArray::fromStringList(job.warnings())}})
                     .toJson(QJsonDocument::Indented));
    } else if (options.dryRun) {
        // One line per key that would be deleted: destination, resource, key (tab-separated).
        QByteArray out;
        for (const QJsonValue f : findings)
            for (const QJsonValue key : f[QStringLiteral("keys")].toArray())
                out += f[QStringLiteral("destination")].toString().toUtf8() + '\t' +
                       f[QStringLiteral("resource")].toString().toUtf8() + '\t' + key.toString().toUtf8() +
                       '\n';
        printOut(out);
    }
    printFindings();
    return 0;
}

int runStatus(const Loaded& loaded, const QString& sourceName, bool json) {
    if (!sourceName.isEmpty() && !loaded.config.source(sourceName)) {
        printErr(QStringLiteral("unknown source \"%1\"").arg(sourceName));
        return int(ExitCode::Usage);
    }
    // Network and database reads happen in a pool thread; this thread only waits for them.
    QFutureWatcher<QJsonObject> watcher;
    QObject::connect(&watcher, &QFutureWatcher<QJsonObject>::finished, QCoreApplication::instance(),
                     [] { QCoreApplication::exit(0); });
    watcher.setFuture(QtConcurrent::run([config = loaded.config, dataDir = loaded.dataDir, sourceName] {
        return StatusReport::collect(config, dataDir, sourceName);
    }));
    QCoreApplication::exec();
    const QJsonObject report = watcher.result();
    if (json)
        printOut(QJsonDocument(report).toJson(QJsonDocument::Indented));
    else
        printOut(StatusReport::toText(report).toUtf8());
    return 0;
}

// `run SOURCE PROCESS`: queued in the instance running the schedules, else run here as `sync`,
// `purge` or `reconcile` run it.
int runCommand(const QCommandLineParser& parser, const QStringList& args) {
    if (args.size() != 3) {
        printErr(QStringLiteral("run: wrong number of arguments"));
        std::fputs(kUsage, stderr);
        return int(ExitCode::Usage);
    }
    const auto process = processFromName(args.at(2));
    if (!process) {
        printErr(
            QStringLiteral("run: unknown process \"%1\" (expected sync, purge, reconcile)").arg(args.at(2)));
        return int(ExitCode::Usage);
    }
    auto loaded = loadConfig(parser);
    if (!loaded)
        return int(ExitCode::Usage);
    JobRequest request;
    request.source = args.at(1);
    request.process = *process;
    request.options.resource = parser.value(QStringLiteral("resource"));
    request.options.dryRun = parser.isSet(QStringLiteral("dry-run"));
    request.options.allowLargeDelete = parser.isSet(QStringLiteral("allow-large-delete"));
    request.options.resumeOnly = parser.isSet(QStringLiteral("resume-only"));
    if (!loaded->config.source(request.source)) {
        printErr(QStringLiteral("unknown source \"%1\"").arg(request.source));
        return int(ExitCode::Usage);
    }
    if (auto code = ControlCommands::run(loaded->dataDir, request))
        return *code;
    switch (*process) {
    case ProcessType::Sync:
        return runSync(*loaded, request.source,
                       SyncOptions{request.options.resource, request.options.resumeOnly});
    case ProcessType::Purge: {
        PurgeOptions options;
        options.resource = request.options.resource;
        options.dryRun = request.options.dryRun;
        options.allowLargeDelete = request.options.allowLargeDelete;
        return runPurge(*loaded, request.source, options, parser.isSet(QStringLiteral("json")));
    }
    case ProcessType::Reconcile:
        return runReconcile(*loaded, request.source, request.options.resource);
    }
    return int(ExitCode::Usage);
}

} // namespace

int CliApp::run(const QStringList& arguments) {
    qRegisterMetaType<JobProgress>();
    qRegisterMetaType<JobResult>();
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("OpenReSync: replicate RESO Web API data into your databases"));
    parser.addHelpOption();
    parser.addVersionOption();
    addLocationOptions(parser);
    parser.addOption(
        {QStringLiteral("resource"), QStringLiteral("Only this resource."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON document on stdout.")});
    parser.addOption({QStringLiteral("verbose"), QStringLiteral("Print informational log lines on stderr.")});
    parser.addOption(
        {QStringLiteral("resume-only"),
         QStringLiteral("sync: finish an unfinished batch, then stop without asking for newer changes.")});
    parser.addOption(
        {QStringLiteral("dry-run"), QStringLiteral("purge: list what would be deleted, delete nothing.")});
    parser.addOption(
        {QStringLiteral("allow-large-delete"),
         QStringLiteral("purge: ignore purge.maxDeletes and purge.maxDeletePercent for this run.")});
    parser.addOption(
        {QStringLiteral("skip-file"), QStringLiteral("unblock: skip the failing file for its destination.")});
    parser.addOption(
        {QStringLiteral("discard-batch"), QStringLiteral("unblock: drop the unfinished batch.")});
    parser.addOption({QStringLiteral("destination"), QStringLiteral("reset-mark: only this destination."),
                      QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("to"),
                      QStringLiteral("reset-mark: lower the marks to this ISO-8601 instant."),
                      QStringLiteral("TIMESTAMP")});
    parser.addOption({QStringLiteral("full"),
                      QStringLiteral("reset-mark: clear the marks; the next sync downloads everything.")});
    parser.addOption({QStringLiteral("at"),
                      QStringLiteral("schedule: the next fires after this ISO-8601 instant instead of now."),
                      QStringLiteral("TIMESTAMP")});
    parser.addOption(
        {QStringLiteral("follow"),
         QStringLiteral("logs: keep printing lines as they are appended (until SIGINT/SIGTERM).")});
    parser.addOption({QStringLiteral("level"),
                      QStringLiteral("logs: only this level and above (debug, info, warn, error)."),
                      QStringLiteral("LEVEL")});
    parser.addOption({QStringLiteral("process"),
                      QStringLiteral("logs, history: only this process (sync, purge, reconcile)."),
                      QStringLiteral("P")});
    parser.addOption(
        {QStringLiteral("since"),
         QStringLiteral("logs: entries since a duration ago (90s, 15m, 2h, 3d) or an ISO 8601 time."),
         QStringLiteral("WHEN")});
    parser.addOption(
        {QStringLiteral("result"),
         QStringLiteral("history: only runs with this result (success, error, refused, cancelled, running)."),
         QStringLiteral("R")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("history: at most N runs (default 20)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("output"),
                      QStringLiteral("diagnostics: the zip to write; init: the configuration file to write."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("days"),
                      QStringLiteral("diagnostics: logs of the last N days (default 7)."),
                      QStringLiteral("N")});
    parser.addOption(
        {QStringLiteral("secret"),
         QStringLiteral("import-config: a reference for a left-out secret, PATH=REF (repeatable)."),
         QStringLiteral("PATH=REF")});
    parser.addOption(
        {QStringLiteral("force"),
         QStringLiteral(
             "import-config, init: replace an existing configuration (import keeps it as .bak).")});
    parser.addOption({QStringLiteral("platform"),
                      QStringLiteral("init: the platform of the starter configuration."),
                      QStringLiteral("P")});
    parser.addPositionalArgument(
        QStringLiteral("command"),
        QStringLiteral(
            "init | validate | sync | status | purge | reconcile | unblock | record | check | reset-mark | "
            "rejected | schedule | logs | history | serve | jobs | run | cancel | pause | resume | "
            "diagnostics | "
            "export-config | import-config"));
    if (!parser.parse(arguments)) {
        printErr(parser.errorText());
        std::fputs(kUsage, stderr);
        return int(ExitCode::Usage);
    }
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText().toUtf8() + '\n' + QByteArray(kUsage));
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        printOut(QByteArray("openresync-cli " OPENRESYNC_VERSION "\n"));
        return 0;
    }
    if (!parser.isSet(QStringLiteral("verbose")))
        QLoggingCategory::setFilterRules(QStringLiteral("openresync.*.info=false\nopenresync.*.debug=false"));

    const QStringList args = parser.positionalArguments();
    if (args.isEmpty()) {
        std::fputs(kUsage, stderr);
        return int(ExitCode::Usage);
    }
    const QString command = args.first();
    auto expectArgs = [&](int min, int max) {
        if (args.size() - 1 < min || args.size() - 1 > max) {
            printErr(QStringLiteral("%1: wrong number of arguments").arg(command));
            std::fputs(kUsage, stderr);
            return false;
        }
        return true;
    };

    if (command == QLatin1String("init")) {
        if (!expectArgs(0, 0))
            return int(ExitCode::Usage);
        return InitCommand::run(locationOptions(parser), {parser.value(QStringLiteral("platform")),
                                                          parser.value(QStringLiteral("output")),
                                                          parser.isSet(QStringLiteral("force"))});
    }
    if (command == QLatin1String("validate")) {
        if (!expectArgs(0, 0))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        printErr(QStringLiteral("configuration is valid: %1 source(s)").arg(loaded->config.sources.size()));
        return 0;
    }
    if (command == QLatin1String("sync")) {
        if (!expectArgs(1, 1))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        SyncOptions options;
        options.resource = parser.value(QStringLiteral("resource"));
        options.resumeOnly = parser.isSet(QStringLiteral("resume-only"));
        return runSync(*loaded, args.at(1), options);
    }
    if (command == QLatin1String("status")) {
        if (!expectArgs(0, 1))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return runStatus(*loaded, args.size() > 1 ? args.at(1) : QString(),
                         parser.isSet(QStringLiteral("json")));
    }
    if (command == QLatin1String("reconcile")) {
        if (!expectArgs(1, 1))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return runReconcile(*loaded, args.at(1), parser.value(QStringLiteral("resource")));
    }
    if (command == QLatin1String("purge")) {
        if (!expectArgs(1, 1))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        PurgeOptions options;
        options.resource = parser.value(QStringLiteral("resource"));
        options.dryRun = parser.isSet(QStringLiteral("dry-run"));
        options.allowLargeDelete = parser.isSet(QStringLiteral("allow-large-delete"));
        return runPurge(*loaded, args.at(1), options, parser.isSet(QStringLiteral("json")));
    }
    if (command == QLatin1String("unblock")) {
        if (!expectArgs(2, 2))
            return int(ExitCode::Usage);
        const auto process = processFromName(args.at(2));
        if (!process) {
            printErr(QStringLiteral("unblock: unknown process \"%1\" (expected sync, purge, reconcile)")
                         .arg(args.at(2)));
            return int(ExitCode::Usage);
        }
        if (parser.isSet(QStringLiteral("skip-file")) && parser.isSet(QStringLiteral("discard-batch"))) {
            printErr(QStringLiteral("unblock: --skip-file and --discard-batch exclude each other"));
            return int(ExitCode::Usage);
        }
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        const SourceConfig* source = loaded->config.source(args.at(1));
        if (!source) {
            printErr(QStringLiteral("unknown source \"%1\"").arg(args.at(1)));
            return int(ExitCode::Usage);
        }
        const UnblockMode mode = parser.isSet(QStringLiteral("skip-file"))       ? UnblockMode::SkipFile
                                 : parser.isSet(QStringLiteral("discard-batch")) ? UnblockMode::DiscardBatch
                                                                                 : UnblockMode::Retry;
        auto done = Unblock::run(*source, DataLayout(loaded->dataDir), *process, mode);
        if (!done) {
            printErr(QStringLiteral("unblock %1 failed: %2").arg(source->name, done.errorMessage()));
            return int(ExitCode::Failure);
        }
        printErr(*done);
        return 0;
    }
    if (command == QLatin1String("record")) {
        if (!expectArgs(3, 3))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return RecordCommand::run(loaded->config, loaded->dataDir, args.at(1), args.at(2), args.at(3),
                                  parser.isSet(QStringLiteral("json")));
    }
    if (command == QLatin1String("check")) {
        if (!expectArgs(1, 1))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return CheckCommand::run(loaded->config, loaded->dataDir, args.at(1),
                                 parser.isSet(QStringLiteral("json")));
    }
    if (command == QLatin1String("reset-mark")) {
        if (!expectArgs(1, 1))
            return int(ExitCode::Usage);
        ResetMarkArguments arguments;
        arguments.source = args.at(1);
        arguments.resource = parser.value(QStringLiteral("resource"));
        arguments.destination = parser.value(QStringLiteral("destination"));
        if (parser.isSet(QStringLiteral("to")))
            arguments.to = parser.value(QStringLiteral("to"));
        arguments.full = parser.isSet(QStringLiteral("full"));
        // Argument mistakes are reported before the configuration is read.
        if (auto code = ResetMarkCommand::checkArguments(arguments))
            return *code;
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return ResetMarkCommand::run(loaded->config, loaded->dataDir, arguments);
    }
    if (command == QLatin1String("rejected")) {
        if (!expectArgs(1, 1))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return RejectedCommand::run(loaded->config, loaded->dataDir, args.at(1),
                                    parser.isSet(QStringLiteral("json")));
    }
    if (command == QLatin1String("schedule")) {
        if (!expectArgs(0, 1))
            return int(ExitCode::Usage);
        QDateTime at = QDateTime::currentDateTimeUtc();
        if (parser.isSet(QStringLiteral("at"))) {
            const QString text = parser.value(QStringLiteral("at"));
            const auto parsed = parseTimestamp(text);
            if (!parsed) {
                printErr(QStringLiteral("schedule: --at \"%1\" is not an ISO-8601 instant with a time zone "
                                        "(e.g. 2026-03-08T08:00:00Z)")
                             .arg(text));
                return int(ExitCode::Usage);
            }
            at = *parsed;
        }
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return ScheduleCommand::run(loaded->config, args.size() > 1 ? args.at(1) : QString(), at,
                                    parser.isSet(QStringLiteral("json")));
    }
    if (command == QLatin1String("diagnostics")) {
        if (!expectArgs(0, 0))
            return int(ExitCode::Usage);
        return SupportCommands::diagnostics(locationOptions(parser), {parser.value(QStringLiteral("output")),
                                                                      parser.value(QStringLiteral("days"))});
    }
    if (command == QLatin1String("export-config")) {
        if (!expectArgs(1, 1))
            return int(ExitCode::Usage);
        return SupportCommands::exportConfig(locationOptions(parser), args.at(1));
    }
    if (command == QLatin1String("import-config")) {
        if (!expectArgs(1, 1))
            return int(ExitCode::Usage);
        return SupportCommands::importConfig(
            locationOptions(parser),
            {args.at(1), parser.values(QStringLiteral("secret")), parser.isSet(QStringLiteral("force"))});
    }
    if (command == QLatin1String("logs")) {
        if (!expectArgs(1, 1))
            return int(ExitCode::Usage);
        LogsArguments arguments;
        arguments.source = args.at(1);
        arguments.follow = parser.isSet(QStringLiteral("follow"));
        arguments.json = parser.isSet(QStringLiteral("json"));
        arguments.level = parser.value(QStringLiteral("level"));
        arguments.process = parser.value(QStringLiteral("process"));
        arguments.since = parser.value(QStringLiteral("since"));
        const auto filter = LogsCommand::checkArguments(arguments);
        if (!filter)
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return LogsCommand::run(loaded->config, loaded->dataDir, arguments, *filter);
    }
    if (command == QLatin1String("history")) {
        if (!expectArgs(0, 1))
            return int(ExitCode::Usage);
        HistoryArguments arguments;
        arguments.source = args.size() > 1 ? args.at(1) : QString();
        arguments.process = parser.value(QStringLiteral("process"));
        arguments.result = parser.value(QStringLiteral("result"));
        arguments.json = parser.isSet(QStringLiteral("json"));
        if (!HistoryCommand::checkArguments(arguments, parser.value(QStringLiteral("limit"))))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return HistoryCommand::run(loaded->config, loaded->dataDir, arguments);
    }
    if (command == QLatin1String("serve")) {
        if (!expectArgs(0, 0))
            return int(ExitCode::Usage);
        return ServeCommand::run(locationOptions(parser));
    }
    if (command == QLatin1String("jobs")) {
        if (!expectArgs(0, 0))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return ControlCommands::jobs(loaded->dataDir, parser.isSet(QStringLiteral("json")));
    }
    if (command == QLatin1String("run"))
        return runCommand(parser, args);
    if (command == QLatin1String("cancel")) {
        if (!expectArgs(1, 1))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return ControlCommands::cancel(loaded->dataDir, args.at(1));
    }
    if (command == QLatin1String("pause") || command == QLatin1String("resume")) {
        if (!expectArgs(0, 1))
            return int(ExitCode::Usage);
        auto loaded = loadConfig(parser);
        if (!loaded)
            return int(ExitCode::Usage);
        return ControlCommands::pause(loaded->dataDir, command == QLatin1String("pause"),
                                      args.size() > 1 ? args.at(1) : QString());
    }
    printErr(QStringLiteral("unknown command \"%1\"").arg(command));
    std::fputs(kUsage, stderr);
    return int(ExitCode::Usage);
}

} // namespace ors
