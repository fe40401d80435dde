// Pages a server should never send, read the way a sync reads them (PageReader::inspect on
// arrival, PageReader::read before the apply): a body that is not a page fails with a message and
// nothing of it is applied; a record that cannot be stored is set aside naming its key and field;
// nothing crashes, whatever the nesting or size.
#include "DestinationCases.h"
#include "SqlTestBackend.h"

#include "reso/PageReader.h"

#include <QTest>

using namespace ors;
using namespace ors::test;
using namespace Qt::StringLiterals;

class TestPageReader : public QObject {
    Q_OBJECT

    ResourcePlan m_plan;

    Expected<PageInfo> inspect(const QByteArray& body) const {
        return PageReader::inspect(body, u"ListingKey"_s, u"ModificationTimestamp"_s);
    }

    // `body` with room allocated behind it, filled with `filler` (past the '\0' Qt keeps there):
    // such a body is read where it is, not copied, and what lies behind it must not count.
    static QByteArray withRoomBehind(const QByteArray& body, const QByteArray& filler) {
        QByteArray roomy(body.size() + 256, ' ');
        std::copy(body.cbegin(), body.cend(), roomy.begin());
        for (qsizetype at = body.size(); at + filler.size() <= roomy.size(); at += filler.size())
            std::copy(filler.cbegin(), filler.cend(), roomy.begin() + at);
        roomy.resize(body.size());
        return roomy;
    }

private Q_SLOTS:
    void initTestCase() {
        const Expected<ResourcePlan> plan = planFromXml(kEdmx);
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.errorMessage()));
        m_plan = *plan;
    }

    // Bodies that are not a page: refused by inspect (so the page is asked for again, then the
    // download fails) and by read, with a message saying what is wrong.
    void notAPage_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message"); // part of both messages
        QTest::newRow("value is an object") << QByteArray("{\"value\":{\"ListingKey\":\"A\"}}")
                                            << u"\"value\" is not an array but an object"_s;
        QTest::newRow("value is a string")
            << QByteArray("{\"value\":\"[]\"}") << u"\"value\" is not an array but a string"_s;
        QTest::newRow("top-level array") << QByteArray("[{\"ListingKey\":\"A\"}]") << u""_s;
        QTest::newRow("cut off") << QByteArray("{\"value\":[{\"ListingKey\":\"A\",\"ListPrice\":12") << u""_s;
        QTest::newRow("trailing garbage")
            << QByteArray("{\"value\":[]} {\"value\":[]}") << u"more text after the page's object"_s;
        QTest::newRow("empty") << QByteArray() << u""_s;
        QTest::newRow("html") << QByteArray("<html><body>Service Unavailable</body></html>") << u""_s;
    }

    void notAPage() {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        const Expected<PageInfo> inspected = inspect(body);
        QVERIFY(!inspected);
        QVERIFY2(!inspected.errorMessage().isEmpty() && inspected.errorMessage().contains(message),
                 qPrintable(inspected.errorMessage()));
        const Expected<PageRows> rows = PageReader::read(body, m_plan, u"page.json"_s);
        QVERIFY(!rows);
        QVERIFY2(rows.errorMessage().contains(u"page.json"_s), qPrintable(rows.errorMessage()));
        // The same bytes followed, in their buffer, by what would complete a cut-off page.
        const QByteArray roomy = withRoomBehind(body, "7}]}");
        QVERIFY(roomy.capacity() - roomy.size() >= 64);
        QCOMPARE(roomy, body);
        QVERIFY(!inspect(roomy));
        QVERIFY(!PageReader::read(roomy, m_plan, u"page.json"_s));
    }

    // A whole page reads the same whether it is copied for the parser or read where it is.
    void readInPlaceAsCopied() {
        const QByteArray body = "{\"@odata.count\":2,\"value\":[{\"ListingKey\":\"A\",\"ListPrice\":12,"
                                "\"ModificationTimestamp\":\"2024-01-02T03:04:05Z\"},{\"ListingKey\":\"B\","
                                "\"ListPrice\":7,\"ModificationTimestamp\":\"2024-01-02T03:04:06Z\"}]}";
        const QByteArray roomy = withRoomBehind(body, "9,\"x\":[");
        const Expected<PageInfo> copied = inspect(body);
        const Expected<PageInfo> inPlace = inspect(roomy);
        QVERIFY(copied && inPlace);
        QCOMPARE(inPlace->recordCount, 2);
        QCOMPARE(inPlace->recordCount, copied->recordCount);
        QCOMPARE(inPlace->odataCount, copied->odataCount);
        QCOMPARE(inPlace->maxTimestamp, copied->maxTimestamp);
        QCOMPARE(inPlace->lastKey, copied->lastKey);
        const Expected<PageRows> rows = PageReader::read(roomy, m_plan, u"page.json"_s);
        QVERIFY(rows);
        QCOMPARE(rows->parent.rows.size(), 2);
        QVERIFY(rows->rejected.isEmpty());
    }

    // Each record's fields land in their columns whatever their order: a server may send them in
    // another order from record to record, leave some out, add fields the table does not have, or
    // a name that differs from the one before it at the same place by one byte.
    void fieldsInAnyOrder() {
        const QByteArray body =
            "{\"value\":["
            "{\"ListingKey\":\"A\",\"ListingId\":\"a1\",\"BedroomsTotal\":1,\"ListPrice\":10,\"Media\":["
            "{\"MediaKey\":\"M1\",\"MediaURL\":\"u1\",\"Order\":1},{\"Order\":2,\"MediaURL\":\"u2\","
            "\"MediaKey\":\"M2\"}]},"
            "{\"ListPrice\":20,\"ListingKey\":\"B\",\"BedroomsTotal\":2,\"ListingId\":\"b1\"},"
            "{\"ListingKey\":\"C\",\"Unknown\":\"x\",\"ListingId\":\"c1\",\"ListPrice\":30},"
            "{\"ListingKey\":\"D\",\"ListingId\":\"d1\",\"BedroomsTotal\":4,\"ListPrice\":40},"
            "{\"ListingKey\":\"E\",\"ListingIe\":\"no\",\"BedroomsTotal\":5}"
            "]}";
        const Expected<PageRows> rows = PageReader::read(body, m_plan, u"page.json"_s);
        QVERIFY2(rows, qPrintable(rows ? QString() : rows.errorMessage()));
        QVERIFY(rows->rejected.isEmpty());
        const TablePlan& table = m_plan.table;
        const auto cells = [&](const Row& row, const QStringList& columns) {
            QStringList out;
            for (const QString& column : columns) {
                const Cell& cell = row.at(table.columnIndex(column));
                out.append(cell.isNull() ? u"-"_s : QString::fromUtf8(keyText(cell)));
            }
            return out.join(u' ');
        };
        const QStringList columns = {u"ListingKey"_s, u"ListingId"_s, u"BedroomsTotal"_s};
        QStringList read;
        for (const Row& row : rows->parent.rows)
            read.append(cells(row, columns));
        QCOMPARE(read, (QStringList{u"A a1 1"_s, u"B b1 2"_s, u"C c1 -"_s, u"D d1 4"_s, u"E - 5"_s}));
        const int price = table.columnIndex(u"ListPrice"_s);
        QStringList prices;
        for (const Row& row : rows->parent.rows)
            prices.append(row.at(price).isNull() ? u"-"_s : QString::fromUtf8(row.at(price).text));
        QCOMPARE(prices, (QStringList{u"10"_s, u"20"_s, u"30"_s, u"40"_s, u"-"_s}));

        const TablePlan& media = m_plan.children.first().table;
        QStringList items;
        for (const Row& row : rows->children.first().rows.rows) {
            QStringList item;
            for (const QString& column : {u"MediaKey"_s, u"MediaURL"_s, u"Order"_s})
                item.append(QString::fromUtf8(keyText(row.at(media.columnIndex(column)))));
            items.append(item.join(u' '));
        }
        QCOMPARE(items, (QStringList{u"M1 u1 1"_s, u"M2 u2 2"_s}));
    }

    // A page without "value" is refused on arrival; read (of a file kept by then) finds no records.
    void noValueArray() {
        const QByteArray body = "{\"@odata.context\":\"x\",\"values\":[]}";
        const Expected<PageInfo> inspected = inspect(body);
        QVERIFY(!inspected);
        QVERIFY2(inspected.errorMessage().contains(u"JSON has no \"value\" array"_s),
                 qPrintable(inspected.errorMessage()));
        const Expected<PageRows> rows = PageReader::read(body, m_plan, u"page.json"_s);
        QVERIFY(rows);
        QVERIFY(rows->parent.rows.isEmpty() && rows->rejected.isEmpty());
    }

    // 100,000 levels of arrays in a field the table stores as JSON, and in one it does not know:
    // a recursive reader would overflow its stack. Read or refused, never a crash.
    void deepNesting_data() {
        QTest::addColumn<QByteArray>("field");
        QTest::newRow("stored as JSON") << QByteArray("Keywords");
        QTest::newRow("unknown field") << QByteArray("Rooms");
    }

    void deepNesting() {
        QFETCH(QByteArray, field);
        const QByteArray nested = QByteArray(100000, '[') + QByteArray(100000, ']');
        const QByteArray body = page({"{\"ListingKey\":\"N-1\",\"" + field + "\":" + nested + "}"});
        const Expected<PageInfo> inspected = inspect(body);
        const Expected<PageRows> rows = PageReader::read(body, m_plan, u"page.json"_s);
        qInfo("inspect: %s; read: %s", inspected ? "read" : qPrintable(inspected.errorMessage()),
              rows ? qPrintable(
                         u"%1 rows, %2 set aside"_s.arg(rows->parent.rows.size()).arg(rows->rejected.size()))
                   : qPrintable(rows.errorMessage()));
        if (rows)
            QCOMPARE(rows->parent.rows.size() + rows->rejected.size(), 1);
    }

    // Records that cannot be stored are set aside, each naming key and field; the others are read.
    void badRecordsSetAside() {
        const QByteArray body = page({
            "{\"ListingKey\":\"OK-1\",\"ListPrice\":100.5,\"BedroomsTotal\":3}",
            "{\"ListingKey\":\"BAD-PRICE\",\"ListPrice\":\"a lot\"}",
            "{\"ListingKey\":\"BAD-BEDS\",\"BedroomsTotal\":\"three\"}",
            "{\"ListingKey\":\"BAD-BOOL\",\"NewConstructionYN\":\"maybe\"}",
            "{\"ListingKey\":\"BAD-DATE\",\"ListingContractDate\":\"2024-02-30\"}",
            "{\"ListPrice\":5}",
            "{\"ListingKey\":{\"nested\":\"key\"}}",
            "{\"ListingKey\":\"OK-2\",\"PublicRemarks\":null}",
        });
        const Expected<PageInfo> inspected = inspect(body);
        QVERIFY2(inspected, qPrintable(inspected ? QString() : inspected.errorMessage()));
        QCOMPARE(inspected->recordCount, 8);
        const Expected<PageRows> rows = PageReader::read(body, m_plan, u"page.json"_s);
        QVERIFY2(rows, qPrintable(rows ? QString() : rows.errorMessage()));
        QStringList setAside;
        for (const RecordRejection& r : rows->rejected)
            setAside.append(QString::fromUtf8(r.key) + u": "_s + r.reason);
        QVERIFY2(rows->parent.rows.size() == 2 && rows->rejected.size() == 6,
                 qPrintable(setAside.join(u'\n')));
        const QStringList expected = {u"BAD-PRICE ListPrice"_s, u"BAD-BEDS BedroomsTotal"_s,
                                      u"BAD-BOOL NewConstructionYN"_s, u"BAD-DATE ListingContractDate"_s};
        for (int i = 0; i < expected.size(); ++i) {
            const QStringList parts = expected.at(i).split(u' ');
            QCOMPARE(rows->rejected.at(i).key, parts.first().toUtf8());
            QVERIFY2(rows->rejected.at(i).reason.contains(parts.last()),
                     qPrintable(rows->rejected.at(i).reason));
        }
        QVERIFY2(rows->rejected.at(4).reason.contains(u"ListingKey"_s),
                 qPrintable(rows->rejected.at(4).reason));
        QVERIFY2(rows->rejected.at(5).reason.contains(
                     u"field ListingKey: the value \"{…}\" is not a key (text or a number)"_s),
                 qPrintable(rows->rejected.at(5).reason));
    }

    // One key twice in a record: the page is read, the record once, the later value standing or
    // the record refused, never both values half-applied.
    void duplicateKeysInARecord() {
        const QByteArray body = page({"{\"ListingKey\":\"D-1\",\"ListPrice\":1,\"ListPrice\":2}"});
        QVERIFY(inspect(body));
        const Expected<PageRows> rows = PageReader::read(body, m_plan, u"page.json"_s);
        QVERIFY2(rows, qPrintable(rows ? QString() : rows.errorMessage()));
        QCOMPARE(rows->parent.rows.size() + rows->rejected.size(), 1);
        if (!rows->parent.rows.isEmpty()) {
            const int column = m_plan.table.columnIndex(u"ListPrice"_s);
            QVERIFY(column >= 0);
            QCOMPARE(rows->parent.rows.first().at(column).text, QByteArray("2"));
        }
    }

    // A record whose text is 64 MB (a remark) is read whole.
    void hugeString() {
        const QByteArray remark(64 << 20, 'x');
        const QByteArray body = page({"{\"ListingKey\":\"HUGE\",\"PublicRemarks\":\"" + remark + "\"}"});
        QVERIFY(inspect(body));
        const Expected<PageRows> rows = PageReader::read(body, m_plan, u"page.json"_s);
        QVERIFY2(rows, qPrintable(rows ? QString() : rows.errorMessage()));
        QCOMPARE(rows->parent.rows.size(), 1);
        const int column = m_plan.table.columnIndex(u"PublicRemarks"_s);
        QCOMPARE(rows->parent.rows.first().at(column).text.size(), remark.size());
    }
};

QTEST_GUILESS_MAIN(TestPageReader)
#include "tst_pagereader.moc"
