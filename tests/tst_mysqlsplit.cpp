// MysqlDestination's pages written on two connections (destinations/MysqlSplit.cpp) against the
// test MariaDB: the parents on the destination's own connection and the children on a second one
// at the same time, storing exactly what one connection stores; a refused child value, a killed
// second connection or tables that could wait for each other (a foreign key) fall back to the one
// connection; a schema change reaches the second connection; the thread that applies the page
// serves its events meanwhile.
#include "destinations/MysqlDestination.h"
#include "reso/PageReader.h"

#include "DestinationCases.h"
#include "DestinationSuites.h"

#include <QScopeGuard>
#include <QTest>
#include <QTimer>

using namespace ors;
using namespace Qt::StringLiterals;
using ors::test::applyBody;
using ors::test::page;

class TestMysqlSplit : public ors::test::MysqlDestinationSuite {
    Q_OBJECT

public:
    TestMysqlSplit() {
        qunsetenv("OPENRESYNC_MYSQL_SPLIT");
        qunsetenv("OPENRESYNC_MYSQL_LOAD_DATA");
    }

private Q_SLOTS:
    void childrenOnASecondConnection();
    void refusedChildIsNamedAndLeftOut();
    void killedSecondConnectionIsReplaced();
    void foreignKeyKeepsOneConnection();
    void lockWaitsFallBackThenStopTheSplitting();
    void schemaGrowthReachesTheSecondConnection();
    void eventsAreServedWhileAPageIsWritten();
    void connectionsOpenedBeforeTheFirstPage();
    void offByChoice();

private:
    // Each stored listing's remarks with each of its Media keys, "remarks:key", and the listings
    // without Media as "remarks:".
    QStringList remarksAndMedia() {
        return strings(u"SELECT CONCAT(p.PublicRemarks, ':', IFNULL(m.MediaKey, '')) FROM Property p "
                       "LEFT JOIN Media m ON m.ListingKey = p.ListingKey ORDER BY 1"_s);
    }
    // The LOAD DATA statements the destination's own connection ran so far.
    static qint64 loadsHere(MysqlDestination& destination) {
        auto loads = destination.sessionStatus(u"Com_load"_s);
        return loads ? *loads : -1;
    }
};

void TestMysqlSplit::childrenOnASecondConnection() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QVERIFY(destination->loadsData());
    QVERIFY(destination->splitsPages());
    QCOMPARE(destination->childConnection(), 0UL); // opened with the first page that has children
    const QStringList before = connectionIds();
    const qint64 loadsBefore = loadsHere(*destination);
    QVERIFY(loadsBefore >= 0);
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("P-1", "one", {"M-1", "M-2"}), listing("P-2", "two", {"M-3"}),
                                  listing("P-3", "three", {})})));
    const unsigned long writer = destination->childConnection();
    QVERIFY(writer != 0);
    QVERIFY(writer != destination->readAheadConnection());
    QVERIFY(!before.contains(QString::number(writer)));
    QVERIFY2(connectionIds().contains(QString::number(writer)), qPrintable(connectionIds().join(u',')));
    // This connection loaded the parents only: the Media went by the other one.
    QCOMPARE(loadsHere(*destination), loadsBefore + 1);
    QCOMPARE(destination->rowsLoaded(), 6);

    // New rows, changed rows, Media dropped and added, a listing whose Media all went.
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("P-4", "four", {"M-4"})})));
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("P-1", "one again", {"M-2", "M-9"}), listing("P-2", "two", {})})));
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("P-3", "three again", {"M-5"}), listing("P-4", "four", {"M-4"})})));
    QCOMPARE(loadsHere(*destination), loadsBefore + 4);
    QCOMPARE(destination->childConnection(), writer);
    QCOMPARE(remarksAndMedia(), (QStringList{u"four:M-4"_s, u"one again:M-2"_s, u"one again:M-9"_s,
                                             u"three again:M-5"_s, u"two:"_s}));
    QCOMPARE(
        strings(u"SELECT CONCAT(ListingKey, ':', MediaKey, ':', MediaURL) FROM Media ORDER BY MediaKey"_s),
        (QStringList{u"P-1:M-2:https://x/M-2"_s, u"P-4:M-4:https://x/M-4"_s, u"P-3:M-5:https://x/M-5"_s,
                     u"P-1:M-9:https://x/M-9"_s}));

    // A page without children stays on the one connection.
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan, page({"{\"ListingKey\":\"P-5\",\"PublicRemarks\":\"five\"}"})));
    QCOMPARE(count(u"Property"_s), 5);

    // The second connection goes with the destination.
    destination.reset();
    QTRY_VERIFY_WITH_TIMEOUT(!connectionIds().contains(QString::number(writer)), 10000);
}

