// The desktop window, offscreen, against the fake RESO server on loopback: it lists the
// sources, syncs from its button through the real core (SyncProcess on a thread pool) while
// the GUI thread keeps running, and shows failures and configuration errors inline.
#include "MainWindow.h"
#include "MessageBanner.h"
#include "runner/JobQueue.h"
#include "runner/ProgressText.h"
#include "runner/Workspace.h"
#include "service/ControlChannel.h"
#include "SourcesModel.h"
#include "TestSupport.h"

#include <algorithm>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QMutex>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace ors;
using namespace ors::test;

namespace {

// The queue outlives the window and runs the workspace's sources, as in main.cpp.
struct Ui {
    explicit Ui(Workspace workspace)
        : window(configured(queue, std::move(workspace)), &queue) {
        window.show();
    }

    static Workspace configured(JobQueue& queue, Workspace workspace) {
        if (workspace.ok())
            queue.setConfig(*workspace.config, workspace.dataDir);
        return workspace;
    }

    template <typename T>
    T* find(const QString& name) {
        return window.findChild<T*>(name);
    }
    QTableView* view() { return find<QTableView>(QStringLiteral("sourcesView")); }
    QPushButton* syncButton() { return find<QPushButton>(QStringLiteral("syncNowButton")); }
    QPushButton* cancelButton() { return find<QPushButton>(QStringLiteral("cancelButton")); }
    QLabel* progressLabel() { return find<QLabel>(QStringLiteral("progressLabel")); }
    QProgressBar* progressBar() { return find<QProgressBar>(QStringLiteral("progressBar")); }
    MessageBanner* messages() { return find<MessageBanner>(QStringLiteral("messageArea")); }
    QString cell(int row, int column) { return view()->model()->index(row, column).data().toString(); }
    // Nothing shown but the warning every loopback fake server's http:// URL earns.
    bool quiet() {
        if (messages()->isHidden())
            return true;
        if (messages()->level() != MessageBanner::Level::Warning)
            return false;
        const QStringList lines = messages()->text().split(QLatin1Char('\n')).mid(1);
        return std::all_of(lines.cbegin(), lines.cend(), [](const QString& line) {
            return line.contains(QStringLiteral("http:// is not encrypted"));
        });
    }

