// Tests of the fake RESO server itself, over real loopback HTTP, so that client tests can
// trust it: if the fake flattered the client, every other integration test would be void.
#include "FakeResoServer.h"
#include "Gzip.h"

#include <QDateTime>
#include <QElapsedTimer>
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
#include <QXmlStreamReader>

#include <memory>

using namespace ors::fake;

namespace {

struct Reply {
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-cased names
    qint64 finishedAtMs = 0;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray value() const { return json().value(QLatin1String("value")).toArray(); }
    QString nextLink() const { return json().value(QLatin1String("@odata.nextLink")).toString(); }
    QString errorMessage() const {
        return json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
    }
};

// Encodes one query option value completely, so the test controls every byte on the wire.
QByteArray enc(const QString& value) {
    return QUrl::toPercentEncoding(value);
}

QDateTime parseTs(const QJsonValue& v) {
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
}

} // namespace

class TestFakeReso : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager* m_nam = nullptr;
    QElapsedTimer m_clock;

    std::unique_ptr<FakeResoServer> startServer(ServerOptions options = {}) {
        auto server = std::make_unique<FakeResoServer>(options);
        if (!server->start())
            return nullptr;
        return server;
    }

    QNetworkReply* send(const QByteArray& url, const QList<QPair<QByteArray, QByteArray>>& headers,
                        const QByteArray* postBody) {
        QNetworkRequest request(QUrl::fromEncoded(url, QUrl::StrictMode));
        request.setTransferTimeout(30000);
        for (const auto& [name, value] : headers)
            request.setRawHeader(name, value);
        if (postBody) {
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QByteArray("application/x-www-form-urlencoded"));
            return m_nam->post(request, *postBody);
        }
        return m_nam->get(request);
    }

    Reply collect(QNetworkReply* reply) {
        if (!reply->isFinished()) {
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(60000, &loop, &QEventLoop::quit);
            loop.exec();
        }
        Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.error = reply->error();
        r.body = reply->readAll();
        for (const auto& [name, value] : reply->rawHeaderPairs())
            r.headers.insert(name.toLower(), value);
        r.finishedAtMs = m_clock.elapsed();
        reply->deleteLater();
        return r;
    }

    Reply get(const QByteArray& url, const QList<QPair<QByteArray, QByteArray>>& headers = {}) {
        return collect(send(url, headers, nullptr));
    }

    Reply post(const QByteArray& url, const QByteArray& body,
               const QList<QPair<QByteArray, QByteArray>>& headers = {}) {
        return collect(send(url, headers, &body));
    }

    static QByteArray resourceUrl(const FakeResoServer& s, const char* resource,
                                  const QByteArray& query = {}) {
        QByteArray url = s.serviceUrl().toUtf8() + '/' + resource;
        return query.isEmpty() ? url : url + '?' + query;
    }

    // Follows nextLinks verbatim; returns every record and the first page's @odata.count.
    QJsonArray fetchAll(const QByteArray& firstUrl, int* count = nullptr, QStringList* links = nullptr) {
        QJsonArray all;
        QByteArray url = firstUrl;
        bool first = true;
        while (!url.isEmpty()) {
            const Reply r = get(url);
            if (r.status != 200) {
                qWarning("HTTP %d for %s: %s", r.status, url.constData(), r.body.left(300).constData());
                return {};
            }
            if (first && count)
                *count = r.json().value(QLatin1String("@odata.count")).toInt(-1);
            first = false;
            for (const QJsonValue& v : r.value())
                all.append(v);
            url = r.nextLink().toUtf8();
            if (links && !url.isEmpty())
                *links << r.nextLink();
        }
        return all;
    }

