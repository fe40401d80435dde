#include "cli/ScheduleCommand.h"

#include "cli/CliOutput.h"
#include "processes/JobTypes.h"
#include "runner/ConfiguredSchedules.h"
#include "schedule/NextFires.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace ors {

namespace {

QString zoneName(const QTimeZone& zone) {
    return QString::fromUtf8(zone.id());
}

// "2026-03-08T03:00:00-06:00": the wall time in the zone with its offset.
QString localText(const QDateTime& instant, const QTimeZone& zone) {
    return instant.toTimeZone(zone).toString(Qt::ISODate);
}

QString utcText(const QDateTime& instant) {
    return instant.toUTC().toString(Qt::ISODate);
}

QStringList overlapLabels(const QList<ScheduleFire>& fires, const ScheduleFire& fire) {
    QStringList labels;
    for (const int other : fire.overlaps)
        labels.append(fires.at(other).entry.label());
    return labels;
}

QJsonObject sourceJson(const Config& config, const SourceConfig& source, const QList<ScheduleFire>& fires) {
    QJsonArray schedules;
    for (const ScheduleFire& fire : fires) {
        schedules.append(QJsonObject{
            {QStringLiteral("process"), fire.entry.process},
            {QStringLiteral("index"), fire.entry.index},
            {QStringLiteral("expression"), fire.entry.cron.text()},
            {QStringLiteral("nextLocal"),
             fire.next ? QJsonValue(localText(*fire.next, fire.entry.zone)) : QJsonValue()},
            {QStringLiteral("nextUtc"), fire.next ? QJsonValue(utcText(*fire.next)) : QJsonValue()},
            {QStringLiteral("overlaps"), QJsonArray::fromStringList(overlapLabels(fires, fire))},
        });
    }
    return QJsonObject{{QStringLiteral("source"), source.name},
                       {QStringLiteral("timeZone"), zoneName(config.scheduleZone(source))},
                       {QStringLiteral("catchUp"), source.schedules.catchUp},
                       {QStringLiteral("schedules"), schedules}};
}

// One line per expression, columns aligned; overlaps named at the end of the line.
QString sourceText(const Config& config, const SourceConfig& source, const QList<ScheduleFire>& fires) {
    const QTimeZone zone = config.scheduleZone(source);
    QString out = QStringLiteral("%1 (%2%3)\n")
                      .arg(source.name, zoneName(zone),
                           source.schedules.catchUp ? QStringLiteral(", catch up") : QString());
    if (fires.isEmpty())
        return out + QStringLiteral("  no schedules\n");
    qsizetype labelWidth = 0;
    qsizetype expressionWidth = 0;
    for (const ScheduleFire& fire : fires) {
        labelWidth = std::max(labelWidth, fire.entry.label().size());
        expressionWidth = std::max(expressionWidth, fire.entry.cron.text().size());
    }
    for (const ScheduleFire& fire : fires) {
        QString line = QStringLiteral("  ") + fire.entry.label().leftJustified(labelWidth) +
                       QStringLiteral("  ") + fire.entry.cron.text().leftJustified(expressionWidth) +
                       QStringLiteral("  ");
        if (fire.next) {
            const QDateTime local = fire.next->toTimeZone(zone);
            line += QStringLiteral("next %1 %2 = %3")
                        .arg(local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                             zone.abbreviation(*fire.next), utcText(*fire.next));
        } else {
            line += QStringLiteral("never fires (none within %1 years)").arg(CronExpression::kSearchYears);
        }
        const QStringList overlaps = overlapLabels(fires, fire);
        if (!overlaps.isEmpty())
            line += QStringLiteral("  OVERLAPS %1").arg(overlaps.join(QStringLiteral(", ")));
        out += line + QLatin1Char('\n');
    }
    return out;
}

} // namespace

int ScheduleCommand::run(const Config& config, const QString& sourceName, const QDateTime& at, bool json) {
    if (!sourceName.isEmpty() && !config.source(sourceName)) {
        cli::printErr(QStringLiteral("unknown source \"%1\"").arg(sourceName));
        return int(ExitCode::Usage);
    }
    QJsonArray sources;
    QString text;
    int overlapping = 0;
    for (const SourceConfig& source : config.sources) {
        if (!sourceName.isEmpty() && source.name != sourceName)
            continue;
        const QList<ScheduleFire> fires = nextFires(scheduleEntries(config, source), at);
        for (const ScheduleFire& fire : fires)
            overlapping += fire.overlaps.isEmpty() ? 0 : 1;
        if (json)
            sources.append(sourceJson(config, source, fires));
        else
            text += sourceText(config, source, fires);
    }
    if (json)
        cli::printOut(QJsonDocument(QJsonObject{{QStringLiteral("at"), utcText(at)},
                                                {QStringLiteral("sources"), sources}})
                          .toJson(QJsonDocument::Indented));
    else
        cli::printOut(text);
    if (overlapping > 0)
        cli::printErr(
            QStringLiteral("warning: %1 schedule(s) overlap another of their source").arg(overlapping));
    return int(ExitCode::Success);
}

} // namespace ors
