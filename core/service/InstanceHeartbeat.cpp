#include "service/InstanceHeartbeat.h"

#include "logging/LogCategories.h"
#include "stats/StatsStore.h"

#include <QCoreApplication>
#include <QSysInfo>

#include <future>

namespace ors {

namespace {

// Runs `work` on `pool` and waits for it. Not QFuture::waitForFinished(), which runs a task that
// has not started yet in the waiting thread: the store's connection belongs to the pool's thread.
template <typename Work>
auto runAndWait(QThreadPool& pool, Work work) {
    std::packaged_task<decltype(work())()> task(std::move(work));
    auto done = task.get_future();
    pool.start([&task] { task(); });
    return done.get();
}

} // namespace

InstanceHeartbeat::InstanceHeartbeat() {
    m_thread.setMaxThreadCount(1);
    m_thread.setExpiryTimeout(-1);
}

InstanceHeartbeat::~InstanceHeartbeat() {
    stop();
    m_thread.waitForDone();
}

Expected<void> InstanceHeartbeat::start(const std::optional<SqlServerConfig>& stats, const QString& dataDir,
                                        const QString& kind) {
    const qint64 pid = QCoreApplication::applicationPid();
    Expected<void> result = runAndWait(m_thread, [this, stats, dataDir, kind, pid]() -> Expected<void> {
        m_stats = std::make_unique<StatsStore>(stats, dataDir);
        if (auto opened = m_stats->open(); !opened) {
            m_stats.reset();
            return opened;
        }
        auto id = m_stats->startInstance(kind, pid, QSysInfo::machineHostName(), dataDir);
        if (!id) {
            m_stats.reset();
            return id.error();
        }
        m_id = *id;
        return {};
    });
    m_started = result.ok();
    return result;
}

void InstanceHeartbeat::beat() {
    if (!m_started || m_beating.exchange(true))
        return;
    m_thread.start([this] {
        if (m_stats)
            if (auto beaten = m_stats->beatInstance(m_id); !beaten)
                qCWarning(lcService) << "heartbeat:" << beaten.errorMessage();
        m_beating = false;
    });
}

void InstanceHeartbeat::stop() {
    if (!m_started.exchange(false))
        return;
    runAndWait(m_thread, [this] {
        if (m_stats)
            if (auto stopped = m_stats->stopInstance(m_id); !stopped)
                qCWarning(lcService) << stopped.errorMessage();
        m_stats.reset();
        m_id = 0;
    });
}

} // namespace ors