void TestMysqlSplit::refusedChildIsNamedAndLeftOut() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("KEEP", "old", {"KM-1"})})));
    const unsigned long writer = destination->childConnection();
    QVERIFY(writer != 0);
    // MediaKey is a VARCHAR(255): the server refuses a longer one on the children's connection.
    const QByteArray tooLong(256, 'k');
    QByteArrayList records{listing("R-1", "fine", {"RM-1"}), listing("R-2", "bad child", {"RM-2", tooLong}),
                           listing("KEEP", "new", {"KM-2"})};
    auto rows = PageReader::read(page(records), m_plan, u"test page"_s);
    ORS_VERIFY_OK(rows);
    QVERIFY(rows->rejected.isEmpty());
    const auto r = destination->apply(m_plan, *rows);
    QVERIFY(!r.ok());
    QVERIFY2(r.errorMessage().contains(u"writing Media record"_s) &&
                 r.errorMessage().contains(u"MediaKey"_s) && r.errorMessage().contains(u"1406"_s),
             qPrintable(r.errorMessage()));
    // Neither connection kept anything of the page.
    QCOMPARE(remarksAndMedia(), QStringList{u"old:KM-1"_s});

    auto rejected = destination->applyRejecting(m_plan, *rows);
    ORS_VERIFY_OK(rejected);
    QCOMPARE(rejected->size(), 1);
    QCOMPARE(rejected->first().key, QByteArray("R-2"));
    QCOMPARE(remarksAndMedia(), (QStringList{u"fine:RM-1"_s, u"new:KM-2"_s}));
    // A refused value says nothing against the connection: the next pages still use it.
    QCOMPARE(destination->childConnection(), writer);
    const qint64 loads = loadsHere(*destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("R-3", "three", {"RM-3"})})));
    QCOMPARE(loadsHere(*destination), loads + 1);
    QCOMPARE(count(u"Media"_s), 3);
}

void TestMysqlSplit::killedSecondConnectionIsReplaced() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-1", "a", {"KM-1"})})));
    const unsigned long writer = destination->childConnection();
    QVERIFY(writer != 0);
    // Killed (a server restart, a DBA): that page goes on the one connection, whole.
    ORS_VERIFY_OK(destination->runStatement("KILL " + QByteArray::number(qulonglong(writer))));
    ORS_VERIFY_OK(
        applyBody(*destination, m_plan, page({listing("K-1", "b", {"KM-2"}), listing("K-2", "c", {})})));
    QCOMPARE(remarksAndMedia(), (QStringList{u"b:KM-2"_s, u"c:"_s}));
    // The next page opens another.
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("K-2", "d", {"KM-3", "KM-4"})})));
    QVERIFY(destination->splitsPages());
    QVERIFY(destination->childConnection() != 0);
    QVERIFY(destination->childConnection() != writer);
    QCOMPARE(remarksAndMedia(), (QStringList{u"b:KM-2"_s, u"d:KM-3"_s, u"d:KM-4"_s}));
}

void TestMysqlSplit::foreignKeyKeepsOneConnection() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    // Media's rows would wait for their parents' uncommitted rows on the other connection.
    QVERIFY(exec(u"ALTER TABLE Media ADD CONSTRAINT media_parent FOREIGN KEY (ListingKey) "
                 "REFERENCES Property (ListingKey)"_s));
    const qint64 loads = loadsHere(*destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("F-1", "a", {"FM-1", "FM-2"}), listing("F-2", "b", {"FM-3"})})));
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("F-1", "c", {"FM-2"})})));
    QCOMPARE(destination->childConnection(), 0UL);
    QCOMPARE(remarksAndMedia(), (QStringList{u"b:FM-3"_s, u"c:FM-2"_s}));
    // Property, which a key now refers to, goes by statements; Media still loads, here.
    QCOMPARE(loadsHere(*destination), loads + 2);
}

