#include "TrayPolicy.h"

#include "AppSettings.h"

namespace ors {

TrayState trayState(int runningJobs, bool problem) {
    if (problem)
        return TrayState::Problem;
    return runningJobs > 0 ? TrayState::Syncing : TrayState::Idle;
}

CloseChoice closeChoice(const CloseSituation& s) {
    if (s.quitting)
        return CloseChoice::Quit;
    if (s.trayAvailable && s.minimizeToTray && (s.jobsRunning || s.schedulesActive))
        return CloseChoice::HideToTray;
    return s.jobsRunning ? CloseChoice::AskThenQuit : CloseChoice::Quit;
}

NotificationKind notificationKind(const Alert& alert) {
    if (alert.state == AlertState::Recovered)
        return NotificationKind::Recovered;
    switch (alert.condition) {
    case AlertCondition::StepBlocked:
        return NotificationKind::BlockedStep;
    case AlertCondition::PurgeRefused:
        return NotificationKind::RefusedPurge;
    case AlertCondition::RunFailed:
    case AlertCondition::FailuresInARow:
    case AlertCondition::SyncAge:
    case AlertCondition::Quota:
        break;
    }
    return NotificationKind::Failure;
}

bool wantsNotification(const Preferences& p, const Alert& alert) {
    switch (notificationKind(alert)) {
    case NotificationKind::Failure:
        return p.notifyFailures;
    case NotificationKind::BlockedStep:
        return p.notifyBlockedSteps;
    case NotificationKind::Recovered:
        return p.notifyRecovered;
    case NotificationKind::RefusedPurge:
        return p.notifyRefusedPurges;
    }
    return false;
}

} // namespace ors
