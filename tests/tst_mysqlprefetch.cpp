// MysqlDestination's reading ahead (destinations/MysqlPrefetch.cpp) against the test MariaDB: a
// page's rows are read on a second connection while its own writes them (every page when asked;
// by default the first, then while the server reads from disk), the pages store exactly what
// they would without it, and a read-ahead connection that fails or is killed only stops the
// reading ahead.
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
    void readsAheadEveryPageWhenAsked();
    void byDefaultTheFirstPageThenWhileReadingFromDisk();
    void worthOnlyWhileTheServerReads();
    void killedConnectionStopsOnlyTheReading();
    void offByChoice();

private:
    // Each stored listing's remarks with each of its Media keys, "remarks:key".
    QStringList remarksAndMedia() {
        return strings(u"SELECT CONCAT(p.PublicRemarks, ':', m.MediaKey) FROM Property p JOIN Media m "
                       "ON m.ListingKey = p.ListingKey"_s);
    }
};

void TestMysqlPrefetch::readsAheadEveryPageWhenAsked() {
    qputenv("OPENRESYNC_MYSQL_PREFETCH", "1");
    auto restore = qScopeGuard([] { qunsetenv("OPENRESYNC_MYSQL_PREFETCH"); });
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QVERIFY(destination->loadsData());
    QVERIFY(destination->readsAhead());
    QCOMPARE(destination->readAheadConnection(), 0UL); // opened with the first read
    const QStringList before = connectionIds();
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("P-1", "one", {"M-1", "M-2"}), listing("P-2", "two", {"M-3"}),
                                  listing("P-3", "three", {})})));
    QCOMPARE(destination->readsAheadSent(), 1);
    const QString reader = QString::number(destination->readAheadConnection());
    QVERIFY(destination->readAheadConnection() != 0);
    QVERIFY(!before.contains(reader));
    QVERIFY2(connectionIds().contains(reader), qPrintable(connectionIds().join(u',')));
    // New rows, changed rows, Media dropped and added, a listing without its Media.
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("P-4", "four", {"M-4"})})));
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("P-1", "one again", {"M-2", "M-9"}), listing("P-2", "two", {})})));
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("P-3", "three again", {"M-5"}), listing("P-4", "four", {"M-4"})})));
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("P-1", "one, third", {"M-2"})})));
    QCOMPARE(destination->readsAheadSent(), 5);
    QVERIFY(destination->readsAhead()); // every read answered
    QCOMPARE(QString::number(destination->readAheadConnection()), reader);

    QCOMPARE(strings(u"SELECT CONCAT(ListingKey, ':', PublicRemarks) FROM Property ORDER BY ListingKey"_s),
             (QStringList{u"P-1:one, third"_s, u"P-2:two"_s, u"P-3:three again"_s, u"P-4:four"_s}));
    QCOMPARE(strings(u"SELECT CONCAT(ListingKey, ':', MediaKey) FROM Media ORDER BY MediaKey"_s),
             (QStringList{u"P-1:M-2"_s, u"P-4:M-4"_s, u"P-3:M-5"_s}));

    // The second connection goes with the destination (the server drops a closed session's
    // thread shortly after the client has gone).
    destination.reset();
    QTRY_VERIFY_WITH_TIMEOUT(!connectionIds().contains(reader), 10000);
}

void TestMysqlPrefetch::byDefaultTheFirstPageThenWhileReadingFromDisk() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QVERIFY(destination->readsAhead());
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("D-1", "a", {"DM-1"})})));
    QCOMPARE(destination->readsAheadSent(), 1); // nothing says yet whether its rows are in memory
    // After it, only when the server read at least as many pages from disk as the last page had
    // rows: what this server does besides is not ours to know, so only the bounds are certain.
    for (const QByteArray& remarks : {QByteArray("b"), QByteArray("c"), QByteArray("d")})
        ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("D-1", remarks, {"DM-2"})})));
    QVERIFY(destination->readsAheadSent() >= 1 && destination->readsAheadSent() <= 4);
    QVERIFY(destination->readsAhead()); // the server's counter was read every time
    QCOMPARE(remarksAndMedia(), QStringList{u"d:DM-2"_s});
}

void TestMysqlPrefetch::worthOnlyWhileTheServerReads() {
    using ors::MysqlDestination;
    // The first page, then a page whose predecessor made the server read a page from disk per row.
    QVERIFY(MysqlDestination::readAheadNext(std::nullopt, 0, 0));
    QVERIFY(MysqlDestination::readAheadNext(100, 1100, 1000));
    QVERIFY(MysqlDestination::readAheadNext(100, 5000, 1000));
    QVERIFY(!MysqlDestination::readAheadNext(100, 1099, 1000));
    QVERIFY(!MysqlDestination::readAheadNext(100, 100, 1000));
}

void TestMysqlPrefetch::killedConnectionStopsOnlyTheReading() {
    qputenv("OPENRESYNC_MYSQL_PREFETCH", "1");
    auto restore = qScopeGuard([] { qunsetenv("OPENRESYNC_MYSQL_PREFETCH"); });
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-1", "a", {"KM-1"})})));
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-1", "b", {"KM-2"})})));
    QCOMPARE(destination->readsAheadSent(), 2);
    const unsigned long reader = destination->readAheadConnection();
    QVERIFY(reader != 0);
    // Killed (a server restart, a DBA): the next read cannot be sent or its answer not read.
    ORS_VERIFY_OK(destination->runStatement("KILL " + QByteArray::number(qulonglong(reader))));
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-1", "c", {"KM-3"})})));
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-1", "d", {"KM-4"})})));
    QVERIFY(!destination->readsAhead());
    QCOMPARE(destination->readAheadConnection(), 0UL);
    const qint64 sent = destination->readsAheadSent();
    QVERIFY2(sent == 2 || sent == 3, qPrintable(QString::number(sent)));
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-1", "e", {"KM-5"})})));
    QCOMPARE(destination->readsAheadSent(), sent);
    QCOMPARE(remarksAndMedia(), QStringList{u"e:KM-5"_s});
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
    QCOMPARE(remarksAndMedia(), QStringList{u"e:OM-2"_s});
}

QTEST_GUILESS_MAIN(TestMysqlPrefetch)
#include "tst_mysqlprefetch.moc"
