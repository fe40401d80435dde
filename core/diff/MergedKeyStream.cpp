#include "diff/MergedKeyStream.h"

#include <algorithm>

namespace ors {

MergedKeyStream::MergedKeyStream(std::vector<std::unique_ptr<SortedKeyStream>> inputs, QString label,
                                 std::shared_ptr<void> keepAlive)
    : m_keepAlive(std::move(keepAlive))
    , m_inputs(std::move(inputs))
    , m_heads(m_inputs.size())
    , m_guard(std::move(label)) {}

// std::*_heap build a max-heap; "a after b" puts the smallest key on top. Ties go to the lower
// input index so the result does not depend on heap internals.
bool MergedKeyStream::heapLess(size_t a, size_t b) const {
    const int c = KeyRecord::compareKeys(m_heads[a].key, m_heads[b].key);
    return c != 0 ? c > 0 : a > b;
}

Expected<void> MergedKeyStream::advance(size_t input) {
    Expected<std::optional<KeyRecord>> record = m_inputs[input]->next();
    if (!record)
        return record.error();
    if (!record->has_value()) {
        m_inputs[input].reset(); // closes (and for spill runs deletes) the input at once
        return {};
    }
    m_heads[input] = std::move(**record);
    m_heap.push_back(input);
    std::push_heap(m_heap.begin(), m_heap.end(), [this](size_t a, size_t b) { return heapLess(a, b); });
    return {};
}

Expected<void> MergedKeyStream::prime() {
    m_primed = true;
    m_heap.reserve(m_inputs.size());
    for (size_t i = 0; i < m_inputs.size(); ++i) {
        if (Expected<void> ok = advance(i); !ok)
            return ok;
    }
    return {};
}

void MergedKeyStream::release() {
    m_done = true;
    m_heap.clear();
    m_heads.clear();
    m_inputs.clear();
    m_keepAlive.reset(); // after the inputs: they remove their files first
}

Expected<std::optional<KeyRecord>> MergedKeyStream::next() {
    if (m_done)
        return std::optional<KeyRecord>();
    if (!m_primed) {
        if (Expected<void> ok = prime(); !ok) {
            release();
            return ok.error();
        }
    }
    const auto less = [this](size_t a, size_t b) { return heapLess(a, b); };
    if (m_heap.empty()) {
        release();
        return std::optional<KeyRecord>();
    }
    std::pop_heap(m_heap.begin(), m_heap.end(), less);
    size_t input = m_heap.back();
    m_heap.pop_back();
    KeyRecord result = std::move(m_heads[input]);
    if (Expected<void> ok = advance(input); !ok) {
        release();
        return ok.error();
    }
    while (!m_heap.empty() && m_heads[m_heap.front()].key == result.key) {
        std::pop_heap(m_heap.begin(), m_heap.end(), less);
        input = m_heap.back();
        m_heap.pop_back();
        if (KeyRecord::secondIsNewer(result, m_heads[input]))
            result = std::move(m_heads[input]);
        if (Expected<void> ok = advance(input); !ok) {
            release();
            return ok.error();
        }
    }
    // Inputs are each checked by their own source or produced sorted; this catches an unsorted
    // input, which would otherwise yield a key twice or out of place.
    if (Expected<void> ordered = m_guard.accept(result.key); !ordered) {
        release();
        return ordered.error();
    }
    return std::optional<KeyRecord>(std::move(result));
}

} // namespace ors
