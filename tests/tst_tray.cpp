// The tray: its decisions as pure functions (icon state, what closing does, which alerts notify),
// and, offscreen where no tray host exists, its menu inside the real window against the fake RESO
// server: Sync all queues every source through the window's routing, the status lines and the
// icon state follow the running jobs and a failure, Pause toggles the schedules, closing while
// jobs run asks instead of quitting, and Edit ▸ Preferences applies to the dashboard.
#include "AccessibleNames.h"
#include "AppSettings.h"
#include "CloseGuard.h"
#include "DashboardPage.h"
#include "JobBoard.h"
#include "MainWindow.h"
#include "PreferencesDialog.h"
#include "runner/Workspace.h"
#include "service/ServiceHost.h"
#include "SourceCard.h"
#include "TestSupport.h"
#include "TrayIcon.h"
#include "TrayPolicy.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;
using namespace ors::test;

Q_DECLARE_METATYPE(ors::CloseChoice)

namespace {

constexpr int kWaitMs = 120000;

struct Ui {
    explicit Ui(Workspace workspace)
        : window(configured(host, std::move(workspace)), host) {
        window.show();
    }
    static Workspace configured(ServiceHost& host, Workspace workspace) {
        if (workspace.ok())
            host.setConfig(*workspace.config, workspace.dataDir);
        return workspace;
    }
    TrayIcon* tray() { return window.findChild<TrayIcon*>(QStringLiteral("tray")); }
    QAction* action(const QString& name) { return tray()->menu()->findChild<QAction*>(name); }
    QString line(const QString& source) { return action(QStringLiteral("trayStatus_") + source)->text(); }
    // The menu's entries as shown, separators as "-".
    QStringList menuTexts() {
        QStringList texts;
        for (QAction* action : tray()->menu()->actions())
            texts.append(action->isSeparator() ? QStringLiteral("-") : action->text());
        return texts;
    }

    ServiceHost host;
    MainWindow window;
};

Alert alert(AlertCondition condition, AlertState state = AlertState::Raised) {
    Alert a;
    a.source = QStringLiteral("mls");
    a.process = QStringLiteral("sync");
    a.condition = condition;
    a.state = state;
    a.time = QDateTime::currentDateTimeUtc();
    a.message = QStringLiteral("HTTP 500 from /Property");
    return a;
}

} // namespace

class TestTray : public QObject {
    Q_OBJECT

    std::unique_ptr<fake::FakeResoServer> m_server;
    QTemporaryDir m_dir;
    quint16 m_closedPort = 0;

