#include "cli/ServeCommand.h"

#include "cli/CliOutput.h"
#include "cli/HangupSignal.h"
#include "cli/StopSignals.h"
#include "config/DataDir.h"
#include "logging/SourceLog.h"
#include "processes/JobTypes.h"
#include "runner/ProgressText.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

#include <csignal>
#include <unistd.h>

namespace ors {

namespace {

using cli::printErr;

// A running job says how far it got at most this often in the journal.
constexpr qint64 kProgressLineMs = 60000;

QString jobName(const QJsonObject& fields) {
    return QStringLiteral("%1 %2").arg(fields.value(QStringLiteral("process")).toString(),
                                       fields.value(QStringLiteral("source")).toString());
}

QString instanceName(const QJsonObject& hello) {
    return QStringLiteral("%1 (process %2)")
        .arg(hello.value(QStringLiteral("kind")).toString(QStringLiteral("unknown")),
             hello.value(QStringLiteral("pid")).toVariant().toString());
}

} // namespace

int ServeCommand::run(const LocationOptions& where) {
    std::optional<LoadedConfig> loaded = LoadedConfig::load(where);
    if (!loaded)
        return int(ExitCode::Usage);
    ServeCommand serve(where, std::move(*loaded));
    return serve.exec();
}

ServeCommand::ServeCommand(const LocationOptions& where, LoadedConfig loaded)
    : m_where(where)
    , m_loaded(std::move(loaded)) {
    // A reload reads the file that was found at start, wherever it was found.
    m_where.config = m_loaded.path;
    m_host.setConfig(m_loaded.config, m_loaded.dataDir);
    connect(&m_host, &ServiceHost::published, this, &ServeCommand::onEvent);
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(kReloadDebounceMs);
    connect(&m_reloadTimer, &QTimer::timeout, this,
            [this] { reload(QStringLiteral("the configuration file changed")); });
    m_standbyTimer.setInterval(kStandbyCheckMs);
    connect(&m_standbyTimer, &QTimer::timeout, this, &ServeCommand::tryStart);
}

ServeCommand::~ServeCommand() = default;

int ServeCommand::exec() {
    const DataLayout layout(m_loaded.dataDir);
    if (auto made = layout.ensureRoot(); !made) {
        printErr(QStringLiteral("serve: %1").arg(made.errorMessage()));
        return int(ExitCode::Failure);
    }
    if (QDir().mkpath(layout.logsDir()))
        m_log = std::make_unique<SourceLog>(layout.logFile(QStringLiteral("serve")), QStringLiteral("serve"),
                                            m_loaded.config.logs);

    StopSignals stopSignals([](int number) {
        printErr(
            QStringLiteral("%1 received: stopping running jobs at their next checkpoint (send it again to "
                           "exit at once)")
                .arg(number == SIGINT ? QStringLiteral("SIGINT") : QStringLiteral("SIGTERM")));
        QCoreApplication::exit(0);
    });
    HangupSignal hangup;
    connect(&hangup, &HangupSignal::received, this, [this] { reload(QStringLiteral("SIGHUP")); });
    watchConfigFile();

    tryStart();
    if (!m_host.isStarted() && !m_standbyTimer.isActive())
        return int(ExitCode::Failure);
    QCoreApplication::exec();

    m_standbyTimer.stop();
    if (!m_host.isStarted()) {
        log(false, QStringLiteral("serve stopped in standby"));
        return 0;
    }
    // The margin below kStopSeconds covers closing the stores after the jobs ended.
    const bool ended = m_host.stop((kStopSeconds - 2) * 1000);
    if (!ended) {
        // The queue's destructor would wait for them without limit; the promise is to be gone
        // within kStopSeconds. Whatever they did last is committed or rolled back whole, and the
        // next run resumes from the last checkpoint.
        log(true, QStringLiteral("serve stopped; some jobs did not reach a checkpoint in time and were "
                                 "abandoned (the next run resumes them)"));
        std::fflush(nullptr);
        ::_exit(0);
    }
    log(false, QStringLiteral("serve stopped"));
    return 0;
}

void ServeCommand::tryStart() {
    const QString path = ControlChannel::socketPath(m_loaded.dataDir);
    if (const std::optional<QJsonObject> other = ControlClient::hello(path)) {
        if (!m_standbySaid)
            log(false,
                QStringLiteral("%1 already runs the schedules of %2; waiting in standby and taking over "
                               "when it ends")
                    .arg(instanceName(*other), m_loaded.dataDir));
        m_standbySaid = true;
        m_standbyTimer.start();
        return;
    }
    if (auto started = m_host.start(QStringLiteral("serve")); !started) {
        // Another instance may have taken the channel between the hello and the listen.
        if (ControlClient::hello(path)) {
            m_standbyTimer.start();
            return;
        }
        // At start that ends serve (exit 1); later, after a standby, it keeps trying.
        if (!m_startFailedSaid)
            log(true, QStringLiteral("serve: %1").arg(started.errorMessage()));
        m_startFailedSaid = true;
        if (m_standbySaid)
            m_standbyTimer.start();
        return;
    }
    m_standbyTimer.stop();
    const auto next = m_host.scheduler().nextFire();
    log(false, QStringLiteral("serving %1: %2 source(s), control channel %3; next scheduled run %4")
                   .arg(m_loaded.dataDir)
                   .arg(m_loaded.config.sources.size())
                   .arg(m_host.control().path(),
                        next ? next->toString(Qt::ISODate) : QStringLiteral("none (no schedules)")));
}

void ServeCommand::reload(const QString& why) {
    watchConfigFile();
    QStringList errors;
    std::optional<LoadedConfig> loaded = LoadedConfig::load(m_where, &errors);
    if (!loaded) {
        // LoadedConfig printed the errors; the log keeps them too.
        log(true, QStringLiteral("reload (%1) refused: %2 is invalid, keeping the configuration in use: %3")
                      .arg(why, m_where.config, errors.join(QStringLiteral("; "))));
        return;
    }
    if (QDir(loaded->dataDir).absolutePath() != QDir(m_loaded.dataDir).absolutePath())
        log(true, QStringLiteral("reload: the data directory changed to %1; it takes effect when serve "
                                 "restarts (still serving %2)")
                      .arg(loaded->dataDir, m_loaded.dataDir));
    loaded->dataDir = m_loaded.dataDir;
    m_loaded = std::move(*loaded);
    if (m_host.isStarted())
        m_host.reload(m_loaded.config);
    else
        m_host.setConfig(m_loaded.config, m_loaded.dataDir);
    log(false, QStringLiteral("reloaded the configuration (%1): %2 source(s)")
                   .arg(why)
                   .arg(m_loaded.config.sources.size()));
}

// Editors save by writing a new file and renaming it over the old one, which ends a watch on
// the file itself: the folder is watched too, and the file is watched again whenever it is back.
void ServeCommand::watchConfigFile() {
    const QString file = QFileInfo(m_where.config).absoluteFilePath();
    const QString folder = QFileInfo(file).absolutePath();
    if (m_watcher.directories().isEmpty()) {
        m_watcher.addPath(folder);
        connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { m_reloadTimer.start(); });
        connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this, file] {
            // Other files of the folder change too; only a new or replaced config file counts.
            const QFileInfo info(file);
            if (!info.exists())
                return;
            if (!m_watcher.files().contains(file)) {
                m_watcher.addPath(file);
                m_reloadTimer.start();
            } else if (info.lastModified() != m_configModified) {
                m_reloadTimer.start();
            }
        });
    }
    if (QFileInfo::exists(file) && !m_watcher.files().contains(file))
        m_watcher.addPath(file);
    m_configModified = QFileInfo(file).lastModified();
}

