// Tests of the fake server's strict-odata flavour, which pages as the RESO reference server and
// OData 4.01 do: $top limits the whole result, pages are server-driven and $skip based over live
// data, and timestamps compare as text. Client tests against this flavour are only as good as
// these cases show the flavour to be.
#include "FakeResoServer.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <memory>

using namespace ors::fake;

namespace {

struct Reply {
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-cased names

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray value() const { return json().value(QLatin1String("value")).toArray(); }
    QString nextLink() const { return json().value(QLatin1String("@odata.nextLink")).toString(); }
    bool hasNextLink() const { return json().contains(QLatin1String("@odata.nextLink")); }
    int count() const { return json().value(QLatin1String("@odata.count")).toInt(-1); }
    QStringList keys() const {
        QStringList out;
        for (const QJsonValue& v : value())
            out << v[QLatin1String("ListingKey")].toString();
        return out;
    }
};

QByteArray enc(const QString& value) {
    return QUrl::toPercentEncoding(value);
}

ServerOptions strictOptions(int listings, bool light = true) {
    ServerOptions o;
    o.flavour = Flavour::StrictOData;
    o.listingCount = listings;
    o.lightListings = light;
    o.memberCount = light ? 0 : 10;
    return o;
}

// Keys in (ModificationTimestamp, ListingKey) order, as `$orderby=ModificationTimestamp
// asc,ListingKey asc` serves them. The stored text has milliseconds, so text order is time order.
QStringList keysByTimestamp(const QJsonArray& records) {
    QList<QPair<QString, QString>> pairs;
    for (const QJsonValue& v : records)
        pairs.append({v[QLatin1String("ModificationTimestamp")].toString(),
                      v[QLatin1String("ListingKey")].toString()});
    std::sort(pairs.begin(), pairs.end());
    QStringList keys;
    for (const auto& p : pairs)
        keys << p.second;
    return keys;
}

const QByteArray kByTimestamp = "$orderby=" + enc(QStringLiteral("ModificationTimestamp asc,ListingKey asc"));

} // namespace

class TestFakeStrict : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager* m_nam = nullptr;

    Reply get(const QByteArray& url, const QList<QPair<QByteArray, QByteArray>>& headers = {}) {
        QNetworkRequest request(QUrl::fromEncoded(url, QUrl::StrictMode));
        request.setTransferTimeout(60000);
        for (const auto& [name, value] : headers)
            request.setRawHeader(name, value);
        QNetworkReply* reply = m_nam->get(request);
        if (!reply->isFinished()) {
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
        }
        Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        for (const auto& [name, value] : reply->rawHeaderPairs())
            r.headers.insert(name.toLower(), value);
        reply->deleteLater();
        return r;
    }

    static QByteArray url(const FakeResoServer& s, const QByteArray& query) {
        return s.serviceUrl().toUtf8() + "/Property?" + query;
    }

    // Follows nextLinks verbatim, without headers; every page is kept.
    QList<Reply> allPages(const QByteArray& first, const QList<QPair<QByteArray, QByteArray>>& headers = {}) {
        QList<Reply> pages;
        QByteArray next = first;
        while (!next.isEmpty() && pages.size() < 200) {
            pages << get(next, pages.isEmpty() ? headers : QList<QPair<QByteArray, QByteArray>>{});
            if (pages.last().status != 200) {
                qWarning("HTTP %d for %s: %s", pages.last().status, next.constData(),
                         pages.last().body.left(300).constData());
                break;
            }
            next = pages.last().nextLink().toUtf8();
        }
        return pages;
    }

    static QStringList keysOf(const QList<Reply>& pages) {
        QStringList keys;
        for (const Reply& p : pages)
            keys += p.keys();
        return keys;
    }

