#include "cli/ControlCommands.h"

#include "cli/CliOutput.h"
#include "runner/ProgressText.h"
#include "service/ControlChannel.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace ors {

namespace {

using cli::printErr;
using cli::printOut;

QString noInstance(const QString& dataDir) {
    return QStringLiteral("no scheduler is running for %1").arg(dataDir);
}

QString describeInstance(const QJsonObject& hello) {
    return QStringLiteral("%1 (process %2)")
        .arg(hello.value(QStringLiteral("kind")).toString(QStringLiteral("instance")),
             hello.value(QStringLiteral("pid")).toVariant().toString());
}

// "Property: downloading 300 / 1200 records · ETA 0:04" from an entry's progress object.
QString progressText(const QJsonValue& value) {
    if (!value.isObject())
        return QStringLiteral("-");
    const QJsonObject p = value.toObject();
    JobProgress progress;
    progress.resource = p.value(QStringLiteral("resource")).toString();
    progress.phase = p.value(QStringLiteral("phase")).toString();
    progress.done = p.value(QStringLiteral("done")).toInteger();
    progress.total = p.value(QStringLiteral("total")).toInteger(-1);
    progress.etaSeconds = p.value(QStringLiteral("eta")).toInteger(-1);
    return describeProgress(progress);
}

// A request to the instance: its reply, or nullopt (with the reason on stderr) when it failed.
std::optional<QJsonObject> ask(const QString& path, const QJsonObject& request) {
    auto reply = ControlClient::request(path, request);
    if (!reply) {
        printErr(reply.errorMessage());
        return std::nullopt;
    }
    return *reply;
}

} // namespace

int ControlCommands::jobs(const QString& dataDir, bool json) {
    const QString path = ControlChannel::socketPath(dataDir);
    const std::optional<QJsonObject> hello = ControlClient::hello(path);
    if (!hello) {
        if (json)
            printOut(QJsonDocument(QJsonObject{{QStringLiteral("instance"), QJsonValue()},
                                               {QStringLiteral("jobs"), QJsonArray()}})
                         .toJson(QJsonDocument::Indented));
        else
            printErr(noInstance(dataDir));
        return 0;
    }
    const auto reply = ask(path, QJsonObject{{QStringLiteral("command"), QStringLiteral("jobs")}});
    if (!reply)
        return int(ExitCode::Failure);
    QJsonObject instance = *hello;
    instance.remove(QStringLiteral("ok"));
    const QJsonArray jobs = reply->value(QStringLiteral("jobs")).toArray();
    if (json) {
        printOut(QJsonDocument(QJsonObject{{QStringLiteral("instance"), instance},
                                           {QStringLiteral("paused"), reply->value(QStringLiteral("paused"))},
                                           {QStringLiteral("pausedSources"),
                                            reply->value(QStringLiteral("pausedSources"))},
                                           {QStringLiteral("jobs"), jobs}})
                     .toJson(QJsonDocument::Indented));
        return 0;
    }
    QString text;
    QTextStream out(&text);
    out << "scheduler: " << describeInstance(*hello)
        << (reply->value(QStringLiteral("paused")).toBool() ? ", schedules paused" : "");
    QStringList pausedSources;
    for (const QJsonValue name : reply->value(QStringLiteral("pausedSources")).toArray())
        pausedSources.append(name.toString());
    if (!pausedSources.isEmpty())
        out << ", schedules of " << pausedSources.join(QStringLiteral(", ")) << " paused";
    out << "\n";
    if (jobs.isEmpty())
        out << "no jobs running or queued\n";
    else
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                   .arg(QStringLiteral("ID").leftJustified(5), QStringLiteral("SOURCE").leftJustified(16),
                        QStringLiteral("PROCESS").leftJustified(10), QStringLiteral("STATE").leftJustified(8),
                        QStringLiteral("ORIGIN").leftJustified(9), QStringLiteral("SINCE").leftJustified(20),
                        QStringLiteral("PROGRESS"));
    for (const QJsonValue value : jobs) {
        const QJsonObject job = value.toObject();
        const bool running = job.value(QStringLiteral("state")).toString() == QLatin1String("running");
        const QString since =
            job.value(running ? QStringLiteral("startedAt") : QStringLiteral("queuedAt")).toString();
        const QDateTime at = QDateTime::fromString(since, Qt::ISODateWithMs);
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                   .arg(QString::number(job.value(QStringLiteral("id")).toInteger()).leftJustified(5),
                        job.value(QStringLiteral("source")).toString().leftJustified(16),
                        job.value(QStringLiteral("process")).toString().leftJustified(10),
                        job.value(QStringLiteral("state")).toString().leftJustified(8),
                        job.value(QStringLiteral("origin")).toString().leftJustified(9),
                        (at.isValid() ? at.toString(Qt::ISODate) : since).leftJustified(20),
                        running ? progressText(job.value(QStringLiteral("progress"))) : QStringLiteral("-"));
    }
    out.flush();
    printOut(text);
    return 0;
}

