#include "cli/LogsCommand.h"

#include "cli/CliOutput.h"
#include "cli/StopSignals.h"
#include "config/DataDir.h"
#include "logging/LogFollower.h"
#include "processes/JobTypes.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdlib>
#include <unistd.h>

namespace ors {

namespace {

// Output is gathered and written in chunks: a 20 MB log is a lot of lines to flush one by one.
constexpr qsizetype kChunk = 64 * 1024;

class Printer {
public:
    Printer(const LogFilter& filter, bool json)
        : m_filter(filter)
        , m_json(json)
        , m_colour(!json && ::isatty(STDOUT_FILENO) && qEnvironmentVariableIsEmpty("NO_COLOR")) {}

    void line(const QByteArray& raw) {
        if (raw.trimmed().isEmpty())
            return;
        const LogEntry entry = LogReader::parse(raw);
        if (!m_filter.accepts(entry))
            return;
        if (!entry.valid)
            ++m_malformed;
        if (m_json && !entry.valid) {
            // stdout stays NDJSON for whatever reads it; the person still sees the line.
            flush();
            cli::printErr(QLatin1String(LogReader::kMalformedMarker) + QLatin1Char(' ') +
                          QString::fromUtf8(entry.raw));
            return;
        }
        m_out += m_json ? entry.raw : LogReader::format(entry, m_colour).toUtf8();
        m_out += '\n';
        if (m_out.size() >= kChunk)
            flush();
    }

    void flush() {
        if (m_out.isEmpty())
            return;
        cli::printOut(m_out);
        m_out.clear();
    }

    int malformed() const { return m_malformed; }

private:
    LogFilter m_filter;
    bool m_json;
    bool m_colour;
    QByteArray m_out;
    int m_malformed = 0;
};

bool printFile(const QString& path, Printer& printer) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        cli::printErr(QStringLiteral("logs: cannot read %1: %2").arg(path, file.errorString()));
        return false;
    }
    while (!file.atEnd()) {
        QByteArray line = file.readLine();
        if (line.endsWith('\n'))
            line.chop(1);
        printer.line(line);
    }
    printer.flush();
    return true;
}

} // namespace

std::optional<LogFilter> LogsCommand::checkArguments(const LogsArguments& arguments) {
    LogFilter filter;
    if (!arguments.level.isEmpty()) {
        filter.minLevel = logLevelFromName(arguments.level);
        if (!filter.minLevel) {
            cli::printErr(QStringLiteral("logs: --level \"%1\" is not one of debug, info, warn, error")
                              .arg(arguments.level));
            return std::nullopt;
        }
    }
    if (!arguments.process.isEmpty()) {
        if (!processFromName(arguments.process)) {
            cli::printErr(QStringLiteral("logs: --process \"%1\" is not one of sync, purge, reconcile")
                              .arg(arguments.process));
            return std::nullopt;
        }
        filter.process = arguments.process;
    }
    if (!arguments.since.isEmpty()) {
        filter.since = LogReader::parseSince(arguments.since, QDateTime::currentDateTimeUtc());
        if (!filter.since) {
            cli::printErr(QStringLiteral("logs: --since \"%1\" is neither a duration (90s, 15m, 2h, 3d) nor "
                                         "an ISO 8601 timestamp (2026-03-08T08:00:00Z)")
                              .arg(arguments.since));
            return std::nullopt;
        }
    }
    return filter;
}

int LogsCommand::run(const Config& config, const QString& dataDir, const LogsArguments& arguments,
                     const LogFilter& filter) {
    const SourceConfig* source = config.source(arguments.source);
    if (!source) {
        cli::printErr(QStringLiteral("unknown source \"%1\"").arg(arguments.source));
        return int(ExitCode::Usage);
    }
    const QString logFile = DataLayout(dataDir).logFile(source->name);
    Printer printer(filter, arguments.json);
    const QStringList files = LogReader::filesFor(logFile, filter);

    if (!arguments.follow) {
        if (files.isEmpty()) {
            cli::printErr(
                QStringLiteral("logs %1: no log yet (%2 does not exist)").arg(source->name, logFile));
            return int(ExitCode::Success);
        }
        bool allRead = true;
        for (const QString& file : files)
            allRead = printFile(file, printer) && allRead;
        if (printer.malformed() > 0)
            cli::printErr(
                QStringLiteral("logs %1: %2 malformed line(s)").arg(source->name).arg(printer.malformed()));
        return int(allRead ? ExitCode::Success : ExitCode::Failure);
    }

    // The rotated files first; the follower then reads the current file from its start and
    // keeps going, so nothing falls between the two.
    for (const QString& file : files)
        if (file != logFile)
            printFile(file, printer);
    if (!QFile::exists(logFile))
        cli::printErr(QStringLiteral("logs %1: no log yet; waiting for %2").arg(source->name, logFile));
    LogFollower follower(logFile);
    QObject::connect(&follower, &LogFollower::lines, &follower, [&printer](const QList<QByteArray>& lines) {
        for (const QByteArray& line : lines)
            printer.line(line);
        printer.flush();
    });
    StopSignals stopSignals([](int) { QCoreApplication::exit(0); });
    follower.start();
    QCoreApplication::exec();
    printer.flush();
    return int(ExitCode::Success);
}

} // namespace ors
