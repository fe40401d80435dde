// The rate and ETA estimate jobs report (util/RateEstimator), fed explicit timestamps: a steady
// rate, a rate that changes, a first burst, a long pause, an unknown total, no progress, and a
// total the server got wrong.
#include "util/RateEstimator.h"

#include <QTest>

#include <cmath>

using namespace ors;

namespace {

// Feeds `samples` samples `stepMs` apart at `perSecond` records a second, from (atMs, done).
void feed(RateEstimator& rate, qint64& atMs, qint64& done, int samples, qint64 stepMs, double perSecond) {
    for (int i = 0; i < samples; ++i) {
        atMs += stepMs;
        done += qint64(std::llround(perSecond * double(stepMs) / 1000.0));
        rate.add(atMs, done);
    }
}

bool near(double value, double expected, double tolerance) {
    return std::abs(value - expected) <= expected * tolerance;
}

} // namespace

class TestEta : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void steadyRate();
    void followsARateChange_data();
    void followsARateChange();
    void firstBurstMakesNoRate();
    void recoversFromAPause();
    void unknownTotalHasNoEta();
    void zeroProgressHasNoRate();
    void doneBeyondTotalHasNoNegativeEta();
    void doneGoingBackStartsOver();
};

void TestEta::steadyRate() {
    RateEstimator rate;
    qint64 at = 5000, done = 0;
    rate.reset(at, done);
    feed(rate, at, done, 20, 500, 200); // 10 s at 200 records/s
    QVERIFY(rate.rate());
    QCOMPARE(qRound(*rate.rate()), 200);
    QCOMPARE(done, 2000);
    // 8,000 records left at 200/s.
    QCOMPARE(rate.etaSeconds(10000), std::optional<qint64>(40));
    // Rounded up: 1 record left is a second, not zero.
    QCOMPARE(rate.etaSeconds(2001), std::optional<qint64>(1));
    QCOMPARE(rate.etaSeconds(2000), std::optional<qint64>(0));
}

void TestEta::followsARateChange_data() {
    QTest::addColumn<double>("before");
    QTest::addColumn<double>("after");
    QTest::newRow("faster") << 100.0 << 1000.0;
    QTest::newRow("slower") << 1000.0 << 100.0;
}

// After a minute at one rate, the estimate is within 10 % of the new rate after 50 one-second
// samples (five windows, whether ten times faster or slower), and was not there yet after one
// sample (it is smoothed).
void TestEta::followsARateChange() {
    QFETCH(double, before);
    QFETCH(double, after);
    RateEstimator rate;
    qint64 at = 0, done = 0;
    rate.reset(at, done);
    feed(rate, at, done, 60, 1000, before);
    QVERIFY(near(*rate.rate(), before, 0.01));
    feed(rate, at, done, 1, 1000, after);
    QVERIFY2(!near(*rate.rate(), after, 0.10), qPrintable(QString::number(*rate.rate())));
    feed(rate, at, done, 49, 1000, after);
    QVERIFY2(near(*rate.rate(), after, 0.10), qPrintable(QString::number(*rate.rate())));
    // And the ETA follows the rate.
    const qint64 eta = *rate.etaSeconds(done + qint64(after) * 100);
    QVERIFY2(eta >= 90 && eta <= 112, qPrintable(QString::number(eta)));
}

// 5,000 records 50 ms after the start (a page on disk applied at once), then 100/s: no rate
// during the first second, then the pace since, the burst left out.
void TestEta::firstBurstMakesNoRate() {
    RateEstimator rate;
    rate.reset(0, 0);
    rate.add(50, 5000);
    QVERIFY(!rate.rate());
    QVERIFY(!rate.etaSeconds(100000));
    qint64 at = 50, done = 5000;
    feed(rate, at, done, 9, 100, 100); // up to 0.95 s
    QVERIFY(!rate.rate());
    feed(rate, at, done, 1, 100, 100);
    QVERIFY(rate.rate());
    QVERIFY2(near(*rate.rate(), 100, 0.01), qPrintable(QString::number(*rate.rate())));
    feed(rate, at, done, 100, 100, 100);
    QVERIFY2(near(*rate.rate(), 100, 0.01), qPrintable(QString::number(*rate.rate())));
}

// Two minutes without progress (a throttled server) then the old pace again: the rate drops,
// stays positive, and is back within 10 % of the pace after three windows.
void TestEta::recoversFromAPause() {
    RateEstimator rate;
    qint64 at = 0, done = 0;
    rate.reset(at, done);
    feed(rate, at, done, 30, 1000, 500);
    at += 120000;
    done += 500;
    rate.add(at, done);
    QVERIFY(rate.rate());
    QVERIFY(*rate.rate() > 0);
    QVERIFY(*rate.rate() < 500 * 0.8);
    feed(rate, at, done, 30, 1000, 500);
    QVERIFY2(near(*rate.rate(), 500, 0.10), qPrintable(QString::number(*rate.rate())));
}

void TestEta::unknownTotalHasNoEta() {
    RateEstimator rate;
    qint64 at = 0, done = 0;
    rate.reset(at, done);
    feed(rate, at, done, 10, 1000, 50);
    QVERIFY(rate.rate());
    QCOMPARE(rate.etaSeconds(-1), std::nullopt);
}

void TestEta::zeroProgressHasNoRate() {
    RateEstimator rate;
    QVERIFY(!rate.rate());
    QVERIFY(!rate.etaSeconds(100));
    qint64 at = 0, done = 0;
    rate.reset(at, done);
    feed(rate, at, done, 20, 1000, 0);
    QVERIFY(!rate.rate());
    QCOMPARE(rate.etaSeconds(100), std::nullopt);
    // Nothing left to do is known to take no time, rate or not.
    QCOMPARE(rate.etaSeconds(0), std::optional<qint64>(0));
}

// The server announced 1,000 records and sent more: the ETA is unknown, never negative.
void TestEta::doneBeyondTotalHasNoNegativeEta() {
    RateEstimator rate;
    qint64 at = 0, done = 0;
    rate.reset(at, done);
    feed(rate, at, done, 12, 1000, 100);
    QCOMPARE(done, 1200);
    QVERIFY(rate.rate());
    QCOMPARE(rate.etaSeconds(1000), std::nullopt);
    QCOMPARE(rate.etaSeconds(1200), std::optional<qint64>(0));
}

// A count that goes back (the next resource from zero) is a new baseline, not a negative rate.
void TestEta::doneGoingBackStartsOver() {
    RateEstimator rate;
    qint64 at = 0, done = 0;
    rate.reset(at, done);
    feed(rate, at, done, 10, 1000, 300);
    QVERIFY(rate.rate());
    done = 0;
    at += 1000;
    rate.add(at, done);
    QVERIFY(!rate.rate());
    feed(rate, at, done, 5, 1000, 40);
    QVERIFY(near(*rate.rate(), 40, 0.01));
}

QTEST_GUILESS_MAIN(TestEta)
#include "tst_eta.moc"
