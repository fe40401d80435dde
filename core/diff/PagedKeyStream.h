#pragma once

#include "diff/KeyOrderGuard.h"
#include "diff/SortedKeyStream.h"

#include <QList>

#include <functional>

namespace ors {

// Reads a destination's keys with keyset pagination, e.g.
//   SELECT key, ts FROM t WHERE key > :afterKey ORDER BY key COLLATE binary LIMIT :limit
// (no WHERE for the first page, where afterKey is nullopt: "" is a valid key). Every key is
// checked to be greater than the one before it, within and across pages, so a collation that is
// not binary or a page served twice fails the comparison instead of turning into deletes.
class PagedKeyStream : public SortedKeyStream {
public:
    using PageFetcher =
        std::function<Expected<QList<KeyRecord>>(const std::optional<QByteArray>& afterKey, int limit)>;

    // label names the source in errors, e.g. "destination \"main\" (Property)".
    PagedKeyStream(QString label, PageFetcher fetch, int pageSize = 5000);

    Expected<std::optional<KeyRecord>> next() override;

    qint64 pagesFetched() const { return m_pagesFetched; }

private:
    QString m_label;
    PageFetcher m_fetch;
    int m_pageSize;
    QList<KeyRecord> m_page;
    qsizetype m_pos = 0;
    bool m_exhausted = false;
    qint64 m_pagesFetched = 0;
    KeyOrderGuard m_guard;
};

} // namespace ors
