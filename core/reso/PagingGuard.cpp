#include "reso/PagingGuard.h"

#include "reso/HttpClient.h"

#include <QCryptographicHash>

#include <algorithm>

namespace ors {

namespace {

QByteArray digest(const QUrl& url) {
    return QCryptographicHash::hash(url.toEncoded(), QCryptographicHash::Sha1);
}

} // namespace

PagingGuard::PagingGuard(QString what, const QUrl& first, qint64 ceiling)
    : m_what(std::move(what))
    , m_ceiling(std::max<qint64>(1, ceiling))
    , m_bound(m_ceiling) {
    m_followed.insert(digest(first));
}

void PagingGuard::allowPageSize(int pageSize) {
    if (!m_counted)
        return;
    const qint64 size = std::max(1, pageSize);
    const qint64 expected = (m_count + size - 1) / size;
    m_bound = std::min(m_ceiling, std::max(m_bound, m_pages + 2 * expected + 10));
}

Expected<void> PagingGuard::next(qint64 records, std::optional<qint64> odataCount, const QUrl& nextLink) {
    ++m_pages;
    if (m_pages == 1 && odataCount && *odataCount >= 0) {
        // The first page shows the server's page size. Pages may run short (records deleted
        // while paging, servers trimming large records), so twice the expected pages and a
        // margin are allowed; never more than the fixed ceiling.
        const qint64 pageSize = std::max<qint64>(1, records);
        const qint64 expected = (*odataCount + pageSize - 1) / pageSize;
        m_bound = std::min(m_ceiling, 2 * expected + 10);
        m_counted = true;
        m_count = *odataCount;
    }
    if (nextLink.isEmpty())
        return {};
    if (m_followed.contains(digest(nextLink)))
        return makeError(QStringLiteral("%1: the server's @odata.nextLink repeats a page already followed "
                                        "(%2) after %3 pages; the download would never end")
                             .arg(m_what, describeUrl(nextLink))
                             .arg(m_pages));
    if (m_pages >= m_bound)
        return makeError(QStringLiteral("%1: the server still sends an @odata.nextLink after %2 pages, "
                                        "more than %3 (%4); the download would never end")
                             .arg(m_what)
                             .arg(m_pages)
                             .arg(m_bound)
                             .arg(m_counted
                                      ? QStringLiteral("twice the pages @odata.count and the page size "
                                                       "announce, plus 10")
                                      : QStringLiteral("the ceiling for a download without @odata.count")));
    m_followed.insert(digest(nextLink));
    return {};
}

} // namespace ors
