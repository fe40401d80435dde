#include "diff/PagedKeyStream.h"

#include <algorithm>

namespace ors {

PagedKeyStream::PagedKeyStream(QString label, PageFetcher fetch, int pageSize)
    : m_label(label)
    , m_fetch(std::move(fetch))
    , m_pageSize(std::max(1, pageSize))
    , m_guard(std::move(label)) {}

Expected<std::optional<KeyRecord>> PagedKeyStream::next() {
    if (m_pos >= m_page.size()) {
        if (m_exhausted)
            return std::optional<KeyRecord>();
        // Only an empty page ends the list. A short page is not trusted as the last one, because
        // some stores cap a page below the limit asked for; one more query is cheap, a silently
        // dropped tail would make every later key look absent.
        Expected<QList<KeyRecord>> page = m_fetch(m_guard.lastKey(), m_pageSize);
        if (!page)
            return makeError(QStringLiteral("%1: %2").arg(m_label, page.errorMessage()));
        ++m_pagesFetched;
        m_page = std::move(page.value());
        m_pos = 0;
        if (m_page.isEmpty()) {
            m_exhausted = true;
            m_page = QList<KeyRecord>(); // give the page's memory back
            return std::optional<KeyRecord>();
        }
    }
    KeyRecord record = std::move(m_page[m_pos++]);
    if (Expected<void> ordered = m_guard.accept(record.key); !ordered) {
        m_exhausted = true;
        m_page.clear();
        m_pos = 0;
        return ordered.error();
    }
    return std::optional<KeyRecord>(std::move(record));
}

} // namespace ors
