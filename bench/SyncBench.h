#pragma once

#include "BenchDestination.h"
#include "MeasuredRun.h"
#include "ResultLog.h"

#include "FakeResoServer.h"

#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace ors::bench {

struct SyncBenchOptions {
    Engine engine = Engine::Sqlite;
    int listings = 10000;
    int fields = 0; // Property fields (ServerOptions::propertyFieldCount); 0: the built-in ~130
    int pageSize = 1000;
    int changed = 0; // listings changed before the incremental sync; 0: none
    int latencyMs = 0;
    bool light = false; // light listings (4 fields, no Media): the 1,000,000-row runs
    bool verify = false;
    QString cli;
    QString referenceProgram; // bench_reference; empty: no reference run
    qint64 dbPid = 0;         // the database server's process, for its CPU time; 0: not measured
};

// The sync benchmarks of one destination against one generated MLS (bench_sync): the initial
// sync, the database reference on the rows it stored, the incremental sync, and the write
// path fed from page files already on disk. Each step appends its figures to the ResultLog and
// prints them; each returns false after printing why it failed.
class SyncBench {
public:
    SyncBench(SyncBenchOptions options, ResultLog results);
    ~SyncBench();
    SyncBench(const SyncBench&) = delete;
    SyncBench& operator=(const SyncBench&) = delete;

    bool start();
    bool initial();
    bool reference();
    bool incremental();
    bool fromFiles();

private:
    struct Target {
        std::unique_ptr<BenchDestination> destination;
        QString dataDir;
        QString config;
    };
    std::optional<Target> makeTarget(const QString& tag);
    MeasuredRun runCli(const Target& target, const QStringList& command, const QProcessEnvironment& env,
                       const std::function<bool(qint64)>& whileRunning = {});
    // Figures every sync result carries; `listings` and `media` are what the run wrote.
    QJsonObject figures(const QString& name, const MeasuredRun& run, const Target& target, qint64 listings,
                        qint64 media, double dbCpuBefore) const;
    bool checkRun(const char* what, const MeasuredRun& run, const Target& target) const;
    bool checkStored(const char* what, const Target& target, qint64 expectedMedia) const;
    void print(const QJsonObject& result) const;
    QString engineText() const { return engineName(m_options.engine); }

    SyncBenchOptions m_options;
    ResultLog m_results;
    std::unique_ptr<fake::FakeResoServer> m_server;
    QTemporaryDir m_dir;
    qint64 m_media = 0;             // Media records the server holds
    std::optional<Target> m_synced; // the initial sync's destination, used by reference and incremental
};

} // namespace ors::bench
