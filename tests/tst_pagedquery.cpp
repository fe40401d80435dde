// The paging rules of every download (reso/PagedQuery), without a server: what is asked first,
// when a download is provably complete, when it continues by keyset, and how pages shrink after
// a timeout and grow back.
#include "reso/PagedQuery.h"

#include <QTest>
#include <QUrlQuery>

using namespace ors;

namespace {

PagedQuerySpec propertySpec() {
    PagedQuerySpec spec;
    spec.what = QStringLiteral("download of Property");
    spec.endpoint = QStringLiteral("http://mls.test/odata/Property");
    spec.filter = [](const QString& condition) {
        const QString user = QStringLiteral("StandardStatus eq 'Active'");
        return condition.isEmpty() ? user : QStringLiteral("(%1) and %2").arg(user, condition);
    };
    spec.select = {QStringLiteral("ListingKey"), QStringLiteral("ModificationTimestamp")};
    spec.timestampField = QStringLiteral("ModificationTimestamp");
    spec.keyField = QStringLiteral("ListingKey");
    spec.pageSize = 1000;
    spec.minPageSize = 100;
    return spec;
}

QString option(const QUrl& url, const QString& name) {
    return QUrlQuery(url).queryItemValue(name, QUrl::FullyDecoded);
}

PageFacts page(qint64 records, std::optional<qint64> count, const QString& next = {},
               const QByteArray& ts = "2024-05-01T10:00:00.000Z", const QByteArray& key = "K9") {
    PageFacts facts;
    facts.records = records;
    facts.odataCount = count;
    facts.nextLink = next.isEmpty() ? QUrl() : QUrl(next);
    if (records > 0)
        facts.cursor = PageCursor{ts, key};
    return facts;
}

using Kind = PagedQuery::Step::Kind;

} // namespace

