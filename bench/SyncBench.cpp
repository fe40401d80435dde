#include "SyncBench.h"

#include "Schema.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

#include <csignal>
#include <cstdio>

namespace ors::bench {

namespace {

const QString kSource = QStringLiteral("bench");

// The CLI as a user runs it: production retry and timeout settings, no configuration from the
// caller's environment.
QProcessEnvironment baseEnvironment() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("OPENRESYNC_CONFIG"));
    env.remove(QStringLiteral("OPENRESYNC_DATA_DIR"));
    return env;
}

QList<QJsonObject> logEntries(const QString& dataDir) {
    QList<QJsonObject> entries;
    QFile log(QDir(dataDir).filePath(QStringLiteral("logs/%1.ndjson").arg(kSource)));
    if (!log.open(QIODevice::ReadOnly))
        return entries;
    for (const QByteArray& line : log.readAll().split('\n'))
        if (const QJsonObject entry = QJsonDocument::fromJson(line).object(); !entry.isEmpty())
            entries.append(entry);
    return entries;
}

double perSecond(double count, double seconds) {
    return seconds > 0 ? count / seconds : 0;
}

} // namespace

SyncBench::SyncBench(SyncBenchOptions options, ResultLog results)
    : m_options(std::move(options))
    , m_results(std::move(results)) {}

SyncBench::~SyncBench() = default;

bool SyncBench::start() {
    fake::ServerOptions options;
    options.listingCount = m_options.listings;
    options.maxPageSize = std::max(5000, m_options.pageSize);
    options.pageLatencyMs = m_options.latencyMs;
    if (m_options.light) {
        options.lightListings = true;
        options.memberCount = 0;
    } else {
        options.propertyFieldCount = m_options.fields;
    }
    const int builtIn = int(fake::ResoSchema::instance().property.fields.size());
    m_options.fields = m_options.light ? int(fake::ResoSchema::light().property.fields.size())
                                       : std::max(m_options.fields, builtIn);
    QElapsedTimer generating;
    generating.start();
    m_server = std::make_unique<fake::FakeResoServer>(options);
    if (!m_server->start()) {
        std::fprintf(stderr, "bench_sync: the fake RESO server did not start\n");
        return false;
    }
    m_media = m_options.light ? 0 : m_server->rawRecords(QStringLiteral("Media")).size();
    std::printf("generated %d listings of %d fields with %lld Media in %.1f s (bench process RSS %.0f MB)\n",
                m_options.listings, m_options.fields, static_cast<long long>(m_media),
                double(generating.elapsed()) / 1000.0, selfRssMb());
    std::fflush(stdout);
    return true;
}

std::optional<SyncBench::Target> SyncBench::makeTarget(const QString& tag) {
    Target target;
    QString error;
    target.destination = BenchDestination::create(m_options.engine, m_dir.path(), tag, &error);
    if (!target.destination) {
        std::fprintf(stderr, "bench_sync: %s\n", qPrintable(error));
        return std::nullopt;
    }
    target.dataDir = m_dir.filePath(QStringLiteral("data-") + tag);
    target.config = m_dir.filePath(QStringLiteral("config-%1.json").arg(tag));
    QJsonObject property{{QStringLiteral("name"), QStringLiteral("Property")}};
    if (!m_options.light)
        property.insert(QStringLiteral("expand"),
                        QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Media")}}});
    const QJsonObject source{
        {QStringLiteral("name"), kSource},
        {QStringLiteral("platform"), QStringLiteral("generic")},
        {QStringLiteral("serviceUrl"), m_server->serviceUrl()},
        {QStringLiteral("pageSize"), m_options.pageSize},
        {QStringLiteral("resources"), QJsonArray{property}},
        {QStringLiteral("destinations"), QJsonArray{target.destination->config()}},
    };
    QFile file(target.config);
    const QByteArray text = QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                                      {QStringLiteral("sources"), QJsonArray{source}}})
                                .toJson();
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size()) {
        std::fprintf(stderr, "bench_sync: cannot write %s: %s\n", qPrintable(target.config),
                     qPrintable(file.errorString()));
        return std::nullopt;
    }
    return target;
}

MeasuredRun SyncBench::runCli(const Target& target, const QStringList& command,
                              const QProcessEnvironment& env,
                              const std::function<bool(qint64)>& whileRunning) {
    m_server->clearRequestLog();
    const QStringList args =
        QStringList{QStringLiteral("--config"), target.config, QStringLiteral("--data-dir"), target.dataDir} +
        command;
    // A profiler in front of the CLI, e.g. ORS_BENCH_CLI_WRAPPER="valgrind --tool=callgrind
    // --callgrind-out-file=/tmp/cg.%p" (docs/PERFORMANCE.md): its figures are the profiler's then.
    QStringList wrapper =
        qEnvironmentVariable("ORS_BENCH_CLI_WRAPPER").split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (!wrapper.isEmpty()) {
        const QString program = wrapper.takeFirst();
        return runMeasured(program, wrapper + QStringList{m_options.cli} + args, target.destination->env(env),
                           whileRunning);
    }
    return runMeasured(m_options.cli, args, target.destination->env(env), whileRunning);
}

