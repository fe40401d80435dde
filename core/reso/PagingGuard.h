#pragma once

#include "util/Expected.h"

#include <QSet>
#include <QString>
#include <QUrl>

#include <optional>

namespace ors {

// Makes every loop that follows @odata.nextLink end: a nextLink that repeats a URL already
// followed in this download (a page pointing at itself, or a cycle) fails it, and so does a page
// count past what the server's @odata.count and page size allow, or past a fixed ceiling when
// the server sent no count. One guard per query run; a query asked again starts a new one.
class PagingGuard {
public:
    static constexpr qint64 kDefaultCeiling = 200000; // pages, when there is no @odata.count

    // `what` names the download in messages, e.g. "download of Property".
    explicit PagingGuard(QString what, const QUrl& first, qint64 ceiling = kDefaultCeiling);

    // After each page: its record count, the @odata.count it carried (if any) and its nextLink
    // (empty at the end). An error means the download must stop.
    Expected<void> next(qint64 records, std::optional<qint64> odataCount, const QUrl& nextLink);

    // The download now asks for pages of this size (smaller after a timeout): the bound grows
    // so that the records @odata.count announced still fit.
    void allowPageSize(int pageSize);

    qint64 pages() const { return m_pages; }
    qint64 bound() const { return m_bound; }

private:
    QString m_what;
    qint64 m_ceiling;
    qint64 m_bound;
    qint64 m_pages = 0;
    bool m_counted = false;      // the bound comes from @odata.count
    qint64 m_count = 0;          // that count
    QSet<QByteArray> m_followed; // SHA-1 of each URL followed: 20 bytes, not the whole URL
};

} // namespace ors
