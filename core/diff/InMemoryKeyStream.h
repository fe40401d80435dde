#pragma once

#include "diff/KeyRecordBuffer.h"
#include "diff/SortedKeyStream.h"

namespace ors {

// The sorter's result when everything fit in the budget: streams the sorted buffer without
// touching the disk.
class InMemoryKeyStream : public SortedKeyStream {
public:
    explicit InMemoryKeyStream(KeyRecordBuffer buffer); // sorted and folded

    Expected<std::optional<KeyRecord>> next() override;

private:
    KeyRecordBuffer m_buffer;
    qsizetype m_pos = 0;
};

} // namespace ors
