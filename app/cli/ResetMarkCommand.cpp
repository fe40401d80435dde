#include "cli/ResetMarkCommand.h"

#include "cli/CliOutput.h"
#include "processes/JobTypes.h"
#include "processes/MarkReset.h"
#include "reso/ODataQuery.h"

#include <algorithm>

namespace ors {

namespace {

using cli::printErr;

std::optional<QByteArray> normalizedInstant(const QString& text) {
    auto time = odata::parseTimestamp(text);
    if (!time)
        return std::nullopt;
    return odata::formatTimestamp(*time).toUtf8();
}

QString markText(const std::optional<QByteArray>& mark) {
    if (!mark)
        return QStringLiteral("(none)");
    if (mark->isEmpty())
        return QStringLiteral("(cleared: full download next)");
    return QString::fromUtf8(*mark);
}

} // namespace

std::optional<int> ResetMarkCommand::checkArguments(const ResetMarkArguments& a) {
    if (a.full == a.to.has_value()) {
        printErr(QStringLiteral("reset-mark: give exactly one of --to TIMESTAMP and --full"));
        return int(ExitCode::Usage);
    }
    if (a.to && !normalizedInstant(*a.to)) {
        printErr(QStringLiteral("reset-mark: --to \"%1\" is not an ISO-8601 instant with a time zone "
                                "(e.g. 2024-05-01T10:00:00Z)")
                     .arg(*a.to));
        return int(ExitCode::Usage);
    }
    return std::nullopt;
}

int ResetMarkCommand::run(const Config& config, const QString& dataDir, const ResetMarkArguments& a) {
    if (auto code = checkArguments(a))
        return *code;
    const SourceConfig* source = config.source(a.source);
    if (!source) {
        printErr(QStringLiteral("unknown source \"%1\"").arg(a.source));
        return int(ExitCode::Usage);
    }
    if (!a.resource.isEmpty() && !source->resource(a.resource)) {
        printErr(
            QStringLiteral("reset-mark: source %1 has no resource \"%2\"").arg(source->name, a.resource));
        return int(ExitCode::Usage);
    }
    if (!a.destination.isEmpty() &&
        std::none_of(source->destinations.cbegin(), source->destinations.cend(),
                     [&](const DestinationConfig& d) { return d.name == a.destination; })) {
        printErr(QStringLiteral("reset-mark: source %1 has no destination \"%2\"")
                     .arg(source->name, a.destination));
        return int(ExitCode::Usage);
    }
    MarkResetRequest request{a.resource, a.destination, std::nullopt};
    if (a.to)
        request.to = normalizedInstant(*a.to);
    auto changes = MarkReset::run(*source, DataLayout(dataDir), request);
    if (!changes) {
        printErr(QStringLiteral("reset-mark %1 failed: %2").arg(source->name, changes.errorMessage()));
        return int(ExitCode::Failure);
    }
    QString out;
    for (const MarkChange& c : std::as_const(*changes)) {
        if (c.changed)
            out += QStringLiteral("%1 %2: %3 → %4\n")
                       .arg(c.resource, c.destination, markText(c.before), markText(c.after));
        else if (request.to)
            out += QStringLiteral("%1 %2: %3 (unchanged: not later than %4)\n")
                       .arg(c.resource, c.destination, markText(c.before), QString::fromUtf8(*request.to));
        else
            out +=
                QStringLiteral("%1 %2: %3 (unchanged)\n").arg(c.resource, c.destination, markText(c.before));
    }
    cli::printOut(out);
    return int(ExitCode::Success);
}

} // namespace ors
