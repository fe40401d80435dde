#include "diff/KeyListReader.h"

#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace ors {

namespace {

constexpr qsizetype BufferBytes = 64 * 1024;

} // namespace

Error KeyListReader::formatError(const QString& what) const {
    return makeError(
        QStringLiteral("key list %1: %2 at byte %3").arg(m_path, what).arg(m_fileOffset + m_pos));
}

Expected<void> KeyListReader::open(const QString& path) {
    m_path = path;
    m_file.close();
    m_file.setFileName(path);
    m_buffer.clear();
    m_pos = 0;
    m_fileOffset = 0;
    m_keysRead = 0;
    m_done = false;
    if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return makeError(QStringLiteral("key list %1: cannot open: %2").arg(path, m_file.errorString()));
    Expected<bool> have = ensure(Header.size());
    if (!have)
        return have.error();
    if (!*have || QByteArrayView(m_buffer.constData() + m_pos, Header.size()) != Header)
        return makeError(QStringLiteral("key list %1: not a key list (no ORSKEYS1 header)").arg(path));
    m_pos += Header.size();
    return {};
}

Expected<bool> KeyListReader::ensure(qsizetype bytes) {
    while (m_buffer.size() - m_pos < bytes) {
        const qsizetype available = m_buffer.size() - m_pos;
        if (m_pos > 0) {
            std::memmove(m_buffer.data(), m_buffer.constData() + m_pos, size_t(available));
            m_fileOffset += m_pos;
            m_pos = 0;
        }
        const qsizetype capacity = std::max(BufferBytes, bytes);
        m_buffer.resize(capacity);
        const qint64 got = m_file.read(m_buffer.data() + available, capacity - available);
        m_buffer.resize(available + std::max<qint64>(got, 0));
        if (got < 0)
            return makeError(
                QStringLiteral("key list %1: cannot read: %2").arg(m_path, m_file.errorString()));
        if (got == 0)
            return false;
    }
    return true;
}

Expected<std::optional<QByteArray>> KeyListReader::next() {
    if (m_done)
        return std::optional<QByteArray>();
    if (!m_file.isOpen())
        return makeError(QStringLiteral("key list %1: next() without open()").arg(m_path));
    Expected<bool> have = ensure(4);
    if (!have)
        return have.error();
    if (!*have) {
        return formatError(m_buffer.size() == m_pos
                               ? QStringLiteral("ends without its end marker (the writer did not finish)")
                               : QStringLiteral("cut off"));
    }
    const quint32 length = qFromLittleEndian<quint32>(m_buffer.constData() + m_pos);
    if (length == EndMarker) {
        have = ensure(12);
        if (!have)
            return have.error();
        if (!*have)
            return formatError(QStringLiteral("end marker cut off"));
        const quint64 count = qFromLittleEndian<quint64>(m_buffer.constData() + m_pos + 4);
        if (count != quint64(m_keysRead))
            return formatError(
                QStringLiteral("end marker says %1 keys, but %2 were read").arg(count).arg(m_keysRead));
        m_pos += 12;
        have = ensure(1);
        if (!have)
            return have.error();
        if (*have)
            return formatError(QStringLiteral("data after the end marker"));
        m_done = true;
        m_file.close();
        m_buffer = QByteArray();
        return std::optional<QByteArray>();
    }
    have = ensure(4 + qsizetype(length));
    if (!have)
        return have.error();
    if (!*have)
        return formatError(QStringLiteral("key cut off"));
    QByteArray key(m_buffer.constData() + m_pos + 4, qsizetype(length));
    m_pos += 4 + qsizetype(length);
    ++m_keysRead;
    return std::optional<QByteArray>(std::move(key));
}

} // namespace ors
