#pragma once

#include "config/Config.h"
#include "store/SqlStore.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace ors {

struct RunSummary {
    qint64 id = 0;
    QString source;
    QString process;
    QString batchId;
    QString started;
    QString finished;
    QString result; // running | success | error | refused | cancelled (stopped by cancel or a signal)
    QString error;
    qint64 records = 0;
    QString host; // the machine that ran it; empty in rows written before schema version 6
};

// Something noteworthy that did not fail the run.
struct StatsEvent {
    qint64 runId = 0;
    QString time;
    QString source;
    QString process;
    QString resource;
    QString kind; // count-mismatch, nextlink-expired, throttled, ...
    QString message;
};

// Which runs `history` asks for; empty strings and invalid times match every value.
struct RunQuery {
    QString source;
    QString process;
    QString result;
    int limit = 20;
    int offset = 0;        // runs skipped, newest first: the window's pages
    QDateTime startedFrom; // runs started at or after this instant
    QDateTime startedTo;   // runs started before this instant
};

// A run's resource or destination rows carry the times of their first and last counted page
// (UTC, ISO 8601; empty in rows written before schema version 5): how long its download or
// apply took, roughly.
struct RunResourceCount {
    QString resource;
    qint64 downloaded = 0;
    qint64 expected = -1; // -1: the server announced no count
    qint64 pages = 0;
    QString firstPage;
    QString lastPage;
};

struct RunDestinationCount {
    QString resource;
    QString destination;
    qint64 applied = 0;
    QString firstPage;
    QString lastPage;
};

struct RunFailure {
    QString time;
    QString resource;
    QString destination;
    QString step;
    QString message;
};

// One run with everything recorded against it.
struct RunDetail {
    RunSummary run;
    QList<RunResourceCount> resources;
    QList<RunDestinationCount> destinations;
    QList<RunFailure> failures;
    QList<StatsEvent> events;
};

// Requests, bytes received and 429 answers of one source in one UTC clock hour.
struct UsageHour {
    QDateTime hour; // UTC, on the hour
    qint64 requests = 0;
    qint64 bytes = 0;
    qint64 throttled = 0;
};

// A record count taken by `status` (or the window's refresh): the MLS's (destination empty) or
// one destination's, so the counts can be charted over time.
struct CountSample {
    QDateTime time; // UTC
    QString resource;
    QString destination; // empty: the MLS
    qint64 count = 0;
    QString newest; // the newest timestamp then, empty when unknown
};

// One run as the charts plot it: when, how long, how many records.
struct RunPoint {
    qint64 runId = 0;
    QString process;
    QString result;
    QDateTime started;  // UTC
    QDateTime finished; // UTC; invalid while it runs (or when its process died)
    qint64 downloaded = 0;
    qint64 applied = 0; // summed over the destinations
};

// One program that ran (or runs) a data directory's schedules: `serve` or the desktop window.
struct InstanceRow {
    qint64 id = 0;
    QString kind; // serve | desktop
    qint64 pid = 0;
    QString host;
    QString started;   // UTC, ISO 8601
    QString heartbeat; // UTC, ISO 8601: refreshed every kHeartbeatSeconds while it runs
    QString stopped;   // empty while it runs (or when it was killed)

    static constexpr int kHeartbeatSeconds = 30;
};

// The stats store: a row per run, per resource and per destination, every failure and event,
// request usage, open alerts and the heartbeats of running instances. It lives in
// <data>/stats.sqlite, or in the MySQL/MariaDB or PostgreSQL database of the configuration's
// "stats" key, which instances on several machines share: every write is an INSERT with a
// server-made id or one upsert statement, so programs writing at once never overwrite each other.
class StatsStore : public SqlStore {
public:
    // The SQLite file at `path`.
    explicit StatsStore(const QString& path);
    // Where the configuration puts it: the "stats" server when there is one, else
    // <dataDir>/stats.sqlite.
    StatsStore(const std::optional<SqlServerConfig>& server, const QString& dataDir);
    Expected<void> open();
    // Whether there can be anything to read: a server always, a SQLite file when it exists (opening
    // would create it, and read-only commands leave a data directory as it is).
    bool exists() const;
    // A server database that other instances may write too.
    bool shared() const { return m_server.has_value(); }
    // Every SQLite schema step from version 0, in order (append only: a step's position is the
    // version it leads to). A prefix of them makes a file as an older program left it.
    static std::span<const Migration> migrations();

