#include "logging/LogTail.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <sys/stat.h>

#include <algorithm>

namespace ors {

namespace {

const QLatin1String kTime("time");
const QLatin1String kLevel("level");
const QLatin1String kMessage("msg");
const QLatin1String kSource("source");
const QLatin1String kProcess("process");
const QLatin1String kResource("resource");

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

void appendLine(QList<LogLine>& newestFirst, const QByteArray& raw) {
    if (raw.isEmpty() || raw == "\r")
        return;
    newestFirst.append(LogLine::from(LogReader::parse(raw)));
}

} // namespace

LogLine LogLine::from(const LogEntry& entry) {
    LogLine line;
    line.valid = entry.valid;
    if (!entry.valid) {
        line.raw = entry.raw;
        return line;
    }
    line.time = entry.time;
    line.level = entry.level;
    line.levelText = entry.fields.value(kLevel).toString();
    line.process = entry.process();
    line.resource = entry.fields.value(kResource).toString();
    line.message = entry.fields.value(kMessage).toString();
    for (auto it = entry.fields.begin(); it != entry.fields.end(); ++it) {
        const QString key = it.key();
        if (key == kLevel || key == kMessage || key == kSource || key == kProcess || key == kResource)
            continue;
        // "time" stays in the details when it could not be read, so what was written is visible.
        if (key == kTime && entry.time.isValid())
            continue;
        line.extra.append({key, valueText(it.value())});
    }
    return line;
}

bool LogLineFilter::accepts(const LogLine& line) const {
    if (!line.valid)
        return text.isEmpty() || QString::fromUtf8(line.raw).contains(text, Qt::CaseInsensitive);
    if (minLevel && (!line.level || int(*line.level) < int(*minLevel)))
        return false;
    if (!process.isEmpty() && line.process != process)
        return false;
    if (!resource.isEmpty() && line.resource != resource)
        return false;
    if (text.isEmpty())
        return true;
    const auto has = [this](const QString& field) { return field.contains(text, Qt::CaseInsensitive); };
    if (has(line.message) || has(line.process) || has(line.resource) || has(line.levelText))
        return true;
    return std::any_of(line.extra.cbegin(), line.extra.cend(), [&](const std::pair<QString, QString>& field) {
        return has(field.first) || has(field.second);
    });
}

namespace LogTail {

LogTailRead read(const QString& path, int maxLines, qint64 chunkBytes, const std::atomic_bool* stop) {
    LogTailRead result;
    QFile file(path);
    if (!file.exists())
        return result;
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return result;
    }
    struct stat st {};
    if (::fstat(file.handle(), &st) != 0) {
        result.error = QStringLiteral("%1: cannot read its size").arg(path);
        return result;
    }
    result.fileSize = qint64(st.st_size);
    result.end = LogPosition{0, quint64(st.st_ino), quint64(st.st_dev)};

    QList<LogLine> newestFirst;
    QByteArray pending; // bytes from `position` on whose first line may start earlier in the file
    qint64 position = result.fileSize;
    bool endFound = false;
    while (position > 0 && newestFirst.size() < maxLines) {
        if (stop && stop->load())
            return {};
        const qint64 start = std::max<qint64>(0, position - chunkBytes);
        if (!file.seek(start)) {
            result.error = QStringLiteral("%1: cannot seek to %2").arg(path).arg(start);
            break;
        }
        QByteArray buffer = file.read(position - start);
        if (buffer.size() != position - start) {
            result.error = QStringLiteral("%1: short read at %2").arg(path).arg(start);
            break;
        }
        buffer += pending;
        position = start;
        if (!endFound) {
            const qsizetype last = buffer.lastIndexOf('\n');
            if (last < 0) {
                pending = buffer;
                continue;
            }
            endFound = true;
            result.end.offset = start + last + 1;
            buffer.truncate(last); // the unfinished last line is the follower's
        }
        qsizetype newline = buffer.lastIndexOf('\n');
        while (newline >= 0 && newestFirst.size() < maxLines) {
            appendLine(newestFirst, buffer.mid(newline + 1));
            buffer.truncate(newline);
            newline = buffer.lastIndexOf('\n');
        }
        pending = buffer;
        if (position == 0 && endFound && newestFirst.size() < maxLines) {
            appendLine(newestFirst, pending);
            pending.clear();
        }
    }
    result.olderLinesLeftOut = endFound && (position > 0 || !pending.isEmpty());
    std::reverse(newestFirst.begin(), newestFirst.end());
    result.lines = std::move(newestFirst);
    return result;
}

} // namespace LogTail

} // namespace ors
