#include "logging/LogReader.h"

#include "logging/LogFiles.h"
#include "records/Timestamps.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace ors {

namespace {

const QLatin1String kTime("time");
const QLatin1String kLevel("level");
const QLatin1String kMessage("msg");
const QLatin1String kSource("source");
const QLatin1String kProcess("process");
const QLatin1String kResource("resource");

const char* kReset = "\x1b[0m";
const char* kDim = "\x1b[2m";

const char* levelColour(LogLevel level) {
    switch (level) {
    case LogLevel::Debug:
        return "\x1b[2m";
    case LogLevel::Info:
        return "\x1b[32m";
    case LogLevel::Warning:
        return "\x1b[33m";
    case LogLevel::Error:
        return "\x1b[1;31m";
    }
    return "";
}

QString valueText(const QJsonValue& value) {
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        const double number = value.toDouble();
        // Counts are whole numbers; QJsonValue would otherwise print 1e+06.
        if (number == double(qint64(number)))
            return QString::number(qint64(number));
        return QString::number(number, 'g', 15);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QString quoted(const QString& text) {
    static const QRegularExpression needsQuotes(QStringLiteral("[\\s\"\\\\=]"));
    if (!text.isEmpty() && !text.contains(needsQuotes))
        return text;
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    escaped.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

} // namespace

std::optional<LogLevel> logLevelFromName(const QString& name) {
    const QString lower = name.toLower();
    if (lower == QLatin1String("debug"))
        return LogLevel::Debug;
    if (lower == QLatin1String("info"))
        return LogLevel::Info;
    if (lower == QLatin1String("warn") || lower == QLatin1String("warning"))
        return LogLevel::Warning;
    if (lower == QLatin1String("error"))
        return LogLevel::Error;
    return std::nullopt;
}

QString logLevelName(LogLevel level) {
    switch (level) {
    case LogLevel::Debug:
        return QStringLiteral("debug");
    case LogLevel::Info:
        return QStringLiteral("info");
    case LogLevel::Warning:
        return QStringLiteral("warn");
    case LogLevel::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("info");
}

QString LogEntry::process() const {
    return fields.value(kProcess).toString();
}

bool LogFilter::accepts(const LogEntry& entry) const {
    if (!entry.valid)
        return true;
    if (minLevel && (!entry.level || int(*entry.level) < int(*minLevel)))
        return false;
    if (!process.isEmpty() && entry.process() != process)
        return false;
    if (since && (!entry.time.isValid() || entry.time < *since))
        return false;
    return true;
}

namespace LogReader {

LogEntry parse(const QByteArray& line) {
    LogEntry entry;
    entry.raw = line;
    if (entry.raw.endsWith('\r'))
        entry.raw.chop(1);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(entry.raw, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return entry;
    entry.valid = true;
    entry.fields = document.object();
    if (const auto time = parseTimestamp(entry.fields.value(kTime).toString()))
        entry.time = *time;
    entry.level = logLevelFromName(entry.fields.value(kLevel).toString());
    return entry;
}

QStringList filesFor(const QString& logFile, const LogFilter& filter) {
    QStringList files;
    if (filter.since) {
        // A rotated file last written before `since` holds only older entries.
        for (const LogFiles::Rotated& file : LogFiles::rotated(logFile))
            if (file.modified >= *filter.since)
                files.append(file.path);
    }
    if (QFileInfo::exists(logFile))
        files.append(logFile);
    return files;
}

std::optional<QDateTime> parseSince(const QString& text, const QDateTime& now) {
    static const QRegularExpression duration(QStringLiteral("^(\\d{1,9})([smhd])$"));
    const QRegularExpressionMatch match = duration.match(text.trimmed());
    if (match.hasMatch()) {
        const qint64 count = match.captured(1).toLongLong();
        const QChar unit = match.captured(2).at(0);
        const qint64 seconds = unit == QLatin1Char('s')   ? count
                               : unit == QLatin1Char('m') ? count * 60
                               : unit == QLatin1Char('h') ? count * 3600
                                                          : count * 86400;
        return now.toUTC().addSecs(-seconds);
    }
    if (auto instant = parseTimestamp(text.trimmed()))
        return instant;
    // Without an offset (or a date alone) the user means their own clock.
    QDateTime local = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!local.isValid()) {
        const QDate date = QDate::fromString(text.trimmed(), Qt::ISODate);
        if (date.isValid())
            local = date.startOfDay();
    }
    if (local.isValid() && local.timeSpec() == Qt::LocalTime)
        return local.toUTC();
    return std::nullopt;
}

QString format(const LogEntry& entry, bool colour) {
    if (!entry.valid)
        return QLatin1String(kMalformedMarker) + QLatin1Char(' ') + QString::fromUtf8(entry.raw);
    const QString time = entry.time.isValid()
                             ? entry.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
                             : entry.fields.value(kTime).toString();
    const QString level =
        (entry.level ? logLevelName(*entry.level) : entry.fields.value(kLevel).toString()).toUpper();
    const QString process = entry.process().isEmpty() ? QStringLiteral("-") : entry.process();
    const QString resource = entry.fields.value(kResource).toString();
    QString line;
    if (colour)
        line += QLatin1String(kDim) + time + QLatin1String(kReset);
    else
        line += time;
    line += QLatin1Char(' ');
    if (colour && entry.level)
        line += QLatin1String(levelColour(*entry.level)) + level.leftJustified(5) + QLatin1String(kReset);
    else
        line += level.leftJustified(5);
    line += QLatin1Char(' ') + process.leftJustified(9) + QLatin1Char(' ') +
            (resource.isEmpty() ? QStringLiteral("-") : resource) + QLatin1Char(' ') +
            entry.fields.value(kMessage).toString();
    for (auto it = entry.fields.begin(); it != entry.fields.end(); ++it) {
        const QString key = it.key();
        if (key == kTime || key == kLevel || key == kMessage || key == kSource || key == kProcess ||
            key == kResource)
            continue;
        line += QLatin1Char(' ');
        if (colour)
            line += QLatin1String(kDim) + key + QLatin1Char('=') + QLatin1String(kReset);
        else
            line += key + QLatin1Char('=');
        line += quoted(valueText(it.value()));
    }
    return line;
}

} // namespace LogReader

} // namespace ors
