#include "diff/KeyRunWriter.h"

#include "diff/KeyRecordCodec.h"
#include "util/PrivateFiles.h"

#include <algorithm>

namespace ors {

KeyRunWriter::KeyRunWriter(QString path, qsizetype bufferBytes)
    : m_path(std::move(path))
    , m_bufferBytes(std::max<qsizetype>(bufferBytes, 4096))
    , m_file(m_path) {}

KeyRunWriter::~KeyRunWriter() {
    m_file.close();
}

Error KeyRunWriter::fileError(const QString& what) const {
    return makeError(
        QStringLiteral("key sort spill file %1: %2: %3").arg(m_path, what, m_file.errorString()));
}

Expected<void> KeyRunWriter::open() {
    // Unbuffered: the writer has its own buffer; QFile's would only copy the bytes once more.
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered))
        return fileError(QStringLiteral("cannot create"));
    if (auto r = PrivateFiles::restrict(m_file); !r)
        return r;
    m_buffer.reserve(m_bufferBytes);
    return {};
}

Expected<void> KeyRunWriter::flushBuffer() {
    if (m_buffer.isEmpty())
        return {};
    if (m_file.write(m_buffer) != m_buffer.size())
        return fileError(QStringLiteral("cannot write"));
    m_buffer.resize(0); // keeps the capacity
    return {};
}

Expected<void> KeyRunWriter::appendEncoded(const char* data, qsizetype size) {
    if (m_buffer.size() + size > m_bufferBytes) {
        if (Expected<void> flushed = flushBuffer(); !flushed)
            return flushed;
    }
    m_buffer.append(data, size);
    return {};
}

Expected<void> KeyRunWriter::append(const KeyRecord& record) {
    Expected<qsizetype> size = KeyRecordCodec::encodedSize(record);
    if (!size)
        return size.error();
    if (m_buffer.size() + *size > m_bufferBytes) {
        if (Expected<void> flushed = flushBuffer(); !flushed)
            return flushed;
    }
    const qsizetype at = m_buffer.size();
    m_buffer.resize(at + *size);
    KeyRecordCodec::encode(record, m_buffer.data() + at);
    return {};
}

Expected<void> KeyRunWriter::close() {
    if (Expected<void> flushed = flushBuffer(); !flushed)
        return flushed;
    m_file.close();
    if (m_file.error() != QFileDevice::NoError)
        return fileError(QStringLiteral("cannot close"));
    m_buffer = QByteArray();
    return {};
}

} // namespace ors
