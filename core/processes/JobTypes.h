#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace ors {

// A step (a file for a destination) failing this many times in a row becomes blocked.
inline constexpr int kBlockAfter = 3;

// Exit codes shared by every command (a contract for scripts).
enum class ExitCode : int { Success = 0, Failure = 1, Usage = 2, Refused = 3 };

// What a running job reports, as a plain value crossing threads by queued signals.
struct JobProgress {
    QString source;
    QString process;
    QString resource;
    QString phase; // metadata | download | apply | done
    qint64 done = 0;
    qint64 total = -1; // unknown when the server sent no @odata.count
    double recordsPerSecond = 0;
    qint64 etaSeconds = -1;
    QString message;
};

struct JobResult {
    QString source;
    QString process;
    ExitCode exitCode = ExitCode::Success;
    QString error;        // one line, redacted
    QStringList warnings; // what went wrong without failing the run (e.g. records set aside), redacted
    qint64 recordsDownloaded = 0;
    qint64 recordsApplied = 0;
    // A run that took up a batch an earlier run left unfinished: when that batch began (UTC,
    // ISO 8601), and, for sync, how many records it applied from that batch before fetching
    // the changes made since.
    QString resumedFrom;
    qint64 resumedApplied = -1;
    // The destinations that fell behind while the others did the work (the run failed, and error
    // says why and, for sync, how far); they catch up on a later run: sync from their own
    // positions, purge and reconcile by comparing again.
    QStringList behind;
    bool ok() const { return exitCode == ExitCode::Success; }
};

} // namespace ors

Q_DECLARE_METATYPE(ors::JobProgress)
Q_DECLARE_METATYPE(ors::JobResult)
