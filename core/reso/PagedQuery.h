#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

namespace ors {

// Where a keyset-paged query stands: the sort values of the last record received. A cursor with
// only a timestamp (a resumed download) continues at that timestamp, inclusive.
struct PageCursor {
    QByteArray timestamp; // as the server sent it (or normalized); empty for key-only orders
    QByteArray key;

    bool isEmpty() const { return timestamp.isEmpty() && key.isEmpty(); }
};

// One query whose result is read page by page, and what the server may be: one that pages by
// itself (nextLink), one that honours $top as a total limit, one that pages by $skip, one that
// times out on big pages.
struct PagedQuerySpec {
    QString what;     // names the download in messages, e.g. "download of Property"
    QString endpoint; // the resource URL, perhaps with a query of its own (?replication=true)
    // The complete $filter with `condition` (the keyset condition, possibly empty) and-ed in,
    // in the form the platform accepts.
    std::function<QString(const QString& condition)> filter;
    QStringList select;
    QString expand;
    // The sort order the keyset follows: (timestampField, keyField), or keyField alone when the
    // timestamp field is empty.
    QString timestampField;
    QString keyField;
    bool numericKey = false;
    bool orderBy = true;        // the server sorts: keyset paging is possible
    bool topIsPageSize = false; // else $top is a total limit (OData) and is never sent
    bool count = true;          // ask for @odata.count
    int pageSize = 1000;        // wanted
    int minPageSize = 10;       // adaptive pages never go below this
    // The most records the query can match (a fetch by a list of keys): reaching it ends the
    // query without asking whether more follow. -1: unknown.
    qint64 maxRecords = -1;
    std::optional<PageCursor> start; // a resumed query continues here
    // And-ed into the filter of a count asked apart (CountCheck): e.g. "changed no later than the
    // download's start", so records changed meanwhile do not make a whole download look cut.
    std::function<QString()> countCondition;
};

// What a page showed the pager.
struct PageFacts {
    qint64 records = 0;
    std::optional<qint64> odataCount;
    QUrl nextLink;     // already checked against the origin policy; empty: none
    PageCursor cursor; // sort values of the page's last record (empty when it had none)
};

// The paging rules of every download, in one place and without I/O (the caller fetches):
// - the page size is asked for with Prefer: odata.maxpagesize, and with $top only where the
//   platform treats $top as a page size;
// - server-driven paging (nextLink) is followed, except $skip-based nextLinks where the server
//   sorts: those lose or repeat records changed mid-download, so the pager asks again by keyset
//   ("after the last record received") instead;
// - a query is over only when it is provably complete: the chain's @odata.count reached, or a
//   page that was not full; otherwise it continues by keyset or reports the download incomplete;
// - a timed-out page is asked again with half the page size (down to a floor), and the size grows
//   back after pages that arrive in time.
class PagedQuery {
public:
    explicit PagedQuery(PagedQuerySpec spec);

    struct Step {
        // CountCheck: the server sorts not and counts not, and its last page was full; the
        // caller asks for the count of countFilter() apart and passes it to afterCount().
        enum class Kind { Fetch, Done, Incomplete, CountCheck };
        Kind kind = Kind::Done;
        QUrl url;       // Fetch: what to ask next
        QString reason; // Incomplete: why the download cannot be finished; Fetch: why it re-asks (log)
    };

    // The first request: from the start cursor, if any.
    QUrl firstUrl();
    // After each page that arrived; decides what follows.
    Step afterPage(const PageFacts& facts);
    // The filter whose record count decides a CountCheck, and the decision.
    QString countFilter() const {
        return m_spec.filter(m_spec.countCondition ? m_spec.countCondition() : QString());
    }
    Step afterCount(std::optional<qint64> count);
    // After a request that timed out (`url`): the request to make instead with smaller pages, or
    // nullopt when pages are already at the floor.
    std::optional<QUrl> afterTimeout(const QUrl& url);
    // After the server forgot its nextLink: by keyset from the cursor, else from the start (the
    // caller then discards what the restarted query will send again).
    QUrl restart();

    // Whether keyset paging is possible (the server sorts by the keyset's fields).
    bool keyset() const { return m_spec.orderBy && !m_spec.keyField.isEmpty(); }
    const QString& what() const { return m_spec.what; }
    int pageSize() const { return m_pageSize; } // for Prefer: odata.maxpagesize
    qint64 received() const { return m_received; }
    const PageCursor& cursor() const { return m_cursor; }
    // The first page's @odata.count of the whole query (its first chain), if the server sent one.
    std::optional<qint64> firstCount() const { return m_firstCount; }
    int requeries() const { return m_requeries; }

    // True when the nextLink pages with $skip (or $skiptoken holding a plain offset is not
    // recognized: only $skip is).
    static bool usesSkip(const QUrl& nextLink);
    // The keyset condition for records after the cursor, e.g.
    // (ModificationTimestamp gt T or (ModificationTimestamp eq T and ListingKey gt 'K')).
    QString keysetCondition(const PageCursor& cursor) const;

private:
    QUrl queryUrl(); // a new chain from the cursor
    Step incomplete(const QString& shortfall) const;
    QString orderBy() const;
    QString timestampLiteral(const QByteArray& text) const;

    PagedQuerySpec m_spec;
    PageCursor m_cursor;
    int m_pageSize;
    int m_asked = 0;  // page size of the request that produced the page being judged
    int m_onTime = 0; // pages in time since the size last changed
    qint64 m_received = 0;
    std::optional<qint64> m_firstCount;
    bool m_firstPage = true;
    // The chain: one query and the nextLinks it led to.
    bool m_chainStart = true;
    std::optional<qint64> m_chainCount;
    qint64 m_chainReceived = 0;
    qint64 m_largestPage = 0;
    int m_requeries = 0;
};

} // namespace ors
