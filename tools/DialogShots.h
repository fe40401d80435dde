#pragma once

#include <QString>

namespace ors {
class MainWindow;
}

namespace ors::shots {

// Every page of the add-source wizard against the sample server at `port` (a connection test that
// fails with its reason, then one that passes; a sync schedule equal to `overlappingCron`, which
// another source has, so the Schedules page warns), Source ▸ Remove… with its data and tables
// chosen, and Preferences: <name>-<palette>.png in `outDir`. Nothing is written to the
// configuration. False when a page did not come up as expected (the message says which).
bool shootDialogs(MainWindow& window, const QString& outDir, const QString& palette, int port,
                  const QString& overlappingCron);

} // namespace ors::shots