    JobQueue queue;
    MainWindow window;
};

bool noModalDialog() {
    if (QApplication::activeModalWidget())
        return false;
    for (QWidget* widget : QApplication::topLevelWidgets())
        if (widget->isVisible() && widget->isModal())
            return false;
    return true;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<fake::FakeResoServer> m_server;
    QTemporaryDir m_dir;
    quint16 m_closedPort = 0;

    struct Paths {
        QString config;
        QString dataDir;
        QString sqlite;
    };

    // A fresh config and data directory per test: "mls" on the fake server and "broken"
    // on a port nothing listens on.
    Paths writeSources(const QString& name, const QJsonObject& mlsAuth = {}) {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        Paths paths{
            {}, QDir(dir).filePath(QStringLiteral("data")), QDir(dir).filePath(QStringLiteral("mls.sqlite"))};
        QJsonObject mls = sourceConfig(QStringLiteral("mls"), m_server->serviceUrl(), {paths.sqlite}, 50);
        if (!mlsAuth.isEmpty())
            mls.insert(QStringLiteral("auth"), mlsAuth);
        const QJsonObject broken = sourceConfig(QStringLiteral("broken"),
                                                QStringLiteral("http://127.0.0.1:%1/odata").arg(m_closedPort),
                                                {QDir(dir).filePath(QStringLiteral("broken.sqlite"))}, 50);
        QJsonObject root = configWith(mls);
        root.insert(QStringLiteral("sources"), QJsonArray{mls, broken});
        paths.config = writeConfig(dir, root);
        return paths;
    }

    static Workspace load(const Paths& paths) { return Workspace::load(paths.config, paths.dataDir); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        qputenv("OPENRESYNC_RETRY_BASE_MS", "20");
        qputenv("OPENRESYNC_RETRY_ATTEMPTS", "2");
        qunsetenv("OPENRESYNC_CONFIG");
        qunsetenv("OPENRESYNC_DATA_DIR");
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

    void progressText_data() {
        QTest::addColumn<QString>("phase");
        QTest::addColumn<qint64>("done");
        QTest::addColumn<qint64>("total");
        QTest::addColumn<double>("rate");
        QTest::addColumn<qint64>("eta");
        QTest::addColumn<QString>("expected");
        QTest::newRow("metadata") << QStringLiteral("metadata") << qint64(0) << qint64(-1) << 0.0
                                  << qint64(-1) << QStringLiteral("reading $metadata");
        QTest::newRow("download") << QStringLiteral("download") << qint64(500) << qint64(2000) << 250.4
                                  << qint64(6)
                                  << QStringLiteral("Property: downloading 500 / 2000 records · "
                                                    "250 records/s · ETA 0:06");
        QTest::newRow("no count") << QStringLiteral("download") << qint64(100) << qint64(-1) << 0.0
                                  << qint64(-1) << QStringLiteral("Property: downloading 100 records");
        QTest::newRow("long eta") << QStringLiteral("apply") << qint64(1) << qint64(9000) << 1.0
                                  << qint64(8999)
                                  << QStringLiteral("Property: applying 1 / 9000 records · 1 records/s · ETA "
                                                    "2:29:59");
        QTest::newRow("done") << QStringLiteral("done") << qint64(10) << qint64(10) << 5.0 << qint64(0)
                              << QStringLiteral("Property: done 10 / 10 records");
    }

    void progressText() {
        QFETCH(QString, phase);
        QFETCH(qint64, done);
        QFETCH(qint64, total);
        QFETCH(double, rate);
        QFETCH(qint64, eta);
        QFETCH(QString, expected);
        QLocale::setDefault(QLocale::c());
        JobProgress progress;
        progress.source = QStringLiteral("mls");
        progress.resource = phase == QLatin1String("metadata") ? QString() : QStringLiteral("Property");
        progress.phase = phase;
        progress.done = done;
        progress.total = total;
        progress.recordsPerSecond = rate;
        progress.etaSeconds = eta;
        QCOMPARE(describeProgress(progress), expected);
    }

    void listsSourcesWithTitle() {
        Ui ui(load(writeSources(QStringLiteral("list"))));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QVERIFY(ui.window.windowTitle().contains(QStringLiteral("OpenReSync")));
        QCOMPARE(ui.view()->model()->rowCount(), 2);
        QCOMPARE(ui.cell(0, SourcesModel::SourceColumn), QStringLiteral("mls"));
        QCOMPARE(ui.cell(1, SourcesModel::SourceColumn), QStringLiteral("broken"));
        QCOMPARE(ui.cell(0, SourcesModel::PlatformColumn), QStringLiteral("generic"));
        QCOMPARE(ui.cell(0, SourcesModel::LastSyncColumn), QStringLiteral("never"));
        QCOMPARE(ui.cell(0, SourcesModel::ResultColumn), QString());
        // The first source is selected, so "Sync now" acts on it.
        const QModelIndexList selected = ui.view()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().row(), 0);
        QVERIFY(ui.syncButton()->isEnabled());
        QVERIFY(!ui.cancelButton()->isEnabled());
        QVERIFY2(ui.quiet(), qPrintable(ui.messages()->text()));
        QVERIFY(ui.progressBar());
    }

    void opensWithoutResolvingSecrets() {
        // A keychain secret is only resolved inside a job's thread: without any keychain
        // or D-Bus session, the window still opens at once and lists the source.
        const Paths paths = writeSources(
            QStringLiteral("secrets"),
            QJsonObject{{QStringLiteral("type"), QStringLiteral("bearer")},
                        {QStringLiteral("token"), QStringLiteral("keychain:openresync-test-absent")}});
        QElapsedTimer clock;
        clock.start();
        Ui ui(load(paths));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(ui.view()->model()->rowCount(), 2);
        QVERIFY2(ui.quiet(), qPrintable(ui.messages()->text()));
    }

    void syncFromButtonCompletesWhileResponsive() {
        const Paths paths = writeSources(QStringLiteral("sync"));
        // The first Property pages are slow, so the job surely runs while we look.
        m_server->injectFault({fake::Fault::Kind::Slow, QStringLiteral("/Property"), 3, 1, 600});
        QStringList labels, progressCells;
        bool barMoved = false;
        QElapsedTimer clock;
        qint64 lastTick = -1, maxGap = 0;
        int ticks = 0;
        QTimer ticker;
        ticker.setInterval(10);
        connect(&ticker, &QTimer::timeout, &ticker, [&] {
            const qint64 now = clock.elapsed();
            if (lastTick >= 0)
                maxGap = std::max(maxGap, now - lastTick);
            lastTick = now;
            ++ticks;
        });

        Ui ui(load(paths));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        auto* model = qobject_cast<SourcesModel*>(ui.view()->model());
        QVERIFY(model);
        QSignalSpy started(&ui.queue, &JobQueue::started);
        QSignalSpy finished(&ui.queue, &JobQueue::finished);
        QSignalSpy refreshed(model, &SourcesModel::lastRunsRefreshed);
        connect(&ui.queue, &JobQueue::progress, &ui.window, [&] {
            labels.append(ui.progressLabel()->text());
            progressCells.append(ui.cell(0, SourcesModel::ProgressColumn));
            const QProgressBar* bar = ui.progressBar();
            barMoved = barMoved || (bar->isVisible() && bar->value() > bar->minimum());
        });

        clock.start();
        ticker.start();
        QTest::mouseClick(ui.syncButton(), Qt::LeftButton);
        QCOMPARE(started.size(), 1);
        QVERIFY(ui.queue.isRunning(QStringLiteral("mls")));
        QCOMPARE(ui.cell(0, SourcesModel::ResultColumn), QStringLiteral("running"));
        // A second click while it runs starts nothing; a second sync asked for by other means
        // waits behind the running one (once), and is dropped again here.
        QVERIFY(!ui.syncButton()->isEnabled());
        QTest::mouseClick(ui.syncButton(), Qt::LeftButton);
        const JobRequest again{QStringLiteral("mls"), ProcessType::Sync, {}, JobOrigin::Manual};
        QCOMPARE(ui.queue.enqueue(again), JobQueue::Enqueued::Waiting);
        QCOMPARE(ui.queue.enqueue(again), JobQueue::Enqueued::AlreadyQueued);
        QCOMPARE(ui.queue.cancelQueued(QStringLiteral("mls")), 1);
        QCOMPARE(started.size(), 1);

        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        ticker.stop();
        const JobResult result = finished.first().at(1).value<JobResult>();
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(started.size(), 1);

        // The GUI thread kept running its timers throughout the sync.
        QVERIFY2(ticks >= 30, qPrintable(QString::number(ticks)));
        // A GUI thread blocked by the job would miss a whole slow page (600 ms).
        QVERIFY2(maxGap < 550, qPrintable(QString::number(maxGap)));

        // Live progress: records done/total, rate and ETA, in the label and the table.
        const QString all = labels.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("Property: downloading")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral(" / 300 records")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("records/s")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("ETA ")), qPrintable(all));
        QVERIFY(progressCells.join(QString()).contains(QStringLiteral("records")));
        QVERIFY(barMoved);

