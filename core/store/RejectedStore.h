#pragma once

#include "util/Expected.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace ors {

// A record one destination did not take, as kept in a rejected file.
struct RejectedEntry {
    QString time; // UTC, ISO 8601 with milliseconds
    QString resource;
    QString destination;
    QByteArray key; // empty: the record had no key
    QString reason;
    QString child;     // the navigation property whose item was at fault, if one was
    QString file;      // the page file the record came in
    QByteArray record; // the record's JSON text as the server sent it
    QByteArray line;   // the entry as stored, one JSON object without a newline
};

// <data>/sources/<source>/rejected/<Resource>.ndjson, one JSON object a line. It holds at most one
// entry per destination and record key: a record rejected again replaces its entry, a later
// version that a destination stores removes it. Keyless records cannot be matched by a later
// version; they are kept once per distinct text and destination, at most kMaxKeyless of them (the
// oldest go first). The file is small and rewritten whole (QSaveFile) when it changes, so readers
// without the source's lock always see a complete file.
class RejectedStore {
public:
    static constexpr qsizetype kMaxKeyless = 1000;        // per destination
    static constexpr qsizetype kMaxRecordBytes = 1 << 20; // longer record text is cut and marked

    explicit RejectedStore(QString path);

    Expected<void> load(); // a missing file is an empty store
    bool isEmpty() const { return m_entries.isEmpty(); }
    const QList<RejectedEntry>& entries() const { return m_entries; }
    // Adds the entry, replacing the one of the same destination and key (keyless: same text).
    void add(RejectedEntry entry);
    // Removes the entries of these keys for this destination; returns how many there were.
    qsizetype clear(const QString& destination, const QList<QByteArray>& keys);
    // Writes the file if anything changed; an empty store removes it.
    Expected<void> save();

    // Every entry in every *.ndjson of `dir`, by file name; a missing folder has none.
    static Expected<QList<RejectedEntry>> readDir(const QString& dir);
    static QByteArray toLine(const RejectedEntry& entry);
    static std::optional<RejectedEntry> fromLine(const QByteArray& line);

private:
    static QByteArray identity(const RejectedEntry& entry);
    void reindex();

    QString m_path;
    QList<RejectedEntry> m_entries;
    QHash<QByteArray, qsizetype> m_index; // identity -> position in m_entries
    bool m_dirty = false;
};

} // namespace ors
