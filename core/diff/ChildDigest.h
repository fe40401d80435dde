#pragma once

#include "diff/KeyOrderGuard.h"
#include "diff/SortedKeyStream.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace ors {

// One row of an owned child table as reconcile compares it: its parent's key, its own key and
// its ModificationTimestamp (normalized text, or as stored when it is no instant).
struct ChildKeyRow {
    QByteArray parent;
    QByteArray key;
    std::optional<QByteArray> timestamp;
};

// The set of a parent's children (key and timestamp of each) folded into one short text, so the
// MLS's child sets and a destination's can be compared parent by parent through KeyDiff without
// holding more than one parent's children. Order-independent: the server sends children in any
// order and the destination reads them in its own. Timestamps count at millisecond precision
// ("…:00Z" and "…:00.000Z" are one instant), as KeyDiff compares parents' timestamps.
class ChildDigest {
public:
    void add(QByteArrayView key, std::optional<QByteArrayView> timestamp);
    qint64 count() const { return m_count; }
    // "c0" for no children, else "c<count>-<32 hex digits>"; never parses as a timestamp, so
    // KeyDiff compares two of them byte for byte.
    QByteArray text() const;
    static QByteArray emptyText() { return QByteArrayLiteral("c0"); }

private:
    qint64 m_count = 0;
    quint64 m_sum[2] = {0, 0}; // sums of the children's 128-bit hashes, modulo 2^64 each
};

// A destination's owned children folded per parent: KeyRecord(parent key, digest text) in
// strictly increasing byte order of parent keys, for parents holding at least one child row.
// Reads the child table by keyset pagination on the parent key column; a page is at most
// `pageSize` rows, and a parent cut by the end of a page is read again whole on its own, so
// memory holds one page and one parent's children, whatever the table's size.
class ChildDigestStream : public SortedKeyStream {
public:
    // Rows whose parent key is greater than `afterParent` (all when nullopt), at most `limit`, in
    // parent key order; or, with `onlyParent`, every row of that one parent (limit ignored).
    using PageFetcher =
        std::function<Expected<QList<ChildKeyRow>>(const std::optional<QByteArray>& afterParent,
                                                   const std::optional<QByteArray>& onlyParent, int limit)>;

    ChildDigestStream(QString label, PageFetcher fetch, int pageSize = 5000);

    Expected<std::optional<KeyRecord>> next() override;

private:
    Expected<void> refill();

    QString m_label;
    PageFetcher m_fetch;
    int m_pageSize;
    QList<KeyRecord> m_ready;
    qsizetype m_pos = 0;
    std::optional<QByteArray> m_after;
    bool m_exhausted = false;
    KeyOrderGuard m_guard;
};

} // namespace ors