        // The table shows the recorded run: success and a time.
        QTRY_VERIFY(refreshed.size() >= 1);
        QTRY_VERIFY2(ui.cell(0, SourcesModel::ResultColumn).startsWith(QStringLiteral("success")),
                     qPrintable(ui.cell(0, SourcesModel::ResultColumn)));
        const QString when = ui.cell(0, SourcesModel::LastSyncColumn);
        QVERIFY2(QDateTime::fromString(when, QStringLiteral("yyyy-MM-dd HH:mm:ss")).isValid(),
                 qPrintable(when));
        QCOMPARE(ui.cell(0, SourcesModel::ProgressColumn), QString());
        QVERIFY(ui.syncButton()->isEnabled());
        QVERIFY(ui.progressLabel()->text().contains(QStringLiteral("finished")));
        QVERIFY(ui.messages()->level() != MessageBanner::Level::Error);

        const auto rows = readTable(paths.sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey"));
        QCOMPARE(rows.size(), m_server->records(QStringLiteral("Property")).size());
        QVERIFY(noModalDialog());
    }

    void failingSourceShowsErrorInline() {
        const Paths paths = writeSources(QStringLiteral("failing"));
        Ui ui(load(paths));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QSignalSpy finished(&ui.queue, &JobQueue::finished);

        ui.view()->selectRow(1);
        QTest::mouseClick(ui.syncButton(), Qt::LeftButton);
        QVERIFY(ui.queue.isRunning(QStringLiteral("broken")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY(!finished.first().at(1).value<JobResult>().ok());

        // The reason is inline, on one line, and no dialog interrupts anybody.
        QVERIFY(ui.messages()->isVisible());
        QCOMPARE(ui.messages()->level(), MessageBanner::Level::Error);
        const QString text = ui.find<QLabel>(QStringLiteral("messageText"))->text();
        QVERIFY2(text.startsWith(QStringLiteral("Sync of broken failed: ")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("127.0.0.1")), qPrintable(text));
        QVERIFY(!text.contains(QLatin1Char('\n')));
        QVERIFY(noModalDialog());
        QTRY_VERIFY2(ui.cell(1, SourcesModel::ResultColumn).startsWith(QStringLiteral("error")),
                     qPrintable(ui.cell(1, SourcesModel::ResultColumn)));
        QVERIFY(ui.cell(1, SourcesModel::LastSyncColumn) != QStringLiteral("never"));

        // The window keeps working: the other source syncs, and its success does not hide
        // the error about the broken one.
        ui.view()->selectRow(0);
        QVERIFY(ui.syncButton()->isEnabled());
        QTest::mouseClick(ui.syncButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 120000);
        QVERIFY(finished.at(1).at(1).value<JobResult>().ok());
        QTRY_VERIFY(ui.cell(0, SourcesModel::ResultColumn).startsWith(QStringLiteral("success")));
        QVERIFY(ui.cell(1, SourcesModel::ResultColumn).startsWith(QStringLiteral("error")));
        QVERIFY(ui.messages()->text().contains(QStringLiteral("broken")));
    }

    void cancelStopsAtACheckpoint() {
        const Paths paths = writeSources(QStringLiteral("cancel"));
        m_server->injectFault({fake::Fault::Kind::Slow, QStringLiteral("/Property"), 100, 1, 200});
        Ui ui(load(paths));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QSignalSpy progress(&ui.queue, &JobQueue::progress);
        QSignalSpy finished(&ui.queue, &JobQueue::finished);
        QTest::mouseClick(ui.syncButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(ui.progressLabel()->text().contains(QStringLiteral("downloading")), 30000);
        QVERIFY(ui.cancelButton()->isEnabled());
        QTest::mouseClick(ui.cancelButton(), Qt::LeftButton);
        QVERIFY(!ui.cancelButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QVERIFY(!finished.first().at(1).value<JobResult>().ok());
        QCOMPARE(ui.messages()->level(), MessageBanner::Level::Info);
        QVERIFY2(ui.messages()->text().contains(QStringLiteral("cancelled")),
                 qPrintable(ui.messages()->text()));
        QVERIFY(ui.syncButton()->isEnabled());
    }

    void configurationErrorsShownInline() {
        const QString dir = m_dir.filePath(QStringLiteral("badconfig"));
        QDir().mkpath(dir);
        const QString path = QDir(dir).filePath(QStringLiteral("config.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\n  \"version\": 1,\n  \"sources\": [ ,\n}\n");
        file.close();

        Ui ui(Workspace::load(path, QDir(dir).filePath(QStringLiteral("data"))));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QVERIFY(ui.window.windowTitle().contains(QStringLiteral("OpenReSync")));
        QVERIFY(ui.messages()->isVisible());
        QCOMPARE(ui.messages()->level(), MessageBanner::Level::Error);
        QVERIFY2(ui.messages()->text().contains(path + QLatin1Char(':')), qPrintable(ui.messages()->text()));
        QCOMPARE(ui.view()->model()->rowCount(), 0);
        QVERIFY(!ui.syncButton()->isEnabled());
        QVERIFY(noModalDialog());

        // A configuration file that does not exist is reported the same way.
        Ui missing(Workspace::load(QDir(dir).filePath(QStringLiteral("absent.json")),
                                   QDir(dir).filePath(QStringLiteral("data2"))));
        QVERIFY(QTest::qWaitForWindowExposed(&missing.window));
        QVERIFY(missing.messages()->isVisible());
        QVERIFY(missing.messages()->text().contains(QStringLiteral("absent.json")));
    }

    // Another instance runs the schedules (here a control server in another thread answering as
    // a `serve` would): the window says so and its Sync button asks that instance to run the job.
    void attachedWindowSendsSyncToTheRunningInstance() {
        const Paths paths = writeSources(QStringLiteral("attached"));
        QVERIFY(QDir().mkpath(paths.dataDir));
        const QString path = ControlChannel::socketPath(paths.dataDir);
        QThread thread;
        thread.start();
        auto* server = new ControlServer;
        server->moveToThread(&thread);
        QMutex mutex;
        QList<QJsonObject> requests;
        bool listening = false;
        QMetaObject::invokeMethod(
            server,
            [&] {
                server->setIdentity(QJsonObject{{QStringLiteral("kind"), QStringLiteral("serve")},
                                                {QStringLiteral("pid"), 4242}});
                server->setHandler(
                    QStringLiteral("run"), [&](const QJsonObject& request) -> Expected<QJsonObject> {
                        QMutexLocker locker(&mutex);
                        requests.append(request);
                        return QJsonObject{{QStringLiteral("outcome"), QStringLiteral("started")}};
                    });
                listening = bool(server->listen(path));
            },
            Qt::BlockingQueuedConnection);
        QVERIFY(listening);

        Ui ui(load(paths));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        const auto hello = ControlClient::hello(path);
        QVERIFY(hello);
        ui.window.attachToInstance(*hello, path);
        QVERIFY(ui.window.isAttached());
        QVERIFY2(ui.messages()->text().contains(
                     QStringLiteral("Schedules run in openresync-cli serve (process 4242)")),
                 qPrintable(ui.messages()->text()));
        QTest::mouseClick(ui.syncButton(), Qt::LeftButton);
        {
            QMutexLocker locker(&mutex);
            QCOMPARE(requests.size(), 1);
            QCOMPARE(requests.first().value(QStringLiteral("source")).toString(), QStringLiteral("mls"));
            QCOMPARE(requests.first().value(QStringLiteral("process")).toString(), QStringLiteral("sync"));
        }
        QVERIFY2(
            ui.messages()->text().contains(QStringLiteral("started in openresync-cli serve (process 4242)")),
            qPrintable(ui.messages()->text()));
        QVERIFY(!ui.queue.isRunning(QStringLiteral("mls")));

        QMetaObject::invokeMethod(
            server, [server] { delete server; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
