#include "runner/ProgressText.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

#include <algorithm>

namespace ors {

namespace {

// A named context, so lupdate files these words where the translator looks them up.
struct ProgressText {
    Q_DECLARE_TR_FUNCTIONS(ors::ProgressText)
};

QString phaseVerb(const QString& phase) {
    if (phase == QLatin1String("metadata"))
        return ProgressText::tr("reading $metadata");
    if (phase == QLatin1String("download"))
        return ProgressText::tr("downloading");
    if (phase == QLatin1String("apply"))
        return ProgressText::tr("applying");
    if (phase == QLatin1String("done"))
        return ProgressText::tr("done");
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
            parts.first() +=
                QStringLiteral(" %1 / %2 %3")
                    .arg(locale.toString(p.done), locale.toString(p.total), ProgressText::tr("records"));
        else
            parts.first() +=
                QStringLiteral(" %1 %2").arg(locale.toString(p.done), ProgressText::tr("records"));
    }
    if (p.recordsPerSecond > 0 && p.phase != QLatin1String("done"))
        parts.append(QStringLiteral("%1 %2").arg(locale.toString(qint64(p.recordsPerSecond)),
                                                 ProgressText::tr("records/s")));
    if (p.etaSeconds >= 0 && p.phase != QLatin1String("done"))
        parts.append(QStringLiteral("%1 %2").arg(ProgressText::tr("ETA"), formatEta(p.etaSeconds)));
    return parts.join(QStringLiteral(" · "));
}

} // namespace ors
