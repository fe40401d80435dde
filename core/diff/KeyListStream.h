#pragma once

#include "diff/KeyListReader.h"
#include "diff/SortedKeyStream.h"

namespace ors {

// A committed, sorted key list read back as a stream, so one sort of the MLS keys serves the
// comparison with every destination.
class KeyListStream final : public SortedKeyStream {
public:
    Expected<void> open(const QString& path) { return m_reader.open(path); }
    Expected<std::optional<KeyRecord>> next() override;

private:
    KeyListReader m_reader;
};

} // namespace ors
