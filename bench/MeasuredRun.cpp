#include "MeasuredRun.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

#include <algorithm>
#include <optional>
#include <sys/resource.h>
#include <unistd.h>

namespace ors::bench {

namespace {

// "/proc/<pid>/status" line "Field:  123456 kB" in MB.
double statusMb(const QString& path, const char* field) {
    QFile status(path);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return 0;
}

struct StatFields {
    qint64 ppid = 0;
    double own = 0;      // utime + stime
    double children = 0; // cutime + cstime: reaped children
};

// /proc/<pid>/stat: the command name may hold spaces and parentheses, so fields are counted
// after its last ')'.
std::optional<StatFields> readStat(qint64 pid) {
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray text = file.readAll();
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    // After ")": state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17).
    const QList<QByteArray> f = text.mid(close + 2).split(' ');
    if (f.size() < 15)
        return std::nullopt;
    static const double ticks = double(::sysconf(_SC_CLK_TCK));
    StatFields s;
    s.ppid = f.at(1).toLongLong();
    s.own = (f.at(11).toDouble() + f.at(12).toDouble()) / ticks;
    s.children = (f.at(13).toDouble() + f.at(14).toDouble()) / ticks;
    return s;
}

double rusageSeconds(int who) {
    rusage usage{};
    getrusage(who, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

} // namespace

double processCpuSeconds(qint64 pid, bool withChildren) {
    const auto own = readStat(pid);
    if (!own)
        return 0;
    double total = own->own;
    if (!withChildren)
        return total;
    total += own->children;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool numeric = false;
        const qint64 child = entry.toLongLong(&numeric);
        if (!numeric)
            continue;
        if (const auto s = readStat(child); s && s->ppid == pid)
            total += s->own;
    }
    return total;
}

double selfRssMb() {
    return statusMb(QStringLiteral("/proc/self/status"), "VmRSS");
}

MeasuredRun runMeasured(const QString& program, const QStringList& args, const QProcessEnvironment& env,
                        const std::function<bool(qint64 pid)>& whileRunning) {
    MeasuredRun run;
    QProcess process;
    process.setProcessEnvironment(env);
    const double childrenBefore = rusageSeconds(RUSAGE_CHILDREN);
    const double selfBefore = rusageSeconds(RUSAGE_SELF);
    QElapsedTimer timer;
    timer.start();
    process.start(program, args);
    // Only once started has exec() happened: a sample before that would be this process's
    // forked copy, which holds the whole generated MLS.
    if (!process.waitForStarted(30000)) {
        run.crashed = true;
        run.err = process.errorString().toUtf8();
        return run;
    }
    const qint64 pid = process.processId();
    const QString status = QStringLiteral("/proc/%1/status").arg(pid);
    bool sampling = true;
    double sampledCpu = 0;
    while (!process.waitForFinished(10)) {
        run.peakRssMb = std::max(run.peakRssMb, statusMb(status, "VmHWM"));
        sampledCpu = std::max(sampledCpu, processCpuSeconds(pid, false));
        if (sampling && whileRunning)
            sampling = whileRunning(pid);
    }
    run.seconds = double(timer.nsecsElapsed()) / 1e9;
    // The reaped child's own account includes its last milliseconds, which no sample saw.
    run.cpuSeconds = std::max(sampledCpu, rusageSeconds(RUSAGE_CHILDREN) - childrenBefore);
    run.selfCpuSeconds = rusageSeconds(RUSAGE_SELF) - selfBefore;
    run.crashed = process.exitStatus() != QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace ors::bench
