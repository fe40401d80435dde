#include "diff/KeyRecordBuffer.h"

#include "diff/KeyRecordCodec.h"

#include <algorithm>

namespace ors {

KeyRecordBuffer::KeyRecordBuffer(qsizetype budgetBytes)
    // Offsets are 32-bit, so one run's arena stays below 4 GiB whatever the budget says.
    : m_budget(std::clamp<qsizetype>(budgetBytes, 1, qsizetype(0xF0000000))) {}

qsizetype KeyRecordBuffer::memoryUsed() const {
    return qsizetype(m_arena.capacity()) + qsizetype(m_offsets.capacity()) * qsizetype(sizeof(quint32));
}

bool KeyRecordBuffer::hasRoomFor(qsizetype encodedSize) const {
    if (m_offsets.empty())
        return true;
    const qsizetype needed =
        qsizetype(m_arena.size()) + encodedSize + qsizetype((m_offsets.size() + 1) * sizeof(quint32));
    return needed <= m_budget;
}

void KeyRecordBuffer::append(const KeyRecord& record, qsizetype encodedSize) {
    if (m_arena.capacity() == 0) {
        // Reserve the arena at once instead of letting it double: doubling would briefly hold
        // the old and the new copy (1.5x the budget). Untouched reserved pages cost no RSS.
        m_arena.reserve(size_t(std::max(m_budget, encodedSize)));
    }
    const size_t offset = m_arena.size();
    m_arena.resize(offset + size_t(encodedSize));
    KeyRecordCodec::encode(record, m_arena.data() + offset);
    m_offsets.push_back(quint32(offset));
}

qsizetype KeyRecordBuffer::sizeAt(qsizetype index) const {
    qsizetype size = 0;
    const char* record = recordAt(index);
    KeyRecordCodec::measure(record, qsizetype(m_arena.size()) - (record - m_arena.data()), &size);
    return size;
}

void KeyRecordBuffer::sortAndFold() {
    const char* arena = m_arena.data();
    // Stable, so among duplicates with equal timestamps the one added first is kept.
    std::stable_sort(m_offsets.begin(), m_offsets.end(), [arena](quint32 a, quint32 b) {
        return KeyRecord::compareKeys(KeyRecordCodec::keyOf(arena + a), KeyRecordCodec::keyOf(arena + b)) < 0;
    });
    if (m_offsets.size() < 2)
        return;
    size_t out = 0;
    for (size_t i = 1; i < m_offsets.size(); ++i) {
        const char* kept = arena + m_offsets[out];
        const char* candidate = arena + m_offsets[i];
        if (KeyRecordCodec::keyOf(kept) != KeyRecordCodec::keyOf(candidate)) {
            m_offsets[++out] = m_offsets[i];
            continue;
        }
        // Duplicates are rare (a page re-read after a retry), so decoding them is affordable.
        if (KeyRecord::secondIsNewer(KeyRecordCodec::decode(kept), KeyRecordCodec::decode(candidate)))
            m_offsets[out] = m_offsets[i];
    }
    m_offsets.resize(out + 1);
}

void KeyRecordBuffer::clear() {
    m_arena.clear();
    m_offsets.clear();
}

void KeyRecordBuffer::release() {
    std::vector<char>().swap(m_arena);
    std::vector<quint32>().swap(m_offsets);
}

} // namespace ors
