#pragma once

#include "alerts/Alert.h"

namespace ors {

struct Preferences;

// The tray's decisions as pure functions, so tests need no tray host.

enum class TrayState { Idle, Syncing, Problem };
// A problem (a source whose last run failed, an alert not recovered yet) outweighs a running
// job: the tooltip still names the job, and the problem would otherwise hide until it ends.
TrayState trayState(int runningJobs, bool problem);

enum class CloseChoice {
    HideToTray,  // the window goes, the program keeps running the jobs and schedules
    AskThenQuit, // jobs would stop: ask first
    Quit,
};
struct CloseSituation {
    bool quitting = false;        // Quit was chosen (tray, File ▸ Quit): never hide or ask again
    bool trayAvailable = false;   // a tray host shows the icon
    bool minimizeToTray = true;   // the preference
    bool jobsRunning = false;     // jobs of this program (not those of an attached instance)
    bool schedulesActive = false; // this program runs schedules that are not paused
};
// What closing (or minimizing: only HideToTray differs from leaving it be) the window does.
CloseChoice closeChoice(const CloseSituation& situation);

enum class NotificationKind { Failure, BlockedStep, Recovered, RefusedPurge };
// A recovered alert is Recovered whatever its condition; late syncs and quotas count as failures.
NotificationKind notificationKind(const Alert& alert);
bool wantsNotification(const Preferences& preferences, const Alert& alert);

} // namespace ors
