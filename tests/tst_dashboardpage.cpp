// The dashboard, offscreen, on a real job queue against the fake RESO server: a card per source
// whether it ever ran or not; a sync that failed (its server is gone) shows failed, with the error
// on hover; a running sync shows its progress and a Cancel; the buttons ask, never act; the
// differences badge; every focusable widget is named. With ORS_PAGE_SCREENSHOTS=<dir> it saves
// pictures there.
#include "AccessibleNames.h"
#include "DashboardPage.h"
#include "DisplayTime.h"
#include "LocalBoard.h"
#include "PageScreenshot.h"
#include "QueueFixture.h"
#include "SourceCard.h"

#include <QApplication>
#include <QDir>
#include <QJsonArray>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

constexpr int kWaitMs = 120000;

template <typename T>
T* cardChild(SourceCard* card, const char* name) {
    return card ? card->findChild<T*>(QString::fromLatin1(name)) : nullptr;
}

// A loopback port nothing listens on: a source pointing there fails to connect.
QString deadServiceUrl() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        return {};
    const quint16 port = probe.serverPort();
    probe.close();
    return QStringLiteral("http://127.0.0.1:%1/odata").arg(port);
}

} // namespace

class TestDashboardPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QueueFixture::useQuickRetries(); }

    // Three sources: "fresh" never ran, "broken" fails (its server is gone), "live" runs slowly.
    void cardsShowNeverRunFailedAndRunning() {
        QueueFixture f;
        QVERIFY(f.startServer(QueueFixture::slowListings()));
        QJsonObject broken = f.source(QStringLiteral("broken"), 10);
        const QString dead = deadServiceUrl();
        QVERIFY(!dead.isEmpty());
        broken.insert(QStringLiteral("serviceUrl"), dead);
        QJsonObject live = f.source(QStringLiteral("live"), 10);
        live.insert(QStringLiteral("schedules"),
                    QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("30 10 * * *")}}});
        const auto config = f.load({f.source(QStringLiteral("fresh"), 10), broken, live},
                                   QJsonObject{{QStringLiteral("timeZone"), QStringLiteral("UTC")}});
        QVERIFY(config);
        LocalBoard local(*config, f.dataDir);
        JobQueue& queue = local.queue;
        DashboardPage page(&local.board);
        page.resize(1180, 640);
        QSignalSpy loaded(&page, &DashboardPage::activityLoaded);
        QSignalSpy run(&page, &DashboardPage::runRequested);
        QSignalSpy cancel(&page, &DashboardPage::cancelRequested);
        QSignalSpy open(&page, &DashboardPage::openSourceRequested);
        page.setSources(*config, f.dataDir);
        page.show();
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kWaitMs);

        QCOMPARE(page.sources(),
                 (QStringList{QStringLiteral("fresh"), QStringLiteral("broken"), QStringLiteral("live")}));
        SourceCard* fresh = page.card(QStringLiteral("fresh"));
        QVERIFY(fresh);
        QCOMPARE(fresh->state(), SourceCard::State::Idle);
        QCOMPARE(cardChild<QLabel>(fresh, "cardState")->text(), QStringLiteral("never run"));
        QCOMPARE(cardChild<QLabel>(fresh, "cardLastSync")->text(), QStringLiteral("Sync: never run"));
        QCOMPARE(cardChild<QLabel>(fresh, "cardNextRun")->text(), QStringLiteral("Next: not scheduled"));
        QVERIFY(cardChild<QLabel>(page.card(QStringLiteral("live")), "cardNextRun")
                    ->text()
                    .startsWith(QStringLiteral("Next: sync at ")));
        QVERIFY(!cardChild<QPushButton>(fresh, "cardCancel")->isVisible());

        // The failed run.
        QSignalSpy finished(&queue, &JobQueue::finished);
        QCOMPARE(queue.enqueue({QStringLiteral("broken"), ProcessType::Sync, {}, JobOrigin::Manual}),
                 JobQueue::Enqueued::Started);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        const JobResult failure = finished.at(0).at(1).value<JobResult>();
        QVERIFY(!failure.ok());
        SourceCard* brokenCard = page.card(QStringLiteral("broken"));
        QTRY_COMPARE_WITH_TIMEOUT(brokenCard->state(), SourceCard::State::Failed, kWaitMs);
        QCOMPARE(cardChild<QLabel>(brokenCard, "cardState")->text(), QStringLiteral("failed"));
        auto* lastSync = cardChild<QLabel>(brokenCard, "cardLastSync");
        QVERIFY2(lastSync->text().startsWith(QStringLiteral("Sync: ✗ failed · ")),
                 qPrintable(lastSync->text()));
        QVERIFY2(lastSync->toolTip().contains(failure.error), qPrintable(lastSync->toolTip()));
        QVERIFY(lastSync->toolTip().contains(QStringLiteral(" UTC")));

        // The running sync.
        QCOMPARE(queue.enqueue({QStringLiteral("live"), ProcessType::Sync, {}, JobOrigin::Manual}),
                 JobQueue::Enqueued::Started);
        SourceCard* liveCard = page.card(QStringLiteral("live"));
        QCOMPARE(liveCard->state(), SourceCard::State::Running);
        auto* progressText = cardChild<QLabel>(liveCard, "cardProgressText");
        auto* bar = cardChild<QProgressBar>(liveCard, "cardProgress");
        QVERIFY(bar->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(progressText->text().contains(QStringLiteral("ETA\u00a0")), kWaitMs);
        QVERIFY(finished.size() == 1);
        QVERIFY2(progressText->text().startsWith(QStringLiteral("Property ")),
                 qPrintable(progressText->text()));
        QVERIFY(progressText->text().contains(QStringLiteral(" / 300 records · ")));
        QCOMPARE(bar->maximum(), 1000);
        QVERIFY(bar->value() > 0 && bar->value() < 1000);
        auto* cancelButton = cardChild<QPushButton>(liveCard, "cardCancel");
        QVERIFY(cancelButton->isVisible());
        const QDateTime measured = QDateTime::currentDateTimeUtc();
        page.setDifferences(QStringLiteral("broken"), {QStringLiteral("Property: local missing 12")},
                            measured);
        QVERIFY(cardChild<QLabel>(brokenCard, "cardDifferences")->isVisible());
        QCOMPARE(cardChild<QLabel>(brokenCard, "cardDifferences")->text(),
                 QStringLiteral("⚠ Differs from the MLS (checked %1): Property: local missing 12")
                     .arg(shortTime(measured, QTimeZone::utc(), QDateTime::currentDateTimeUtc())));
        QVERIFY(cardChild<QLabel>(brokenCard, "cardDifferences")->toolTip().contains(QStringLiteral(" UTC")));
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("dashboardSummary"))
                    ->text()
                    .contains(QStringLiteral("1 differ from the MLS")));
        // Counts taken while a sync runs describe the copy half-way: no badge for them.
        page.setDifferences(QStringLiteral("live"), {QStringLiteral("Property: local missing 250")},
                            QDateTime::currentDateTimeUtc());
        QVERIFY(!cardChild<QLabel>(liveCard, "cardDifferences")->isVisible());
        QVERIFY(!liveCard->showsDifferences());
        savePageScreenshot(&page, QStringLiteral("dashboard-page.png"));

        QTest::mouseClick(cancelButton, Qt::LeftButton);
        QCOMPARE(cancel.size(), 1);
        QCOMPARE(cancel.at(0).at(0).toString(), QStringLiteral("live"));
        QTest::mouseClick(cardChild<QPushButton>(fresh, "cardSyncNow"), Qt::LeftButton);
        QCOMPARE(run.size(), 1);
        QCOMPARE(run.at(0).at(0).toString(), QStringLiteral("fresh"));
        QCOMPARE(run.at(0).at(1).value<ProcessType>(), ProcessType::Sync);
        QTest::mouseClick(cardChild<QPushButton>(brokenCard, "cardOpen"), Qt::LeftButton);
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.at(0).at(0).toString(), QStringLiteral("broken"));
        // Asking is all the page did.
        QVERIFY(queue.isRunning(QStringLiteral("live")));
        QVERIFY(!queue.isRunning(QStringLiteral("fresh")));

        const QStringList unnamed = widgetsWithoutAccessibleName(&page);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));

        QVERIFY(queue.cancel(QStringLiteral("live")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
        QTRY_VERIFY(liveCard->state() != SourceCard::State::Running);
        QVERIFY(!bar->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(
            cardChild<QLabel>(liveCard, "cardLastSync")->text().startsWith(QStringLiteral("Sync: cancelled")),
            kWaitMs);
        // The sync ended: the counts taken during it are still not shown; counts taken after it are.
        QVERIFY(!cardChild<QLabel>(liveCard, "cardDifferences")->isVisible());
        page.setDifferences(QStringLiteral("live"), {QStringLiteral("Property: local missing 40")},
                            QDateTime::currentDateTimeUtc());
        QVERIFY(cardChild<QLabel>(liveCard, "cardDifferences")->isVisible());
        QVERIFY(
            cardChild<QLabel>(liveCard, "cardDifferences")->text().endsWith(QStringLiteral("missing 40")));
        page.setDifferences(QStringLiteral("live"), {}, QDateTime::currentDateTimeUtc());
        QVERIFY(!cardChild<QLabel>(liveCard, "cardDifferences")->isVisible());
    }
};

QTEST_MAIN(TestDashboardPage)
#include "tst_dashboardpage.moc"
