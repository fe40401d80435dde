#pragma once

#include "diff/KeyRecord.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QFile>
#include <QString>

namespace ors {

// Writes one sorted run of encoded KeyRecords (KeyRecordCodec) to a temporary spill file through
// a buffer of its own. No fsync: a spill file never outlives the process that sorts.
class KeyRunWriter {
public:
    KeyRunWriter(QString path, qsizetype bufferBytes);
    ~KeyRunWriter();
    KeyRunWriter(const KeyRunWriter&) = delete;
    KeyRunWriter& operator=(const KeyRunWriter&) = delete;

    Expected<void> open();
    Expected<void> appendEncoded(const char* data, qsizetype size);
    Expected<void> append(const KeyRecord& record);
    Expected<void> close();

    const QString& path() const { return m_path; }

private:
    Expected<void> flushBuffer();
    Error fileError(const QString& what) const;

    QString m_path;
    qsizetype m_bufferBytes;
    QFile m_file;
    QByteArray m_buffer;
};

} // namespace ors
