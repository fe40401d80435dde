#include "diff/KeyRunReader.h"

#include "diff/KeyRecordCodec.h"

#include <algorithm>
#include <cstring>

namespace ors {

KeyRunReader::KeyRunReader(QString path, qsizetype bufferBytes, bool removeWhenDone)
    : m_path(std::move(path))
    , m_bufferBytes(std::max<qsizetype>(bufferBytes, 4096))
    , m_removeWhenDone(removeWhenDone)
    , m_file(m_path) {}

KeyRunReader::~KeyRunReader() {
    finish();
}

void KeyRunReader::finish() {
    if (m_done)
        return;
    m_done = true;
    m_file.close();
    m_buffer = QByteArray();
    if (m_removeWhenDone)
        QFile::remove(m_path);
}

Expected<void> KeyRunReader::open() {
    if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return makeError(
            QStringLiteral("key sort spill file %1: cannot open: %2").arg(m_path, m_file.errorString()));
    m_buffer.reserve(m_bufferBytes);
    return {};
}

Expected<std::optional<KeyRecord>> KeyRunReader::next() {
    if (m_done)
        return std::optional<KeyRecord>();
    for (;;) {
        qsizetype size = 0;
        const qsizetype available = m_buffer.size() - m_pos;
        if (KeyRecordCodec::measure(m_buffer.constData() + m_pos, available, &size) ==
            KeyRecordCodec::Status::Ok) {
            KeyRecord record = KeyRecordCodec::decode(m_buffer.constData() + m_pos);
            m_pos += size;
            return std::optional<KeyRecord>(std::move(record));
        }
        if (m_eof) {
            if (available == 0) {
                finish();
                return std::optional<KeyRecord>();
            }
            const qint64 at = m_fileOffset + m_pos;
            finish();
            return makeError(
                QStringLiteral("key sort spill file %1: record cut off at byte %2").arg(m_path).arg(at));
        }
        // Move the partial record to the front, grow only if a single record fills the buffer.
        if (m_pos > 0) {
            std::memmove(m_buffer.data(), m_buffer.constData() + m_pos, size_t(available));
            m_buffer.resize(available);
            m_fileOffset += m_pos;
            m_pos = 0;
        }
        const qsizetype capacity = std::max(m_bufferBytes, available * 2);
        m_buffer.resize(capacity);
        const qint64 got = m_file.read(m_buffer.data() + available, capacity - available);
        if (got < 0) {
            const QString reason = m_file.errorString();
            finish();
            return makeError(QStringLiteral("key sort spill file %1: cannot read: %2").arg(m_path, reason));
        }
        m_buffer.resize(available + qsizetype(got));
        if (got == 0)
            m_eof = true;
    }
}

} // namespace ors
