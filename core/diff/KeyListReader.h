#pragma once

#include "util/Expected.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <optional>

namespace ors {

// Streams a key list written by KeyListWriter, one key at a time. Anything but a whole list is
// an error naming the file and byte: a bad header, a cut-off key, a missing end marker, a count
// that disagrees with the marker, bytes after it. A purge or reconcile step must never act on
// part of a list believing it is all of it.
class KeyListReader {
public:
    static constexpr QByteArrayView Header = "ORSKEYS1";
    static constexpr quint32 EndMarker = 0xFFFFFFFF;

    KeyListReader() = default;
    KeyListReader(const KeyListReader&) = delete;
    KeyListReader& operator=(const KeyListReader&) = delete;

    Expected<void> open(const QString& path);
    // nullopt after the last key, once the end marker has been checked.
    Expected<std::optional<QByteArray>> next();

    qint64 keysRead() const { return m_keysRead; }

private:
    // Makes at least `bytes` bytes available at m_pos; false at end of file.
    Expected<bool> ensure(qsizetype bytes);
    Error formatError(const QString& what) const;

    QString m_path;
    QFile m_file;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_fileOffset = 0; // of m_buffer[0]
    qint64 m_keysRead = 0;
    bool m_done = false;
};

} // namespace ors