private Q_SLOTS:
    void initTestCase() { m_nam = new QNetworkAccessManager(this); }

    void topIsATotalLimit() {
        auto server = std::make_unique<FakeResoServer>(strictOptions(5500));
        QVERIFY(server->start());
        const QList<Reply> pages = allPages(url(*server, "$top=1000&$count=true&$select=ListingKey"));
        QCOMPARE(pages.size(), 10); // pages of the default 100, the tenth using up $top
        for (const Reply& p : pages) {
            QCOMPARE(p.value().size(), 100);
            QCOMPARE(p.count(), 5500);
        }
        QVERIFY(!pages.last().hasNextLink());
        const QStringList keys = keysOf(pages);
        QCOMPARE(QSet<QString>(keys.begin(), keys.end()).size(), 1000);
        // Without $orderby: key order, so the limit took the first 1,000 keys.
        QStringList all;
        for (const QJsonValue& v : server->records(QStringLiteral("Property")))
            all << v[QLatin1String("ListingKey")].toString();
        all.sort();
        QCOMPARE(keys, all.mid(0, 1000));

        // A $top that is no multiple of the page: 100, 100, 50; each nextLink carries what is left.
        const QList<Reply> short_ = allPages(url(*server, "$top=250&$select=ListingKey"));
        QCOMPARE(short_.size(), 3);
        QCOMPARE(short_[2].value().size(), 50);
        QVERIFY(short_[0].nextLink().endsWith(QLatin1String("$top=150&$skip=100")));
        QVERIFY(short_[1].nextLink().endsWith(QLatin1String("$top=50&$skip=200")));
        QCOMPARE(keysOf(short_), all.mid(0, 250));
        // Even a page size asked for does not make $top a page size.
        const Reply big =
            get(url(*server, "$top=1000&$select=ListingKey"), {{"Prefer", "odata.maxpagesize=2000"}});
        QCOMPARE(big.value().size(), 1000);
        QVERIFY(!big.hasNextLink());
    }

    void preferIsHonouredForItsRequestOnly() {
        auto server = std::make_unique<FakeResoServer>(strictOptions(5500));
        QVERIFY(server->start());
        const QByteArray first = url(*server, "$select=ListingKey&$count=true");
        const Reply asked = get(first, {{"Prefer", "odata.maxpagesize=500"}});
        QCOMPARE(asked.status, 200);
        QCOMPARE(asked.value().size(), 500);
        QCOMPARE(asked.headers.value("preference-applied"), QByteArray("odata.maxpagesize=500"));
        QVERIFY2(!asked.nextLink().contains(QLatin1String("maxpagesize")), qPrintable(asked.nextLink()));
        QVERIFY(asked.nextLink().endsWith(QLatin1String("$skip=500")));
        // The nextLink followed without the header: the default page of 100, no Preference-Applied.
        const Reply next = get(asked.nextLink().toUtf8());
        QCOMPARE(next.value().size(), 100);
        QVERIFY(!next.headers.contains("preference-applied"));
        QVERIFY(next.nextLink().endsWith(QLatin1String("$skip=600")));
        // Asked again with the header, the same link gives the bigger page.
        QCOMPARE(get(asked.nextLink().toUtf8(), {{"Prefer", "odata.maxpagesize=300"}}).value().size(), 300);

        // Above the cap: 2,000, and the header says so.
        const Reply capped = get(first, {{"Prefer", "odata.maxpagesize=5000"}});
        QCOMPARE(capped.value().size(), 2000);
        QCOMPARE(capped.headers.value("preference-applied"), QByteArray("odata.maxpagesize=2000"));
        // Among other preferences, quoted; a nonsense value is ignored like an unknown preference.
        const Reply mixed = get(first, {{"Prefer", "return=minimal, odata.maxpagesize=\"250\""}});
        QCOMPARE(mixed.value().size(), 250);
        const Reply nonsense = get(first, {{"Prefer", "odata.maxpagesize=lots"}});
        QCOMPARE(nonsense.value().size(), 100);
        QVERIFY(!nonsense.headers.contains("preference-applied"));

        // 5,500 records at 2,000 a page: 2,000 + 2,000 + 1,500, each nextLink asked with the header.
        QStringList keys;
        QByteArray link = first;
        int requests = 0;
        while (!link.isEmpty() && requests++ < 10) {
            const Reply page = get(link, {{"Prefer", "odata.maxpagesize=2000"}});
            keys += page.keys();
            link = page.nextLink().toUtf8();
        }
        QCOMPARE(requests, 3);
        QCOMPARE(QSet<QString>(keys.begin(), keys.end()).size(), 5500);
    }

    void nextLinksRepeatTheRequestWithSkip() {
        auto server = std::make_unique<FakeResoServer>(strictOptions(450));
        QVERIFY(server->start());
        const QByteArray query = "$filter=" + enc(QStringLiteral("ListPrice gt 0")) +
                                 "&$select=ListingKey,ModificationTimestamp&" + kByTimestamp + "&$count=true";
        const QList<Reply> pages = allPages(url(*server, query));
        const int matched = pages.first().count();
        QVERIFY2(matched > 300, qPrintable(QString::number(matched)));
        QCOMPARE(pages.size(), matched / 100 + 1);
        for (qsizetype i = 0; i + 1 < pages.size(); ++i)
            QCOMPARE(pages[i].nextLink(), server->serviceUrl() + QStringLiteral("/Property?") +
                                              QString::fromUtf8(query) +
                                              QStringLiteral("&$skip=%1").arg((i + 1) * 100));
        const QStringList keys = keysOf(pages);
        QCOMPARE(keys.size(), matched);
        QCOMPARE(QSet<QString>(keys.begin(), keys.end()).size(), matched);

        // $skip given by the client works the same; $skiptoken is not this server's.
        const Reply skipped = get(url(*server, query + "&$skip=" + QByteArray::number(matched - 10)));
        QCOMPARE(skipped.keys(), keys.mid(matched - 10));
        QVERIFY(!skipped.hasNextLink());
        QCOMPARE(get(url(*server, "$skiptoken=abc")).status, 400);
        QCOMPARE(get(url(*server, "$skip=-1")).status, 400);

        // The other flavours still refuse $skip.
        ServerOptions generic;
        generic.listingCount = 10;
        FakeResoServer plain(generic);
        QVERIFY(plain.start());
        QCOMPARE(get(url(plain, "$skip=5")).status, 400);
    }

    void emptyPageAfterAnExactFinalPage() {
        auto server = std::make_unique<FakeResoServer>(strictOptions(300));
        QVERIFY(server->start());
        const QList<Reply> pages = allPages(url(*server, "$select=ListingKey&$count=true"));
        QCOMPARE(pages.size(), 4);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(pages[i].value().size(), 100);
            QVERIFY(pages[i].hasNextLink());
        }
        QCOMPARE(pages[3].status, 200);
        QCOMPARE(pages[3].value().size(), 0);
        QVERIFY(pages[3].json().contains(QLatin1String("value")));
        QVERIFY(!pages[3].hasNextLink());
        QCOMPARE(pages[3].count(), 300);
        QCOMPARE(keysOf(pages).size(), 300);
        // A page that is not full ends the result: 301 records give 100, 100, 100, 1.
        server->addRecords(1);
        const QList<Reply> more = allPages(url(*server, "$select=ListingKey"));
        QCOMPARE(more.size(), 4);
        QCOMPARE(more[3].value().size(), 1);
    }

    void countOnEveryPage() {
        auto server = std::make_unique<FakeResoServer>(strictOptions(1000));
        QVERIFY(server->start());
        QStringList stamps;
        for (const QJsonValue& v : server->records(QStringLiteral("Property")))
            stamps << v[QLatin1String("ModificationTimestamp")].toString();
        stamps.sort();
        const QString pivot = stamps[666];
        const auto expected = static_cast<int>(
            std::count_if(stamps.begin(), stamps.end(), [&](const QString& s) { return s > pivot; }));
        QVERIFY(expected > 250 && expected < 1000);
        const QByteArray filter = "$filter=" + enc(QStringLiteral("ModificationTimestamp gt ") + pivot);
        const QList<Reply> pages =
            allPages(url(*server, filter + "&$count=true&$top=250&$select=ListingKey"));
        QCOMPARE(pages.size(), 3);
        for (const Reply& p : pages)
            QCOMPARE(p.count(), expected); // the whole match, not what $top lets through
        QCOMPARE(keysOf(pages).size(), 250);
        // A $skip past the end: an empty page, still with the count.
        const Reply past = get(url(*server, filter + "&$count=true&$skip=5000"));
        QCOMPARE(past.value().size(), 0);
        QCOMPARE(past.count(), expected);
        QVERIFY(!past.hasNextLink());
        // Without $count=true there is none.
        QCOMPARE(get(url(*server, filter)).count(), -1);
    }

    void timestampsMatchOnlyTheirStoredText() {
        auto server = std::make_unique<FakeResoServer>(strictOptions(200));
        QVERIFY(server->start());
        const QString key =
            server->records(QStringLiteral("Property"))[7][QLatin1String("ListingKey")].toString();
        QVERIFY(
            server->setTimestamp(QStringLiteral("Property"), key, QStringLiteral("2024-03-01T12:00:00Z")));
        const auto keysFor = [&](const QString& filter) {
            // 200 records fit one page; $top would only limit the total.
            const Reply r = get(url(*server, "$select=ListingKey&$filter=" + enc(filter)),
                                {{"Prefer", "odata.maxpagesize=2000"}});
            return r.status == 200 ? r.keys() : QStringList{QStringLiteral("HTTP %1").arg(r.status)};
        };
        QCOMPARE(keysFor(QStringLiteral("ModificationTimestamp eq 2024-03-01T12:00:00.000Z")),
                 QStringList{key});
        QCOMPARE(keysFor(QStringLiteral("ModificationTimestamp eq 2024-03-01T12:00:00Z")), QStringList{});
        // Ordering comparisons are textual too: '.' sorts before 'Z', so the record is "before"
        // the instant it has, and the same instant with an offset is another string.
        QVERIFY(!keysFor(QStringLiteral("ModificationTimestamp gt 2024-03-01T12:00:00Z")).contains(key));
        QVERIFY(keysFor(QStringLiteral("ModificationTimestamp lt 2024-03-01T12:00:00Z")).contains(key));
        QVERIFY(keysFor(QStringLiteral("ModificationTimestamp ge 2024-03-01T12:00:00.000Z")).contains(key));
        QVERIFY(!keysFor(QStringLiteral("ModificationTimestamp gt 2024-03-01T12:00:00.000Z")).contains(key));
        QCOMPARE(keysFor(QStringLiteral("ModificationTimestamp eq 2024-03-01T14:00:00.000+02:00")),
                 QStringList{});

        // The generic flavour compares instants: every form of the instant matches.
        ServerOptions generic;
        generic.listingCount = 20;
        FakeResoServer plain(generic);
        QVERIFY(plain.start());
        const QString other =
            plain.records(QStringLiteral("Property"))[3][QLatin1String("ListingKey")].toString();
        QVERIFY(
            plain.setTimestamp(QStringLiteral("Property"), other, QStringLiteral("2024-03-01T12:00:00Z")));
        for (const QString& literal :
             {QStringLiteral("2024-03-01T12:00:00Z"), QStringLiteral("2024-03-01T12:00:00.000Z"),
              QStringLiteral("2024-03-01T14:00:00+02:00")}) {
            const Reply r = get(url(plain, "$select=ListingKey&$filter=" +
                                               enc(QStringLiteral("ModificationTimestamp eq ") + literal)));
            QCOMPARE(r.keys(), QStringList{other});
        }
    }

    void keysetFilterWithTwoFieldOrder() {
        ServerOptions o = strictOptions(300, false);
        o.sameTimestampGroupSize = 60; // a group wider than the pages below
        auto server = std::make_unique<FakeResoServer>(o);
        QVERIFY(server->start());
        const QJsonArray records = server->records(QStringLiteral("Property"));
        const QStringList ordered = keysByTimestamp(records);
        QHash<QString, QString> stampOf;
        for (const QJsonValue& v : records)
            stampOf.insert(v[QLatin1String("ListingKey")].toString(),
                           v[QLatin1String("ModificationTimestamp")].toString());

        // Client-driven keyset paging, 25 at a time, resuming after the last (timestamp, key) seen.
        QStringList received;
        QString lastStamp, lastKey;
        for (int round = 0; round < 50; ++round) {
            QByteArray query = "$select=ListingKey,ModificationTimestamp&" + kByTimestamp + "&$top=25";
            if (!lastKey.isEmpty())
                query += "&$filter=" +
                         enc(QStringLiteral("ModificationTimestamp gt %1 or (ModificationTimestamp eq "
                                            "%1 and ListingKey gt '%2')")
                                 .arg(lastStamp, lastKey));
            const Reply page = get(url(*server, query));
            QCOMPARE(page.status, 200);
            if (page.value().isEmpty())
                break;
            received += page.keys();
            lastKey = received.last();
            lastStamp = page.value().last()[QLatin1String("ModificationTimestamp")].toString();
            QCOMPARE(stampOf.value(lastKey), lastStamp);
        }
        QCOMPARE(received, ordered);

        // Resuming inside the timestamp group: exactly the records after (T, K), in order.
        QString groupStamp;
        QHash<QString, int> perStamp;
        for (const QString& k : ordered)
            if (++perStamp[stampOf.value(k)] == 60)
                groupStamp = stampOf.value(k);
        QVERIFY(!groupStamp.isEmpty());
        const qsizetype firstOfGroup =
            std::find_if(ordered.begin(), ordered.end(),
                         [&](const QString& k) { return stampOf.value(k) == groupStamp; }) -
            ordered.begin();
        const QString k = ordered[firstOfGroup + 9];
        const QByteArray keyset =
            "$filter=" + enc(QStringLiteral("(ModificationTimestamp gt %1 or (ModificationTimestamp "
                                            "eq %1 and ListingKey gt '%2'))")
                                 .arg(groupStamp, k));
        const QList<Reply> pages =
            allPages(url(*server, keyset + "&$select=ListingKey&" + kByTimestamp + "&$count=true"));
        QCOMPARE(keysOf(pages), ordered.mid(firstOfGroup + 10));
        QCOMPARE(pages.first().count(), static_cast<int>(ordered.size() - firstOfGroup - 10));
    }

    void changeBetweenSkipPagesLosesARecord() {
        auto server = std::make_unique<FakeResoServer>(strictOptions(300));
        QVERIFY(server->start());
        const QJsonArray records = server->records(QStringLiteral("Property"));
        const QStringList ordered = keysByTimestamp(records);
        const QString moved = ordered[10];    // already served on page 1 when it changes
        const QString skipped = ordered[100]; // would have opened page 2
        const auto stampOf = [&](const QString& key) {
            for (const QJsonValue& v : server->records(QStringLiteral("Property")))
                if (v[QLatin1String("ListingKey")].toString() == key)
                    return v[QLatin1String("ModificationTimestamp")].toString();
            return QString();
        };
        const QString before = stampOf(moved);
        server->touchRecordAfterRequests(QStringLiteral("Property"), moved, 1);

        const QByteArray first = url(*server, "$select=ListingKey&" + kByTimestamp + "&$count=true");
        const Reply page1 = get(first);
        QCOMPARE(page1.keys(), ordered.mid(0, 100));
        QCOMPARE(stampOf(moved), before); // not yet: the change comes with the next request
        QList<Reply> rest = allPages(page1.nextLink().toUtf8());
        QVERIFY(stampOf(moved) > before);
        QStringList keys = page1.keys() + keysOf(rest);

        // The changed record went to the end and came again; everything behind its old place moved
        // up one, so the record at the page boundary slid into page 1's window and was never sent.
        QCOMPARE(keys.size(), 300);
        QCOMPARE(keys.count(moved), 2);
        QVERIFY(!keys.contains(skipped));
        QCOMPARE(QSet<QString>(keys.begin(), keys.end()).size(), 299);
        QCOMPARE(keys.last(), moved);
        for (const Reply& p : rest)
            QCOMPARE(p.count(), 300);
    }

    void expandDelayScalesWithThePage() {
        ServerOptions o = strictOptions(300, false);
        o.expandDelayMsPerRecord = 2;
        auto server = std::make_unique<FakeResoServer>(o);
        QVERIFY(server->start());
        QCOMPARE(server->expandDelayAppliedMs(), qint64(0));
        const Reply big =
            get(url(*server, "$expand=Media&$select=ListingKey"), {{"Prefer", "odata.maxpagesize=200"}});
        QCOMPARE(big.status, 200);
        QCOMPARE(big.value().size(), 200);
        QVERIFY(big.value().at(0).toObject().contains(QLatin1String("Media")));
        QCOMPARE(server->expandDelayAppliedMs(), qint64(400));
        const Reply half = get(big.nextLink().toUtf8()); // the default page: half the records, half the wait
        QCOMPARE(half.value().size(), 100);
        QCOMPARE(server->expandDelayAppliedMs(), qint64(400 + 200));
        // No $expand, no delay; the empty page after an exact final page costs nothing either.
        QCOMPARE(get(url(*server, "$select=ListingKey")).value().size(), 100);
        const Reply empty = get(half.nextLink().toUtf8());
        QCOMPARE(empty.value().size(), 0);
        QCOMPARE(server->expandDelayAppliedMs(), qint64(600));

        // Any flavour can be slow to expand.
        ServerOptions g;
        g.listingCount = 60;
        g.expandDelayMsPerRecord = 3;
        FakeResoServer generic(g);
        QVERIFY(generic.start());
        QCOMPARE(get(url(generic, "$top=50&$expand=Media")).value().size(), 50);
        QCOMPARE(generic.expandDelayAppliedMs(), qint64(150));
    }
};

QTEST_GUILESS_MAIN(TestFakeStrict)
#include "tst_fakestrict.moc"