    Workspace writeSources(const QString& name) {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        QJsonObject mls = sourceConfig(QStringLiteral("mls"), m_server->serviceUrl(),
                                       {QDir(dir).filePath(QStringLiteral("mls.sqlite"))}, 50);
        mls.insert(QStringLiteral("schedules"),
                   QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("0 3 * * *")}}});
        const QJsonObject broken = sourceConfig(QStringLiteral("broken"),
                                                QStringLiteral("http://127.0.0.1:%1/odata").arg(m_closedPort),
                                                {QDir(dir).filePath(QStringLiteral("broken.sqlite"))}, 50);
        QJsonObject root = configWith(mls);
        root.insert(QStringLiteral("sources"), QJsonArray{mls, broken});
        return Workspace::load(writeConfig(dir, root), QDir(dir).filePath(QStringLiteral("data")));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // The window reads and writes the user's settings: here, a folder of this test's own.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("settings")));
        QCoreApplication::setOrganizationName(QStringLiteral("openresync-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_tray"));
        qputenv("OPENRESYNC_RETRY_BASE_MS", "20");
        qputenv("OPENRESYNC_RETRY_ATTEMPTS", "2");
        qunsetenv("OPENRESYNC_CONFIG");
        qunsetenv("OPENRESYNC_DATA_DIR");
        QLocale::setDefault(QLocale::c());
        fake::ServerOptions options;
        options.listingCount = 300;
        m_server = std::make_unique<fake::FakeResoServer>(options);
        QVERIFY(m_server->start());
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        m_closedPort = probe.serverPort();
        probe.close();
    }

    void cleanup() { m_server->clearFaults(); }

    void iconState() {
        QCOMPARE(trayState(0, false), TrayState::Idle);
        QCOMPARE(trayState(2, false), TrayState::Syncing);
        QCOMPARE(trayState(0, true), TrayState::Problem);
        QCOMPARE(trayState(1, true), TrayState::Problem);
    }

    void closeDecision_data() {
        QTest::addColumn<bool>("quitting");
        QTest::addColumn<bool>("tray");
        QTest::addColumn<bool>("minimize");
        QTest::addColumn<bool>("jobs");
        QTest::addColumn<bool>("schedules");
        QTest::addColumn<CloseChoice>("choice");
        const auto hide = CloseChoice::HideToTray;
        const auto ask = CloseChoice::AskThenQuit;
        const auto quit = CloseChoice::Quit;
        QTest::newRow("idle, tray") << false << true << true << false << false << quit;
        QTest::newRow("jobs, tray") << false << true << true << true << false << hide;
        QTest::newRow("schedules, tray") << false << true << true << false << true << hide;
        QTest::newRow("jobs, tray, preference off") << false << true << false << true << true << ask;
        QTest::newRow("schedules, tray, preference off") << false << true << false << false << true << quit;
        QTest::newRow("jobs, no tray") << false << false << true << true << true << ask;
        QTest::newRow("schedules, no tray") << false << false << true << false << true << quit;
        QTest::newRow("quit chosen, jobs, tray") << true << true << true << true << true << quit;
        QTest::newRow("quit chosen, jobs, no tray") << true << false << true << true << false << quit;
    }
    void closeDecision() {
        QFETCH(bool, quitting);
        QFETCH(bool, tray);
        QFETCH(bool, minimize);
        QFETCH(bool, jobs);
        QFETCH(bool, schedules);
        QFETCH(CloseChoice, choice);
        QCOMPARE(closeChoice(CloseSituation{quitting, tray, minimize, jobs, schedules}), choice);
    }

    void notificationKinds() {
        QCOMPARE(notificationKind(alert(AlertCondition::RunFailed)), NotificationKind::Failure);
        QCOMPARE(notificationKind(alert(AlertCondition::FailuresInARow)), NotificationKind::Failure);
        QCOMPARE(notificationKind(alert(AlertCondition::SyncAge)), NotificationKind::Failure);
        QCOMPARE(notificationKind(alert(AlertCondition::Quota)), NotificationKind::Failure);
        QCOMPARE(notificationKind(alert(AlertCondition::StepBlocked)), NotificationKind::BlockedStep);
        QCOMPARE(notificationKind(alert(AlertCondition::PurgeRefused)), NotificationKind::RefusedPurge);
        QCOMPARE(notificationKind(alert(AlertCondition::StepBlocked, AlertState::Recovered)),
                 NotificationKind::Recovered);

        Preferences p;
        QVERIFY(wantsNotification(p, alert(AlertCondition::RunFailed)));
        p.notifyFailures = false;
        QVERIFY(!wantsNotification(p, alert(AlertCondition::RunFailed)));
        QVERIFY(wantsNotification(p, alert(AlertCondition::StepBlocked)));
        p.notifyBlockedSteps = false;
        QVERIFY(!wantsNotification(p, alert(AlertCondition::StepBlocked)));
        QVERIFY(wantsNotification(p, alert(AlertCondition::RunFailed, AlertState::Recovered)));
        p.notifyRecovered = false;
        QVERIFY(!wantsNotification(p, alert(AlertCondition::RunFailed, AlertState::Recovered)));
        QVERIFY(wantsNotification(p, alert(AlertCondition::PurgeRefused)));
        p.notifyRefusedPurges = false;
        QVERIFY(!wantsNotification(p, alert(AlertCondition::PurgeRefused)));
    }

    // What an alert turns into, and the problem state it leaves until it recovers.
    void alertsGiveNotificationsAndState() {
        AppSettings settings(m_dir.filePath(QStringLiteral("alerts.ini")));
        JobBoard board;
        TrayIcon tray(board, settings);
        QCOMPARE(tray.state(), TrayState::Idle);

        const auto failed = tray.takeAlert(alert(AlertCondition::RunFailed));
        QVERIFY(failed);
        QCOMPARE(failed->first, QStringLiteral("mls sync failed"));
        QCOMPARE(failed->second, QStringLiteral("HTTP 500 from /Property"));
        QCOMPARE(tray.state(), TrayState::Problem);
        QVERIFY(tray.toolTip().contains(QStringLiteral("Needs attention: mls")));

        const auto recovered = tray.takeAlert(alert(AlertCondition::RunFailed, AlertState::Recovered));
        QVERIFY(recovered);
        QCOMPARE(recovered->first, QStringLiteral("mls sync recovered"));
        QCOMPARE(tray.state(), TrayState::Idle);

        // A refused purge tells, but leaves no lasting problem behind.
        const auto refused = tray.takeAlert(alert(AlertCondition::PurgeRefused));
        QVERIFY(refused);
        QCOMPARE(refused->first, QStringLiteral("mls: purge refused"));
        QCOMPARE(tray.state(), TrayState::Idle);

        // Turned off in the preferences: no notification, the state still follows.
        Preferences p = settings.preferences();
        p.notifyBlockedSteps = false;
        settings.setPreferences(p);
        QVERIFY(!tray.takeAlert(alert(AlertCondition::StepBlocked)));
        QCOMPARE(tray.state(), TrayState::Problem);
    }

    void menuFollowsTheJobs() {
        m_server->injectFault({fake::Fault::Kind::Slow, QStringLiteral("/Property"), 100, 1, 300});
        Ui ui(writeSources(QStringLiteral("menu")));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        TrayIcon* tray = ui.tray();
        QVERIFY(tray);
        QCOMPARE(ui.menuTexts(), (QStringList{QStringLiteral("mls: idle"), QStringLiteral("broken: idle"),
                                              QStringLiteral("-"), QStringLiteral("Sync all"),
                                              QStringLiteral("Pause schedules"), QStringLiteral("-"),
                                              QStringLiteral("Open"), QStringLiteral("Quit")}));
        QCOMPARE(tray->menu()->accessibleName(), QStringLiteral("OpenReSync tray menu"));
        QCOMPARE(tray->state(), TrayState::Idle);
        QVERIFY(tray->toolTip().contains(QStringLiteral("No job running")));

        // A sync of mls, slowed down: syncing, with its progress as the line and the tooltip.
        QSignalSpy finished(&ui.host.queue(), &JobQueue::finished);
        ui.host.queue().enqueue(JobRequest{QStringLiteral("mls"), ProcessType::Sync, {}, JobOrigin::Manual});
        QTRY_VERIFY_WITH_TIMEOUT(ui.line(QStringLiteral("mls")).endsWith(QLatin1Char('%')), 30000);
        QVERIFY2(ui.line(QStringLiteral("mls")).startsWith(QStringLiteral("mls: sync ")),
                 qPrintable(ui.line(QStringLiteral("mls"))));
        QCOMPARE(tray->state(), TrayState::Syncing);
        QVERIFY2(tray->toolTip().contains(QStringLiteral("mls sync: Property: downloading")),
                 qPrintable(tray->toolTip()));

        // Sync all queues every source through the window's routing: mls once more behind its
        // running sync, the unreachable source at once; its failure outweighs the running sync.
        ui.action(QStringLiteral("traySyncAllAction"))->trigger();
        QVERIFY(ui.host.queue().isQueued(QStringLiteral("mls"), ProcessType::Sync));
        QVERIFY(ui.host.queue().isRunning(QStringLiteral("broken")));
        QTRY_COMPARE_WITH_TIMEOUT(ui.line(QStringLiteral("broken")),
                                  QStringLiteral("broken: last run failed"), kWaitMs);
        QCOMPARE(tray->state(), TrayState::Problem);
        QVERIFY(ui.line(QStringLiteral("mls")).startsWith(QStringLiteral("mls: sync ")));
        QVERIFY2(tray->toolTip().contains(QStringLiteral("Needs attention: broken")),
                 qPrintable(tray->toolTip()));

        // No tray here: closing while jobs run asks, and keeping them running keeps the window.
        QVERIFY(!tray->isAvailable());
        QVERIFY(!ui.window.close());
        auto* guard = ui.window.findChild<CloseGuard*>(QStringLiteral("closeGuard"));
        QVERIFY(guard);
        QMessageBox* confirmation = guard->confirmation();
        QVERIFY(confirmation);
        QTRY_VERIFY(confirmation->isVisible());
        QVERIFY(confirmation->text().contains(QStringLiteral("Quit anyway?")));
        QVERIFY2(widgetsWithoutAccessibleName(confirmation).isEmpty(),
                 qPrintable(widgetsWithoutAccessibleName(confirmation).join(QStringLiteral(", "))));
        QTest::mouseClick(confirmation->findChild<QPushButton*>(QStringLiteral("keepRunningButton")),
                          Qt::LeftButton);
        QTRY_VERIFY(!guard->confirmation());
        QVERIFY(ui.window.isVisible());
        QVERIFY(ui.host.queue().isRunning(QStringLiteral("mls")));

        // Both syncs of mls end; the failure stays a problem until broken succeeds.
        m_server->clearFaults();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, kWaitMs);
        QTRY_COMPARE(ui.line(QStringLiteral("mls")), QStringLiteral("mls: idle"));
        QCOMPARE(ui.line(QStringLiteral("broken")), QStringLiteral("broken: last run failed"));
        QCOMPARE(tray->state(), TrayState::Problem);
        QCOMPARE(tray->problems(), QStringList{QStringLiteral("broken")});

        // A status line opens its source's page.
        ui.action(QStringLiteral("trayStatus_broken"))->trigger();
        QCOMPARE(ui.window.currentSource(), QStringLiteral("broken"));

        // Pause and resume every schedule.
        QAction* pause = ui.action(QStringLiteral("trayPauseAction"));
        pause->trigger();
        QVERIFY(ui.host.scheduler().isPaused());
        QTRY_COMPARE(pause->text(), QStringLiteral("Resume schedules"));
        QCOMPARE(ui.line(QStringLiteral("mls")), QStringLiteral("mls: paused"));
        pause->trigger();
        QVERIFY(!ui.host.scheduler().isPaused());
        QTRY_COMPARE(pause->text(), QStringLiteral("Pause schedules"));

        // Nothing runs now: closing just closes.
        QVERIFY(ui.window.close());
        QVERIFY(!ui.window.isVisible());
        QVERIFY(!guard->confirmation());
    }

    // A failure stored before this window opened is a problem from the start, until a run succeeds.
    void storedFailureIsAProblemAtStart() {
        const Workspace workspace = writeSources(QStringLiteral("stored"));
        {
            Ui first(workspace);
            QSignalSpy finished(&first.host.queue(), &JobQueue::finished);
            first.host.queue().enqueue(
                JobRequest{QStringLiteral("broken"), ProcessType::Sync, {}, JobOrigin::Manual});
            QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        }
        Ui ui(workspace);
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QTRY_COMPARE(ui.tray()->state(), TrayState::Problem);
        QCOMPARE(ui.line(QStringLiteral("broken")), QStringLiteral("broken: last run failed"));
        QCOMPARE(ui.line(QStringLiteral("mls")), QStringLiteral("mls: idle"));
        QCOMPARE(ui.tray()->problems(), QStringList{QStringLiteral("broken")});
    }

    // Edit ▸ Preferences opens beside the window (not modal), and what it writes applies.
    void preferencesApplyToTheWindow() {
        Ui ui(writeSources(QStringLiteral("preferences")));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QSignalSpy finished(&ui.host.queue(), &JobQueue::finished);
        ui.host.queue().enqueue(JobRequest{QStringLiteral("mls"), ProcessType::Sync, {}, JobOrigin::Manual});
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        auto* dashboard = ui.window.findChild<DashboardPage*>();
        QVERIFY(dashboard);
        QLabel* lastSync =
            dashboard->card(QStringLiteral("mls"))->findChild<QLabel*>(QStringLiteral("cardLastSync"));
        QTRY_VERIFY2(lastSync->text().contains(QStringLiteral("just now")), qPrintable(lastSync->text()));

        QAction* preferences = ui.window.findChild<QAction*>(QStringLiteral("preferencesAction"));
        QVERIFY(preferences);
        preferences->trigger();
        auto* dialog = ui.window.findChild<PreferencesDialog*>();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QCOMPARE(QApplication::activeModalWidget(), nullptr);
        auto* times = dialog->findChild<QComboBox*>(QStringLiteral("timesBox"));
        times->setCurrentIndex(times->findData(false));
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("applyButton")), Qt::LeftButton);
        QVERIFY2(!lastSync->text().contains(QStringLiteral("just now")), qPrintable(lastSync->text()));
        // "10:30" today in the display zone.
        QVERIFY2(lastSync->text().contains(QRegularExpression(QStringLiteral("\\b\\d{1,2}:\\d{2}\\b"))),
                 qPrintable(lastSync->text()));

        times->setCurrentIndex(times->findData(true));
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("okButton")), Qt::LeftButton);
        QTRY_VERIFY(!ui.window.findChild<PreferencesDialog*>()); // closed and deleted
        QVERIFY2(lastSync->text().contains(QStringLiteral("just now")), qPrintable(lastSync->text()));
    }
};

QTEST_MAIN(TestTray)
#include "tst_tray.moc"
