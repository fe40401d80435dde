#include "inspect/StatusReport.h"

#include "config/DataDir.h"
#include "inspect/StatsQueries.h"
#include "logging/LogCategories.h"
#include "processes/BatchFiles.h"
#include "processes/JobTypes.h"
#include "processes/SourceContext.h"
#include "processes/UsageLedger.h"
#include "records/SchemaPlanner.h"
#include "reso/ODataQuery.h"
#include "reso/PageReader.h"
#include "stats/StatsStore.h"
#include "store/RejectedStore.h"
#include "store/StateStore.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

namespace ors {

namespace {

QJsonValue orNull(const QString& s) {
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

struct MlsFigures {
    qint64 count = -1;
    QString newest;
    QString newestUnavailable; // why the newest timestamp cannot be asked for
    QString error;
};

MlsFigures mlsFigures(SourceContext& context, const ResourceConfig& resource, const ResourcePlan* plan) {
    MlsFigures figures;
    // The count is of what the destinations should hold: visible records only (MLS Grid
    // counts MlgCanView eq true), with the resource's filter, on the plain endpoint.
    odata::QueryOptions query;
    query.filter = context.filter(resource.name, {}, true);
    query.count = true;
    query.top = 0;
    auto counted =
        context.http().get(odata::buildUrl(context.resourceUrl(resource.name), query), "application/json");
    if (!counted) {
        figures.error = counted.errorMessage();
        return figures;
    }
    auto info = PageReader::inspect(counted->body, {}, {});
    if (info && info->odataCount)
        figures.count = *info->odataCount;
    if (!plan || plan->timestampField.isEmpty())
        return figures;
    if (!context.allowsOrderBy()) {
        // Without $orderby the newest record could only be found by reading them all.
        figures.newestUnavailable = QStringLiteral("the %1 platform does not allow $orderby")
                                        .arg(platformName(context.source().platform));
        return figures;
    }
    odata::QueryOptions newest;
    newest.filter = context.filter(resource.name, {}, true);
    newest.select = QStringList{plan->keyField, plan->timestampField};
    newest.orderBy = plan->timestampField + QStringLiteral(" desc");
    newest.top = 1;
    auto page =
        context.http().get(odata::buildUrl(context.resourceUrl(resource.name), newest), "application/json");
    if (!page) {
        figures.error = page.errorMessage();
        return figures;
    }
    auto newestInfo = PageReader::inspect(page->body, plan->keyField, plan->timestampField);
    if (newestInfo)
        figures.newest = QString::fromUtf8(newestInfo->maxTimestamp);
    return figures;
}

} // namespace

SourceStatus StatusReport::collectStatus(const SourceConfig& source, const QString& dataDir,
                                         const std::atomic<bool>* cancelled) {
    DataLayout layout(dataDir);
    SourceStatus out;
    out.name = source.name;
    out.platform = platformName(source.platform);

    SourceContext context(source, layout, cancelled);
    if (auto r = context.connect(); !r)
        out.mlsError = r.errorMessage();
    else if (auto m = context.loadMetadata(); !m)
        out.mlsError = m.errorMessage();

    // Destinations are read even when the MLS cannot be reached.
    std::vector<std::unique_ptr<Destination>> destinations;
    QStringList openErrors;
    for (const DestinationConfig& config : source.destinations) {
        auto destination = createDestination(config, source.name, dataDir);
        if (!destination) {
            out.destinationErrors.append(destination.errorMessage());
            openErrors.append(destination.errorMessage());
            destinations.push_back(nullptr);
            continue;
        }
        (*destination)->setReadOnly(true);
        if (auto r = (*destination)->open(); !r) {
            out.destinationErrors.append(r.errorMessage());
            openErrors.append(r.errorMessage());
            destinations.push_back(nullptr);
            continue;
        }
        openErrors.append(QString());
        destinations.push_back(std::move(*destination));
    }

    // Records set aside by syncs and reconciles, per resource and destination.
    QHash<QString, qint64> rejectedCounts;
    if (auto entries = RejectedStore::readDir(layout.rejectedDir(source.name)))
        for (const RejectedEntry& e : *entries) {
            ++rejectedCounts[e.resource + QLatin1Char('\n') + e.destination];
            ++out.rejected;
        }

    // High-water marks: where each destination's next sync starts; and what each destination's
    // sync lacks: failing steps, page files kept for it.
    QHash<QPair<QString, QString>, QByteArray> marks;
    QHash<QPair<QString, QString>, StepFailure> syncFailures;
    QHash<QPair<QString, QString>, qint64> pending;
    if (QFileInfo::exists(layout.stateDatabase())) {
        StateStore state(layout.stateDatabase());
        if (state.open()) {
            if (auto list = state.highWaters(source.name))
                for (const HighWaterMark& m : std::as_const(*list))
                    marks.insert({m.resource, m.destination}, m.timestamp);
            const QString sync = processName(ProcessType::Sync);
            if (auto list = state.failures(source.name))
                for (const StepFailure& f : std::as_const(*list))
                    if (f.process == sync)
                        syncFailures.insert({f.resource, f.destination}, f);
            for (const ResourceConfig& resource : source.resources) {
                const BatchFiles files(layout.downloadedDataDir(source.name, resource.name),
                                       QStringLiteral("sync_batch_"));
                for (const QString& name : files.list()) {
                    auto done = state.appliedDestinations(source.name, sync, files.path(name));
                    for (const DestinationConfig& d : source.destinations)
                        if (done && !done->contains(d.name))
                            ++pending[{resource.name, d.name}];
                }
            }
        }
    }

    for (const ResourceConfig& resource : source.resources) {
        const ResourcePlan* plan = context.plan(resource.name);
        TablePlan fallback;
        if (!plan) {
            // Without $metadata the table is still found by its conventional name.
            fallback.table = resource.name;
            ColumnPlan ts;
            ts.name = SchemaPlanner::kTimestampField;
            ts.field.name = SchemaPlanner::kTimestampField;
            fallback.addColumn(ts);
            fallback.timestampColumn = 0;
        }
        const TablePlan& table = plan ? plan->table : fallback;
        ResourceStatus r;
        r.resource = resource.name;
        MlsFigures mls;
        if (out.mlsError.isEmpty())
            mls = mlsFigures(context, resource, plan);
        else
            mls.error = out.mlsError;
        if (mls.count >= 0)
            r.mls.count = mls.count;
        r.mls.newestText = mls.newest;
        r.mls.newest = storedInstant(mls.newest);
        r.mls.newestUnavailable = mls.newestUnavailable;
        r.mls.error = mls.error;
        QByteArray newestMark;
        for (const DestinationConfig& config : source.destinations)
            newestMark = std::max(newestMark, marks.value({resource.name, config.name}));
        for (size_t i = 0; i < destinations.size(); ++i) {
            const DestinationConfig& config = source.destinations.at(qsizetype(i));
            DestinationStatus d;
            d.name = config.name;
            d.type = destinationTypeName(config.type);
            d.rejected = rejectedCounts.value(resource.name + QLatin1Char('\n') + config.name);
            // markState: set, none (the next sync starts from the newest row held), or full
            // (cleared: it downloads everything).
            const auto mark = marks.constFind({resource.name, config.name});
            if (mark != marks.cend() && !mark->isEmpty())
                d.mark = QString::fromUtf8(*mark);
            d.markState = mark == marks.cend() ? QStringLiteral("none")
                          : mark->isEmpty()    ? QStringLiteral("full")
                                               : QStringLiteral("set");
            d.newestMark = QString::fromUtf8(newestMark);
            const auto markAt = storedInstant(d.mark);
            const auto newestMarkAt = storedInstant(d.newestMark);
            if (markAt && newestMarkAt)
                d.lagMs = markAt->msecsTo(*newestMarkAt);
            d.pendingFiles = pending.value({resource.name, config.name});
            if (const auto f = syncFailures.constFind({resource.name, config.name});
                f != syncFailures.cend()) {
                d.failing = true;
                d.blocked = f->count >= kBlockAfter;
                d.lastError = f->lastError;
            }
            Destination* destination = destinations.at(i).get();
            if (!destination) {
                d.openError = openErrors.at(qsizetype(i));
                r.destinations.append(d);
                continue;
            }
            d.opened = true;
            auto count = destination->count(table);
            auto newest = destination->newestTimestamp(table);
            if (count)
                d.count = *count;
            d.newestText = newest && *newest ? QString::fromUtf8(**newest) : QString();
            d.newest = storedInstant(d.newestText);
            d.error = !count ? count.errorMessage() : !newest ? newest.errorMessage() : QString();
            if (r.mls.count && d.count)
                d.countMatches = *r.mls.count == *d.count;
            // As instants where both sides parse (normalized UTC text on both sides compares the
            // same either way); as text otherwise.
            if (!r.mls.newestText.isEmpty())
                d.newestMatches =
                    r.mls.newest && d.newest ? *r.mls.newest == *d.newest : r.mls.newestText == d.newestText;
            r.destinations.append(d);
        }
        out.resources.append(r);
    }
    readStores(source, dataDir, out);
    return out;
}

SourceStatus StatusReport::collectLocal(const SourceConfig& source, const QString& dataDir) {
    SourceStatus out;
    out.name = source.name;
    out.platform = platformName(source.platform);
    if (auto entries = RejectedStore::readDir(DataLayout(dataDir).rejectedDir(source.name)))
        out.rejected = entries->size();
    readStores(source, dataDir, out);
    return out;
}

void StatusReport::readStores(const SourceConfig& source, const QString& dataDir, SourceStatus& out) {
    const DataLayout layout(dataDir);
    if (StatsStore stats(source.stats, dataDir); stats.exists()) {
        if (auto opened = stats.open()) {
            // The counts just taken, kept for the chart of counts over time: this is the one place
            // that writes them (the `status` command and the window's refresh both come here).
            if (auto r = stats.addCountSamples(source.name,
                                               StatsQueries::samplesOf(out, QDateTime::currentDateTimeUtc()));
                !r)
                qCWarning(lcStats).noquote() << r.errorMessage();
            out.usage = UsageLedger::summary(stats, source.name);
            // What went wrong without failing a run: expired nextLinks, wrong counts, 429s.
            QJsonArray events;
            if (auto list = stats.events(source.name, {}, 10))
                for (const StatsEvent& e : *list)
                    events.append(QJsonObject{{QStringLiteral("time"), e.time},
                                              {QStringLiteral("process"), e.process},
                                              {QStringLiteral("resource"), orNull(e.resource)},
                                              {QStringLiteral("kind"), e.kind},
                                              {QStringLiteral("message"), e.message}});
            out.events = events;
            for (const QString& process :
                 {QStringLiteral("sync"), QStringLiteral("purge"), QStringLiteral("reconcile")}) {
                auto run = stats.lastRun(source.name, process);
                if (run && *run) {
                    const RunSummary& s = **run;
                    out.lastRuns.append(LastRunStatus{process, s.started, s.finished, s.result, s.error,
                                                      s.records, s.batchId});
                }
            }
        } else {
            qCWarning(lcStats).noquote() << "no runs, usage or events shown:" << opened.errorMessage();
        }
    }
    if (QFileInfo::exists(layout.stateDatabase())) {
        StateStore state(layout.stateDatabase());
        if (state.open())
            if (auto list = state.failures(source.name))
                for (const StepFailure& f : std::as_const(*list))
                    out.failures.append(StepFailureStatus{f.process, f.resource, f.destination, f.step,
                                                          f.count, f.count >= kBlockAfter, f.lastError,
                                                          f.updated});
    }
}

QJsonObject StatusReport::toJson(const SourceStatus& status) {
    QJsonObject out{{QStringLiteral("name"), status.name},
                    {QStringLiteral("platform"), status.platform},
                    {QStringLiteral("mlsError"), orNull(status.mlsError)}};
    QJsonArray resources;
    for (const ResourceStatus& r : status.resources) {
        QJsonObject resource{{QStringLiteral("name"), r.resource}};
        resource.insert(
            QStringLiteral("mls"),
            QJsonObject{{QStringLiteral("count"), r.mls.count ? QJsonValue(*r.mls.count) : QJsonValue()},
                        {QStringLiteral("newest"), orNull(r.mls.newestText)},
                        {QStringLiteral("newestUnavailable"), orNull(r.mls.newestUnavailable)},
                        {QStringLiteral("error"), orNull(r.mls.error)}});
        QJsonArray dests;
        for (const DestinationStatus& d : r.destinations) {
            QJsonObject o{
                {QStringLiteral("name"), d.name},
                {QStringLiteral("type"), d.type},
                {QStringLiteral("rejected"), d.rejected},
                {QStringLiteral("mark"), orNull(d.mark)},
                {QStringLiteral("markState"), d.markState},
                {QStringLiteral("newestMark"), orNull(d.newestMark)},
                {QStringLiteral("lagSeconds"), d.lagMs ? QJsonValue(*d.lagMs / 1000) : QJsonValue()},
                {QStringLiteral("pendingFiles"), d.pendingFiles},
                {QStringLiteral("failing"), d.failing},
                {QStringLiteral("blocked"), d.blocked},
                {QStringLiteral("lastError"), orNull(d.lastError)}};
            if (!d.opened) {
                o.insert(QStringLiteral("error"), QStringLiteral("not available"));
                dests.append(o);
                continue;
            }
            o.insert(QStringLiteral("count"), d.count ? QJsonValue(*d.count) : QJsonValue());
            o.insert(QStringLiteral("newest"), orNull(d.newestText));
            o.insert(QStringLiteral("error"), orNull(d.error));
            if (d.countMatches)
                o.insert(QStringLiteral("countMatches"), *d.countMatches);
            if (d.newestMatches)
                o.insert(QStringLiteral("newestMatches"), *d.newestMatches);
            dests.append(o);
        }
        resource.insert(QStringLiteral("destinations"), dests);
        resources.append(resource);
    }
    out.insert(QStringLiteral("resources"), resources);
    if (!status.destinationErrors.isEmpty())
        out.insert(QStringLiteral("destinationErrors"), QJsonArray::fromStringList(status.destinationErrors));
    if (status.usage)
        out.insert(QStringLiteral("usage"), *status.usage);
    if (status.events)
        out.insert(QStringLiteral("events"), *status.events);
    QJsonObject runs;
    for (const LastRunStatus& s : status.lastRuns)
        runs.insert(s.process, QJsonObject{{QStringLiteral("started"), s.started},
                                           {QStringLiteral("finished"), orNull(s.finished)},
                                           {QStringLiteral("result"), s.result},
                                           {QStringLiteral("error"), orNull(s.error)},
                                           {QStringLiteral("records"), s.records},
                                           {QStringLiteral("batch"), s.batch}});
    QJsonArray failures;
    for (const StepFailureStatus& f : status.failures)
        failures.append(QJsonObject{{QStringLiteral("process"), f.process},
                                    {QStringLiteral("resource"), f.resource},
                                    {QStringLiteral("destination"), f.destination},
                                    {QStringLiteral("step"), f.step},
                                    {QStringLiteral("count"), f.count},
                                    {QStringLiteral("blocked"), f.blocked},
                                    {QStringLiteral("error"), f.error},
                                    {QStringLiteral("updated"), f.updated}});
    out.insert(QStringLiteral("lastRuns"), runs);
    out.insert(QStringLiteral("failures"), failures);
    out.insert(QStringLiteral("rejected"), status.rejected);
    return out;
}

QJsonObject StatusReport::collect(const Config& config, const QString& dataDir, const QString& onlySource) {
    QJsonArray sources;
    for (const SourceConfig& source : config.sources) {
        if (!onlySource.isEmpty() && source.name != onlySource)
            continue;
        sources.append(toJson(collectStatus(source, dataDir)));
    }
    return QJsonObject{{QStringLiteral("sources"), sources},
                       {QStringLiteral("scheduler"),
                        schedulerStatus(config.stats, dataDir, QDateTime::currentDateTimeUtc())}};
}

QJsonObject StatusReport::schedulerStatus(const std::optional<SqlServerConfig>& server,
                                          const QString& dataDir, const QDateTime& now) {
    QJsonObject out{{QStringLiteral("running"), false},        {QStringLiteral("kind"), QJsonValue()},
                    {QStringLiteral("pid"), QJsonValue()},     {QStringLiteral("host"), QJsonValue()},
                    {QStringLiteral("started"), QJsonValue()}, {QStringLiteral("heartbeat"), QJsonValue()},
                    {QStringLiteral("stopped"), QJsonValue()}};
    StatsStore stats(server, dataDir);
    if (!stats.exists() || !stats.open())
        return out;
    // A shared stats server holds the instances of other data directories (and machines) too.
    auto rows = stats.instances(20, stats.shared() ? dataDir : QString());
    if (!rows || rows->isEmpty())
        return out;
    // A row not stopped whose heartbeat is younger than three beats is a running scheduler; one
    // older was killed without a chance to say so.
    const auto alive = [&now](const InstanceRow& row) {
        const QDateTime beat = QDateTime::fromString(row.heartbeat, Qt::ISODateWithMs);
        return row.stopped.isEmpty() && beat.isValid() &&
               beat.secsTo(now) <= 3 * InstanceRow::kHeartbeatSeconds;
    };
    const InstanceRow* shown = &rows->first();
    for (const InstanceRow& row : std::as_const(*rows))
        if (alive(row)) {
            shown = &row;
            break;
        }
    out.insert(QStringLiteral("running"), alive(*shown));
    out.insert(QStringLiteral("kind"), shown->kind);
    out.insert(QStringLiteral("pid"), shown->pid);
    out.insert(QStringLiteral("host"), shown->host);
    out.insert(QStringLiteral("started"), shown->started);
    out.insert(QStringLiteral("heartbeat"), shown->heartbeat);
    out.insert(QStringLiteral("stopped"), orNull(shown->stopped));
    return out;
}

QString StatusReport::toText(const QJsonObject& report) {
    QString text;
    QTextStream out(&text);
    auto value = [](const QJsonValue& v) {
        if (v.isNull() || v.isUndefined())
            return QStringLiteral("-");
        if (v.isDouble())
            return QString::number(v.toInteger());
        return v.toString();
    };
    for (const QJsonValue sv : report.value(QStringLiteral("sources")).toArray()) {
        const QJsonObject s = sv.toObject();
        out << "source " << s.value(QStringLiteral("name")).toString() << " ("
            << s.value(QStringLiteral("platform")).toString() << ")\n";
        if (!s.value(QStringLiteral("mlsError")).isNull())
            out << "  MLS not reachable: " << s.value(QStringLiteral("mlsError")).toString() << "\n";
        for (const QJsonValue rv : s.value(QStringLiteral("resources")).toArray()) {
            const QJsonObject r = rv.toObject();
            const QJsonObject mls = r.value(QStringLiteral("mls")).toObject();
            out << "  " << r.value(QStringLiteral("name")).toString() << "\n";
            const QString unavailable = mls.value(QStringLiteral("newestUnavailable")).toString();
            out << QStringLiteral("    %1 %2 records, newest %3\n")
                       .arg(QStringLiteral("MLS").leftJustified(16),
                            value(mls.value(QStringLiteral("count"))).rightJustified(10),
                            unavailable.isEmpty() ? value(mls.value(QStringLiteral("newest")))
                                                  : QStringLiteral("unknown (%1)").arg(unavailable));
            for (const QJsonValue dv : r.value(QStringLiteral("destinations")).toArray()) {
                const QJsonObject d = dv.toObject();
                QString mark;
                if (d.contains(QStringLiteral("countMatches")) || d.contains(QStringLiteral("newestMatches")))
                    mark = d.value(QStringLiteral("countMatches")).toBool(true) &&
                                   d.value(QStringLiteral("newestMatches")).toBool(true)
                               ? QStringLiteral("  in sync")
                               : QStringLiteral("  behind");
                if (const qint64 rejected = d.value(QStringLiteral("rejected")).toInteger(); rejected > 0)
                    mark += QStringLiteral(", %1 rejected").arg(rejected);
                out << QStringLiteral("    %1 %2 records, newest %3%4\n")
                           .arg(d.value(QStringLiteral("name")).toString().leftJustified(16),
                                value(d.value(QStringLiteral("count"))).rightJustified(10),
                                value(d.value(QStringLiteral("newest"))), mark);
                const QString markState = d.value(QStringLiteral("markState")).toString();
                out << "      mark "
                    << (markState == QLatin1String("set") ? d.value(QStringLiteral("mark")).toString()
                        : markState == QLatin1String("full")
                            ? QStringLiteral("cleared (next sync downloads everything)")
                            : QStringLiteral("none (next sync starts from the newest row held)"))
                    << "\n";
                if (!d.value(QStringLiteral("error")).isNull() &&
                    !d.value(QStringLiteral("error")).isUndefined())
                    out << "      error: " << d.value(QStringLiteral("error")).toString() << "\n";
                const qint64 lag = d.value(QStringLiteral("lagSeconds")).toInteger();
                const qint64 pendingFiles = d.value(QStringLiteral("pendingFiles")).toInteger();
                if (lag > 0 || pendingFiles > 0) {
                    QStringList lagParts;
                    if (lag > 0)
                        lagParts.append(
                            QStringLiteral("%1 behind the newest mark %2")
                                .arg(spanText(lag * 1000), d.value(QStringLiteral("newestMark")).toString()));
                    if (pendingFiles > 0)
                        lagParts.append(QStringLiteral("%1 page file(s) waiting for it").arg(pendingFiles));
                    out << "      lag " << lagParts.join(QStringLiteral(", ")) << "\n";
                }
                if (d.value(QStringLiteral("failing")).toBool())
                    out << "      sync "
                        << (d.value(QStringLiteral("blocked")).toBool() ? "BLOCKED" : "failing") << ": "
                        << d.value(QStringLiteral("lastError")).toString() << "\n";
            }
        }
        const QJsonObject runs = s.value(QStringLiteral("lastRuns")).toObject();
        for (auto it = runs.begin(); it != runs.end(); ++it) {
            const QJsonObject run = it.value().toObject();
            out << "  last " << it.key() << ": " << run.value(QStringLiteral("result")).toString()
                << ", started " << run.value(QStringLiteral("started")).toString() << ", finished "
                << value(run.value(QStringLiteral("finished"))) << ", "
                << value(run.value(QStringLiteral("records"))) << " records";
            if (!run.value(QStringLiteral("error")).isNull())
                out << "\n    error: " << run.value(QStringLiteral("error")).toString();
            out << "\n";
        }
        if (runs.isEmpty())
            out << "  no runs yet\n";
        if (const QJsonObject usage = s.value(QStringLiteral("usage")).toObject(); !usage.isEmpty()) {
            const QJsonObject hour = usage.value(QStringLiteral("currentHour")).toObject();
            const QJsonObject day = usage.value(QStringLiteral("last24Hours")).toObject();
            out << "  requests: " << value(hour.value(QStringLiteral("requests"))) << " this hour ("
                << value(hour.value(QStringLiteral("bytes"))) << " bytes, "
                << value(hour.value(QStringLiteral("throttled"))) << " throttled), "
                << value(day.value(QStringLiteral("requests"))) << " in 24 h\n";
        }
        for (const QJsonValue ev : s.value(QStringLiteral("events")).toArray()) {
            const QJsonObject e = ev.toObject();
            out << "  event " << e.value(QStringLiteral("time")).toString() << " "
                << e.value(QStringLiteral("process")).toString() << " "
                << e.value(QStringLiteral("resource")).toString() << " "
                << e.value(QStringLiteral("kind")).toString() << ": "
                << e.value(QStringLiteral("message")).toString() << "\n";
        }
        if (const qint64 rejected = s.value(QStringLiteral("rejected")).toInteger(); rejected > 0)
            out << "  rejected: " << rejected << " record(s) set aside; \"openresync-cli rejected "
                << s.value(QStringLiteral("name")).toString() << "\" lists them\n";
        for (const QJsonValue fv : s.value(QStringLiteral("failures")).toArray()) {
            const QJsonObject f = fv.toObject();
            out << "  " << (f.value(QStringLiteral("blocked")).toBool() ? "BLOCKED " : "failing ")
                << f.value(QStringLiteral("process")).toString() << " "
                << f.value(QStringLiteral("resource")).toString() << " -> "
                << f.value(QStringLiteral("destination")).toString() << " ("
                << f.value(QStringLiteral("count")).toInt()
                << "x): " << f.value(QStringLiteral("error")).toString() << "\n";
        }
    }
    const QJsonObject scheduler = report.value(QStringLiteral("scheduler")).toObject();
    if (scheduler.value(QStringLiteral("running")).toBool())
        out << "scheduler: " << scheduler.value(QStringLiteral("kind")).toString() << " (process "
            << value(scheduler.value(QStringLiteral("pid"))) << " on "
            << scheduler.value(QStringLiteral("host")).toString() << ") since "
            << scheduler.value(QStringLiteral("started")).toString() << ", last heartbeat "
            << scheduler.value(QStringLiteral("heartbeat")).toString() << "\n";
    else if (!scheduler.isEmpty())
        out << "scheduler: none running"
            << (scheduler.value(QStringLiteral("kind")).isString()
                    ? QStringLiteral(" (the last, %1 process %2, was last seen %3)")
                          .arg(scheduler.value(QStringLiteral("kind")).toString(),
                               value(scheduler.value(QStringLiteral("pid"))),
                               scheduler.value(QStringLiteral("heartbeat")).toString())
                    : QString())
            << "\n";
    out.flush();
    return text;
}

} // namespace ors
