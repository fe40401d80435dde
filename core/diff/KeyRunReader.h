#pragma once

#include "diff/SortedKeyStream.h"

#include <QByteArray>
#include <QFile>
#include <QString>

namespace ors {

// Streams one spill file written by KeyRunWriter through a fixed read buffer (grown only for a
// record larger than the buffer), so the merge's memory is the number of open runs times the
// buffer size, whatever the length of the runs.
class KeyRunReader : public SortedKeyStream {
public:
    // removeWhenDone: the file is deleted once read to the end or when the reader is destroyed,
    // so spill space is given back run by run during a multi-pass merge.
    KeyRunReader(QString path, qsizetype bufferBytes, bool removeWhenDone);
    ~KeyRunReader() override;
    KeyRunReader(const KeyRunReader&) = delete;
    KeyRunReader& operator=(const KeyRunReader&) = delete;

    Expected<void> open();
    Expected<std::optional<KeyRecord>> next() override;

private:
    void finish();

    QString m_path;
    qsizetype m_bufferBytes;
    bool m_removeWhenDone;
    QFile m_file;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_fileOffset = 0; // of m_buffer[0], for messages
    bool m_eof = false;
    bool m_done = false;
};

} // namespace ors
