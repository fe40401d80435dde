#include "records/TextArena.h"

#include <cstring>

namespace ors {

namespace {

constexpr qsizetype kBlockBytes = 64 * 1024 - 64; // with Qt's header, one 64 KB allocation
// A longer value gets its own allocation: at most this much of a block is left unused.
constexpr qsizetype kSharedUpTo = 2 * 1024;

} // namespace

QByteArray TextArena::copy(std::string_view text) {
    const auto size = qsizetype(text.size());
    if (size == 0 || size > kSharedUpTo)
        return QByteArray(text.data(), size);
    if (size + 1 > m_left) {
        // The block before stays alive as long as a value in it does.
        m_block = QByteArray(kBlockBytes, Qt::Uninitialized);
        m_free = m_block.data(); // the block is unshared here: no copy
        m_left = kBlockBytes;
    }
    std::memcpy(m_free, text.data(), size_t(size));
    m_free[size] = '\0';
    QByteArray::DataPointer shared(m_block.data_ptr().d_ptr(), m_free, size);
    shared.ref();
    m_free += size + 1;
    m_left -= size + 1;
    return QByteArray(std::move(shared));
}

} // namespace ors
