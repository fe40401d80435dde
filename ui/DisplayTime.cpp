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

QString format(TimePrecision precision) {
    switch (precision) {
    case TimePrecision::Minutes:
        return QStringLiteral("yyyy-MM-dd HH:mm");
    case TimePrecision::Seconds:
        return QStringLiteral("yyyy-MM-dd HH:mm:ss");
    case TimePrecision::Milliseconds:
        break;
    }
    return QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz");
}

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
    if (days == 0)
        return clockTime(when, zone);
    if (days >= -6 && days <= 6)
        return QStringLiteral("%1 %2").arg(QLocale().dayName(local.date().dayOfWeek(), QLocale::ShortFormat),
                                           clockTime(when, zone));
    return fullTime(when, zone);
}

QString clockTime(const QDateTime& when, const QTimeZone& zone) {
    return when.isValid() ? when.toTimeZone(zone).toString(QStringLiteral("HH:mm")) : QString();
}

QString fullTime(const QDateTime& when, const QTimeZone& zone, TimePrecision precision) {
    return when.isValid() ? when.toTimeZone(zone).toString(format(precision)) : QString();
}

QString utcTime(const QDateTime& when, TimePrecision precision) {
    return when.isValid() ? DisplayTime::tr("%1 UTC").arg(when.toUTC().toString(format(precision)))
                          : QString();
}

QString dayText(const QDate& day) {
    return QLocale().toString(day, QStringLiteral("ddd d MMM"));
}

QString longDayText(const QDate& day) {
    return QLocale().toString(day, QLocale::LongFormat);
}

QString absoluteTime(const QDateTime& when, const QTimeZone& zone) {
    if (!when.isValid())
        return {};
    return QStringLiteral("%1 %2").arg(fullTime(when, zone, TimePrecision::Seconds),
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
