#pragma once

#include "runner/JobQueue.h"

#include <QString>

#include <optional>

namespace ors {

// The commands that talk to the instance running a data directory's schedules (`serve` or the
// window) through its control channel: `jobs`, `run`, `cancel`, `pause`, `resume`.
class ControlCommands {
public:
    // A table of the running and queued jobs, or --json {instance, jobs, paused}. Without a
    // running instance: says so, exit 0 (--json: {"instance": null, "jobs": []}).
    static int jobs(const QString& dataDir, bool json);
    // Queues the job in the running instance and says started / queued / already queued
    // (exit 0; 2 when the instance does not know the source or process). nullopt when no
    // instance answers: the caller then runs the job in-process.
    static std::optional<int> run(const QString& dataDir, const JobRequest& request);
    // cancel SOURCE, pause [SOURCE], resume [SOURCE]: exit 1 without a running instance, 2 when
    // the instance does not know the source.
    static int cancel(const QString& dataDir, const QString& source);
    static int pause(const QString& dataDir, bool pause, const QString& source = {});
};

} // namespace ors
