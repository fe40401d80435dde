#include "DisplayTime.h"

#include "config/Config.h"

#include <QCoreApplication>
#include <QLocale>

namespace ors {

namespace {

// A named context, so lupdate files these words where the translator looks them up.
struct DisplayTime {
    Q_DECLARE_TR_FUNCTIONS(ors::DisplayTime)
};

} // namespace

QTimeZone displayZone(const Config* config) {
    if (config && !config->timeZone.isEmpty()) {
        const QTimeZone zone(config->timeZone.toUtf8());
        if (zone.isValid())
            return zone;
    }
    return QTimeZone::systemTimeZone();
}

QString shortTime(const QDateTime& when, const QTimeZone& zone, const QDateTime& now) {
    if (!when.isValid())
        return {};
    const QDateTime local = when.toTimeZone(zone);
    const qint64 days = now.toTimeZone(zone).date().daysTo(local.date());
    const QLocale locale;
    if (days == 0)
        return local.toString(QStringLiteral("HH:mm"));
    if (days >= -6 && days <= 6)
        return QStringLiteral("%1 %2").arg(locale.dayName(local.date().dayOfWeek(), QLocale::ShortFormat),
                                           local.toString(QStringLiteral("HH:mm")));
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString absoluteTime(const QDateTime& when, const QTimeZone& zone) {
    if (!when.isValid())
        return {};
    return QStringLiteral("%1 %2").arg(when.toTimeZone(zone).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                       QString::fromUtf8(zone.id()));
}

QString relativeTime(const QDateTime& when, const QDateTime& now) {
    if (!when.isValid())
        return {};
    const qint64 seconds = when.secsTo(now);
    const bool ahead = seconds < 0;
    const qint64 span = ahead ? -seconds : seconds;
    if (span < 60)
        return DisplayTime::tr("just now");
    QString amount;
    if (span < 3600)
        amount = DisplayTime::tr("%n min", nullptr, int(span / 60));
    else if (span < 48 * 3600)
        amount = DisplayTime::tr("%n h", nullptr, int(span / 3600));
    else
        amount = DisplayTime::tr("%n days", nullptr, int(span / 86400));
    return ahead ? DisplayTime::tr("in %1").arg(amount) : DisplayTime::tr("%1 ago").arg(amount);
}

QDateTime parseStoredTime(const QString& text) {
    if (text.isEmpty())
        return {};
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text, Qt::ISODate);
    return time.toUTC();
}

} // namespace ors
