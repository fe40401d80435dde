#include "stats/RunJson.h"

#include <QDateTime>
#include <QJsonArray>

#include <optional>

namespace ors {

namespace {

QJsonValue textOrNull(const QString& text) {
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

} // namespace

std::optional<double> runDurationSeconds(const RunSummary& run) {
    const QDateTime started = QDateTime::fromString(run.started, Qt::ISODateWithMs);
    const QDateTime finished = QDateTime::fromString(run.finished, Qt::ISODateWithMs);
    if (!started.isValid() || !finished.isValid())
        return std::nullopt;
    return double(started.msecsTo(finished)) / 1000.0;
}

QJsonObject runJson(const RunDetail& detail) {
    const RunSummary& run = detail.run;
    QJsonArray resources;
    for (const RunResourceCount& r : detail.resources)
        resources.append(
            QJsonObject{{QStringLiteral("resource"), r.resource},
                        {QStringLiteral("downloaded"), r.downloaded},
                        {QStringLiteral("expected"), r.expected < 0 ? QJsonValue() : QJsonValue(r.expected)},
                        {QStringLiteral("pages"), r.pages}});
    QJsonArray destinations;
    for (const RunDestinationCount& d : detail.destinations)
        destinations.append(QJsonObject{{QStringLiteral("resource"), d.resource},
                                        {QStringLiteral("destination"), d.destination},
                                        {QStringLiteral("applied"), d.applied}});
    QJsonArray failures;
    for (const RunFailure& f : detail.failures)
        failures.append(QJsonObject{{QStringLiteral("time"), f.time},
                                    {QStringLiteral("step"), f.step},
                                    {QStringLiteral("resource"), textOrNull(f.resource)},
                                    {QStringLiteral("destination"), textOrNull(f.destination)},
                                    {QStringLiteral("message"), f.message}});
    QJsonArray events;
    for (const StatsEvent& e : detail.events)
        events.append(QJsonObject{{QStringLiteral("time"), e.time},
                                  {QStringLiteral("kind"), e.kind},
                                  {QStringLiteral("resource"), textOrNull(e.resource)},
                                  {QStringLiteral("message"), e.message}});
    const auto duration = runDurationSeconds(run);
    return QJsonObject{{QStringLiteral("id"), run.id},
                       {QStringLiteral("source"), run.source},
                       {QStringLiteral("process"), run.process},
                       {QStringLiteral("batch"), run.batchId},
                       {QStringLiteral("started"), run.started},
                       {QStringLiteral("finished"), textOrNull(run.finished)},
                       {QStringLiteral("durationSeconds"), duration ? QJsonValue(*duration) : QJsonValue()},
                       {QStringLiteral("result"), run.result},
                       {QStringLiteral("error"), textOrNull(run.error)},
                       {QStringLiteral("records"), run.records},
                       {QStringLiteral("host"), textOrNull(run.host)},
                       {QStringLiteral("resources"), resources},
                       {QStringLiteral("destinations"), destinations},
                       {QStringLiteral("failures"), failures},
                       {QStringLiteral("events"), events}};
}

} // namespace ors
