#include "reso/ODataQuery.h"
#include "util/DecimalText.h"

#include <QTest>
#include <QTimeZone>

using namespace ors;
using namespace Qt::StringLiterals;

namespace {

// A strict form decoder (application/x-www-form-urlencoded): a raw '+' means space. If our encoding
// leaked a raw '+', '&', ';' or '=', decoding would not give the original values back.
QList<std::pair<QString, QString>> formDecode(const QByteArray& query) {
    QList<std::pair<QString, QString>> result;
    for (const QByteArray& part : query.split('&')) {
        const qsizetype eq = part.indexOf('=');
        QByteArray name = eq < 0 ? part : part.left(eq);
        QByteArray value = eq < 0 ? QByteArray() : part.mid(eq + 1);
        name.replace('+', ' ');
        value.replace('+', ' ');
        result.append({QString::fromUtf8(QByteArray::fromPercentEncoding(name)),
                       QString::fromUtf8(QByteArray::fromPercentEncoding(value))});
    }
    return result;
}

QByteArray encodedQuery(const QUrl& url) {
    const QByteArray encoded = url.toEncoded();
    const qsizetype q = encoded.indexOf('?');
    return q < 0 ? QByteArray() : encoded.mid(q + 1);
}

} // namespace

class TestQuery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decimalText() {
        auto parts = [](const char* text) {
            const auto d = DecimalText::parse(text, 100);
            return d ? QString::fromLatin1((d->negative ? "-" : "+") + d->whole + '|' + d->fraction)
                     : u"none"_s;
        };
        QCOMPARE(parts("-0012.340"), u"-12|340"_s);
        QCOMPARE(parts("+.5"), u"+0|5"_s);
        QCOMPARE(parts("1.5e3"), u"+1500|"_s);
        QCOMPARE(parts("25E-4"), u"+0|0025"_s);
        QCOMPARE(parts(" 7 "), u"+7|"_s);
        for (const char* bad : {"", "-", ".", "1.2.3", "1e", "1e+", "12a", "1e101", "0x10", "1 2"})
            QVERIFY2(!DecimalText::parse(bad, 100), bad);
        DecimalText::Problem problem = DecimalText::Problem::NotANumber;
        QVERIFY(!DecimalText::parse("1e101", 100, &problem));
        QCOMPARE(problem, DecimalText::Problem::BadExponent);
        QVERIFY(!DecimalText::parse("1.2.3", 100, &problem));
        QCOMPARE(problem, DecimalText::Problem::NotANumber);
    }

    void numericKeyLiterals() {
        QCOMPARE(odata::keyInFilter(u"K"_s, {u"9"_s, u"10"_s}, true), u"K in (9,10)"_s);
        QCOMPARE(odata::keyEqOrFilter(u"K"_s, {u"-9"_s, u"10"_s}, true), u"K eq -9 or K eq 10"_s);
        // Anything that is not a plain integer is quoted, so it cannot add syntax to the filter.
        QCOMPARE(odata::keyLiteral(u"1 or true"_s, true), u"'1 or true'"_s);
        QCOMPARE(odata::keyLiteral(u"12"_s, false), u"'12'"_s);
    }
    void quoteString_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << u"abc"_s << u"'abc'"_s;
        QTest::newRow("empty") << QString() << u"''"_s;
        QTest::newRow("apostrophe") << u"O'Brien"_s << u"'O''Brien'"_s;
        QTest::newRow("only quotes") << u"''"_s << u"''''''"_s;
        QTest::newRow("double quote untouched") << u"a\"b"_s << u"'a\"b'"_s;
    }

    void quoteString() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(odata::quoteString(input), expected);
    }

    void formatTimestamp_data() {
        QTest::addColumn<QDateTime>("time");
        QTest::addColumn<QString>("expected");
        const QDate day(2024, 5, 1);
        QTest::newRow("utc millis") << QDateTime(day, QTime(10, 0, 0, 123), Qt::UTC)
                                    << u"2024-05-01T10:00:00.123Z"_s;
        QTest::newRow("utc zero millis")
            << QDateTime(day, QTime(10, 0), Qt::UTC) << u"2024-05-01T10:00:00.000Z"_s;
        QTest::newRow("offset +02:00")
            << QDateTime(day, QTime(12, 30, 5, 7), Qt::OffsetFromUTC, 7200) << u"2024-05-01T10:30:05.007Z"_s;
        QTest::newRow("offset -07:00 crosses midnight")
            << QDateTime(QDate(2023, 12, 31), QTime(20, 0), Qt::OffsetFromUTC, -7 * 3600)
            << u"2024-01-01T03:00:00.000Z"_s;
        QTest::newRow("zone") << QDateTime(day, QTime(6, 0), QTimeZone("America/New_York"))
                              << u"2024-05-01T10:00:00.000Z"_s;
        QTest::newRow("invalid") << QDateTime() << QString();
    }

    void formatTimestamp() {
        QFETCH(QDateTime, time);
        QFETCH(QString, expected);
        QCOMPARE(odata::formatTimestamp(time), expected);
    }

    void parseTimestamp_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("expectedUtc"); // formatted back

        QTest::newRow("Z") << u"2024-05-01T10:00:00Z"_s << true << u"2024-05-01T10:00:00.000Z"_s;
        QTest::newRow("Z millis") << u"2024-05-01T10:00:00.123Z"_s << true << u"2024-05-01T10:00:00.123Z"_s;
        QTest::newRow("one digit") << u"2024-05-01T10:00:00.5Z"_s << true << u"2024-05-01T10:00:00.500Z"_s;
        QTest::newRow("nine digits truncated")
            << u"2024-05-01T10:00:00.123999999Z"_s << true << u"2024-05-01T10:00:00.123Z"_s;
        QTest::newRow("+00:00") << u"2024-05-01T10:00:00+00:00"_s << true << u"2024-05-01T10:00:00.000Z"_s;
        QTest::newRow("+02:00") << u"2024-05-01T12:00:00.250+02:00"_s << true
                                << u"2024-05-01T10:00:00.250Z"_s;
        QTest::newRow("-07:00 next day")
            << u"2024-05-01T20:00:00-07:00"_s << true << u"2024-05-02T03:00:00.000Z"_s;
        QTest::newRow("+05:30") << u"2024-05-01T15:30:00+05:30"_s << true << u"2024-05-01T10:00:00.000Z"_s;
        QTest::newRow("no seconds") << u"2024-05-01T10:00Z"_s << true << u"2024-05-01T10:00:00.000Z"_s;
        QTest::newRow("lowercase") << u"2024-05-01t10:00:00z"_s << true << u"2024-05-01T10:00:00.000Z"_s;
        QTest::newRow("no zone") << u"2024-05-01T10:00:00"_s << false << QString();
        QTest::newRow("date only") << u"2024-05-01"_s << false << QString();
        QTest::newRow("bad month") << u"2024-13-01T10:00:00Z"_s << false << QString();
        QTest::newRow("bad day") << u"2023-02-29T10:00:00Z"_s << false << QString();
        QTest::newRow("bad hour") << u"2024-05-01T24:00:00Z"_s << false << QString();
        QTest::newRow("bad offset") << u"2024-05-01T10:00:00+24:00"_s << false << QString();
        QTest::newRow("ten digits") << u"2024-05-01T10:00:00.1234567890Z"_s << false << QString();
        QTest::newRow("empty dot") << u"2024-05-01T10:00:00.Z"_s << false << QString();
        QTest::newRow("garbage") << u"yesterday"_s << false << QString();
        QTest::newRow("empty") << QString() << false << QString();
    }

    void parseTimestamp() {
        QFETCH(QString, input);
        QFETCH(bool, valid);
        QFETCH(QString, expectedUtc);
        const std::optional<QDateTime> parsed = odata::parseTimestamp(input);
        QCOMPARE(parsed.has_value(), valid);
        if (!valid)
            return;
        QVERIFY(parsed->isValid());
        QCOMPARE(parsed->timeSpec(), Qt::UTC);
        QCOMPARE(odata::formatTimestamp(*parsed), expectedUtc);
    }

    void timestampRoundTrip() {
        const QDateTime t(QDate(2021, 2, 22), QTime(2, 8, 30, 999), Qt::UTC);
        QCOMPARE(odata::parseTimestamp(odata::formatTimestamp(t)), std::optional<QDateTime>(t));
    }

    void expandClause_data() {
        QTest::addColumn<QList<odata::ExpandSpec>>("specs");
        QTest::addColumn<QString>("expected");

        using odata::ExpandSpec;
        QTest::newRow("none") << QList<ExpandSpec>{} << QString();
        QTest::newRow("bare") << QList<ExpandSpec>{{u"Media"_s, {}, {}}} << u"Media"_s;
        QTest::newRow("two bare") << QList<ExpandSpec>{{u"Media"_s, {}, {}}, {u"ListAgent"_s, {}, {}}}
                                  << u"Media,ListAgent"_s;
        QTest::newRow("select") << QList<ExpandSpec>{{u"Media"_s, {u"MediaKey"_s, u"MediaURL"_s}, {}}}
                                << u"Media($select=MediaKey,MediaURL)"_s;
        QTest::newRow("select and nested")
            << QList<ExpandSpec>{{u"Media"_s, {u"MediaKey"_s, u"MediaURL"_s}, {{u"X"_s, {}, {}}}},
                                 {u"ListAgent"_s, {}, {}}}
            << u"Media($select=MediaKey,MediaURL;$expand=X),ListAgent"_s;
        QTest::newRow("deep")
            << QList<ExpandSpec>{{u"ListAgent"_s,
                                  {u"MemberKey"_s, u"MemberCity"_s},
                                  {{u"Media"_s, {u"MediaKey"_s}, {}},
                                   {u"Office"_s, {}, {{u"Media"_s, {}, {}}}}}}}
            << u"ListAgent($select=MemberKey,MemberCity;$expand=Media($select=MediaKey),Office($expand=Media))"_s;
    }

    void expandClause() {
        QFETCH(QList<odata::ExpandSpec>, specs);
        QFETCH(QString, expected);
        QCOMPARE(odata::expandClause(specs), expected);
    }

    void buildUrlEncoding_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QByteArray>("encodedLiteral"); // how quoteString(key) must appear on the wire

        QTest::newRow("plain") << u"ABC-123_x.y~z"_s << QByteArray("%27ABC-123_x.y~z%27");
        QTest::newRow("apostrophe") << u"O'Brien"_s << QByteArray("%27O%27%27Brien%27");
        QTest::newRow("plus") << u"a+b"_s << QByteArray("%27a%2Bb%27");
        QTest::newRow("ampersand") << u"a&b"_s << QByteArray("%27a%26b%27");
        QTest::newRow("hash") << u"a#b"_s << QByteArray("%27a%23b%27");
        QTest::newRow("semicolon") << u"a;b"_s << QByteArray("%27a%3Bb%27");
        QTest::newRow("percent") << u"100%25"_s << QByteArray("%27100%2525%27");
        QTest::newRow("equals") << u"a=b"_s << QByteArray("%27a%3Db%27");
        QTest::newRow("space") << u"a b"_s << QByteArray("%27a%20b%27");
        QTest::newRow("e acute") << u"Québec"_s << QByteArray("%27Qu%C3%A9bec%27");
        QTest::newRow("emoji") << u"home🏠"_s << QByteArray("%27home%F0%9F%8F%A0%27");
        // A noncharacter (U+BFFFF) goes out as its UTF-8 bytes, although QUrl's own decoding turns
        // them into four U+FFFD (found by fuzz_query).
        QTest::newRow("noncharacter")
            << QString::fromUtf8("a\xf2\xbf\xbf\xbf") << QByteArray("%27a%F2%BF%BF%BF%27");
        QTest::newRow("slash question") << u"a/b?c"_s << QByteArray("%27a%2Fb%3Fc%27");
    }

    void buildUrlEncoding() {
        QFETCH(QString, key);
        QFETCH(QByteArray, encodedLiteral);

        odata::QueryOptions options;
        options.filter = u"ListingKey eq "_s + odata::quoteString(key);
        const QUrl url = odata::buildUrl(u"https://api.example.com/odata/Property"_s, options);
        QVERIFY(url.isValid());
        const QByteArray expected =
            "https://api.example.com/odata/Property?$filter=ListingKey%20eq%20" + encodedLiteral;
        QCOMPARE(url.toEncoded(), expected);
        // Re-parsing the wire form must not change it either (redirects, logging, nextLink comparisons).
        QCOMPARE(QUrl::fromEncoded(url.toEncoded()).toEncoded(), expected);

        const auto decoded = formDecode(encodedQuery(url));
        QCOMPARE(decoded.size(), 1);
        QCOMPARE(decoded.first().first, u"$filter"_s);
        QCOMPARE(decoded.first().second, options.filter);
    }

    void buildUrlAllOptions() {
        odata::QueryOptions options;
        const QString ts = u"2024-05-01T10:00:00+00:00"_s;
        options.filter = u"(ModificationTimestamp gt "_s + ts + u") and ListingKey in ('a+b','c&d')"_s;
        options.select = {u"ListingKey"_s, u"ModificationTimestamp"_s};
        options.expand = odata::expandClause({{u"Media"_s, {u"MediaKey"_s}, {{u"X"_s, {}, {}}}}});
        options.orderBy = u"ModificationTimestamp asc,ListingKey asc"_s;
        options.top = 200;
        options.count = true;
        options.extra = {{u"$skiptoken"_s, u"a=b&c"_s}, {u"custom param"_s, u"é"_s}};

        const QUrl url =
            odata::buildUrl(u"https://api.example.com/odata/Property?replication=true"_s, options);
        const QByteArray expected =
            "https://api.example.com/odata/Property?replication=true"
            "&$filter=%28ModificationTimestamp%20gt%202024-05-01T10%3A00%3A00%2B00%3A00%29"
            "%20and%20ListingKey%20in%20%28%27a%2Bb%27%2C%27c%26d%27%29"
            "&$select=ListingKey%2CModificationTimestamp"
            "&$expand=Media%28%24select%3DMediaKey%3B%24expand%3DX%29"
            "&$orderby=ModificationTimestamp%20asc%2CListingKey%20asc"
            "&$top=200&$count=true"
            "&$skiptoken=a%3Db%26c&custom%20param=%C3%A9";
        QCOMPARE(url.toEncoded(), expected);
        QCOMPARE(url.host(), u"api.example.com"_s);
        QCOMPARE(url.path(), u"/odata/Property"_s);

        const auto decoded = formDecode(encodedQuery(url));
        const QList<std::pair<QString, QString>> want = {
            {u"replication"_s, u"true"_s},
            {u"$filter"_s, options.filter},
            {u"$select"_s, u"ListingKey,ModificationTimestamp"_s},
            {u"$expand"_s, u"Media($select=MediaKey;$expand=X)"_s},
            {u"$orderby"_s, options.orderBy},
            {u"$top"_s, u"200"_s},
            {u"$count"_s, u"true"_s},
            {u"$skiptoken"_s, u"a=b&c"_s},
            {u"custom param"_s, u"é"_s},
        };
        QCOMPARE(decoded, want);
    }

    void buildUrlExistingQuery_data() {
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("no query") << u"https://h/odata/Member"_s
                                  << QByteArray("https://h/odata/Member?$top=5");
        QTest::newRow("replication") << u"https://h/odata/Property?replication=true"_s
                                     << QByteArray("https://h/odata/Property?replication=true&$top=5");
        QTest::newRow("encoded existing")
            << u"https://h/odata/Property?$filter=MlgCanView%20eq%20true"_s
            << QByteArray("https://h/odata/Property?$filter=MlgCanView%20eq%20true&$top=5");
        QTest::newRow("port and fragment dropped")
            << u"http://localhost:8080/odata/Property#x"_s
            << QByteArray("http://localhost:8080/odata/Property?$top=5");
    }

    void buildUrlExistingQuery() {
        QFETCH(QString, resource);
        QFETCH(QByteArray, expected);
        odata::QueryOptions options;
        options.top = 5;
        QCOMPARE(odata::buildUrl(resource, options).toEncoded(), expected);
    }

    void buildUrlNoOptions() {
        QCOMPARE(odata::buildUrl(u"https://h/odata/Property"_s, {}).toEncoded(),
                 QByteArray("https://h/odata/Property"));
        QCOMPARE(odata::buildUrl(u"https://h/odata/Property?replication=true"_s, {}).toEncoded(),
                 QByteArray("https://h/odata/Property?replication=true"));
    }

    void keyFilters_data() {
        QTest::addColumn<QStringList>("keys");
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("eqOr");
        QTest::newRow("none") << QStringList{} << QString() << QString();
        QTest::newRow("one") << QStringList{u"a"_s} << u"ListingKey in ('a')"_s << u"ListingKey eq 'a'"_s;
        QTest::newRow("escaped") << QStringList{u"a"_s, u"b'c"_s} << u"ListingKey in ('a','b''c')"_s
                                 << u"ListingKey eq 'a' or ListingKey eq 'b''c'"_s;
        QTest::newRow("specials") << QStringList{u"x+y"_s, u"p&q"_s, u"é"_s}
                                  << u"ListingKey in ('x+y','p&q','é')"_s
                                  << u"ListingKey eq 'x+y' or ListingKey eq 'p&q' or ListingKey eq 'é'"_s;
    }

    void keyFilters() {
        QFETCH(QStringList, keys);
        QFETCH(QString, in);
        QFETCH(QString, eqOr);
        QCOMPARE(odata::keyInFilter(u"ListingKey"_s, keys), in);
        QCOMPARE(odata::keyEqOrFilter(u"ListingKey"_s, keys), eqOr);
    }

    void combineFilters_data() {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("extra");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no user") << QString() << u"A eq 1"_s << u"A eq 1"_s;
        QTest::newRow("blank user") << u"  "_s << u"A eq 1"_s << u"A eq 1"_s;
        QTest::newRow("both") << u"B eq 2 or C eq 3"_s << u"A eq 1"_s << u"(B eq 2 or C eq 3) and A eq 1"_s;
        QTest::newRow("no extra") << u"B eq 2"_s << QString() << u"B eq 2"_s;
    }

    void combineFilters() {
        QFETCH(QString, user);
        QFETCH(QString, extra);
        QFETCH(QString, expected);
        QCOMPARE(odata::combineFilters(user, extra), expected);
    }
};

QTEST_GUILESS_MAIN(TestQuery)
#include "tst_query.moc"
