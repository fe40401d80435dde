#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>

namespace ors {

// What the notifier tells about (alerts/AlertRules decides when).
enum class AlertCondition {
    RunFailed,      // a run of a process ended with exit code 1
    FailuresInARow, // alerts.failuresInARow runs of one process of one source failed one after another
    StepBlocked,    // a step (file for a destination) failed often enough to block its process
    SyncAge,        // no successful sync for longer than alerts.maxSyncAgeMinutes
    PurgeRefused,   // purge refused to delete (exit code 3)
    Quota,          // a request limit of the source nearly spent
};
enum class AlertState { Raised, Recovered };

QString alertConditionName(AlertCondition condition); // run-failed, failures-in-a-row, ...
std::optional<AlertCondition> alertConditionFromName(const QString& name);
QString alertStateName(AlertState state); // raised | recovered

struct Alert {
    QString source;
    QString process; // sync | purge | reconcile; empty for a condition of the whole source (quota)
    AlertCondition condition = AlertCondition::RunFailed;
    QString subject; // what of the source it is about (a blocked step, a limit); often empty
    AlertState state = AlertState::Raised;
    QDateTime time;  // UTC
    QString message; // one line, redacted

    // One line for chat and SMS: "[OpenReSync] FAILED mls sync: …" / "[OpenReSync] RECOVERED …".
    QString text() const;
    // An e-mail subject: the text, shortened.
    QString title() const;
    // {"text", "source", "process", "condition", "subject", "state", "time", "message"}: Slack reads
    // "text", everything else is for programs.
    QJsonObject toJson() const;
};

} // namespace ors

Q_DECLARE_METATYPE(ors::Alert)
