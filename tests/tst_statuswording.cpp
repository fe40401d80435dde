// How one destination's figures are worded against the MLS's (core/inspect/SourceStatus): the
// phrases the resources table and the dashboard badge show, timestamps compared as instants.
#include "inspect/SourceStatus.h"

#include <QTest>

using namespace ors;

namespace {

MlsStatus mls(std::optional<qint64> count, const QString& newest) {
    MlsStatus m;
    m.count = count;
    m.newestText = newest;
    m.newest = storedInstant(newest);
    return m;
}

DestinationStatus destination(std::optional<qint64> count, const QString& newest) {
    DestinationStatus d;
    d.name = QStringLiteral("local");
    d.opened = true;
    d.count = count;
    d.newestText = newest;
    d.newest = storedInstant(newest);
    return d;
}

} // namespace

class TestStatusWording : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void wording_data() {
        QTest::addColumn<qint64>("mlsCount");
        QTest::addColumn<QString>("mlsNewest");
        QTest::addColumn<qint64>("count");
        QTest::addColumn<QString>("newest");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("inSync");
        const QString t = QStringLiteral("2024-05-01T10:00:00.000Z");
        QTest::newRow("in sync") << qint64(40) << t << qint64(40) << t << QStringLiteral("in sync") << true;
        QTest::newRow("missing") << qint64(52) << t << qint64(40) << t << QStringLiteral("missing 12")
                                 << false;
        QTest::newRow("too many") << qint64(40) << t << qint64(52) << t << QStringLiteral("12 too many")
                                  << false;
        QTest::newRow("behind") << qint64(40) << t << qint64(40) << QStringLiteral("2024-05-01T06:40:00.000Z")
                                << QStringLiteral("newest 3 h behind") << false;
        QTest::newRow("ahead") << qint64(40) << t << qint64(40) << QStringLiteral("2024-05-01T10:05:30.000Z")
                               << QStringLiteral("newest 5 min ahead") << false;
        QTest::newRow("both") << qint64(41) << t << qint64(40) << QStringLiteral("2024-05-01T09:59:15.000Z")
                              << QStringLiteral("missing 1, newest 45 s behind") << false;
        QTest::newRow("days") << qint64(40) << t << qint64(40) << QStringLiteral("2024-04-26T10:00:00.000Z")
                              << QStringLiteral("newest 5 d behind") << false;
        QTest::newRow("milliseconds")
            << qint64(40) << t << qint64(40) << QStringLiteral("2024-05-01T09:59:59.750Z")
            << QStringLiteral("newest 250 ms behind") << false;
        QTest::newRow("thousands") << qint64(1250000) << t << qint64(1000) << t
                                   << QStringLiteral("missing 1,249,000") << false;
        // Another zone, or none, names the same instant: still in sync.
        QTest::newRow("offset") << qint64(40) << t << qint64(40)
                                << QStringLiteral("2024-05-01T12:00:00+02:00") << QStringLiteral("in sync")
                                << true;
        QTest::newRow("short offset")
            << qint64(40) << t << qint64(40) << QStringLiteral("2024-05-01 03:00:00.000-0700")
            << QStringLiteral("in sync") << true;
        QTest::newRow("no zone") << qint64(40) << t << qint64(40) << QStringLiteral("2024-05-01 10:00:00")
                                 << QStringLiteral("in sync") << true;
        QTest::newRow("no zone, behind")
            << qint64(40) << t << qint64(40) << QStringLiteral("2024-05-01 08:00:00")
            << QStringLiteral("newest 2 h behind") << false;
        QTest::newRow("MLS count unknown")
            << qint64(-1) << t << qint64(40) << t << QStringLiteral("MLS count unknown") << false;
        QTest::newRow("empty destination")
            << qint64(40) << t << qint64(0) << QString() << QStringLiteral("missing 40") << false;
        QTest::newRow("not a timestamp") << qint64(40) << t << qint64(40) << QStringLiteral("yesterday")
                                         << QStringLiteral("newest held is not a timestamp") << false;
        // Without $orderby the MLS gives no newest: counts alone decide.
        QTest::newRow("no MLS newest")
            << qint64(40) << QString() << qint64(40) << t << QStringLiteral("in sync") << true;
    }

    void wording() {
        QFETCH(qint64, mlsCount);
        QFETCH(QString, mlsNewest);
        QFETCH(qint64, count);
        QFETCH(QString, newest);
        QFETCH(QString, text);
        QFETCH(bool, inSync);
        const StatusDifference d =
            describeDifference(mls(mlsCount >= 0 ? std::optional<qint64>(mlsCount) : std::nullopt, mlsNewest),
                               destination(count, newest));
        QCOMPARE(d.text(), text);
        QCOMPARE(d.inSync, inSync);
    }

    void unreadableDestinationsAreNotCompared() {
        DestinationStatus closed;
        closed.openError = QStringLiteral("unable to open database file");
        StatusDifference d = describeDifference(mls(40, {}), closed);
        QVERIFY(d.unknown);
        QVERIFY(!d.inSync);
        QCOMPARE(d.text(), QStringLiteral("destination not available"));

        DestinationStatus failing = destination(std::nullopt, {});
        failing.error = QStringLiteral("destination local: counting Property failed: disk I/O error");
        d = describeDifference(mls(40, {}), failing);
        QVERIFY(d.unknown);
        QCOMPARE(d.text(), QStringLiteral("destination cannot be read"));
    }

    void storedInstants() {
        QCOMPARE(storedInstant(QStringLiteral("2024-05-01T12:00:00.5+02:00")),
                 std::optional<QDateTime>(QDateTime(QDate(2024, 5, 1), QTime(10, 0, 0, 500), Qt::UTC)));
        QCOMPARE(storedInstant(QStringLiteral("2024-05-01 10:00:00")),
                 std::optional<QDateTime>(QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC)));
        QVERIFY(!storedInstant(QString()));
        QVERIFY(!storedInstant(QStringLiteral("2024-13-01T10:00:00Z")));
    }
};

QTEST_GUILESS_MAIN(TestStatusWording)
#include "tst_statuswording.moc"