bool SyncBench::checkRun(const char* what, const MeasuredRun& run, const Target& target) const {
    if (!run.crashed && run.exitCode == 0)
        return true;
    // The CLI's own log says more than its one-line error.
    QString tail;
    const QList<QJsonObject> entries = logEntries(target.dataDir);
    for (qsizetype i = std::max<qsizetype>(0, entries.size() - 5); i < entries.size(); ++i)
        tail += QStringLiteral("\n  log: ") +
                QString::fromUtf8(QJsonDocument(entries.at(i)).toJson(QJsonDocument::Compact));
    std::fprintf(stderr, "bench_sync: %s %s failed (exit %d%s): %s%s\n", qPrintable(engineText()), what,
                 run.exitCode, run.crashed ? ", crashed" : "", run.err.trimmed().constData(),
                 qPrintable(tail));
    return false;
}

bool SyncBench::checkStored(const char* what, const Target& target, qint64 expectedMedia) const {
    QString error;
    const qint64 listings = target.destination->count(QStringLiteral("Property"), &error);
    const qint64 media = m_options.light ? 0 : target.destination->count(QStringLiteral("Media"), &error);
    if (!error.isEmpty() || listings != m_options.listings || media != expectedMedia) {
        std::fprintf(stderr,
                     "bench_sync: after the %s the %s destination holds %lld listings and %lld Media, "
                     "not %d and %lld%s%s\n",
                     what, qPrintable(engineText()), static_cast<long long>(listings),
                     static_cast<long long>(media), m_options.listings, static_cast<long long>(expectedMedia),
                     error.isEmpty() ? "" : ": ", qPrintable(error));
        return false;
    }
    if (!m_options.verify)
        return true;
    QStringList differences = target.destination->differences(
        *m_server, QStringLiteral("Property"), QStringLiteral("Property"), QStringLiteral("ListingKey"));
    if (!m_options.light)
        differences += target.destination->differences(
            *m_server, QStringLiteral("Media"), QStringLiteral("Media"), QStringLiteral("MediaKey"),
            QStringLiteral("ListingKey"), QStringLiteral("ResourceRecordKey"));
    if (!differences.isEmpty()) {
        std::fprintf(stderr, "bench_sync: after the %s the %s destination differs from the server:\n  %s\n",
                     what, qPrintable(engineText()),
                     qPrintable(differences.mid(0, 10).join(QStringLiteral("\n  "))));
        return false;
    }
    std::printf("%s: verified field by field against the server\n", what);
    return true;
}

QJsonObject SyncBench::figures(const QString& name, const MeasuredRun& run, const Target& target,
                               qint64 listings, qint64 media, double dbCpuBefore) const {
    QJsonObject r{
        {QStringLiteral("bench"), QStringLiteral("sync")},
        {QStringLiteral("case"), name},
        {QStringLiteral("destination"), engineText()},
        {QStringLiteral("listings"), listings},
        {QStringLiteral("media"), media},
        {QStringLiteral("fields"), m_options.fields},
        {QStringLiteral("pageSize"), m_options.pageSize},
        {QStringLiteral("wallSeconds"), run.seconds},
        {QStringLiteral("listingsPerSecond"), perSecond(double(listings), run.seconds)},
        {QStringLiteral("mediaRowsPerSecond"), perSecond(double(media), run.seconds)},
        {QStringLiteral("peakRssMb"), run.peakRssMb},
        {QStringLiteral("cpuSeconds"), run.cpuSeconds},
        {QStringLiteral("fakeServerCpuSeconds"), run.selfCpuSeconds},
        {QStringLiteral("verified"), m_options.verify},
    };
    if (m_options.dbPid > 0)
        r.insert(QStringLiteral("dbCpuSeconds"), processCpuSeconds(m_options.dbPid, true) - dbCpuBefore);
    // The job's own split, from its "sync done" log line (ProcessJob::phaseTimes).
    const QList<QJsonObject> entries = logEntries(target.dataDir);
    for (auto it = entries.crbegin(); it != entries.crend(); ++it)
        if (it->value(QStringLiteral("msg")).toString() == QLatin1String("sync done")) {
            r.insert(QStringLiteral("phases"), it->value(QStringLiteral("seconds")).toObject());
            break;
        }
    // The pace at the start and at the end, from when the server received each page's request:
    // the CLI asks for the next page once it has the previous one, so in steady state one request
    // follows another at the speed of the slower of download and apply.
    QList<qint64> times;
    const QStringList requests = m_server->requestLog();
    const QList<qint64> arrivals = m_server->requestTimesMs();
    for (qsizetype i = 0; i < requests.size() && i < arrivals.size(); ++i)
        if (requests.at(i).contains(QLatin1String("/Property?")))
            times.append(arrivals.at(i));
    if (times.size() >= 20) {
        const qsizetype n = times.size();
        const qsizetype k = std::max<qsizetype>(2, n / 10);
        const double pageRows = m_options.pageSize;
        r.insert(QStringLiteral("rateStart"),
                 perSecond(pageRows * double(k), double(times[k] - times[0]) / 1000.0));
        r.insert(QStringLiteral("rateEnd"),
                 perSecond(pageRows * double(k), double(times[n - 1] - times[n - 1 - k]) / 1000.0));
        r.insert(QStringLiteral("rateWindowPages"), k);
    }
    return r;
}

