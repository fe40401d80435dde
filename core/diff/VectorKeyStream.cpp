#include "diff/VectorKeyStream.h"

namespace ors {

VectorKeyStream::VectorKeyStream(QList<KeyRecord> records, QString label)
    : m_records(std::move(records))
    , m_guard(std::move(label)) {}

Expected<std::optional<KeyRecord>> VectorKeyStream::next() {
    if (m_pos >= m_records.size())
        return std::optional<KeyRecord>();
    KeyRecord record = std::move(m_records[m_pos++]);
    if (Expected<void> ordered = m_guard.accept(record.key); !ordered)
        return ordered.error();
    return std::optional<KeyRecord>(std::move(record));
}

} // namespace ors