void ServeCommand::onEvent(const QString& kind, const QJsonObject& fields) {
    const QString origin = fields.value(QStringLiteral("origin")).toString();
    const qint64 id = fields.value(QStringLiteral("id")).toInteger();
    if (kind == QLatin1String("queued")) {
        printErr(QStringLiteral("queued %1 (%2, job %3)").arg(jobName(fields), origin).arg(id));
    } else if (kind == QLatin1String("started")) {
        printErr(QStringLiteral("started %1 (%2, job %3)").arg(jobName(fields), origin).arg(id));
        m_lastProgressLine.insert(id, QDateTime::currentMSecsSinceEpoch());
    } else if (kind == QLatin1String("progress")) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (now - m_lastProgressLine.value(id) < kProgressLineMs)
            return;
        m_lastProgressLine.insert(id, now);
        const QJsonObject p = fields.value(QStringLiteral("progress")).toObject();
        JobProgress progress;
        progress.resource = p.value(QStringLiteral("resource")).toString();
        progress.phase = p.value(QStringLiteral("phase")).toString();
        progress.done = p.value(QStringLiteral("done")).toInteger();
        progress.total = p.value(QStringLiteral("total")).toInteger(-1);
        progress.etaSeconds = p.value(QStringLiteral("eta")).toInteger(-1);
        printErr(QStringLiteral("%1: %2").arg(jobName(fields), describeProgress(progress)));
    } else if (kind == QLatin1String("finished")) {
        m_lastProgressLine.remove(id);
        const QJsonObject result = fields.value(QStringLiteral("result")).toObject();
        if (result.value(QStringLiteral("ok")).toBool())
            printErr(QStringLiteral("finished %1: %2 records downloaded, %3 applied")
                         .arg(jobName(fields))
                         .arg(result.value(QStringLiteral("recordsDownloaded")).toInteger())
                         .arg(result.value(QStringLiteral("recordsApplied")).toInteger()));
        else if (result.value(QStringLiteral("cancelled")).toBool())
            printErr(QStringLiteral("cancelled %1; the next run resumes from its checkpoint")
                         .arg(jobName(fields)));
        else
            printErr(QStringLiteral("failed %1 (exit %2): %3")
                         .arg(jobName(fields))
                         .arg(result.value(QStringLiteral("exitCode")).toInt())
                         .arg(result.value(QStringLiteral("error")).toString()));
    } else if (kind == QLatin1String("dropped")) {
        printErr(QStringLiteral("dropped queued %1 (job %2)").arg(jobName(fields)).arg(id));
    } else if (kind == QLatin1String("paused") || kind == QLatin1String("resumed")) {
        const QString source = fields.value(QStringLiteral("source")).toString();
        const QString verb =
            kind == QLatin1String("paused") ? QStringLiteral("paused") : QStringLiteral("resumed");
        log(false, source.isEmpty() ? QStringLiteral("schedules %1").arg(verb)
                                    : QStringLiteral("schedules of %1 %2").arg(source, verb));
    }
}

void ServeCommand::log(bool warning, const QString& message) {
    printErr(warning ? QStringLiteral("warning: %1").arg(message) : message);
    if (m_log)
        m_log->log(warning ? LogLevel::Warning : LogLevel::Info, message);
}

} // namespace ors
