#include "diff/KeyListStream.h"

namespace ors {

Expected<std::optional<KeyRecord>> KeyListStream::next() {
    auto key = m_reader.next();
    if (!key)
        return key.error();
    if (!*key)
        return std::optional<KeyRecord>();
    return std::optional<KeyRecord>(KeyRecord(std::move(**key)));
}

} // namespace ors