private Q_SLOTS:
    void initTestCase() {
        m_nam = new QNetworkAccessManager(this);
        m_clock.start();
    }

    void metadataIsRealEdmx() {
        auto server = startServer();
        QVERIFY(server);
        const Reply r = get(server->serviceUrl().toUtf8() + "/$metadata");
        QCOMPARE(r.status, 200);
        QVERIFY(r.headers.value("content-type").startsWith("application/xml"));
        QCOMPARE(r.body, server->metadataXml());

        QXmlStreamReader xml(r.body);
        QStringList entityTypes, entitySets, keys, flagsEnums, navigations;
        QString currentType;
        int propertyFields = 0;
        bool preciseDecimal = false, bareDecimal = false;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            const auto a = xml.attributes();
            const QStringView name = xml.name();
            if (name == QLatin1String("EntityType")) {
                currentType = a.value(QLatin1String("Name")).toString();
                entityTypes << currentType;
            } else if (name == QLatin1String("PropertyRef")) {
                keys << currentType + QLatin1Char('.') + a.value(QLatin1String("Name")).toString();
            } else if (name == QLatin1String("Property") && currentType == QLatin1String("Property")) {
                ++propertyFields;
                if (a.value(QLatin1String("Name")) == QLatin1String("X_PreciseArea"))
                    preciseDecimal = a.value(QLatin1String("Precision")) == QLatin1String("28") &&
                                     a.value(QLatin1String("Scale")) == QLatin1String("10");
                if (a.value(QLatin1String("Type")) == QLatin1String("Edm.Decimal") &&
                    !a.hasAttribute(QLatin1String("Precision")))
                    bareDecimal = true;
            } else if (name == QLatin1String("NavigationProperty")) {
                navigations << currentType + QLatin1Char('.') + a.value(QLatin1String("Name")).toString() +
                                   QLatin1Char(':') + a.value(QLatin1String("Type")).toString();
            } else if (name == QLatin1String("EntitySet")) {
                entitySets << a.value(QLatin1String("Name")).toString();
            } else if (name == QLatin1String("EnumType") &&
                       a.value(QLatin1String("IsFlags")) == QLatin1String("true")) {
                flagsEnums << a.value(QLatin1String("Name")).toString();
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(entityTypes, QStringList({QStringLiteral("Property"), QStringLiteral("Media"),
                                           QStringLiteral("Member")}));
        QCOMPARE(entitySets, entityTypes);
        QCOMPARE(keys, QStringList({QStringLiteral("Property.ListingKey"), QStringLiteral("Media.MediaKey"),
                                    QStringLiteral("Member.MemberKey")}));
        QVERIFY(propertyFields >= 100);
        QVERIFY(preciseDecimal);
        QVERIFY(bareDecimal);
        QVERIFY(flagsEnums.contains(QStringLiteral("ArchitecturalStyle")));
        QVERIFY(navigations.contains(QStringLiteral("Property.Media:Collection(org.reso.metadata.Media)")));
        QVERIFY(navigations.contains(QStringLiteral("Property.ListAgent:org.reso.metadata.Member")));
        QVERIFY(r.body.contains("<Schema Namespace=\"org.reso.metadata\""));
        QVERIFY(r.body.contains("<EnumType Name=\"StandardStatus\">"));
    }

    void pagingCoversEverythingOnce() {
        ServerOptions o;
        o.listingCount = 1050;
        auto server = startServer(o);
        QVERIFY(server);
        int count = -1;
        QStringList links;
        const QJsonArray all = fetchAll(
            resourceUrl(*server, "Property", "$top=100&$count=true&$select=ListingKey"), &count, &links);
        QCOMPARE(count, 1050);
        QCOMPARE(all.size(), 1050);
        QSet<QString> keys;
        for (const QJsonValue& v : all)
            keys.insert(v[QLatin1String("ListingKey")].toString());
        QCOMPARE(keys.size(), 1050);
        QCOMPARE(links.size(), 10);
        for (const QString& link : links) {
            QVERIFY2(link.startsWith(server->serviceUrl() + QStringLiteral("/Property?$skiptoken=")),
                     qPrintable(link));
            QVERIFY(!link.contains(QLatin1String("$top")) && !link.contains(QLatin1String("$select")));
        }
        // A nextLink may be fetched again (a client retrying after a failure) and gives the same page.
        const Reply a = get(links[3].toUtf8());
        const Reply b = get(links[3].toUtf8());
        QCOMPARE(a.status, 200);
        QCOMPARE(a.body, b.body);
        // A nextLink is to be followed verbatim, not decorated.
        QCOMPARE(get(links[3].toUtf8() + "&$top=5").status, 400);
        QCOMPARE(get(resourceUrl(*server, "Property", "$skiptoken=nonsense")).status, 400);
        server->expireCursors();
        QCOMPARE(get(links[4].toUtf8()).status, 400);
    }

    void pageSizeAndDefaultOrder() {
        ServerOptions o;
        o.listingCount = 300;
        o.maxPageSize = 120;
        o.defaultPageSize = 50;
        auto server = startServer(o);
        QVERIFY(server);
        QCOMPARE(get(resourceUrl(*server, "Property", "$top=5000")).value().size(), 120);
        QCOMPARE(get(resourceUrl(*server, "Property")).value().size(), 50);
        QCOMPARE(get(resourceUrl(*server, "Property"), {{"Prefer", "odata.maxpagesize=7"}}).value().size(),
                 7);
        // Without $orderby: storage order, which is neither key nor timestamp order.
        const QJsonArray page = get(resourceUrl(*server, "Property", "$top=100")).value();
        QStringList keys, stamps;
        for (const QJsonValue& v : page) {
            keys << v[QLatin1String("ListingKey")].toString();
            stamps << v[QLatin1String("ModificationTimestamp")].toString();
        }
        QStringList sortedKeys = keys, sortedStamps = stamps;
        sortedKeys.sort();
        sortedStamps.sort();
        QVERIFY(keys != sortedKeys);
        QVERIFY(stamps != sortedStamps);
    }

    void orderByAcrossPages() {
        ServerOptions o;
        o.listingCount = 500;
        o.sameTimestampGroupSize = 150;
        auto server = startServer(o);
        QVERIFY(server);
        const QJsonArray all =
            fetchAll(resourceUrl(*server, "Property",
                                 "$top=40&$orderby=" + enc(QStringLiteral("ModificationTimestamp asc")) +
                                     "&$select=ListingKey,ModificationTimestamp"));
        QCOMPARE(all.size(), 500);
        for (qsizetype i = 1; i < all.size(); ++i) {
            const QDateTime prev = parseTs(all[i - 1][QLatin1String("ModificationTimestamp")]);
            const QDateTime cur = parseTs(all[i][QLatin1String("ModificationTimestamp")]);
            QVERIFY(prev <= cur);
            if (prev == cur) // ties broken by key, so paging is stable
                QVERIFY(all[i - 1][QLatin1String("ListingKey")].toString() <
                        all[i][QLatin1String("ListingKey")].toString());
        }
    }

    void sameTimestampGroupExists() {
        ServerOptions o;
        o.listingCount = 400;
        o.sameTimestampGroupSize = 150;
        auto server = startServer(o);
        QVERIFY(server);
        QHash<QString, int> perStamp;
        for (const QJsonValue& v : server->records(QStringLiteral("Property")))
            ++perStamp[v[QLatin1String("ModificationTimestamp")].toString()];
        int largest = 0;
        QString stamp;
        for (auto it = perStamp.cbegin(); it != perStamp.cend(); ++it) {
            if (it.value() > largest) {
                largest = it.value();
                stamp = it.key();
            }
        }
        QCOMPARE(largest, 150);
        const Reply r = get(resourceUrl(*server, "Property",
                                        "$count=true&$top=1&$filter=" +
                                            enc(QStringLiteral("ModificationTimestamp eq ") + stamp)));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QLatin1String("@odata.count")).toInt(), 150);
    }

    void filterTimestampsAsInstants() {
        ServerOptions o;
        o.listingCount = 400;
        auto server = startServer(o);
        QVERIFY(server);
        const QJsonArray records = server->records(QStringLiteral("Property"));
        const QDateTime pivot = parseTs(records[17][QLatin1String("ModificationTimestamp")]);
        int expected = 0;
        for (const QJsonValue& v : records)
            expected += parseTs(v[QLatin1String("ModificationTimestamp")]) > pivot ? 1 : 0;
        QVERIFY(expected > 0 && expected < 400);

        const QString utc = pivot.toUTC().toString(Qt::ISODateWithMs);
        int count = -1;
        const QJsonArray viaUtc = fetchAll(
            resourceUrl(*server, "Property",
                        "$count=true&$filter=" + enc(QStringLiteral("ModificationTimestamp gt ") + utc)),
            &count);
        QCOMPARE(count, expected);
        QCOMPARE(viaUtc.size(), expected);

        // The same instant written with a +02:00 offset, '+' properly encoded as %2B.
        const QString offset = pivot.toOffsetFromUtc(7200).toString(Qt::ISODateWithMs);
        QVERIFY(offset.endsWith(QLatin1String("+02:00")));
        const Reply r = get(resourceUrl(*server, "Property",
                                        "$top=0&$count=true&$filter=" +
                                            enc(QStringLiteral("ModificationTimestamp gt ") + offset)));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QLatin1String("@odata.count")).toInt(), expected);
        QVERIFY(server->requestLog().last().contains(QLatin1String("%2B02%3A00")));

        // An unencoded '+' decodes to a space: the literal loses its offset and is rejected.
        QByteArray raw = "$filter=ModificationTimestamp%20gt%20" + offset.toUtf8();
        const Reply bad = get(resourceUrl(*server, "Property", raw));
        QCOMPARE(bad.status, 400);
        QVERIFY2(bad.errorMessage().contains(QLatin1String("time zone")), qPrintable(bad.errorMessage()));

        // Dates compare as dates; a string where a timestamp belongs is an error, not a match.
        QCOMPARE(get(resourceUrl(*server, "Property",
                                 "$filter=" + enc(QStringLiteral("ListingContractDate ge 2023-01-01"))))
                     .status,
                 200);
        QCOMPARE(get(resourceUrl(*server, "Property",
                                 "$filter=" + enc(QStringLiteral("ModificationTimestamp gt '") + utc +
                                                  QLatin1Char('\''))))
                     .status,
                 400);
    }

    void filterInQuotesAndPlus() {
        ServerOptions o;
        o.listingCount = 200;
        o.trickyKeys = true;
        auto server = startServer(o);
        QVERIFY(server);
        const auto countFor = [&](const QByteArray& filterQuery) {
            const Reply r = get(
                resourceUrl(*server, "Property", "$count=true&$select=ListingKey&$filter=" + filterQuery));
            return r.status == 200 ? r.json().value(QLatin1String("@odata.count")).toInt() : -r.status;
        };
        QCOMPARE(countFor(enc(QStringLiteral("ListingKey in ('O''Brien-1001', 'café-1005', 'no-such-key')"))),
                 2);
        QCOMPARE(countFor(enc(QStringLiteral("ListingKey eq 'quote''''double-1011'"))), 1);
        QCOMPARE(countFor(enc(QStringLiteral("ListingKey eq 'Q&A#1003;x'"))), 1);
        QCOMPARE(countFor(enc(QStringLiteral("ListingKey eq 'percent%25-1008'"))), 1);
        QCOMPARE(countFor(enc(QStringLiteral("ListingKey eq 'casekey-1007'"))), 1);
        QCOMPARE(countFor(enc(QStringLiteral("ListingKey eq 'emoji🏡1012'"))), 1);
        // '+' only means plus when sent as %2B; a raw '+' is a space to a form-decoding server.
        QCOMPARE(countFor("ListingKey%20eq%20'A%2BB%201002'"), 1);
        QCOMPARE(countFor("ListingKey%20eq%20'A+B%201002'"), 0);
        QVERIFY(server->requestLog().last().contains(QLatin1String("A+B")));
        // Enums, flags, null semantics, not/or/parentheses.
        const QJsonArray records = server->records(QStringLiteral("Property"));
        int active = 0, nullBeds = 0, colonial = 0;
        for (const QJsonValue& v : records) {
            active += v[QLatin1String("StandardStatus")] == QLatin1String("Active") ? 1 : 0;
            nullBeds += v[QLatin1String("BedroomsTotal")].isNull() ? 1 : 0;
            colonial += v[QLatin1String("ArchitecturalStyle")]
                                .toString()
                                .split(QLatin1Char(','))
                                .contains(QLatin1String("Colonial"))
                            ? 1
                            : 0;
        }
        QCOMPARE(countFor(enc(QStringLiteral("StandardStatus eq 'Active'"))), active);
        QCOMPARE(
            countFor(enc(QStringLiteral("StandardStatus eq org.reso.metadata.enums.StandardStatus'Active'"))),
            active);
        QCOMPARE(countFor(enc(QStringLiteral("not (StandardStatus eq 'Active')"))), 200 - active);
        QCOMPARE(countFor(enc(QStringLiteral("BedroomsTotal eq null"))), nullBeds);
        QCOMPARE(countFor(enc(QStringLiteral("BedroomsTotal ne null or BedroomsTotal eq null"))), 200);
        QCOMPARE(countFor(enc(QStringLiteral("BedroomsTotal gt 2 or BedroomsTotal le 2"))), 200 - nullBeds);
        QCOMPARE(countFor(enc(QStringLiteral(
                     "ArchitecturalStyle has org.reso.metadata.enums.ArchitecturalStyle'Colonial'"))),
                 colonial);
        QVERIFY(countFor(enc(QStringLiteral(
                    "(ListPrice ge 100000.5 and YearBuilt lt 3000) or BedroomsTotal eq null"))) >= nullBeds);
    }

    void badRequestsGetODataErrors_data() {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("skip") << QByteArray("$skip=10") << QStringLiteral("$skip");
        QTest::newRow("unknown option") << QByteArray("$search=house") << QStringLiteral("$search");
        QTest::newRow("unknown select") << QByteArray("$select=ListingKey,Nope") << QStringLiteral("Nope");
        QTest::newRow("unknown expand") << QByteArray("$expand=Rooms") << QStringLiteral("Rooms");
        QTest::newRow("unknown orderby") << QByteArray("$orderby=Nope%20desc") << QStringLiteral("Nope");
        QTest::newRow("unknown field") << QByteArray("$filter=Nope%20eq%201") << QStringLiteral("Nope");
        QTest::newRow("function") << enc(QStringLiteral("contains(City,'a')")).prepend("$filter=")
                                  << QStringLiteral("contains");
        QTest::newRow("syntax") << enc(QStringLiteral("ListPrice gt")).prepend("$filter=")
                                << QStringLiteral("literal");
        QTest::newRow("unterminated")
            << enc(QStringLiteral("City eq 'abc")).prepend("$filter=") << QStringLiteral("Unterminated");
        QTest::newRow("type") << enc(QStringLiteral("ListPrice eq 'cheap'")).prepend("$filter=")
                              << QStringLiteral("ListPrice");
        QTest::newRow("collection") << enc(QStringLiteral("Appliances eq 'Dishwasher'")).prepend("$filter=")
                                    << QStringLiteral("any/all");
        QTest::newRow("bad top") << QByteArray("$top=-1") << QStringLiteral("$top");
        QTest::newRow("duplicate") << QByteArray("$top=1&$top=2") << QStringLiteral("more than once");
    }

    void badRequestsGetODataErrors() {
        QFETCH(QByteArray, query);
        QFETCH(QString, messagePart);
        static std::unique_ptr<FakeResoServer> server = startServer();
        QVERIFY(server);
        const Reply r = get(resourceUrl(*server, "Property", query));
        QCOMPARE(r.status, 400);
        QVERIFY(r.headers.value("content-type").startsWith("application/json"));
        QCOMPARE(r.json().value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString(),
                 QStringLiteral("BadRequest"));
        QVERIFY2(r.errorMessage().contains(messagePart), qPrintable(r.errorMessage()));
    }

    void selectAndExpandShape() {
        auto server = startServer();
        QVERIFY(server);
        const QByteArray query = "$top=50&$select=ListingKey,ListPrice,ListAgentKey&$expand=" +
                                 enc(QStringLiteral("Media($select=MediaKey,Order;$orderby=Order "
                                                    "desc),ListAgent($select=MemberKey,MemberFullName)"));
        const QJsonArray page = get(resourceUrl(*server, "Property", query)).value();
        QCOMPARE(page.size(), 50);
        QHash<QString, int> mediaPerListing;
        for (const QJsonValue& m : server->records(QStringLiteral("Media")))
            ++mediaPerListing[m[QLatin1String("ResourceRecordKey")].toString()];
        int withMedia = 0, nullAgents = 0;
        for (const QJsonValue& v : page) {
            const QJsonObject o = v.toObject();
            QCOMPARE(o.keys(), QStringList({QStringLiteral("ListAgent"), QStringLiteral("ListAgentKey"),
                                            QStringLiteral("ListPrice"), QStringLiteral("ListingKey"),
                                            QStringLiteral("Media")}));
            const QJsonArray media = o[QLatin1String("Media")].toArray();
            QCOMPARE(media.size(), mediaPerListing.value(o[QLatin1String("ListingKey")].toString()));
            withMedia += media.isEmpty() ? 0 : 1;
            for (qsizetype i = 0; i < media.size(); ++i) {
                QCOMPARE(media[i].toObject().keys(),
                         QStringList({QStringLiteral("MediaKey"), QStringLiteral("Order")}));
                if (i > 0)
                    QVERIFY(media[i - 1][QLatin1String("Order")].toInt() >
                            media[i][QLatin1String("Order")].toInt());
            }
            const QJsonValue agent = o[QLatin1String("ListAgent")];
            if (agent.isNull())
                ++nullAgents;
            else
                QCOMPARE(agent[QLatin1String("MemberKey")], o[QLatin1String("ListAgentKey")]);
        }
        QVERIFY(withMedia > 10);
        Q_UNUSED(nullAgents)
        // Unexpanded: no Media property at all; Property records from records() match the wire.
        const QJsonObject plain = get(resourceUrl(*server, "Property", "$top=1")).value().first().toObject();
        QVERIFY(!plain.contains(QLatin1String("Media")));
        QVERIFY(plain.size() >= 100);
        QCOMPARE(plain, server->records(QStringLiteral("Property")).first().toObject());
    }

    void exactNumbersOnTheWire() {
        auto server = startServer();
        QVERIFY(server);
        const QByteArray raw = server->rawRecords(QStringLiteral("Property")).first();
        const qsizetype at = raw.indexOf("\"X_PreciseArea\":");
        QVERIFY(at > 0);
        const QByteArray number = raw.mid(at + 16, raw.indexOf(',', at) - at - 16);
        QVERIFY2(number.size() >= 21 && !number.startsWith('"'),
                 number.constData()); // 20+ digits and a point
        const qsizetype seqAt = raw.indexOf("\"X_RecordSequence\":");
        const qint64 seq = raw.mid(seqAt + 19, raw.indexOf(',', seqAt) - seqAt - 19).toLongLong();
        QVERIFY(seq > (qint64(1) << 53));
        // Served bytes carry the same digits.
        const Reply r = get(resourceUrl(*server, "Property", "$top=1&$select=X_PreciseArea"));
        QVERIFY(r.body.contains(QByteArray(QByteArray("\"X_PreciseArea\":") + number)));
    }

    void faults() {
        auto server = startServer();
        QVERIFY(server);
        const QByteArray url = resourceUrl(*server, "Property", "$top=5");

        server->injectFault({Fault::Kind::Status429, QString(), 1, 7, 0});
        Reply r = get(url);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.headers.value("retry-after"), QByteArray("7"));
        QVERIFY(r.json().contains(QLatin1String("error")));
        QCOMPARE(get(url).status, 200);

        server->injectFault({Fault::Kind::Status500, QStringLiteral("$top=5"), 2, 1, 0});
        QCOMPARE(get(resourceUrl(*server, "Member")).status, 200); // not matching
        QCOMPARE(get(url).status, 500);
        QCOMPARE(get(url).status, 500);
        QCOMPARE(get(url).status, 200);

        server->injectFault({Fault::Kind::Status401, QString(), 1, 1, 0});
        QCOMPARE(get(url).status, 401);

        server->injectFault({Fault::Kind::TruncatedBody, QString(), 2, 1, 0});
        r = get(url, {{"Accept-Encoding", "identity"}});
        QCOMPARE(r.error, QNetworkReply::RemoteHostClosedError);
        // Qt 6.4 caveat: with QNAM's own transparent gzip, a body cut short is NOT reported as
        // an error; the client only notices because the JSON is incomplete.
        r = get(url);
        QVERIFY(r.error != QNetworkReply::NoError || QJsonDocument::fromJson(r.body).isNull());

        // QNAM silently resends a GET (up to twice) when a connection dies before any response
        // byte, so a reset must happen three times in a row to be sure to reach the caller.
        server->injectFault({Fault::Kind::ConnectionReset, QString(), 3, 1, 0});
        QVERIFY(get(url).error != QNetworkReply::NoError);
        server->clearFaults();

        // Whether the RST arrives before or after the first response bytes is up to the kernel;
        // before them, QNAM resends, hence count 3 here as well.
        server->injectFault({Fault::Kind::ResetMidBody, QString(), 3, 1, 0});
        QVERIFY(get(url, {{"Accept-Encoding", "identity"}}).error != QNetworkReply::NoError);
        server->clearFaults();

        server->injectFault({Fault::Kind::InvalidJson, QString(), 1, 1, 0});
        r = get(url);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.error, QNetworkReply::NoError);
        QJsonParseError parseError;
        QJsonDocument::fromJson(r.body, &parseError);
        QVERIFY(parseError.error != QJsonParseError::NoError);

        QCOMPARE(get(url).status, 200);

        // Slow answers do not hold up other connections.
        server->injectFault({Fault::Kind::Slow, QStringLiteral("marker=slow"), 1, 1, 1500});
        const qint64 started = m_clock.elapsed();
        QNetworkReply* slow = send(url + "&marker=slow", {}, nullptr);
        QTest::qWait(100);
        const Reply fast = get(url);
        const Reply slowReply = collect(slow);
        QCOMPARE(slowReply.status, 200);
        QCOMPARE(fast.status, 200);
        QVERIFY(slowReply.finishedAtMs - started >= 1400);
        QVERIFY(fast.finishedAtMs < slowReply.finishedAtMs);

        server->injectFault({Fault::Kind::Status500, QString(), 5, 1, 0});
        server->clearFaults();
        QCOMPARE(get(url).status, 200);
    }

    void gzip() {
        auto server = startServer();
        QVERIFY(server);
        const QByteArray url = resourceUrl(*server, "Property", "$top=20&$expand=Media");
        const Reply plain = get(url, {{"Accept-Encoding", "identity"}});
        const Reply zipped = get(url, {{"Accept-Encoding", "gzip, deflate"}});
        QCOMPARE(plain.status, 200);
        QCOMPARE(zipped.status, 200);
        QVERIFY(plain.headers.value("content-encoding").isEmpty());
        QCOMPARE(zipped.headers.value("content-encoding"), QByteArray("gzip"));
        QVERIFY(zipped.body.size() < plain.body.size() / 2);
        const QByteArray unzipped = gzipDecompress(zipped.body);
        // nextLinks differ (fresh cursors); the records must not.
        QCOMPARE(QJsonDocument::fromJson(unzipped).object().value(QLatin1String("value")),
                 plain.json().value(QLatin1String("value")));
    }

    void oauth2() {
        ServerOptions o;
        o.auth = AuthMode::OAuth2;
        o.clientId = QStringLiteral("my client");
        o.clientSecret = QStringLiteral("s3cr+t&=");
        o.tokenLifetimeSeconds = 1;
        auto server = startServer(o);
        QVERIFY(server);
        const QByteArray url = resourceUrl(*server, "Property", "$top=1");

        Reply r = get(url);
        QCOMPARE(r.status, 401);
        QVERIFY(r.json().contains(QLatin1String("error")));
        QCOMPARE(get(server->serviceUrl().toUtf8() + "/$metadata").status, 401);

        r = post(server->tokenUrl().toUtf8(),
                 "grant_type=client_credentials&client_id=my+client&client_secret=wrong");
        QCOMPARE(r.status, 401);
        QCOMPARE(r.json().value(QLatin1String("error")).toString(), QStringLiteral("invalid_client"));
        // An unencoded secret ('+' read as space, '&' and '=' splitting the form) must fail too.
        r = post(server->tokenUrl().toUtf8(),
                 "grant_type=client_credentials&client_id=my+client&client_secret=s3cr+t&=");
        QCOMPARE(r.status, 401);
        r = post(server->tokenUrl().toUtf8(),
                 "grant_type=password&client_id=my+client&client_secret=" + enc(o.clientSecret));
        QCOMPARE(r.status, 400);

        const QByteArray form =
            "grant_type=client_credentials&client_id=my%20client&client_secret=" + enc(o.clientSecret) +
            "&scope=api";
        r = post(server->tokenUrl().toUtf8(), form);
        QCOMPARE(r.status, 200);
        const QString token = r.json().value(QLatin1String("access_token")).toString();
        QVERIFY(token.size() >= 32);
        QCOMPARE(r.json().value(QLatin1String("token_type")).toString(), QStringLiteral("Bearer"));
        QCOMPARE(r.json().value(QLatin1String("expires_in")).toInt(), 1);
        QCOMPARE(server->requestBodies().last(), form);

        const QByteArray bearer = "Bearer " + token.toUtf8();
        QCOMPARE(get(url, {{"Authorization", bearer}}).status, 200);
        QCOMPARE(get(url, {{"Authorization", "Bearer not-a-token"}}).status, 401);
        QTest::qWait(1200); // the token's one-second lifetime runs out
        QCOMPARE(get(url, {{"Authorization", bearer}}).status, 401);

        // Credentials in HTTP Basic auth work too; expireTokens() revokes at once.
        const QByteArray basic = QByteArray(enc(o.clientId) + ':' + enc(o.clientSecret)).toBase64();
        r = post(server->tokenUrl().toUtf8(), "grant_type=client_credentials",
                 {{"Authorization", "Basic " + basic}});
        QCOMPARE(r.status, 200);
        const QByteArray second =
            "Bearer " + r.json().value(QLatin1String("access_token")).toString().toUtf8();
        QCOMPARE(get(url, {{"Authorization", second}}).status, 200);
        server->expireTokens();
        QCOMPARE(get(url, {{"Authorization", second}}).status, 401);
    }

    void bearer() {
        ServerOptions o;
        o.auth = AuthMode::Bearer;
        o.bearerToken = QStringLiteral("abc123");
        auto server = startServer(o);
        QVERIFY(server);
        const QByteArray url = resourceUrl(*server, "Member", "$top=1");
        QCOMPARE(get(url).status, 401);
        QCOMPARE(get(url, {{"Authorization", "Bearer wrong"}}).status, 401);
        QCOMPARE(get(url, {{"Authorization", "Bearer abc123"}}).status, 200);
    }

    void mutationsMoveTimestampsForward() {
        ServerOptions o;
        o.listingCount = 300;
        auto server = startServer(o);
        QVERIFY(server);
        const QString before = server->maxModificationTimestamp();
        const QDateTime previousMax = QDateTime::fromString(before, Qt::ISODateWithMs);
        const int mediaBefore = server->records(QStringLiteral("Media")).size();

        const QStringList changed = server->changeRecords(0.1);
        QCOMPARE(changed.size(), 30);
        const QStringList added = server->addRecords(3);
        const QStringList deleted = server->deleteRecords(2);
        QCOMPARE(added.size(), 3);
        QCOMPARE(deleted.size(), 2);

        const QJsonArray records = server->records(QStringLiteral("Property"));
        QCOMPARE(records.size(), 301);
        QSet<QString> newer;
        for (const QJsonValue& v : records) {
            const QString key = v[QLatin1String("ListingKey")].toString();
            QVERIFY(!deleted.contains(key));
            if (parseTs(v[QLatin1String("ModificationTimestamp")]) > previousMax)
                newer.insert(key);
        }
        QSet<QString> expected(added.cbegin(), added.cend());
        for (const QString& k : changed) {
            if (!deleted.contains(k))
                expected.insert(k);
        }
        QCOMPARE(newer, expected);

        // The server answers the same question the same way.
        int count = -1;
        const QJsonArray fetched =
            fetchAll(resourceUrl(*server, "Property",
                                 "$count=true&$select=ListingKey&$filter=" +
                                     enc(QStringLiteral("ModificationTimestamp gt ") + before)),
                     &count);
        QCOMPARE(count, expected.size());
        // Photos changed for some listings: a Media-only sync sees new Media above the old maximum.
        int newerMedia = 0;
        for (const QJsonValue& m : server->records(QStringLiteral("Media")))
            newerMedia += parseTs(m[QLatin1String("ModificationTimestamp")]) > previousMax ? 1 : 0;
        QVERIFY(newerMedia >= 10);
        QVERIFY(server->records(QStringLiteral("Media")).size() != mediaBefore || newerMedia > 0);
        QVERIFY(server->maxModificationTimestamp() > before);
    }

    void keepAliveAndRequestLog() {
        auto server = startServer();
        QVERIFY(server);
        server->clearRequestLog();
        for (int i = 0; i < 20; ++i)
            QCOMPARE(get(resourceUrl(*server, "Member",
                                     "$top=2&$filter=" + enc(QStringLiteral("MemberKey ne 'x+y'"))))
                         .status,
                     200);
        QCOMPARE(server->requestCount(), 20);
        QVERIFY(server->requestLog().first().contains(QLatin1String("x%2By")));
    }

    // ServerOptions::propertyFieldCount: Property as wide as asked, declared and served alike,
    // with every built-in field still there and the extra ones of several types.
    void wideListings() {
        ServerOptions o;
        o.listingCount = 50;
        o.propertyFieldCount = 300;
        auto server = startServer(o);
        QVERIFY(server);
        const QByteArray metadata = server->metadataXml();
        QVERIFY(metadata.contains("Name=\"X_Extra001\""));
        QVERIFY(metadata.contains("Name=\"PublicRemarks\""));
        const QByteArray property = metadata.mid(metadata.indexOf("<EntityType Name=\"Property\""));
        const QByteArray declared = property.left(property.indexOf("</EntityType>"));
        QCOMPARE(declared.count("<Property "), 300);
        const QJsonArray records =
            fetchAll(resourceUrl(*server, "Property", "$top=20&$expand=Media&$orderby=ListingKey%20asc"));
        QCOMPARE(records.size(), 50);
        QSet<QString> fields;
        QSet<int> kinds;
        for (const QJsonValue& v : records) {
            const QJsonObject record = v.toObject();
            QCOMPARE(record.size(), 301); // the fields and Media
            for (auto it = record.begin(); it != record.end(); ++it)
                if (it.key().startsWith(QLatin1String("X_Extra")) && !it.value().isNull()) {
                    fields.insert(it.key());
                    kinds.insert(int(it.value().type()));
                }
        }
        QVERIFY2(fields.size() > 150, qPrintable(QString::number(fields.size())));
        // Strings, numbers and booleans among the extra fields.
        QVERIFY(kinds.contains(int(QJsonValue::String)));
        QVERIFY(kinds.contains(int(QJsonValue::Double)));
        QVERIFY(kinds.contains(int(QJsonValue::Bool)));
        // Fewer than the built-in fields: the built-in Property, not a cut-down one.
        ServerOptions narrow;
        narrow.listingCount = 1;
        narrow.propertyFieldCount = 10;
        auto plain = startServer(narrow);
        QVERIFY(plain);
        QVERIFY(plain->metadataXml().contains("Name=\"PublicRemarks\""));
        QVERIFY(!plain->metadataXml().contains("X_Extra"));
    }

    void lightListings() {
        ServerOptions o;
        o.lightListings = true;
        o.listingCount = 2000;
        o.memberCount = 0;
        auto server = startServer(o);
        QVERIFY(server);
        const QJsonArray records = server->records(QStringLiteral("Property"));
        QCOMPARE(records.size(), 2000);
        QStringList fields = records.first().toObject().keys();
        fields.sort();
        QCOMPARE(fields,
                 QStringList({QStringLiteral("ListPrice"), QStringLiteral("ListingKey"),
                              QStringLiteral("ModificationTimestamp"), QStringLiteral("StandardStatus")}));
        QVERIFY(!server->metadataXml().contains("PublicRemarks"));
        QCOMPARE(server->records(QStringLiteral("Media")).size(), 0);

        // 80 pages: the cursor table grows (and rehashes) while pages are being served from it.
        int count = -1;
        const QJsonArray all =
            fetchAll(resourceUrl(*server, "Property",
                                 "$top=25&$count=true&$select=ListingKey&$orderby=ListingKey%20asc"),
                     &count);
        QCOMPARE(count, 2000);
        QCOMPARE(all.size(), 2000);
        QStringList keys;
        for (const QJsonValue& v : all)
            keys << v[QLatin1String("ListingKey")].toString();
        QStringList sorted = keys;
        sorted.sort();
        QCOMPARE(keys, sorted);
        QCOMPARE(QSet<QString>(keys.begin(), keys.end()).size(), 2000);

        // A long 'in' list matches exactly the keys asked for.
        const QStringList asked = keys.mid(100, 300);
        QStringList quoted;
        for (const QString& k : asked)
            quoted << QLatin1Char('\'') + k + QLatin1Char('\'');
        const QJsonArray found = fetchAll(resourceUrl(
            *server, "Property",
            "$top=1000&$select=ListingKey&$filter=" +
                enc(QStringLiteral("ListingKey in (%1,'no-such-key')").arg(quoted.join(QLatin1Char(','))))));
        QStringList foundKeys;
        for (const QJsonValue& v : found)
            foundKeys << v[QLatin1String("ListingKey")].toString();
        foundKeys.sort();
        QCOMPARE(foundKeys, asked);

        const QString newest = server->maxModificationTimestamp();
        QCOMPARE(server->changeRecords(0.01).size(), 20);
        int newer = -1;
        fetchAll(resourceUrl(*server, "Property",
                             "$top=0&$count=true&$filter=" +
                                 enc(QStringLiteral("ModificationTimestamp gt ") + newest)),
                 &newer);
        QCOMPARE(newer, 20);
        QCOMPARE(server->deleteRecords(5).size(), 5);
        QCOMPARE(server->addRecords(3).size(), 3);
        QCOMPARE(server->records(QStringLiteral("Property")).size(), 1998);
        QCOMPARE(server->records(QStringLiteral("Media")).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestFakeReso)
#include "tst_fakereso.moc"