void TestMysqlSplit::lockWaitsFallBackThenStopTheSplitting() {
    // A foreign key added after the session found the tables independent: the Media of a new
    // listing wait on the second connection for their parent, uncommitted on the first, until the
    // lock wait timeout. The page is written on one connection each time, and after three such
    // pages in a row the session stops splitting.
    QCOMPARE(asRoot(u"SET GLOBAL innodb_lock_wait_timeout = 1"_s), QString());
    auto restore = qScopeGuard([] { asRoot(u"SET GLOBAL innodb_lock_wait_timeout = 50"_s); });
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("W-0", "a", {"WM-0"})})));
    QVERIFY(destination->childConnection() != 0);
    QVERIFY(exec(u"ALTER TABLE Media ADD CONSTRAINT media_waits FOREIGN KEY (ListingKey) "
                 "REFERENCES Property (ListingKey)"_s));
    for (int i = 1; i <= 3; ++i) {
        QVERIFY(destination->splitsPages());
        const QByteArray n = QByteArray::number(i);
        ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("W-" + n, "b", {"WM-" + n})})));
    }
    QVERIFY(!destination->splitsPages());
    QCOMPARE(destination->childConnection(), 0UL);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("W-4", "c", {"WM-4"})})));
    QCOMPARE(strings(u"SELECT CONCAT(ListingKey, ':', MediaKey) FROM Media ORDER BY MediaKey"_s),
             (QStringList{u"W-0:WM-0"_s, u"W-1:WM-1"_s, u"W-2:WM-2"_s, u"W-3:WM-3"_s, u"W-4:WM-4"_s}));
}

void TestMysqlSplit::schemaGrowthReachesTheSecondConnection() {
    QByteArray grown = ors::test::kEdmx;
    grown.replace("<!--M-->", "<Property Name='MediaCategory' Type='Edm.String' MaxLength='50'/>");
    auto grownPlan = ors::test::planFromXml(grown);
    QVERIFY2(grownPlan, qPrintable(grownPlan ? QString() : grownPlan.errorMessage()));
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("G-1", "a", {"GM-1"})})));
    QVERIFY(destination->childConnection() != 0);
    ORS_VERIFY_OK(destination->ensureSchema(*grownPlan));
    const qint64 loaded = destination->rowsLoaded();
    ORS_VERIFY_OK(
        applyBody(*destination, *grownPlan,
                  page({"{\"ListingKey\":\"G-1\",\"PublicRemarks\":\"b\",\"Media\":[{\"MediaKey\":\"GM-1\","
                        "\"MediaURL\":\"u1\",\"MediaCategory\":\"Photo\"},{\"MediaKey\":\"GM-2\","
                        "\"MediaURL\":\"u2\",\"MediaCategory\":\"Video\"}]}"})));
    QVERIFY(destination->childConnection() != 0);
    QCOMPARE(strings(u"SELECT CONCAT(MediaKey, ':', MediaURL, ':', IFNULL(MediaCategory, 'null')) FROM Media "
                     "ORDER BY MediaKey"_s),
             (QStringList{u"GM-1:u1:Photo"_s, u"GM-2:u2:Video"_s}));
    // Both tables by LOAD DATA: the second connection knows Media's new column (with the old
    // shape its load would not name every column, and the statements would write the rows).
    QCOMPARE(destination->rowsLoaded(), loaded + 3);
}

void TestMysqlSplit::eventsAreServedWhileAPageIsWritten() {
    // The next page's answer is read while the server writes this one: the thread that applies a
    // page runs its event loop meanwhile. Here a timer of that thread ends what keeps the page's
    // Media waiting (another transaction's lock on them); were the loop not run, the Media would
    // wait out the lock wait timeout and the page would fail on both connections.
    QCOMPARE(asRoot(u"SET GLOBAL innodb_lock_wait_timeout = 2"_s), QString());
    auto restore = qScopeGuard([] { asRoot(u"SET GLOBAL innodb_lock_wait_timeout = 50"_s); });
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("E-1", "a", {"EM-1"})})));
    const unsigned long writer = destination->childConnection();
    QVERIFY(writer != 0);
    QVERIFY(exec(u"START TRANSACTION"_s));
    QCOMPARE(strings(u"SELECT MediaKey FROM Media WHERE ListingKey = 'E-1' FOR UPDATE"_s),
             QStringList{u"EM-1"_s});
    bool released = false;
    // Owned here, so that a failed check that ends the test early cancels it, and the lock goes.
    QTimer release;
    release.setSingleShot(true);
    connect(&release, &QTimer::timeout, this, [&] { released = exec(u"COMMIT"_s); });
    auto unlock = qScopeGuard([&] {
        if (!released)
            exec(u"ROLLBACK"_s);
    });
    release.start(300);
    const qint64 loads = loadsHere(*destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("E-1", "b", {"EM-2"}), listing("E-2", "c", {"EM-3"})})));
    // Nothing else ran this thread's events since the timer was set.
    QVERIFY(released);
    // Written on two connections, not again on one after a failure.
    QCOMPARE(destination->childConnection(), writer);
    QCOMPARE(loadsHere(*destination), loads + 1);
    QCOMPARE(remarksAndMedia(), (QStringList{u"b:EM-2"_s, u"c:EM-3"_s}));
}

