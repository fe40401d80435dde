#pragma once

#include "diff/KeyRecord.h"
#include "util/Expected.h"

#include <optional>

namespace ors {

// A forward-only source of KeyRecords in strictly increasing byte order of their keys, one at a
// time, so two key lists of any length can be compared holding one record of each. nullopt ends
// the stream; an Error ends it too and leaves the stream unusable.
class SortedKeyStream {
public:
    virtual ~SortedKeyStream() = default;
    virtual Expected<std::optional<KeyRecord>> next() = 0;
};

} // namespace ors
