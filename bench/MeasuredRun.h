#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace ors::bench {

// One run of a program (the CLI) as the benchmarks measure it.
struct MeasuredRun {
    double seconds = 0; // wall time from start to exit
    int exitCode = -1;
    bool crashed = false; // killed by a signal, or never started
    QByteArray out;
    QByteArray err;
    double peakRssMb = 0;      // the child's own VmHWM
    double cpuSeconds = 0;     // the child's user + system time
    double selfCpuSeconds = 0; // this process meanwhile: the fake server serving the child
};

// Runs `program` until it exits, sampling its VmHWM and CPU time every 10 ms from /proc/<pid>.
// `whileRunning` (optional) is called between samples with the child's pid; it may return
// false to stop sampling and wait for the exit (e.g. after it sent the child a signal).
MeasuredRun runMeasured(const QString& program, const QStringList& args, const QProcessEnvironment& env,
                        const std::function<bool(qint64 pid)>& whileRunning = {});

// CPU seconds of a process (user + system) and, with `withChildren`, of the children it has
// reaped and the ones still alive (PostgreSQL's backends); 0 when it is gone.
double processCpuSeconds(qint64 pid, bool withChildren);

// This process's resident set now, MB.
double selfRssMb();

} // namespace ors::bench
