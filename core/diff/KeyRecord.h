#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <array>
#include <optional>

namespace ors {

// One key of a resource (e.g. ListingKey) with up to two optional timestamps (e.g.
// ModificationTimestamp and PhotosChangeTimestamp) as normalized text "YYYY-MM-DDTHH:MM:SS.mmmZ".
// Keys are compared as raw bytes (memcmp), never by locale or case: "ABC" and "abc" are two
// different listings, and the destination reads keys with a binary collation to match.
struct KeyRecord {
    static constexpr int TimestampCount = 2;

    QByteArray key;
    std::array<std::optional<QByteArray>, TimestampCount> timestamps;

    KeyRecord() = default;
    explicit KeyRecord(QByteArray key, std::optional<QByteArray> first = std::nullopt,
                       std::optional<QByteArray> second = std::nullopt);

    std::optional<QByteArrayView> timestampView(int index) const;

    // <0, 0, >0 in unsigned byte order; a shorter key that is a prefix of a longer one sorts first.
    static int compareKeys(QByteArrayView a, QByteArrayView b);

    // Instant order at millisecond precision: null sorts before any value, equal bytes are equal,
    // otherwise both are parsed (so "…:00Z" equals "…:00.000Z"); text that does not parse as a
    // timestamp falls back to byte order, so it never compares equal to a different text.
    static int compareTimestamps(std::optional<QByteArrayView> a, std::optional<QByteArrayView> b);
    static bool sameTimestamp(std::optional<QByteArrayView> a, std::optional<QByteArrayView> b) {
        return compareTimestamps(a, b) == 0;
    }

    // Milliseconds since the epoch of "YYYY-MM-DD(T| )HH:MM:SS[.f…](Z|±HH:MM)"; fractions beyond
    // milliseconds are truncated, as the page reader's normalization does.
    static std::optional<qint64> timestampMsecs(QByteArrayView text);

    // Which of two records of one key to keep (the same key downloaded twice after a retry): the
    // one with the greater first timestamp, then the greater second one; `a` on a tie. One whole
    // record is kept rather than a per-field maximum, so the result is a state the MLS really sent.
    static bool secondIsNewer(const KeyRecord& a, const KeyRecord& b);

    // The key for messages: UTF-8, shortened so a pathological key cannot flood a log line.
    static QString displayKey(QByteArrayView key);

    friend bool operator==(const KeyRecord& a, const KeyRecord& b) {
        return a.key == b.key && a.timestamps == b.timestamps;
    }
};

} // namespace ors
