#include "diff/StoredKeyStream.h"

#include "diff/ExternalKeySorter.h"

namespace ors {

StoredKeyStream::StoredKeyStream(std::unique_ptr<SortedKeyStream> sorted, QString label)
    : m_sorted(std::move(sorted))
    , m_label(std::move(label)) {}

Expected<std::unique_ptr<StoredKeyStream>> StoredKeyStream::sort(SortedKeyStream& mls, const KeyMap& map,
                                                                 const QString& spillDirectory,
                                                                 const QString& label) {
    ExternalKeySorter sorter(spillDirectory);
    for (;;) {
        auto record = mls.next();
        if (!record)
            return record.error();
        if (!*record)
            break;
        KeyRecord combined = std::move(**record);
        combined.key = map(combined.key) + '\0' + combined.key;
        if (auto r = sorter.add(combined); !r)
            return r.error();
    }
    auto sorted = sorter.finish();
    if (!sorted)
        return sorted.error();
    return std::unique_ptr<StoredKeyStream>(new StoredKeyStream(std::move(*sorted), label));
}

Expected<std::optional<KeyRecord>> StoredKeyStream::next() {
    auto record = m_sorted->next();
    if (!record || !*record)
        return record;
    KeyRecord out = std::move(**record);
    const qsizetype split = out.key.indexOf('\0');
    const QByteArray mls = out.key.mid(split + 1);
    out.key.truncate(split);
    if (m_lastStored && *m_lastStored == out.key)
        return makeError(QStringLiteral("%1: the MLS keys %2 and %3 both become %4 under its stripKeyPrefix; "
                                        "strip less of the key, or not at all")
                             .arg(m_label, KeyRecord::displayKey(m_mlsKey), KeyRecord::displayKey(mls),
                                  KeyRecord::displayKey(out.key)));
    m_lastStored = out.key;
    m_mlsKey = mls;
    return std::optional<KeyRecord>(std::move(out));
}

} // namespace ors
