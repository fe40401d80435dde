#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// What `status` collects about one source, as values: StatusReport::collectStatus fills them and
// StatusReport::toJson turns them into the `status --json` objects, so the window and the CLI read
// one collection. Timestamps are kept as the text each side gave (the JSON prints it) and as the
// instant it denotes (what comparisons use).
namespace ors {

struct MlsStatus {
    std::optional<qint64> count; // unknown when the count request failed or the server gave none
    QString newestText;
    std::optional<QDateTime> newest; // UTC
    QString newestUnavailable;       // why the newest timestamp cannot be asked for
    QString error;
};

struct DestinationStatus {
    QString name;
    QString type;
    bool opened = false; // false: the destination could not be created or opened (openError says why)
    QString openError;
    std::optional<qint64> count;
    QString newestText;
    std::optional<QDateTime> newest; // UTC
    QString error;                   // counting or reading the newest timestamp failed
    qint64 rejected = 0;
    QString mark;      // the high-water mark, empty without one
    QString markState; // set, none, full
    std::optional<bool> countMatches;
    std::optional<bool> newestMatches;
    // How far its sync lags the source's other destinations (read from state.sqlite, no
    // network): the newest mark any destination of the source has for the resource (empty: none),
    // this mark's distance behind it (unknown without both marks), the sync page files on disk it
    // has not applied, and whether its sync step is failing or blocked, with the last error.
    QString newestMark;
    std::optional<qint64> lagMs;
    qint64 pendingFiles = 0;
    bool failing = false;
    bool blocked = false;
    QString lastError;
};

struct ResourceStatus {
    QString resource;
    MlsStatus mls;
    QList<DestinationStatus> destinations;
};

// A step of a process failing for a destination; blocked after kBlockAfter failures in a row.
struct StepFailureStatus {
    QString process;
    QString resource;
    QString destination;
    QString step; // e.g. "apply sync_batch_…_seq_000001.json"
    int count = 0;
    bool blocked = false;
    QString error;
    QString updated;
};

struct LastRunStatus {
    QString process; // sync, purge, reconcile
    QString started;
    QString finished;
    QString result; // ok, error, refused, cancelled, …
    QString error;  // for a refused purge: the dry-run summary
    qint64 records = 0;
    QString batch;
};

struct SourceStatus {
    QString name;
    QString platform;
    QString mlsError;
    QList<ResourceStatus> resources;
    QStringList destinationErrors;
    QList<StepFailureStatus> failures;
    QList<LastRunStatus> lastRuns; // sync, purge, reconcile order; only processes that ran
    // Present when the stats store could be read; in the JSON form as they are.
    std::optional<QJsonObject> usage;
    std::optional<QJsonArray> events;
    qint64 rejected = 0;

    const LastRunStatus* lastRun(const QString& process) const {
        for (const LastRunStatus& run : lastRuns)
            if (run.process == process)
                return &run;
        return nullptr;
    }
};

// A stored timestamp as an instant: normalized text, any ISO-8601 offset, or no zone at all
// (what a destination writes is UTC by construction, so text without a zone is read as UTC).
std::optional<QDateTime> storedInstant(const QString& text);

// How one destination's figures stand against the MLS's, for a person: "in sync", or the
// differences joined with ", " ("missing 12", "12 too many", "newest 3 h behind", "newest 5 min
// ahead", "MLS count unknown", …). Translated in the "StatusWording" context.
struct StatusDifference {
    bool inSync = false;  // counts equal and newest timestamps the same instant
    bool unknown = false; // nothing could be compared (an error or no figures on one side)
    QStringList parts;    // each difference, worded
    QString text() const;
};

StatusDifference describeDifference(const MlsStatus& mls, const DestinationStatus& destination);

// A span for people: "45 s", "12 min", "3 h", "4 d" (rounded down to the unit shown).
QString spanText(qint64 milliseconds);

} // namespace ors