class TestPagedQuery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void firstRequestOfAStrictServerSendsNoTop() {
        PagedQuery query(propertySpec());
        const QUrl url = query.firstUrl();
        QVERIFY(!QUrlQuery(url).hasQueryItem(QStringLiteral("$top")));
        QCOMPARE(option(url, QStringLiteral("$orderby")),
                 QStringLiteral("ModificationTimestamp asc,ListingKey asc"));
        QCOMPARE(option(url, QStringLiteral("$count")), QStringLiteral("true"));
        QCOMPARE(option(url, QStringLiteral("$filter")), QStringLiteral("StandardStatus eq 'Active'"));
        QCOMPARE(query.pageSize(), 1000);
    }

    void topIsSentWhereThePlatformTakesItForAPageSize() {
        PagedQuerySpec spec = propertySpec();
        spec.topIsPageSize = true;
        spec.orderBy = false;
        PagedQuery query(spec);
        const QUrl url = query.firstUrl();
        QCOMPARE(option(url, QStringLiteral("$top")), QStringLiteral("1000"));
        QVERIFY(!QUrlQuery(url).hasQueryItem(QStringLiteral("$orderby")));
    }

    void resumedQueryAsksTheBoundaryTimestampAgain() {
        PagedQuerySpec spec = propertySpec();
        spec.start = PageCursor{"2024-05-01T10:00:00.000Z", {}};
        PagedQuery query(spec);
        QCOMPARE(option(query.firstUrl(), QStringLiteral("$filter")),
                 QStringLiteral(
                     "(StandardStatus eq 'Active') and ModificationTimestamp ge 2024-05-01T10:00:00.000Z"));
    }

    void keysetConditions() {
        PagedQuery byTime(propertySpec());
        QCOMPARE(
            byTime.keysetCondition(PageCursor{"2024-05-01T10:00:00.000Z", "O'Brien"}),
            QStringLiteral("(ModificationTimestamp gt 2024-05-01T10:00:00.000Z or (ModificationTimestamp eq "
                           "2024-05-01T10:00:00.000Z and ListingKey gt 'O''Brien'))"));
        // Sent with more digits or an offset: kept as sent, the server's own form.
        QCOMPARE(byTime.keysetCondition(PageCursor{"2024-05-01T12:00:00.123456+02:00", "A"}),
                 QStringLiteral(
                     "(ModificationTimestamp gt 2024-05-01T12:00:00.123456+02:00 or "
                     "(ModificationTimestamp eq 2024-05-01T12:00:00.123456+02:00 and ListingKey gt 'A'))"));
        // Anything else is never pasted into the filter.
        QCOMPARE(byTime.keysetCondition(PageCursor{"2024-05-01t10:00:00Z) or (1 eq 1", "A"})
                     .contains(QStringLiteral("1 eq 1")),
                 false);
        PagedQuerySpec keys = propertySpec();
        keys.timestampField.clear();
        keys.numericKey = true;
        PagedQuery byKey(keys);
        QCOMPARE(byKey.keysetCondition(PageCursor{{}, "42"}), QStringLiteral("ListingKey gt 42"));
        QCOMPARE(byKey.keysetCondition(PageCursor{{}, "4 or 1 eq 1"}),
                 QStringLiteral("ListingKey gt '4 or 1 eq 1'"));
    }

    void skipDetection() {
        QVERIFY(PagedQuery::usesSkip(QUrl(QStringLiteral("http://x/odata/Property?$top=10&$skip=100"))));
        QVERIFY(PagedQuery::usesSkip(QUrl::fromEncoded("http://x/odata/Property?%24skip=100")));
        QVERIFY(!PagedQuery::usesSkip(QUrl(QStringLiteral("http://x/odata/Property?$skiptoken=abc"))));
        QVERIFY(!PagedQuery::usesSkip(QUrl(QStringLiteral("http://x/odata/Property/replication?id=1-2"))));
    }

    void opaqueNextLinksAreFollowed() {
        PagedQuery query(propertySpec());
        query.firstUrl();
        const QString next = QStringLiteral("http://mls.test/odata/Property?$skiptoken=abc");
        const auto step = query.afterPage(page(1000, 2500, next));
        QCOMPARE(step.kind, Kind::Fetch);
        QCOMPARE(step.url, QUrl(next));
        QCOMPARE(query.requeries(), 0);
    }

    void skipNextLinksBecomeKeysetQueries() {
        PagedQuery query(propertySpec());
        query.firstUrl();
        const auto step =
            query.afterPage(page(1000, 2500, QStringLiteral("http://mls.test/odata/Property?$skip=1000"),
                                 "2024-05-01T10:00:00.000Z", "K1000"));
        QCOMPARE(step.kind, Kind::Fetch);
        QVERIFY(!PagedQuery::usesSkip(step.url));
        QVERIFY(option(step.url, QStringLiteral("$filter"))
                    .endsWith(
                        QStringLiteral("and (ModificationTimestamp gt 2024-05-01T10:00:00.000Z or "
                                       "(ModificationTimestamp eq 2024-05-01T10:00:00.000Z and ListingKey gt "
                                       "'K1000'))")));
        QCOMPARE(query.requeries(), 1);
    }

    void aDownloadCutShortByTopContinuesByKeyset() {
        // $top taken as a limit: 1,000 of 5,500 and no nextLink.
        PagedQuery query(propertySpec());
        query.firstUrl();
        auto step = query.afterPage(page(1000, 5500));
        QCOMPARE(step.kind, Kind::Fetch);
        QVERIFY(step.reason.contains(QStringLiteral("1000 of the 5500")));
        // The next chain's count is what is left after the cursor.
        step = query.afterPage(page(1000, 4500));
        QCOMPARE(step.kind, Kind::Fetch);
        step = query.afterPage(page(3500, 3500));
        QCOMPARE(step.kind, Kind::Done);
        QCOMPARE(query.received(), 5500);
        QCOMPARE(query.firstCount(), std::optional<qint64>(5500));
    }

    void aCountThatLiesEndsWhenNothingFollowsTheCursor() {
        PagedQuery query(propertySpec());
        query.firstUrl();
        QCOMPARE(query.afterPage(page(200, 205)).kind, Kind::Fetch);
        QCOMPARE(query.afterPage(page(0, 5)).kind, Kind::Done);
    }

    void aFullLastPageWithoutCountIsNotTheEnd() {
        PagedQuerySpec spec = propertySpec();
        spec.count = false;
        PagedQuery query(spec);
        query.firstUrl();
        QCOMPARE(query.afterPage(page(1000, std::nullopt)).kind, Kind::Fetch);
        QCOMPARE(query.afterPage(page(400, std::nullopt)).kind, Kind::Done);
        // A page as big as the biggest before it counts as full too (a server capping below
        // what was asked).
        PagedQuery capped(spec);
        capped.firstUrl();
        QCOMPARE(
            capped.afterPage(page(300, std::nullopt, QStringLiteral("http://mls.test/n?$skiptoken=1"))).kind,
            Kind::Fetch);
        QCOMPARE(capped.afterPage(page(300, std::nullopt)).kind, Kind::Fetch);
        QCOMPARE(capped.afterPage(page(0, std::nullopt)).kind, Kind::Done);
    }

    void withoutServerOrderACutDownloadFails() {
        PagedQuerySpec spec = propertySpec();
        spec.orderBy = false;
        spec.topIsPageSize = true;
        PagedQuery query(spec);
        query.firstUrl();
        auto step = query.afterPage(page(1000, 5500));
        QCOMPARE(step.kind, Kind::Incomplete);
        QVERIFY(step.reason.startsWith(QStringLiteral("download of Property: ")));
        QVERIFY(step.reason.contains(QStringLiteral("topIsPageSize")));
        // A short last page: records went away during the download; the count is only reported.
        PagedQuery shrinking(spec);
        shrinking.firstUrl();
        QCOMPARE(shrinking.afterPage(page(1000, 2000, QStringLiteral("http://mls.test/n?$skiptoken=1"))).kind,
                 Kind::Fetch);
        QCOMPARE(shrinking.afterPage(page(990, 2000)).kind, Kind::Done);
        // Without a count, a full last page is told from a cut by a count asked apart.
        spec.count = false;
        PagedQuery uncounted(spec);
        uncounted.firstUrl();
        QCOMPARE(uncounted.afterPage(page(1000, std::nullopt)).kind, Kind::CountCheck);
        QCOMPARE(uncounted.countFilter(), QStringLiteral("StandardStatus eq 'Active'"));
        // A first page smaller than asked is no cut.
        PagedQuery small(spec);
        small.firstUrl();
        QCOMPARE(small.afterPage(page(14, std::nullopt)).kind, Kind::Done);
        QCOMPARE(uncounted.afterCount(1000).kind, Kind::Done);
        const auto cut = uncounted.afterCount(5000);
        QCOMPARE(cut.kind, Kind::Incomplete);
        QVERIFY(cut.reason.contains(QStringLiteral("counts 5000")));
        QCOMPARE(uncounted.afterCount(std::nullopt).kind, Kind::Incomplete);
    }

    void aFetchByKeysEndsWhenEveryKeyArrived() {
        PagedQuerySpec spec = propertySpec();
        spec.timestampField.clear();
        spec.count = false;
        spec.maxRecords = 1000;
        PagedQuery query(spec);
        query.firstUrl();
        QCOMPARE(query.afterPage(page(1000, std::nullopt)).kind, Kind::Done);
    }

    void timeoutsHalveThePageAndPagesGrowBack() {
        PagedQuery query(propertySpec());
        const QUrl first = query.firstUrl();
        auto retry = query.afterTimeout(first);
        QVERIFY(retry);
        QCOMPARE(query.pageSize(), 500);
        retry = query.afterTimeout(*retry);
        QCOMPARE(query.pageSize(), 250);
        retry = query.afterTimeout(*retry);
        QCOMPARE(query.pageSize(), 125);
        retry = query.afterTimeout(*retry);
        QCOMPARE(query.pageSize(), 100); // the floor
        QVERIFY(!query.afterTimeout(*retry));
        // Three pages in time double the size; by keyset the query is asked again for it.
        const QString next = QStringLiteral("http://mls.test/odata/Property?$skiptoken=x");
        QCOMPARE(query.afterPage(page(100, 5000, next)).url, QUrl(next));
        QCOMPARE(query.afterPage(page(100, 5000, next)).url, QUrl(next));
        const auto grown = query.afterPage(page(100, 5000, next));
        QCOMPARE(query.pageSize(), 200);
        QCOMPARE(grown.kind, Kind::Fetch);
        QVERIFY(grown.url != QUrl(next));
    }

    void aTimedOutNextLinkWithoutKeysetIsAskedAgain() {
        PagedQuerySpec spec = propertySpec();
        spec.orderBy = false;
        spec.topIsPageSize = true;
        PagedQuery query(spec);
        query.firstUrl();
        const QUrl next(QStringLiteral("http://mls.test/odata/Property?$skiptoken=abc"));
        QCOMPARE(query.afterPage(page(1000, 5000, next.toString())).url, next);
        QCOMPARE(query.afterTimeout(next), std::optional<QUrl>(next));
        QCOMPARE(query.pageSize(), 500);
        // The first request of a query is rebuilt with the smaller $top.
        PagedQuery fresh(spec);
        const QUrl url = fresh.firstUrl();
        const auto smaller = fresh.afterTimeout(url);
        QVERIFY(smaller);
        QCOMPARE(option(*smaller, QStringLiteral("$top")), QStringLiteral("500"));
    }

    void restartAfterAnExpiredCursor() {
        PagedQuery query(propertySpec());
        query.firstUrl();
        query.afterPage(page(1000, 3000, QStringLiteral("http://mls.test/n?$skiptoken=1"),
                             "2024-05-01T10:00:00.000Z", "K1"));
        QVERIFY(option(query.restart(), QStringLiteral("$filter"))
                    .contains(QStringLiteral("ListingKey gt 'K1'")));
        PagedQuerySpec spec = propertySpec();
        spec.orderBy = false;
        PagedQuery unsorted(spec);
        unsorted.firstUrl();
        unsorted.afterPage(page(1000, 3000, QStringLiteral("http://mls.test/n?$skiptoken=1")));
        QCOMPARE(option(unsorted.restart(), QStringLiteral("$filter")),
                 QStringLiteral("StandardStatus eq 'Active'"));
        QCOMPARE(unsorted.received(), 0);
    }
};

QTEST_GUILESS_MAIN(TestPagedQuery)
#include "tst_pagedquery.moc"
