#include "cli/CliProgress.h"

#include <QString>

#include <cstdio>
#include <unistd.h>

namespace ors {

CliProgress::CliProgress()
    : m_tty(::isatty(STDERR_FILENO) == 1) {}

void CliProgress::show(const JobProgress& p) {
    if (!m_tty)
        return;
    const bool important = p.phase == QLatin1String("done") || p.phase == QLatin1String("metadata");
    if (!important && m_throttle.isValid() && m_throttle.elapsed() < 250)
        return;
    m_throttle.start();
    QString line = QStringLiteral("%1 %2 %3").arg(p.source, p.resource, p.phase);
    if (!p.message.isEmpty())
        line += QStringLiteral(": ") + p.message;
    if (p.done > 0 || p.total > 0) {
        line += QStringLiteral(" %1").arg(p.done);
        if (p.total >= 0)
            line += QStringLiteral("/%1").arg(p.total);
        line += QStringLiteral(" records");
    }
    if (p.recordsPerSecond > 0)
        line += QStringLiteral(", %1 rec/s").arg(qint64(p.recordsPerSecond));
    if (p.etaSeconds >= 0)
        line += QStringLiteral(", ETA %1:%2")
                    .arg(p.etaSeconds / 60)
                    .arg(p.etaSeconds % 60, 2, 10, QLatin1Char('0'));
    std::fprintf(stderr, "\r\033[K%s", line.toUtf8().constData());
    if (p.phase == QLatin1String("done"))
        std::fputc('\n', stderr);
    m_dirty = p.phase != QLatin1String("done");
    std::fflush(stderr);
}

void CliProgress::finish() {
    if (m_tty && m_dirty)
        std::fputc('\n', stderr);
    m_dirty = false;
}

} // namespace ors
