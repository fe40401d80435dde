// The desktop window and the instance that runs its data directory's schedules, offscreen: the
// start-up probe of the control channel runs off the GUI thread (an instance that takes the
// connection and never answers leaves the window responsive, and the window then runs the
// schedules itself, saying so); a real `openresync-cli serve` the window is attached to dies
// (SIGKILL) and the window takes its schedules over; quitting cancels the read-only queries
// still asking an MLS that never answers, so the pool drains and the program can end normally.
// Also: one instant reads the same on the status bar, the source page and the dashboard.
#include "CliFixture.h"
#include "DisplayTime.h"
#include "JobBoard.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "RecordInspectorPanel.h"
#include "ResourcesTable.h"
#include "runner/Workspace.h"
#include "service/ControlChannel.h"
#include "service/ServiceHost.h"
#include "SourceCard.h"
#include "SourcePage.h"
#include "WindowUi.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QLocalServer>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtConcurrent/QtConcurrentRun>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QTimer>

#include <csignal>

using namespace ors;
using namespace ors::test;

namespace {

constexpr int kWaitMs = 120000;

using Ui = WindowUi;

// "mls" on the fixture's fake server, with a daily sync at 05:00 in `timeZone`.
void writeMls(CliFixture& f, const QString& timeZone = {}) {
    QJsonObject source = sourceConfig(QStringLiteral("mls"), f.server->serviceUrl(),
                                      {f.path(QStringLiteral("mls.sqlite"))}, 25);
    source.insert(QStringLiteral("schedules"),
                  QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("0 5 * * *")}}});
    QJsonObject root = configWith(source);
    if (!timeZone.isEmpty())
        root.insert(QStringLiteral("timeZone"), timeZone);
    f.config = writeConfig(f.dir.path(), root);
}

} // namespace

