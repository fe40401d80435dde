#include "runner/ProgressText.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

#include <algorithm>

namespace ors {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("ors::ProgressText", text);
}

QString phaseVerb(const QString& phase) {
    if (phase == QLatin1String("metadata"))
        return tr("reading $metadata");
    if (phase == QLatin1String("download"))
        return tr("downloading");
    if (phase == QLatin1String("apply"))
        return tr("applying");
    if (phase == QLatin1String("done"))
        return tr("done");
    return phase;
}

} // namespace

QString formatEta(qint64 seconds) {
    seconds = std::max<qint64>(0, seconds);
    const QLatin1Char zero('0');
    const qint64 hours = seconds / 3600;
    const qint64 minutes = (seconds % 3600) / 60;
    const qint64 secs = seconds % 60;
    if (hours > 0)
        return QStringLiteral("%1:%2:%3").arg(hours).arg(minutes, 2, 10, zero).arg(secs, 2, 10, zero);
    return QStringLiteral("%1:%2").arg(minutes).arg(secs, 2, 10, zero);
}

QString describeProgress(const JobProgress& p) {
    const QLocale locale;
    QString head = phaseVerb(p.phase);
    if (p.phase == QLatin1String("metadata") && !p.message.isEmpty())
        head = p.message;
    if (!p.resource.isEmpty())
        head = QStringLiteral("%1: %2").arg(p.resource, head);

    QStringList parts{head};
    if (p.phase != QLatin1String("metadata")) {
        if (p.total >= 0)
            parts.first() += QStringLiteral(" %1 / %2 %3")
                                 .arg(locale.toString(p.done), locale.toString(p.total), tr("records"));
        else
            parts.first() += QStringLiteral(" %1 %2").arg(locale.toString(p.done), tr("records"));
    }
    if (p.recordsPerSecond > 0 && p.phase != QLatin1String("done"))
        parts.append(
            QStringLiteral("%1 %2").arg(locale.toString(qint64(p.recordsPerSecond)), tr("records/s")));
    if (p.etaSeconds >= 0 && p.phase != QLatin1String("done"))
        parts.append(QStringLiteral("%1 %2").arg(tr("ETA"), formatEta(p.etaSeconds)));
    return parts.join(QStringLiteral(" · "));
}

} // namespace ors