void SyncBench::print(const QJsonObject& r) const {
    const auto number = [&](const char* key) { return r.value(QLatin1String(key)).toDouble(); };
    QString line =
        QStringLiteral("%1 %2: %3 listings (+%4 Media, %5 fields) in %6 s = %7 listings/s, %8 Media/s; "
                       "peak RSS %9 MB; CPU %10 s")
            .arg(r.value(QStringLiteral("destination")).toString(),
                 r.value(QStringLiteral("case")).toString())
            .arg(qint64(number("listings")))
            .arg(qint64(number("media")))
            .arg(qint64(number("fields")))
            .arg(number("wallSeconds"), 0, 'f', 2)
            .arg(number("listingsPerSecond"), 0, 'f', 0)
            .arg(number("mediaRowsPerSecond"), 0, 'f', 0)
            .arg(number("peakRssMb"), 0, 'f', 1)
            .arg(number("cpuSeconds"), 0, 'f', 2);
    line += QStringLiteral(" (fake server %1 s").arg(number("fakeServerCpuSeconds"), 0, 'f', 2);
    if (r.contains(QStringLiteral("dbCpuSeconds")))
        line += QStringLiteral(", database %1 s").arg(number("dbCpuSeconds"), 0, 'f', 2);
    line += QLatin1Char(')');
    const QJsonObject phases = r.value(QStringLiteral("phases")).toObject();
    if (!phases.isEmpty())
        line += QStringLiteral("; job %1 s: download %2, parse %3, write %4, files %5")
                    .arg(phases.value(QStringLiteral("total")).toDouble(), 0, 'f', 2)
                    .arg(phases.value(QStringLiteral("download")).toDouble(), 0, 'f', 2)
                    .arg(phases.value(QStringLiteral("parse")).toDouble(), 0, 'f', 2)
                    .arg(phases.value(QStringLiteral("write")).toDouble(), 0, 'f', 2)
                    .arg(phases.value(QStringLiteral("files")).toDouble(), 0, 'f', 2);
    // The worker thread's parse, beside the job thread's split (absent from older CLIs).
    if (phases.contains(QStringLiteral("worker")))
        line += QStringLiteral(" (+ worker %1)")
                    .arg(phases.value(QStringLiteral("worker")).toDouble(), 0, 'f', 2);
    if (r.contains(QStringLiteral("rateStart")))
        line += QStringLiteral("; %1 rows/s at the start, %2 at the end")
                    .arg(number("rateStart"), 0, 'f', 0)
                    .arg(number("rateEnd"), 0, 'f', 0);
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

bool SyncBench::initial() {
    auto target = makeTarget(QStringLiteral("initial"));
    if (!target)
        return false;
    const double dbBefore = m_options.dbPid > 0 ? processCpuSeconds(m_options.dbPid, true) : 0;
    const MeasuredRun run = runCli(*target, {QStringLiteral("sync"), kSource}, baseEnvironment());
    if (!checkRun("initial sync", run, *target))
        return false;
    const QJsonObject result = figures(m_options.light ? QStringLiteral("light") : QStringLiteral("initial"),
                                       run, *target, m_options.listings, m_media, dbBefore);
    if (!checkStored("initial sync", *target, m_media))
        return false;
    print(result);
    m_synced = std::move(target);
    return m_results.append(result);
}

bool SyncBench::reference() {
    if (!m_synced || m_options.referenceProgram.isEmpty())
        return true;
    QProcess process;
    process.setProcessEnvironment(m_synced->destination->env(baseEnvironment()));
    process.start(m_options.referenceProgram, m_synced->destination->referenceArgs() +
                                                  QStringList{QStringLiteral("--json"), QStringLiteral("-")});
    const bool ran = process.waitForStarted(30000) && process.waitForFinished(-1);
    if (!ran || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        std::fprintf(stderr, "bench_sync: %s reference (%s) failed (exit %d): %s %s\n",
                     qPrintable(engineText()), qPrintable(m_options.referenceProgram), process.exitCode(),
                     qPrintable(process.errorString()), process.readAllStandardError().trimmed().constData());
        return false;
    }
    std::fputs(process.readAllStandardError().constData(), stdout);
    for (const QByteArray& line : process.readAllStandardOutput().split('\n')) {
        QJsonObject result = QJsonDocument::fromJson(line).object();
        if (result.isEmpty())
            continue;
        result.insert(QStringLiteral("fields"), m_options.fields);
        if (!m_results.append(result))
            return false;
    }
    return true;
}

bool SyncBench::incremental() {
    if (!m_synced || m_options.changed <= 0)
        return true;
    const QStringList changed =
        m_server->changeRecords(double(m_options.changed) / double(m_options.listings));
    // A change may add or drop a listing's photos, as an MLS edit does.
    if (!m_options.light)
        m_media = m_server->rawRecords(QStringLiteral("Media")).size();
    const double dbBefore = m_options.dbPid > 0 ? processCpuSeconds(m_options.dbPid, true) : 0;
    const MeasuredRun run = runCli(*m_synced, {QStringLiteral("sync"), kSource}, baseEnvironment());
    if (!checkRun("incremental sync", run, *m_synced))
        return false;
    QJsonObject result = figures(QStringLiteral("incremental"), run, *m_synced, changed.size(), 0, dbBefore);
    result.insert(QStringLiteral("outOf"), m_options.listings);
    if (!checkStored("incremental sync", *m_synced, m_media))
        return false;
    print(result);
    return m_results.append(result);
}

// The write ceiling: a first run downloads every page to disk and is stopped (SIGTERM) just
// before it applies the first one, through the CLI's test hooks; `sync --resume-only` then
// applies the pages on disk and asks the server for nothing newer. Its job wall time is the
// apply alone, plus the start (metadata, opening the destination).
bool SyncBench::fromFiles() {
    m_synced.reset(); // its database goes before another is filled
    auto target = makeTarget(QStringLiteral("files"));
    if (!target)
        return false;
    const QString gate = m_dir.filePath(QStringLiteral("apply-gate"));
    QProcessEnvironment hold = baseEnvironment();
    hold.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_AFTER_DOWNLOAD"), QStringLiteral("1"));
    hold.insert(QStringLiteral("OPENRESYNC_DEBUG_APPLY_GATE"), gate);
    bool held = false;
    const MeasuredRun download = runCli(*target, {QStringLiteral("sync"), kSource}, hold, [&](qint64 pid) {
        if (!QFile::exists(gate + QStringLiteral(".held")))
            return true;
        held = true;
        ::kill(pid_t(pid), SIGTERM);
        return false;
    });
    const QStringList pages = test::filesUnder(target->dataDir, QStringLiteral("sync_batch_*.json"));
    if (!held || download.exitCode != 128 + SIGTERM || pages.isEmpty()) {
        std::fprintf(stderr,
                     "bench_sync: %s: the download for the write ceiling did not stop before its apply "
                     "(held: %s, exit %d, %lld page files): %s\n",
                     qPrintable(engineText()), held ? "yes" : "no", download.exitCode,
                     static_cast<long long>(pages.size()), download.err.trimmed().constData());
        return false;
    }
    std::printf("write ceiling: %lld page files on disk after %.2f s of download\n",
                static_cast<long long>(pages.size()), download.seconds);
    const double dbBefore = m_options.dbPid > 0 ? processCpuSeconds(m_options.dbPid, true) : 0;
    const MeasuredRun run = runCli(
        *target, {QStringLiteral("sync"), kSource, QStringLiteral("--resume-only")}, baseEnvironment());
    if (!checkRun("apply from files", run, *target))
        return false;
    QJsonObject result =
        figures(QStringLiteral("from-files"), run, *target, m_options.listings, m_media, dbBefore);
    result.insert(QStringLiteral("pageFiles"), pages.size());
    if (!checkStored("apply from files", *target, m_media))
        return false;
    if (!test::filesUnder(target->dataDir, QStringLiteral("sync_batch_*.json")).isEmpty()) {
        std::fprintf(stderr, "bench_sync: %s: page files left after sync --resume-only\n",
                     qPrintable(engineText()));
        return false;
    }
    print(result);
    return m_results.append(result);
}

} // namespace ors::bench
