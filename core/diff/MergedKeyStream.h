#pragma once

#include "diff/KeyOrderGuard.h"
#include "diff/SortedKeyStream.h"

#include <memory>
#include <vector>

namespace ors {

// k-way merge of sorted streams with a binary min-heap on their current keys. Records of one key
// from several inputs (the same key downloaded twice, landing in two runs) come out once, as the
// newer record (KeyRecord::secondIsNewer). Holds one record per input.
class MergedKeyStream : public SortedKeyStream {
public:
    // keepAlive is released when the merge ends or is destroyed: the sorter passes its temporary
    // folder, so the folder goes away as soon as nobody reads from it any more.
    MergedKeyStream(std::vector<std::unique_ptr<SortedKeyStream>> inputs, QString label,
                    std::shared_ptr<void> keepAlive = {});

    Expected<std::optional<KeyRecord>> next() override;

private:
    Expected<void> prime();
    Expected<void> advance(size_t input); // reads the input's next record and puts it on the heap
    bool heapLess(size_t a, size_t b) const;
    void release();

    // Declared first so it is destroyed last: the inputs close their files before the folder goes.
    std::shared_ptr<void> m_keepAlive;
    std::vector<std::unique_ptr<SortedKeyStream>> m_inputs;
    std::vector<KeyRecord> m_heads;
    std::vector<size_t> m_heap;
    KeyOrderGuard m_guard;
    bool m_primed = false;
    bool m_done = false;
};

} // namespace ors
