// The Jobs page, offscreen, on a real job queue against the fake RESO server whose pages answer
// late: a running job shows its phase, records done of the total, rate and ETA; a queued job of
// another source is listed after it; Cancel asks for the selected job (running: the source's
// cancel; queued: that request only); Pause/Resume follow the scheduler; with nothing running the
// page names the next scheduled run. With ORS_PAGE_SCREENSHOTS=<dir> it saves pictures there.
#include "AccessibleNames.h"
#include "JobsModel.h"
#include "JobsPage.h"
#include "LocalBoard.h"
#include "PageScreenshot.h"
#include "QueueFixture.h"

#include <QApplication>
#include <QDir>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>

using namespace ors;
using namespace ors::test;

namespace {

constexpr int kWaitMs = 120000;

QString cell(const JobsModel* model, int row, int column) {
    return model->index(row, column).data().toString();
}

} // namespace

class TestJobsPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QueueFixture::useQuickRetries(); }

    // Source a runs (300 listings, 10 a page, each page 150 ms late: several seconds), b waits
    // for the one slot. The table lists a then b; a's row gets progress of the announced total,
    // a rate and an ETA; Cancel on each row asks for the right thing.
    void runningThenQueuedWithProgressAndEta() {
        QueueFixture f;
        QVERIFY(f.startServer(QueueFixture::slowListings()));
        const auto config = f.load({f.source(QStringLiteral("a"), 10), f.source(QStringLiteral("b"), 10)},
                                   QJsonObject{{QStringLiteral("maxConcurrentJobs"), 1}});
        QVERIFY(config);
        LocalBoard local(*config, f.dataDir);
        JobQueue& queue = local.queue;
        JobsPage page(&local.board);
        page.resize(1180, 420);
        page.show();
        QSignalSpy cancel(&page, &JobsPage::cancelRequested);
        QSignalSpy cancelQueued(&page, &JobsPage::cancelQueuedRequested);
        QSignalSpy finished(&queue, &JobQueue::finished);

        auto* stack = page.findChild<QStackedWidget*>();
        auto* table = page.findChild<QTableView*>(QStringLiteral("jobsTable"));
        auto* cancelButton = page.findChild<QPushButton*>(QStringLiteral("cancelJobButton"));
        QVERIFY(stack && table && cancelButton);
        QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("jobsEmpty"));

        QCOMPARE(queue.enqueue({QStringLiteral("a"), ProcessType::Sync, {}, JobOrigin::Manual}),
                 JobQueue::Enqueued::Started);
        QCOMPARE(queue.enqueue({QStringLiteral("b"), ProcessType::Sync, {}, JobOrigin::Schedule}),
                 JobQueue::Enqueued::Waiting);
        const JobsModel* model = page.model();
        QCOMPARE(stack->currentWidget(), table);
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(cell(model, 0, JobsModel::Source), QStringLiteral("a"));
        QCOMPARE(cell(model, 0, JobsModel::State), QStringLiteral("running"));
        QCOMPARE(cell(model, 0, JobsModel::Origin), QStringLiteral("manual"));
        QCOMPARE(cell(model, 1, JobsModel::Source), QStringLiteral("b"));
        QCOMPARE(cell(model, 1, JobsModel::State), QStringLiteral("queued"));
        QCOMPARE(cell(model, 1, JobsModel::Origin), QStringLiteral("schedule"));
        QVERIFY(!cell(model, 1, JobsModel::Queued).isEmpty());
        QVERIFY(cell(model, 1, JobsModel::Started).isEmpty());

        // The ETA comes once the estimator has seen a second of downloading.
        QTRY_VERIFY_WITH_TIMEOUT(!cell(model, 0, JobsModel::Eta).isEmpty(), kWaitMs);
        QVERIFY(finished.isEmpty());
        QCOMPARE(cell(model, 0, JobsModel::Phase), QStringLiteral("downloading"));
        QCOMPARE(cell(model, 0, JobsModel::Resource), QStringLiteral("Property"));
        QVERIFY2(cell(model, 0, JobsModel::Progress).endsWith(QStringLiteral(" / 300 records")),
                 qPrintable(cell(model, 0, JobsModel::Progress)));
        QVERIFY2(cell(model, 0, JobsModel::Rate).endsWith(QStringLiteral(" records/s")),
                 qPrintable(cell(model, 0, JobsModel::Rate)));
        QVERIFY(QRegularExpression(QStringLiteral("^\\d+:\\d\\d$"))
                    .match(cell(model, 0, JobsModel::Eta))
                    .hasMatch());
        QCOMPARE(model->index(0, JobsModel::Progress).data(JobsModel::TotalRole).toLongLong(), 300);
        QCOMPARE(model->index(0, JobsModel::Rate).data(Qt::TextAlignmentRole).toInt() & Qt::AlignRight,
                 int(Qt::AlignRight));
        table->selectRow(0);
        savePageScreenshot(&page, QStringLiteral("jobs-page.png"));

        QVERIFY(cancelButton->isEnabled());
        QTest::mouseClick(cancelButton, Qt::LeftButton);
        QCOMPARE(cancel.size(), 1);
        QCOMPARE(cancel.at(0).at(0).toString(), QStringLiteral("a"));
        QVERIFY(cancelQueued.isEmpty());
        // The selection survives the rows being updated by progress.
        table->selectRow(1);
        QTest::mouseClick(cancelButton, Qt::LeftButton);
        QCOMPARE(cancelQueued.size(), 1);
        QCOMPARE(cancelQueued.at(0).at(0).toString(), QStringLiteral("b"));
        QCOMPARE(cancelQueued.at(0).at(1).value<ProcessType>(), ProcessType::Sync);
        QCOMPARE(cancel.size(), 1);

        const QStringList unnamed = widgetsWithoutAccessibleName(&page);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));

        // The page only asks: the test routes the requests as the window would.
        QCOMPARE(queue.cancelQueued(QStringLiteral("b"), ProcessType::Sync), 1);
        QVERIFY(queue.cancel(QStringLiteral("a")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QTRY_COMPARE(stack->currentWidget()->objectName(), QStringLiteral("jobsEmpty"));
        QCOMPARE(model->rowCount(), 0);
    }

    // Nothing runs: the page names the next run in the display zone; Pause/Resume follow the
    // scheduler and ask for all schedules.
    void emptyStateAndPause() {
        Config config;
        config.timeZone = QStringLiteral("UTC");
        SourceConfig crmls;
        crmls.name = QStringLiteral("crmls");
        crmls.schedules.sync = {QStringLiteral("30 10 * * *")};
        crmls.schedules.purge = {QStringLiteral("0 3 * * *")};
        SourceConfig armls;
        armls.name = QStringLiteral("armls");
        armls.schedules.reconcile = {QStringLiteral("0 12 * * *")};
        config.sources = {crmls, armls};
        QTemporaryDir dir;
        const QDateTime now = QDateTime::fromString(QStringLiteral("2030-01-01T09:00:00Z"), Qt::ISODate);
        LocalBoard local(config, dir.path(), now);
        Scheduler& scheduler = local.scheduler;
        JobsPage page(&local.board);
        page.setDisplayZone(QTimeZone("UTC"));
        page.setNow(now);
        page.resize(900, 300);
        page.show();
        QSignalSpy pause(&page, &JobsPage::pauseRequested);

        auto* empty = page.findChild<QLabel*>(QStringLiteral("jobsEmpty"));
        auto* pauseButton = page.findChild<QPushButton*>(QStringLiteral("pauseAllButton"));
        auto* resumeButton = page.findChild<QPushButton*>(QStringLiteral("resumeAllButton"));
        QVERIFY(empty && pauseButton && resumeButton);
        QCOMPARE(empty->text(), QStringLiteral("No jobs running. Next: crmls sync at 10:30."));
        QVERIFY(pauseButton->isEnabled());
        QVERIFY(!resumeButton->isEnabled());
        savePageScreenshot(&page, QStringLiteral("jobs-page-empty.png"));

        QTest::mouseClick(pauseButton, Qt::LeftButton);
        QCOMPARE(pause.size(), 1);
        QCOMPARE(pause.at(0).at(0).toBool(), true);
        QCOMPARE(pause.at(0).at(1).toString(), QString());
        // The page does not pause by itself; the scheduler's signal changes what it shows.
        QVERIFY(!scheduler.isPaused());
        QVERIFY(pauseButton->isEnabled());
        scheduler.pause();
        QVERIFY(!pauseButton->isEnabled());
        QVERIFY(resumeButton->isEnabled());
        QVERIFY(empty->text().contains(QStringLiteral("paused")));
        QTest::mouseClick(resumeButton, Qt::LeftButton);
        QCOMPARE(pause.size(), 2);
        QCOMPARE(pause.at(1).at(0).toBool(), false);
        scheduler.resume(now);
        QVERIFY(pauseButton->isEnabled());
        QCOMPARE(empty->text(), QStringLiteral("No jobs running. Next: crmls sync at 10:30."));

        const QStringList unnamed = widgetsWithoutAccessibleName(&page);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    }
};

QTEST_MAIN(TestJobsPage)
#include "tst_jobspage.moc"
