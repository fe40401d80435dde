#pragma once

#include "diff/KeyRecord.h"

#include <QtGlobal>

#include <vector>

namespace ors {

// The sorter's in-memory run: records encoded back to back in one arena (KeyRecordCodec) plus
// one 32-bit offset per record. Sorting moves only the offsets, and the memory used is exactly
// what is counted against the budget, with no per-record heap allocation to hide overhead in.
class KeyRecordBuffer {
public:
    explicit KeyRecordBuffer(qsizetype budgetBytes);

    bool isEmpty() const { return m_offsets.empty(); }
    qsizetype count() const { return qsizetype(m_offsets.size()); }
    qsizetype memoryUsed() const;
    // An empty buffer always takes a record, so a single record larger than the budget still sorts.
    bool hasRoomFor(qsizetype encodedSize) const;
    void append(const KeyRecord& record, qsizetype encodedSize);

    // Sorts by key in byte order and folds records of one key into the newer one
    // (KeyRecord::secondIsNewer), so a run never holds a key twice.
    void sortAndFold();

    const char* recordAt(qsizetype index) const { return m_arena.data() + m_offsets[size_t(index)]; }
    qsizetype sizeAt(qsizetype index) const;

    void clear(); // keeps the reserved memory for the next run
    void release();

private:
    qsizetype m_budget;
    std::vector<char> m_arena;
    std::vector<quint32> m_offsets;
};

} // namespace ors
