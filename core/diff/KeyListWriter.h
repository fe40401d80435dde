#pragma once

#include "util/Expected.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QString>

namespace ors {

class SortedKeyStream;

// Writes a list of keys (a purge list, missingIds_batch_*) that a later step, possibly after a
// crash, reads back with KeyListReader. Format: the 8-byte header "ORSKEYS1", then per key a
// u32 little-endian length and the key's bytes, then an end marker (u32 0xFFFFFFFF and the u64
// little-endian key count).
//
// The keys go to "<path>.part"; commit() writes the end marker, fsyncs, renames the file to
// <path> and fsyncs the folder. So a file found at <path> is always whole, and a process that
// dies mid-list leaves only a .part file, which the next open() of that path discards.
class KeyListWriter {
public:
    KeyListWriter() = default;
    ~KeyListWriter(); // without commit(): the .part file is removed
    KeyListWriter(const KeyListWriter&) = delete;
    KeyListWriter& operator=(const KeyListWriter&) = delete;

    // Every key of `keys` into a committed list at `path`; returns how many were written.
    static Expected<qint64> writeAll(SortedKeyStream& keys, const QString& path);

    Expected<void> open(const QString& path);
    Expected<void> append(QByteArrayView key);
    Expected<void> commit();
    void discard();

    const QString& path() const { return m_path; }
    qint64 count() const { return m_count; }

private:
    Expected<void> flushBuffer();
    Error fileError(const QString& what) const;

    QString m_path;
    QFile m_file;
    QByteArray m_buffer;
    qint64 m_count = 0;
};

} // namespace ors