class TestWindowInstance : public QObject {
    Q_OBJECT
    QTemporaryDir m_settings;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        // The window reads and writes the user's settings: here, a folder of this test's own.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
        QCoreApplication::setOrganizationName(QStringLiteral("openresync-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_windowinstance"));
        qputenv("OPENRESYNC_RETRY_BASE_MS", "20");
        qunsetenv("OPENRESYNC_CONFIG");
        qunsetenv("OPENRESYNC_DATA_DIR");
    }

    // Something takes the control channel's connections and never answers: the window keeps
    // handling events while its probe waits, then runs the schedules itself and says why.
    void silentInstanceLeavesTheWindowResponsive() {
        CliFixture f;
        QVERIFY(f.startServer({}));
        writeMls(f);
        QVERIFY(QDir().mkpath(f.dataDir));
        const QString path = ControlChannel::socketPath(f.dataDir);
        QLocalServer silent; // accepts (the kernel's backlog) and never reads or writes
        QVERIFY2(silent.listen(path), qPrintable(silent.errorString()));

        Ui ui(Workspace::load(f.config, f.dataDir));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QSignalSpy settled(&ui.window, &MainWindow::schedulesSettled);
        ui.window.startSchedules();
        // Not decided yet, and the event loop runs meanwhile: a timer fires, a page switches.
        QVERIFY(settled.isEmpty());
        QVERIFY(!ui.host.isStarted() && !ui.window.isAttached());
        bool ticked = false;
        QTimer::singleShot(0, &ui.window, [&] { ticked = true; });
        QTRY_VERIFY(ticked);
        QVERIFY(settled.isEmpty());
        ui.window.showPage(QStringLiteral("jobs"));
        QCOMPARE(ui.window.currentPageKey(), QStringLiteral("jobs"));

        QVERIFY(settled.wait(kWaitMs));
        QVERIFY(!ui.window.isAttached());
        QVERIFY(ui.host.isStarted());
        QVERIFY2(ui.messages()->text().contains(QStringLiteral("No instance answered at")) &&
                     ui.messages()->text().contains(QStringLiteral("this window runs the schedules")),
                 qPrintable(ui.messages()->text()));
        // The window now answers on the channel itself.
        auto hello = QtConcurrent::run([path] { return ControlClient::hello(path); });
        QTRY_VERIFY_WITH_TIMEOUT(hello.isFinished(), kWaitMs);
        QVERIFY(hello.result().has_value());
        QCOMPARE(hello.result()->value(QStringLiteral("kind")).toString(), QStringLiteral("desktop"));
        ui.host.stop(-1);
    }

    // Attached to a real serve that is then killed: the window notices, runs the schedules
    // itself (its board follows its own queue), says so, and a Sync now runs here.
    void takesOverFromAKilledServe() {
        CliFixture f;
        fake::ServerOptions options;
        options.listingCount = 60;
        QVERIFY(f.startServer(options));
        writeMls(f);
        ServeProcess serve(f);
        QVERIFY2(serve.waitFor("serving "), serve.err.constData());

        Ui ui(Workspace::load(f.config, f.dataDir));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QSignalSpy settled(&ui.window, &MainWindow::schedulesSettled);
        ui.window.startSchedules();
        QVERIFY(settled.wait(kWaitMs));
        QVERIFY(ui.window.isAttached());
        QVERIFY(ui.window.board().isRemote());
        QVERIFY(!ui.host.isStarted());
        const QString serveName = QStringLiteral("openresync-cli serve (process %1)").arg(serve.pid());
        QVERIFY2(ui.status().contains(serveName), qPrintable(ui.status()));

        serve.signal(SIGKILL);
        QVERIFY(serve.process->waitForFinished(kWaitMs));
        QVERIFY(settled.wait(kWaitMs)); // asked again, then started here
        QVERIFY(!ui.window.isAttached());
        QVERIFY(!ui.window.board().isRemote());
        QVERIFY(ui.host.isStarted());
        QVERIFY2(ui.status().contains(QStringLiteral("schedules run here since %1 stopped").arg(serveName)),
                 qPrintable(ui.status()));
        QVERIFY2(ui.messages()->text().contains(
                     QStringLiteral("%1 stopped; this window runs the schedules now.").arg(serveName)),
                 qPrintable(ui.messages()->text()));

        // Sync now goes to this program's queue and ends here.
        QSignalSpy finished(&ui.host.queue(), &JobQueue::finished);
        ui.window.showPage(QStringLiteral("mls"));
        QTest::mouseClick(ui.window.sourcePage(QStringLiteral("mls"))
                              ->findChild<QPushButton*>(QStringLiteral("syncNowButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        const JobResult result = finished.at(0).at(1).value<JobResult>();
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(listingDifferences(*f.server, f.path(QStringLiteral("mls.sqlite"))), QStringList());
        ui.host.stop(-1);
    }

    // An MLS that takes the connection and never answers: the counts and a record lookup wait
    // on it; quitting (File ▸ Quit) ends the event loop, and shutDown cancels them so the pool
    // drains (without the cancel each would wait out a two-minute transfer timeout, retried).
    void quitCancelsQueriesToAHungMls() {
        QTcpServer hung; // listens, accepts into its backlog, never answers
        QVERIFY(hung.listen(QHostAddress::LocalHost));
        CliFixture f;
        QVERIFY(QDir().mkpath(f.dir.filePath(QStringLiteral("data"))));
        f.dataDir = f.dir.filePath(QStringLiteral("data"));
        f.config = writeConfig(
            f.dir.path(),
            configWith(sourceConfig(QStringLiteral("hung"),
                                    QStringLiteral("http://127.0.0.1:%1/odata").arg(hung.serverPort()),
                                    {f.path(QStringLiteral("hung.sqlite"))}, 25)));

        Ui ui(Workspace::load(f.config, f.dataDir));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        ui.window.showPage(QStringLiteral("hung")); // asks the MLS for its counts
        auto* resources = ui.window.findChild<ResourcesTable*>();
        auto* record = ui.window.findChild<RecordInspectorPanel*>();
        QVERIFY(resources && record);
        QVERIFY(resources->isLoading());
        record->lookUp(QStringLiteral("Property"), QStringLiteral("L1"));
        QVERIFY(record->isLoading());
        QTRY_VERIFY(QThreadPool::globalInstance()->activeThreadCount() >= 2);

        QAction* quit = ui.window.findChild<QAction*>(QStringLiteral("quitAction"));
        QVERIFY(quit);
        QTimer::singleShot(0, quit, &QAction::trigger);
        // Only a safety net, should closing not end the loop.
        QTimer::singleShot(kWaitMs, qApp, &QCoreApplication::quit);
        QApplication::exec();
        QVERIFY(ui.window.shutDown(30000));
        QCOMPARE(QThreadPool::globalInstance()->activeThreadCount(), 0);
    }

    // The next sync, 05:00 in the display zone, under a locale whose own short time is "5:00 AM":
    // the status bar, the source page's schedule and the dashboard's card say it alike.
    void oneInstantReadsTheSameEverywhere() {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        const auto restore = qScopeGuard([] { QLocale::setDefault(QLocale::c()); });
        CliFixture f;
        QVERIFY(f.startServer({}));
        writeMls(f, QStringLiteral("America/Denver"));
        Ui ui(Workspace::load(f.config, f.dataDir));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        const auto next = ui.window.board().nextFire(QStringLiteral("mls"), ProcessType::Sync);
        QVERIFY(next);
        const QTimeZone denver("America/Denver");
        QCOMPARE(next->toTimeZone(denver).time(), QTime(5, 0));
        const QString when = shortTime(*next, denver, QDateTime::currentDateTimeUtc());
        QVERIFY2(when.endsWith(QStringLiteral("05:00")), qPrintable(when));

        QVERIFY2(ui.status().contains(QStringLiteral("next: mls sync at %1").arg(when)),
                 qPrintable(ui.status()));
        auto* schedules = ui.window.sourcePage(QStringLiteral("mls"))
                              ->findChild<QTableWidget*>(QStringLiteral("schedulesTable"));
        QVERIFY(schedules && schedules->rowCount() == 1);
        QCOMPARE(schedules->item(0, 3)->text(), when);
        auto* card = ui.window.findChild<SourceCard*>();
        QVERIFY(card);
        QCOMPARE(card->findChild<QLabel*>(QStringLiteral("cardNextRun"))->text(),
                 QStringLiteral("Next: sync at %1").arg(when));
        // The whole instant on hover, alike too.
        QCOMPARE(ui.window.findChild<QLabel*>(QStringLiteral("statusJobs"))->toolTip(),
                 absoluteTime(*next, denver));
        QCOMPARE(card->findChild<QLabel*>(QStringLiteral("cardNextRun"))->toolTip(),
                 absoluteTime(*next, denver));
    }
};

QTEST_MAIN(TestWindowInstance)
#include "tst_windowinstance.moc"
