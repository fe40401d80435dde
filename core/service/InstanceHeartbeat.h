#pragma once

#include "config/Config.h"
#include "util/Expected.h"

#include <QString>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <optional>

namespace ors {

class StatsStore;

// The stats store's row of the instance running a data directory's schedules (StatsStore's
// `instance`): written at start, its heartbeat refreshed while it runs, `stopped` set at the end.
// The store lives on a thread of its own, so a stats server that is slow or cannot be reached
// (the configuration's "stats") never holds up the window's or serve's event loop between beats.
class InstanceHeartbeat {
public:
    InstanceHeartbeat();
    // Stops first when still started.
    ~InstanceHeartbeat();
    InstanceHeartbeat(const InstanceHeartbeat&) = delete;
    InstanceHeartbeat& operator=(const InstanceHeartbeat&) = delete;

    // Opens the store and writes the row, waiting for both (so `status` sees the row once start()
    // returned); the error when either failed (the schedules run anyway, `status` just cannot
    // tell).
    Expected<void> start(const std::optional<SqlServerConfig>& stats, const QString& dataDir,
                         const QString& kind);
    // Refreshes the heartbeat without waiting; a beat still under way (a slow server) makes this
    // one skip. Problems are logged.
    void beat();
    // Sets `stopped` and closes the store, waiting for both.
    void stop();

private:
    QThreadPool m_thread; // one thread that never expires: the store is made, used and closed there
    std::unique_ptr<StatsStore> m_stats; // only touched on that thread
    qint64 m_id = 0;                     // only touched on that thread
    std::atomic<bool> m_started{false};
    std::atomic<bool> m_beating{false};
};

} // namespace ors