std::optional<int> ControlCommands::run(const QString& dataDir, const JobRequest& request) {
    const QString path = ControlChannel::socketPath(dataDir);
    const std::optional<QJsonObject> hello = ControlClient::hello(path);
    if (!hello)
        return std::nullopt;
    const QString process = processName(request.process);
    QJsonObject message{{QStringLiteral("command"), QStringLiteral("run")},
                        {QStringLiteral("source"), request.source},
                        {QStringLiteral("process"), process}};
    if (!request.options.resource.isEmpty())
        message.insert(QStringLiteral("resource"), request.options.resource);
    if (request.options.dryRun)
        message.insert(QStringLiteral("dryRun"), true);
    if (request.options.allowLargeDelete)
        message.insert(QStringLiteral("allowLargeDelete"), true);
    if (request.options.resumeOnly)
        message.insert(QStringLiteral("resumeOnly"), true);
    auto reply = ControlClient::request(path, message);
    if (!reply) {
        printErr(reply.errorMessage());
        // The instance's own refusal of a name it does not know is a usage error, as in-process.
        return reply.errorMessage().startsWith(QLatin1String("unknown ")) ? int(ExitCode::Usage)
                                                                          : int(ExitCode::Failure);
    }
    const QString outcome = reply->value(QStringLiteral("outcome")).toString();
    const QString job = QStringLiteral("%1 %2").arg(process, request.source);
    const QString who = describeInstance(*hello);
    if (outcome == QLatin1String("started"))
        printErr(QStringLiteral("%1 started in %2; `openresync-cli jobs` shows its progress").arg(job, who));
    else if (outcome == QLatin1String("waiting"))
        printErr(QStringLiteral("%1 queued in %2: it starts when the source's running job has ended and a "
                                "slot is free")
                     .arg(job, who));
    else if (outcome == QLatin1String("already-queued"))
        printErr(QStringLiteral("%1 is already queued in %2; nothing changed").arg(job, who));
    else
        printErr(QStringLiteral("%1: %2 answered \"%3\"").arg(job, who, outcome));
    return 0;
}

int ControlCommands::cancel(const QString& dataDir, const QString& source) {
    const QString path = ControlChannel::socketPath(dataDir);
    const std::optional<QJsonObject> hello = ControlClient::hello(path);
    if (!hello) {
        printErr(noInstance(dataDir) + QStringLiteral(": nothing to cancel"));
        return int(ExitCode::Failure);
    }
    auto reply = ask(path, QJsonObject{{QStringLiteral("command"), QStringLiteral("cancel")},
                                       {QStringLiteral("source"), source}});
    if (!reply)
        return int(ExitCode::Failure);
    if (!reply->value(QStringLiteral("cancelled")).toBool())
        printErr(
            QStringLiteral("%1 has nothing running or queued in %2").arg(source, describeInstance(*hello)));
    else if (reply->value(QStringLiteral("wasRunning")).toBool())
        printErr(QStringLiteral("cancelling %1 in %2: its job stops at the next checkpoint and the next run "
                                "resumes from there")
                     .arg(source, describeInstance(*hello)));
    else
        printErr(QStringLiteral("dropped the queued jobs of %1 in %2").arg(source, describeInstance(*hello)));
    return 0;
}

int ControlCommands::pause(const QString& dataDir, bool pause, const QString& source) {
    const QString path = ControlChannel::socketPath(dataDir);
    const std::optional<QJsonObject> hello = ControlClient::hello(path);
    if (!hello) {
        printErr(noInstance(dataDir));
        return int(ExitCode::Failure);
    }
    QJsonObject message{
        {QStringLiteral("command"), pause ? QStringLiteral("pause") : QStringLiteral("resume")}};
    if (!source.isEmpty())
        message.insert(QStringLiteral("source"), source);
    auto reply = ControlClient::request(path, message);
    if (!reply) {
        printErr(reply.errorMessage());
        return reply.errorMessage().startsWith(QLatin1String("unknown ")) ? int(ExitCode::Usage)
                                                                          : int(ExitCode::Failure);
    }
    const QString where = describeInstance(*hello);
    if (source.isEmpty())
        printErr(pause
                     ? QStringLiteral("schedules paused in %1 (running jobs go on; manual runs still start)")
                           .arg(where)
                     : QStringLiteral("schedules resumed in %1").arg(where));
    else if (pause)
        printErr(
            QStringLiteral("schedules of %1 paused in %2 (its running job goes on; manual runs still start)")
                .arg(source, where));
    else
        printErr(reply->value(QStringLiteral("paused")).toBool()
                     ? QStringLiteral("schedules of %1 resumed in %2, but all schedules are still paused")
                           .arg(source, where)
                     : QStringLiteral("schedules of %1 resumed in %2").arg(source, where));
    return 0;
}

} // namespace ors
