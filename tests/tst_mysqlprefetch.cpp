// MysqlDestination's reading ahead (destinations/MysqlPrefetch.cpp) against the test MariaDB: a
// page that replaces stored rows has them read on a second connection while its own writes them,
// a page after one of new rows does not, the pages store exactly what they would without it, and
// a read-ahead connection that fails or is killed only stops the reading ahead.
#include "destinations/MysqlDestination.h"

#include "DestinationCases.h"
#include "DestinationSuites.h"

#include <QScopeGuard>
#include <QTest>

using namespace ors;
using namespace Qt::StringLiterals;
using ors::test::applyBody;
using ors::test::page;

class TestMysqlPrefetch : public ors::test::MysqlDestinationSuite {
    Q_OBJECT

public:
    TestMysqlPrefetch() {
        qunsetenv("OPENRESYNC_MYSQL_PREFETCH");
        qunsetenv("OPENRESYNC_MYSQL_LOAD_DATA");
    }

private Q_SLOTS:
    void readsAheadWhileReplacing();
    void killedConnectionStopsOnlyTheReading();
    void offByChoice();

private:
    static QByteArray listing(const QByteArray& key, const QByteArray& remarks, const QByteArrayList& media) {
        QByteArrayList items;
        for (const QByteArray& m : media)
            items.append("{\"MediaKey\":\"" + m + "\",\"MediaURL\":\"https://x/" + m + "\"}");
        return "{\"ListingKey\":\"" + key + "\",\"PublicRemarks\":\"" + remarks + "\",\"Media\":[" +
               items.join(',') + "]}";
    }
    // The connections the test user has open on the server, by id.
    QStringList connectionIds() {
        return strings(u"SELECT ID FROM information_schema.PROCESSLIST WHERE USER = CURRENT_USER() "
                       "OR USER = SUBSTRING_INDEX(CURRENT_USER(), '@', 1)"_s);
    }
};

void TestMysqlPrefetch::readsAheadWhileReplacing() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QVERIFY(destination->loadsData());
    QVERIFY(destination->readsAhead());
    // The first page of a table is read ahead: nothing says yet whether its rows are stored.
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("P-1", "one", {"M-1", "M-2"}), listing("P-2", "two", {"M-3"}),
                                  listing("P-3", "three", {})})));
    QCOMPARE(destination->readsAheadSent(), 1);
    // It held new rows only, so the next page is not.
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("P-4", "four", {"M-4"})})));
    QCOMPARE(destination->readsAheadSent(), 1);
    // Neither is this one (the page before it was new rows), which replaces stored ones...
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("P-1", "one again", {"M-2", "M-9"}), listing("P-2", "two", {})})));
    QCOMPARE(destination->readsAheadSent(), 1);
    // ...so this one is, on a connection of its own.
    const QStringList before = connectionIds();
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("P-3", "three again", {"M-5"}), listing("P-4", "four", {"M-4"})})));
    QCOMPARE(destination->readsAheadSent(), 2);
    const QString reader = QString::number(destination->readAheadConnection());
    QVERIFY(destination->readAheadConnection() != 0);
    QVERIFY2(connectionIds().contains(reader), qPrintable(connectionIds().join(u',')));
    QVERIFY2(before.contains(reader), "opened with the first read");
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("P-1", "one, third", {"M-2"})})));
    QCOMPARE(destination->readsAheadSent(), 3);
    QVERIFY(destination->readsAhead()); // every read answered

    QCOMPARE(strings(u"SELECT CONCAT(ListingKey, ':', PublicRemarks) FROM Property ORDER BY ListingKey"_s),
             (QStringList{u"P-1:one, third"_s, u"P-2:two"_s, u"P-3:three again"_s, u"P-4:four"_s}));
    QCOMPARE(strings(u"SELECT CONCAT(ListingKey, ':', MediaKey) FROM Media ORDER BY MediaKey"_s),
             (QStringList{u"P-1:M-2"_s, u"P-4:M-4"_s, u"P-3:M-5"_s}));

    // The second connection goes with the destination.
    destination.reset();
    QVERIFY(!connectionIds().contains(reader));
}

void TestMysqlPrefetch::killedConnectionStopsOnlyTheReading() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-1", "a", {"KM-1"})})));
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-1", "b", {"KM-2"})})));
    QCOMPARE(destination->readsAheadSent(), 1);
    const unsigned long reader = destination->readAheadConnection();
    QVERIFY(reader != 0);
    // Killed (a server restart, a DBA): the next read cannot be sent or its answer not read.
    ORS_VERIFY_OK(destination->runStatement("KILL " + QByteArray::number(qulonglong(reader))));
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-1", "c", {"KM-3"})})));
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-1", "d", {"KM-4"})})));
    QVERIFY(!destination->readsAhead());
    QCOMPARE(destination->readAheadConnection(), 0UL);
    const qint64 sent = destination->readsAheadSent();
    QVERIFY2(sent <= 2, qPrintable(QString::number(sent)));
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-1", "e", {"KM-5"})})));
    QCOMPARE(destination->readsAheadSent(), sent);
    QCOMPARE(strings(u"SELECT CONCAT(p.PublicRemarks, ':', m.MediaKey) FROM Property p JOIN Media m "
                     "ON m.ListingKey = p.ListingKey"_s),
             QStringList{u"e:KM-5"_s});
}

void TestMysqlPrefetch::offByChoice() {
    qputenv("OPENRESYNC_MYSQL_PREFETCH", "0");
    auto restore = qScopeGuard([] { qunsetenv("OPENRESYNC_MYSQL_PREFETCH"); });
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QVERIFY(!destination->readsAhead());
    for (const QByteArray& remarks : {QByteArray("a"), QByteArray("b"), QByteArray("c")})
        ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("O-1", remarks, {"OM-1"})})));
    QCOMPARE(destination->readsAheadSent(), 0);
    QCOMPARE(destination->readAheadConnection(), 0UL);
    destination.reset();

    // The statements' path (no LOAD DATA) has no load to say whether rows were replaced.
    qunsetenv("OPENRESYNC_MYSQL_PREFETCH");
    qputenv("OPENRESYNC_MYSQL_LOAD_DATA", "0");
    auto restoreLoad = qScopeGuard([] { qunsetenv("OPENRESYNC_MYSQL_LOAD_DATA"); });
    auto statements = openDestination(m_plan);
    QVERIFY(statements);
    for (const QByteArray& remarks : {QByteArray("d"), QByteArray("e")})
        ORS_VERIFY_OK(applyBody(*statements, m_plan, page({listing("O-1", remarks, {"OM-2"})})));
    QCOMPARE(statements->readsAheadSent(), 0);
    QCOMPARE(strings(u"SELECT CONCAT(p.PublicRemarks, ':', m.MediaKey) FROM Property p JOIN Media m "
                     "ON m.ListingKey = p.ListingKey"_s),
             QStringList{u"e:OM-2"_s});
}

QTEST_GUILESS_MAIN(TestMysqlPrefetch)
#include "tst_mysqlprefetch.moc"
