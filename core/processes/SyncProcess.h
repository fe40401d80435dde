#pragma once

#include "config/Config.h"
#include "config/DataDir.h"
#include "processes/JobTypes.h"
#include "util/Expected.h"

#include <QElapsedTimer>
#include <QObject>
#include <QRunnable>

#include <atomic>
#include <functional>
#include <memory>

namespace ors {

class SourceContext;
class StateStore;
class StatsStore;
class SourceLog;
struct ResourcePlan;
struct ResourceProgress;

struct SyncOptions {
    QString resource; // only this resource; empty = all configured
};

// One sync of one source, to completion: metadata → schema → download → apply, resumable
// at every page and file. Runs on a QThreadPool thread; everything it creates (network
// manager, database connections) lives and dies in that thread. Reports through queued
// signals carrying plain values.
class SyncProcess : public QObject, public QRunnable {
    Q_OBJECT
public:
    SyncProcess(SourceConfig source, QString dataDir, SyncOptions options = {});
    ~SyncProcess() override;

    void run() override;
    void cancel() { m_cancelled = true; }
    const JobResult& result() const { return m_result; }

Q_SIGNALS:
    void progress(const ors::JobProgress& progress);
    void finished(const ors::JobResult& result);

private:
    Expected<void> execute();
    Expected<void> syncResource(const ResourcePlan& plan);
    Expected<void> download(const ResourcePlan& plan, ResourceProgress& progress);
    Expected<void> applyFiles(const ResourcePlan& plan, ResourceProgress& progress);
    Expected<QByteArray> startingPoint(const ResourcePlan& plan);
    QString filePrefix() const;
    void report(const QString& resource, const QString& phase, qint64 done, qint64 total,
                const QString& message = {});
    Error fail(const QString& step, const QString& resource, const QString& destination,
               const QString& message);

    SourceConfig m_source;
    DataLayout m_layout;
    SyncOptions m_options;
    std::atomic<bool> m_cancelled{false};
    JobResult m_result;
    QString m_batchId;
    qint64 m_runId = 0;
    QElapsedTimer m_phaseTimer;
    qint64 m_phaseStartDone = 0;
    std::unique_ptr<SourceContext> m_context;
    std::unique_ptr<StateStore> m_state;
    std::unique_ptr<StatsStore> m_stats;
    std::unique_ptr<SourceLog> m_log;
};

QString newBatchId(); // 2024-05-01-T-10-00-00-000Z, sortable as text

} // namespace ors