    // `at` (default now) lets imports and tests record runs of the past.
    Expected<qint64> startRun(const QString& source, const QString& process, const QString& batchId,
                              const QDateTime& at = {});
    Expected<void> finishRun(qint64 runId, const QString& result, const QString& error,
                             const QDateTime& at = {});
    Expected<void> addResourceCounts(qint64 runId, const QString& resource, qint64 downloaded,
                                     qint64 expected, qint64 pages, const QDateTime& at = {});
    Expected<void> addDestinationCount(qint64 runId, const QString& resource, const QString& destination,
                                       qint64 applied, const QDateTime& at = {});
    Expected<void> recordFailure(qint64 runId, const QString& source, const QString& process,
                                 const QString& resource, const QString& destination, const QString& step,
                                 const QString& message);
    Expected<void> recordEvent(qint64 runId, const QString& source, const QString& process,
                               const QString& resource, const QString& kind, const QString& message);
    // Adds to the source's counts of the hour that `hourUtc` falls in.
    Expected<void> addUsage(const QString& source, const QDateTime& hourUtc, qint64 requests, qint64 bytes,
                            qint64 throttled);
    // The last `hours` clock hours up to the current one, oldest first; hours without a request
    // are absent.
    Expected<QList<UsageHour>> usage(const QString& source, int hours);
    Expected<QList<StatsEvent>> events(const QString& source, const QString& kind = {}, int limit = 100);
    Expected<std::optional<RunSummary>> lastRun(const QString& source, const QString& process = {});
    Expected<qint64> failureCount(const QString& source);
    // Source ▸ Remove… with its data: the source's runs, failures, events, usage, open alerts and
    // count samples, in one transaction (a source added again under the name has no history).
    Expected<void> forgetSource(const QString& source);

    // The values finishRun records (and "running" for a run that has not finished, or whose
    // process died): what `history --result` accepts.
    static QStringList runResults();
    // Runs matching `query`, newest (by start) first, each with its counts, failures and events
    // (StatsHistory.cpp).
    Expected<QList<RunDetail>> history(const RunQuery& query);
    // How many runs match `query` (its limit and offset aside): the window's "runs 1–50 of 312".
    Expected<qint64> runCount(const RunQuery& query);

    // Chart queries (StatsCharts.cpp), each oldest first, for runs or times in [from, to).
    Expected<QList<RunPoint>> runPoints(const QString& source, const QDateTime& from, const QDateTime& to);
    Expected<void> addCountSamples(const QString& source, const QList<CountSample>& samples);
    Expected<QList<CountSample>> countSamples(const QString& source, const QDateTime& from,
                                              const QDateTime& to);
    Expected<QList<UsageHour>> usageBetween(const QString& source, const QDateTime& from,
                                            const QDateTime& to);

    // The heartbeat of the instance running the schedules: a row at start, its heartbeat
    // refreshed while it runs, `stopped` set when it ends.
    Expected<qint64> startInstance(const QString& kind, qint64 pid, const QString& host,
                                   const QString& dataDir = {});
    Expected<void> beatInstance(qint64 instanceId);
    Expected<void> stopInstance(qint64 instanceId);
    // The latest instances, newest first; with `dataDir`, only those running its schedules.
    Expected<QList<InstanceRow>> instances(int limit = 20, const QString& dataDir = {});

private:
    // The tables of a server database and how they are made (StatsSchema.cpp).
    static ServerSchema serverSchema(SqlDialect dialect);

    QString m_path;
    std::optional<SqlServerConfig> m_server;
};

} // namespace ors