// prepareWrites, while a sync waits for its first page: the children's and the reading ahead's
// connections are opened then, nothing is written, and the first page goes by those two. A
// read-only destination opens neither.
void TestMysqlSplit::connectionsOpenedBeforeTheFirstPage() {
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QCOMPARE(destination->childConnection(), 0UL);
    QCOMPARE(destination->readAheadConnection(), 0UL);
    destination->prepareWrites(m_plan);
    const unsigned long writer = destination->childConnection();
    const unsigned long reader = destination->readAheadConnection();
    QVERIFY(writer != 0);
    QVERIFY(reader != 0);
    QVERIFY(writer != reader);
    const QStringList open = connectionIds();
    QVERIFY2(open.contains(QString::number(writer)) && open.contains(QString::number(reader)),
             qPrintable(open.join(u',')));
    QCOMPARE(count(u"Property"_s), 0);
    QCOMPARE(count(u"Media"_s), 0);
    const qint64 loads = loadsHere(*destination);
    ORS_VERIFY_OK(applyBody(*destination, m_plan,
                            page({listing("W-1", "a", {"WM-1", "WM-2"}), listing("W-2", "b", {})})));
    QCOMPARE(destination->childConnection(), writer);
    QCOMPARE(destination->readAheadConnection(), reader);
    QCOMPARE(loadsHere(*destination), loads + 1); // the Media went by the children's connection
    QCOMPARE(remarksAndMedia(), (QStringList{u"a:WM-1"_s, u"a:WM-2"_s, u"b:"_s}));
    // Asked again, nothing changes.
    destination->prepareWrites(m_plan);
    QCOMPARE(destination->childConnection(), writer);
    QCOMPARE(destination->readAheadConnection(), reader);

    MysqlDestination readOnly(m_config, u"src"_s);
    readOnly.setReadOnly(true);
    ORS_VERIFY_OK(readOnly.open());
    const QStringList before = connectionIds();
    readOnly.prepareWrites(m_plan);
    QCOMPARE(readOnly.childConnection(), 0UL);
    QCOMPARE(readOnly.readAheadConnection(), 0UL);
    QCOMPARE(connectionIds().size(), before.size());
}

void TestMysqlSplit::offByChoice() {
    qputenv("OPENRESYNC_MYSQL_SPLIT", "0");
    auto restore = qScopeGuard([] { qunsetenv("OPENRESYNC_MYSQL_SPLIT"); });
    auto destination = openDestination(m_plan);
    QVERIFY(destination);
    QVERIFY(destination->loadsData());
    QVERIFY(!destination->splitsPages());
    const qint64 loads = loadsHere(*destination);
    for (const QByteArray& remarks : {QByteArray("a"), QByteArray("b"), QByteArray("c")})
        ORS_VERIFY_OK(applyBody(*destination, m_plan, page({listing("O-1", remarks, {"OM-1"})})));
    QCOMPARE(destination->childConnection(), 0UL);
    // Both tables loaded on the one connection, page after page.
    QCOMPARE(loadsHere(*destination), loads + 6);
    QCOMPARE(remarksAndMedia(), QStringList{u"c:OM-1"_s});
    destination.reset();

    // Pages written by statements (no LOAD DATA) stay on one connection too.
    qunsetenv("OPENRESYNC_MYSQL_SPLIT");
    qputenv("OPENRESYNC_MYSQL_LOAD_DATA", "0");
    auto restoreLoad = qScopeGuard([] { qunsetenv("OPENRESYNC_MYSQL_LOAD_DATA"); });
    auto statements = openDestination(m_plan);
    QVERIFY(statements);
    QVERIFY(!statements->loadsData());
    QVERIFY(!statements->splitsPages());
    ORS_VERIFY_OK(applyBody(*statements, m_plan, page({listing("O-1", "d", {"OM-2", "OM-3"})})));
    QCOMPARE(statements->childConnection(), 0UL);
    QCOMPARE(remarksAndMedia(), (QStringList{u"d:OM-2"_s, u"d:OM-3"_s}));
}

QTEST_GUILESS_MAIN(TestMysqlSplit)
#include "tst_mysqlsplit.moc"
