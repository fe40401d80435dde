#include "inspect/SourceStatus.h"

#include "records/Timestamps.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>

namespace ors {

namespace {

// A named context, so lupdate files these words where the translator looks them up.
struct StatusWording {
    Q_DECLARE_TR_FUNCTIONS(StatusWording)
};

} // namespace

std::optional<QDateTime> storedInstant(const QString& text) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    const QByteArray bytes = trimmed.toUtf8();
    if (auto normalized = normalizeTimestamp(std::string_view(bytes.constData(), size_t(bytes.size()))))
        return parseTimestamp(QString::fromLatin1(*normalized));
    // "+0200" and "+02" offsets, as some databases print them.
    static const QRegularExpression shortOffset(QStringLiteral(R"(([+-]\d{2})(\d{2})?$)"));
    const QRegularExpressionMatch offset = shortOffset.match(trimmed);
    if (offset.hasMatch() && trimmed.size() > 19) {
        const QString minutes = offset.capturedLength(2) > 0 ? offset.captured(2) : QStringLiteral("00");
        const QString fixed =
            trimmed.left(offset.capturedStart(0)) + offset.captured(1) + QLatin1Char(':') + minutes;
        const QByteArray b = fixed.toUtf8();
        if (auto normalized = normalizeTimestamp(std::string_view(b.constData(), size_t(b.size()))))
            return parseTimestamp(QString::fromLatin1(*normalized));
    }
    // No zone: the destinations store UTC.
    const QByteArray utc = bytes + 'Z';
    if (auto normalized = normalizeTimestamp(std::string_view(utc.constData(), size_t(utc.size()))))
        return parseTimestamp(QString::fromLatin1(*normalized));
    return std::nullopt;
}

QString spanText(qint64 ms) {
    ms = qAbs(ms);
    const QLocale locale;
    if (ms < 1000)
        return StatusWording::tr("%1 ms").arg(locale.toString(ms));
    const qint64 seconds = ms / 1000;
    if (seconds < 60)
        return StatusWording::tr("%1 s").arg(locale.toString(seconds));
    if (seconds < 3600)
        return StatusWording::tr("%1 min").arg(locale.toString(seconds / 60));
    if (seconds < 48 * 3600)
        return StatusWording::tr("%1 h").arg(locale.toString(seconds / 3600));
    return StatusWording::tr("%1 d").arg(locale.toString(seconds / 86400));
}

QString StatusDifference::text() const {
    if (inSync)
        return StatusWording::tr("in sync");
    return parts.join(QStringLiteral(", "));
}

StatusDifference describeDifference(const MlsStatus& mls, const DestinationStatus& destination) {
    StatusDifference out;
    if (!destination.opened) {
        out.unknown = true;
        out.parts.append(StatusWording::tr("destination not available"));
        return out;
    }
    if (!destination.error.isEmpty()) {
        out.unknown = true;
        out.parts.append(StatusWording::tr("destination cannot be read"));
        return out;
    }
    const QLocale locale;
    if (!mls.count) {
        out.unknown = true;
        out.parts.append(StatusWording::tr("MLS count unknown"));
    } else if (destination.count) {
        const qint64 missing = *mls.count - *destination.count;
        if (missing > 0)
            out.parts.append(StatusWording::tr("missing %1").arg(locale.toString(missing)));
        else if (missing < 0)
            out.parts.append(StatusWording::tr("%1 too many").arg(locale.toString(-missing)));
    }
    // Compared as instants, so a destination that printed another zone, or none, still compares.
    if (mls.newest && destination.newest) {
        const qint64 behind = destination.newest->msecsTo(*mls.newest);
        if (behind > 0)
            out.parts.append(StatusWording::tr("newest %1 behind").arg(spanText(behind)));
        else if (behind < 0)
            out.parts.append(StatusWording::tr("newest %1 ahead").arg(spanText(behind)));
    } else if (!destination.newest && !destination.newestText.isEmpty()) {
        out.parts.append(StatusWording::tr("newest held is not a timestamp"));
    }
    out.inSync = !out.unknown && out.parts.isEmpty();
    return out;
}

} // namespace ors
