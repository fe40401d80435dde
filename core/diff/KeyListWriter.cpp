#include "diff/KeyListWriter.h"

#include "diff/KeyListReader.h"
#include "diff/SortedKeyStream.h"
#include "util/PrivateFiles.h"

#include <QDir>
#include <QFileInfo>
#include <QtEndian>

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace ors {

namespace {

constexpr qsizetype BufferBytes = 64 * 1024;

void appendU32(QByteArray& out, quint32 value) {
    char bytes[4];
    qToLittleEndian<quint32>(value, bytes);
    out.append(bytes, 4);
}

} // namespace

KeyListWriter::~KeyListWriter() {
    discard();
}

Expected<qint64> KeyListWriter::writeAll(SortedKeyStream& keys, const QString& path) {
    KeyListWriter writer;
    if (auto r = writer.open(path); !r)
        return r.error();
    while (true) {
        auto next = keys.next();
        if (!next)
            return next.error();
        if (!*next)
            break;
        if (auto r = writer.append((*next)->key); !r)
            return r.error();
    }
    const qint64 count = writer.count();
    if (auto r = writer.commit(); !r)
        return r.error();
    return count;
}

Error KeyListWriter::fileError(const QString& what) const {
    return makeError(QStringLiteral("key list %1: %2: %3").arg(m_path, what, m_file.errorString()));
}

Expected<void> KeyListWriter::open(const QString& path) {
    discard();
    m_path = path;
    m_count = 0;
    m_buffer.clear();
    m_buffer.reserve(BufferBytes);
    if (auto r = PrivateFiles::makeDir(QFileInfo(path).absolutePath()); !r)
        return r;
    m_file.setFileName(path + QStringLiteral(".part"));
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered))
        return fileError(QStringLiteral("cannot create"));
    if (auto r = PrivateFiles::restrict(m_file); !r)
        return r;
    m_buffer.append(KeyListReader::Header);
    return {};
}

Expected<void> KeyListWriter::flushBuffer() {
    if (m_buffer.isEmpty())
        return {};
    if (m_file.write(m_buffer) != m_buffer.size())
        return fileError(QStringLiteral("cannot write"));
    m_buffer.resize(0);
    return {};
}

Expected<void> KeyListWriter::append(QByteArrayView key) {
    if (!m_file.isOpen())
        return makeError(QStringLiteral("key list %1: append() without open()").arg(m_path));
    if (key.size() >= qsizetype(KeyListReader::EndMarker))
        return makeError(
            QStringLiteral("key list %1: a key of %2 bytes is too long").arg(m_path).arg(key.size()));
    appendU32(m_buffer, quint32(key.size()));
    m_buffer.append(key);
    ++m_count;
    if (m_buffer.size() >= BufferBytes)
        return flushBuffer();
    return {};
}

Expected<void> KeyListWriter::commit() {
    if (!m_file.isOpen())
        return makeError(QStringLiteral("key list %1: commit() without open()").arg(m_path));
    appendU32(m_buffer, KeyListReader::EndMarker);
    char count[8];
    qToLittleEndian<quint64>(quint64(m_count), count);
    m_buffer.append(count, 8);
    if (Expected<void> flushed = flushBuffer(); !flushed)
        return flushed;
    // The keys must be on disk before the rename makes the file visible under its real name.
    if (::fsync(m_file.handle()) != 0)
        return fileError(QStringLiteral("cannot sync"));
    m_file.close();
    const QByteArray from = QFile::encodeName(m_file.fileName());
    const QByteArray to = QFile::encodeName(m_path);
    // rename(2) replaces an older list atomically; QFile::rename refuses an existing target.
    if (std::rename(from.constData(), to.constData()) != 0)
        return makeError(
            QStringLiteral("key list %1: cannot rename %2 into place").arg(m_path, m_file.fileName()));
    // And the rename itself must survive a power cut, or a resume would find no list at all.
    m_buffer = QByteArray();
    return PrivateFiles::syncDir(QFileInfo(m_path).absolutePath());
}

void KeyListWriter::discard() {
    if (!m_file.isOpen())
        return;
    m_file.close();
    m_file.remove();
    m_buffer = QByteArray();
}

} // namespace ors
