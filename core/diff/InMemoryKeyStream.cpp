#include "diff/InMemoryKeyStream.h"

#include "diff/KeyRecordCodec.h"

namespace ors {

InMemoryKeyStream::InMemoryKeyStream(KeyRecordBuffer buffer)
    : m_buffer(std::move(buffer)) {}

Expected<std::optional<KeyRecord>> InMemoryKeyStream::next() {
    if (m_pos >= m_buffer.count()) {
        m_buffer.release();
        return std::optional<KeyRecord>();
    }
    return std::optional<KeyRecord>(KeyRecordCodec::decode(m_buffer.recordAt(m_pos++)));
}

} // namespace ors
