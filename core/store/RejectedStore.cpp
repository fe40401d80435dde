#include "store/RejectedStore.h"

#include "config/DataDir.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <functional>

namespace ors {

RejectedStore::RejectedStore(QString path)
    : m_path(std::move(path)) {}

namespace {

// A keyless record's text in one form whether it was just read from a page or from the file.
QByteArray canonical(const QByteArray& record) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(record, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return record;
    return doc.toJson(QJsonDocument::Compact);
}

} // namespace

QByteArray RejectedStore::identity(const RejectedEntry& entry) {
    QByteArray id = entry.destination.toUtf8();
    id += '\0';
    if (entry.key.isEmpty())
        return id + "t" + canonical(entry.record);
    return id + "k" + entry.key;
}

void RejectedStore::reindex() {
    m_index.clear();
    for (qsizetype i = 0; i < m_entries.size(); ++i)
        m_index.insert(identity(m_entries.at(i)), i);
}

Expected<void> RejectedStore::load() {
    m_entries.clear();
    m_dirty = false;
    QFile file(m_path);
    if (!file.exists()) {
        reindex();
        return {};
    }
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot read (%2)").arg(m_path, file.errorString()));
    qsizetype lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        auto entry = fromLine(line);
        // A line damaged by hand is dropped on the next rewrite rather than stopping syncs.
        if (!entry) {
            m_dirty = true;
            continue;
        }
        m_entries.append(std::move(*entry));
    }
    reindex();
    return {};
}

void RejectedStore::add(RejectedEntry entry) {
    if (entry.time.isEmpty())
        entry.time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    entry.line = toLine(entry);
    m_dirty = true;
    if (const auto it = m_index.constFind(identity(entry)); it != m_index.cend()) {
        m_entries[*it] = std::move(entry);
        return;
    }
    if (entry.key.isEmpty()) {
        qsizetype keyless = 0;
        for (const RejectedEntry& e : std::as_const(m_entries))
            keyless += e.key.isEmpty() && e.destination == entry.destination ? 1 : 0;
        if (keyless >= kMaxKeyless) {
            for (qsizetype i = 0; i < m_entries.size(); ++i)
                if (m_entries.at(i).key.isEmpty() && m_entries.at(i).destination == entry.destination) {
                    m_entries.removeAt(i);
                    break;
                }
            reindex();
        }
    }
    m_index.insert(identity(entry), m_entries.size());
    m_entries.append(std::move(entry));
}

qsizetype RejectedStore::clear(const QString& destination, const QList<QByteArray>& keys) {
    if (m_entries.isEmpty())
        return 0;
    RejectedEntry probe;
    probe.destination = destination;
    QList<qsizetype> gone;
    for (const QByteArray& key : keys) {
        if (key.isEmpty())
            continue;
        probe.key = key;
        if (const auto it = m_index.constFind(identity(probe)); it != m_index.cend()) {
            gone.append(*it);
            m_index.erase(it);
        }
    }
    if (gone.isEmpty())
        return 0;
    std::sort(gone.begin(), gone.end(), std::greater<>());
    for (qsizetype i : std::as_const(gone))
        m_entries.removeAt(i);
    reindex();
    m_dirty = true;
    return gone.size();
}

Expected<void> RejectedStore::save() {
    if (!m_dirty)
        return {};
    if (m_entries.isEmpty()) {
        if (QFile::exists(m_path) && !QFile::remove(m_path))
            return makeError(QStringLiteral("%1: cannot delete").arg(m_path));
        m_dirty = false;
        return {};
    }
    if (auto r = DataLayout::ensureParentDir(m_path); !r)
        return r;
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("%1: cannot write (%2)").arg(m_path, file.errorString()));
    for (const RejectedEntry& entry : std::as_const(m_entries)) {
        file.write(entry.line);
        file.write("\n", 1);
    }
    if (!file.commit())
        return makeError(QStringLiteral("%1: cannot write (%2)").arg(m_path, file.errorString()));
    m_dirty = false;
    return {};
}

QByteArray RejectedStore::toLine(const RejectedEntry& entry) {
    QJsonObject object{{QStringLiteral("time"), entry.time},
                       {QStringLiteral("resource"), entry.resource},
                       {QStringLiteral("destination"), entry.destination},
                       {QStringLiteral("key"),
                        entry.key.isEmpty() ? QJsonValue() : QJsonValue(QString::fromUtf8(entry.key))},
                       {QStringLiteral("reason"), entry.reason},
                       {QStringLiteral("file"), entry.file}};
    if (!entry.child.isEmpty())
        object.insert(QStringLiteral("child"), entry.child);
    // The record goes in as the server's own text when it is whole JSON (numbers keep their
    // digits); text that is not JSON, or too long, goes in as a string instead.
    QByteArray record = entry.record;
    bool verbatim = false;
    if (record.size() > kMaxRecordBytes) {
        record.truncate(kMaxRecordBytes);
        object.insert(QStringLiteral("recordTruncated"), true);
    } else {
        QJsonParseError error;
        verbatim = !record.isEmpty() && QJsonDocument::fromJson(record, &error).isObject() &&
                   error.error == QJsonParseError::NoError;
    }
    if (!verbatim && !record.isEmpty())
        object.insert(QStringLiteral("recordText"), QString::fromUtf8(record));
    QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    if (verbatim) {
        // Line breaks in whole JSON can only be whitespace between tokens.
        record.replace('\n', ' ');
        record.replace('\r', ' ');
        line.chop(1);
        line += ",\"record\":" + record + '}';
    }
    return line;
}

std::optional<RejectedEntry> RejectedStore::fromLine(const QByteArray& line) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject object = doc.object();
    RejectedEntry entry;
    entry.time = object.value(QStringLiteral("time")).toString();
    entry.resource = object.value(QStringLiteral("resource")).toString();
    entry.destination = object.value(QStringLiteral("destination")).toString();
    entry.key = object.value(QStringLiteral("key")).toString().toUtf8();
    entry.reason = object.value(QStringLiteral("reason")).toString();
    entry.child = object.value(QStringLiteral("child")).toString();
    entry.file = object.value(QStringLiteral("file")).toString();
    if (entry.destination.isEmpty())
        return std::nullopt;
    // Only identity needs the record text, and only for keyless entries.
    if (entry.key.isEmpty()) {
        const QJsonValue record = object.value(QStringLiteral("record"));
        entry.record = record.isObject() ? QJsonDocument(record.toObject()).toJson(QJsonDocument::Compact)
                                         : object.value(QStringLiteral("recordText")).toString().toUtf8();
    }
    entry.line = line;
    return entry;
}

Expected<QList<RejectedEntry>> RejectedStore::readDir(const QString& dir) {
    QList<RejectedEntry> all;
    const QDir folder(dir);
    if (!folder.exists())
        return all;
    for (const QString& name : folder.entryList({QStringLiteral("*.ndjson")}, QDir::Files, QDir::Name)) {
        RejectedStore store(folder.filePath(name));
        if (auto r = store.load(); !r)
            return r.error();
        all += store.entries();
    }
    return all;
}

} // namespace ors
