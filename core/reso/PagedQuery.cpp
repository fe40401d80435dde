#include "reso/PagedQuery.h"

#include "reso/ODataQuery.h"

#include <QRegularExpression>
#include <QUrlQuery>

#include <algorithm>

namespace ors {

namespace {
// Pages that must arrive in time before a shrunken page size doubles again.
constexpr int kGrowAfter = 3;
} // namespace

PagedQuery::PagedQuery(PagedQuerySpec spec)
    : m_spec(std::move(spec))
    , m_pageSize(std::max(1, m_spec.pageSize)) {
    m_spec.minPageSize = std::clamp(m_spec.minPageSize, 1, m_pageSize);
}

bool PagedQuery::usesSkip(const QUrl& nextLink) {
    const QUrlQuery query(nextLink);
    for (const auto& [name, value] : query.queryItems(QUrl::FullyDecoded))
        if (name.compare(QLatin1String("$skip"), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

QString PagedQuery::timestampLiteral(const QByteArray& text) const {
    // The value as the server sent it matches its own stored form (some servers compare the
    // text); anything that is not plainly a timestamp is normalized, never pasted into a filter.
    static const QRegularExpression plain(
        QStringLiteral(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$)"));
    QString value = QString::fromUtf8(text);
    if (plain.match(value).hasMatch())
        return value;
    return odata::formatTimestamp(odata::parseTimestamp(value).value_or(QDateTime()));
}

QString PagedQuery::keysetCondition(const PageCursor& cursor) const {
    if (cursor.isEmpty())
        return {};
    const QString key = odata::keyLiteral(QString::fromUtf8(cursor.key), m_spec.numericKey);
    if (m_spec.timestampField.isEmpty())
        return QStringLiteral("%1 gt %2").arg(m_spec.keyField, key);
    const QString time = timestampLiteral(cursor.timestamp);
    // A resume point is a timestamp alone: that whole group may have been cut, so it is asked
    // again (upserts make the repeats harmless).
    if (cursor.key.isEmpty())
        return QStringLiteral("%1 ge %2").arg(m_spec.timestampField, time);
    return QStringLiteral("(%1 gt %2 or (%1 eq %2 and %3 gt %4))")
        .arg(m_spec.timestampField, time, m_spec.keyField, key);
}

QString PagedQuery::orderBy() const {
    if (!keyset())
        return {};
    if (m_spec.timestampField.isEmpty())
        return m_spec.keyField + QStringLiteral(" asc");
    return QStringLiteral("%1 asc,%2 asc").arg(m_spec.timestampField, m_spec.keyField);
}

QUrl PagedQuery::queryUrl() {
    odata::QueryOptions query;
    query.filter = m_spec.filter(keyset() ? keysetCondition(m_cursor) : QString());
    query.select = m_spec.select;
    query.expand = m_spec.expand;
    query.orderBy = orderBy();
    if (m_spec.topIsPageSize)
        query.top = m_pageSize;
    query.count = m_spec.count;
    m_chainStart = true;
    m_chainReceived = 0;
    m_chainCount.reset();
    m_asked = m_pageSize;
    return odata::buildUrl(m_spec.endpoint, query);
}

QUrl PagedQuery::firstUrl() {
    m_cursor = m_spec.start.value_or(PageCursor{});
    return queryUrl();
}

PagedQuery::Step PagedQuery::afterPage(const PageFacts& facts) {
    m_received += facts.records;
    if (m_firstPage) {
        m_firstCount = facts.odataCount;
        m_firstPage = false;
    }
    if (m_chainStart) {
        m_chainCount = facts.odataCount;
        m_chainStart = false;
    }
    m_chainReceived += facts.records;
    const bool hasCursor = m_spec.timestampField.isEmpty()
                               ? !facts.cursor.key.isEmpty()
                               : !facts.cursor.key.isEmpty() && !facts.cursor.timestamp.isEmpty();
    if (hasCursor)
        m_cursor = facts.cursor;
    // A page as big as asked, or as the biggest one before it, may have been cut short.
    const bool full = facts.records > 0 &&
                      (facts.records >= m_asked || (m_largestPage > 0 && facts.records >= m_largestPage));
    m_largestPage = std::max(m_largestPage, facts.records);
    bool grew = false;
    if (m_pageSize < m_spec.pageSize && ++m_onTime >= kGrowAfter) {
        m_pageSize = std::min(m_spec.pageSize, m_pageSize * 2);
        m_onTime = 0;
        grew = true;
    }
    if (m_spec.maxRecords >= 0 && m_received >= m_spec.maxRecords)
        return Step{Step::Kind::Done, {}, {}};

    if (!facts.nextLink.isEmpty()) {
        if (keyset() && usesSkip(facts.nextLink)) {
            ++m_requeries;
            return Step{Step::Kind::Fetch, queryUrl(),
                        QStringLiteral("the server pages with $skip, which loses records changed during "
                                       "the download; asking for the records after the last one received")};
        }
        if (keyset() && grew) {
            ++m_requeries;
            return Step{Step::Kind::Fetch, queryUrl(),
                        QStringLiteral("pages arrive in time again; asking for pages of %1").arg(m_pageSize)};
        }
        m_asked = m_pageSize;
        return Step{Step::Kind::Fetch, facts.nextLink, {}};
    }

    const bool complete = m_chainCount ? m_chainReceived >= *m_chainCount : !full;
    if (complete)
        return Step{Step::Kind::Done, {}, {}};
    const QString shortfall =
        m_chainCount ? QStringLiteral("the server's last page had no @odata.nextLink after %1 of the %2 "
                                      "records its @odata.count announced")
                           .arg(m_chainReceived)
                           .arg(*m_chainCount)
                     : QStringLiteral("the server's last page was full (%1 records) but had no "
                                      "@odata.nextLink and no @odata.count says whether more follow")
                           .arg(facts.records);
    if (keyset()) {
        // Nothing at all after the cursor proves the end, whatever the count said.
        if (m_chainReceived == 0)
            return Step{Step::Kind::Done, {}, {}};
        ++m_requeries;
        return Step{Step::Kind::Fetch, queryUrl(),
                    shortfall + QStringLiteral("; asking for the records after the last one received")};
    }
    // Without server-side order, what is missing cannot be asked for. A short last page means
    // records went away during the download, not a cut: the count is then only reported.
    if (m_chainCount && !full)
        return Step{Step::Kind::Done, {}, {}};
    if (!m_chainCount)
        return Step{Step::Kind::CountCheck, {}, shortfall};
    return incomplete(shortfall);
}

PagedQuery::Step PagedQuery::afterCount(std::optional<qint64> count) {
    if (count && *count <= m_chainReceived)
        return Step{Step::Kind::Done, {}, {}};
    return incomplete(count
                          ? QStringLiteral("the server's last page had no @odata.nextLink after %1 records, "
                                           "but it counts %2 matching records")
                                .arg(m_chainReceived)
                                .arg(*count)
                          : QStringLiteral("the server's last page was full (%1 records in all) but had no "
                                           "@odata.nextLink, and the server answers no count to tell "
                                           "whether more follow")
                                .arg(m_chainReceived));
}

PagedQuery::Step PagedQuery::incomplete(const QString& shortfall) const {
    return Step{Step::Kind::Incomplete,
                {},
                QStringLiteral("%1: %2; the server does not sort (profile.orderBy is false), so the rest "
                               "cannot be asked for. If the server treats $top as a limit on the whole "
                               "result, set \"profile\": {\"topIsPageSize\": false}")
                    .arg(m_spec.what, shortfall)};
}

std::optional<QUrl> PagedQuery::afterTimeout(const QUrl& url) {
    if (m_pageSize <= m_spec.minPageSize)
        return std::nullopt;
    m_pageSize = std::max(m_spec.minPageSize, m_pageSize / 2);
    m_onTime = 0;
    // By keyset the query starts again after the last record received, with the smaller pages;
    // a chain's first request is rebuilt with them; a nextLink can only be asked again, with the
    // smaller size in its Prefer header.
    if (keyset() || m_chainStart)
        return queryUrl();
    m_asked = m_pageSize;
    return url;
}

QUrl PagedQuery::restart() {
    if (!keyset()) {
        m_cursor = PageCursor{};
        m_received = 0;
        m_firstPage = true;
        m_largestPage = 0;
        return queryUrl();
    }
    ++m_requeries;
    return queryUrl();
}

} // namespace ors
