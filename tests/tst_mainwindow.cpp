// The desktop window, offscreen, against the fake RESO server on loopback: its navigation and
// pages, the keyboard, running and cancelling jobs from a source page through the real core
// (the host's queue on a thread pool), the status bar, per-source pause, configuration reloads,
// and a window attached to another instance. Progress text has its own data-driven test.
#include "AccessibleNames.h"
#include "ChartsView.h"
#include "DemoServer.h"
#include "HistoryView.h"
#include "JobBoard.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "NavigationModel.h"
#include "ResourcesTable.h"
#include "ResourcesTableModel.h"
#include "runner/LastRuns.h"
#include "runner/ProgressText.h"
#include "runner/Workspace.h"
#include "service/ControlChannel.h"
#include "service/ServiceHost.h"
#include "SourcePage.h"
#include "support/ZipWriter.h"
#include "TestSupport.h"
#include "WindowUi.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMessageBox>
#include <QMutex>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>

using namespace ors;
using namespace ors::test;

namespace {

constexpr int kWaitMs = 120000;

// Answers the window's modal dialogs in the order queued, as a user would: a file dialog gets a
// file name, an input dialog a text, a question "Yes".
// Every entry of a zip, uncompressed, one after the other; empty when it cannot be read.
QByteArray unzipped(const QString& path) {
    QByteArray all;
    if (auto entries = readZip(path, qint64(64) * 1024 * 1024))
        for (const auto& entry : *entries)
            all += entry.second;
    return all;
}

class DialogAnswers : public QObject {
public:
    DialogAnswers() {
        connect(&m_timer, &QTimer::timeout, this, &DialogAnswers::answer);
        m_timer.start(50);
    }
    void fileName(const QString& path) { m_queue.append({Kind::File, path}); }
    void text(const QString& value) { m_queue.append({Kind::Text, value}); }
    void yes() { m_queue.append({Kind::Yes, {}}); }
    bool allUsed() const { return m_queue.isEmpty(); }

private:
    enum class Kind { File, Text, Yes };
    void answer() {
        QWidget* modal = QApplication::activeModalWidget();
        if (!modal || m_queue.isEmpty())
            return;
        const auto [kind, value] = m_queue.first();
        if (auto* files = qobject_cast<QFileDialog*>(modal); files && kind == Kind::File) {
            files->selectFile(value);
            // Typed into the name field as a user does; selectFile alone keeps a default name there.
            if (auto* name = files->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")))
                name->setText(value);
            static_cast<QDialog*>(files)->accept(); // QFileDialog::accept is protected, the override runs
        } else if (auto* input = qobject_cast<QInputDialog*>(modal); input && kind == Kind::Text) {
            input->setTextValue(value);
            input->accept();
        } else if (auto* box = qobject_cast<QMessageBox*>(modal); box && kind == Kind::Yes) {
            box->button(QMessageBox::Yes)->click();
        } else {
            return;
        }
        m_queue.removeFirst();
    }
    QTimer m_timer;
    QList<std::pair<Kind, QString>> m_queue;
};

// The window and its host as in main.cpp, with what these tests look at.
struct Ui : WindowUi {
    using WindowUi::WindowUi;

    QListView* nav() { return find<QListView>(QStringLiteral("navigation")); }
    QStackedWidget* pages() { return find<QStackedWidget>(QStringLiteral("pages")); }
    SourcePage* page(const QString& source) { return window.sourcePage(source); }
    QPushButton* button(const QString& source, const char* name) {
        return page(source)->findChild<QPushButton*>(QString::fromLatin1(name));
    }
    QString progressLine(const QString& source) {
        return page(source)->findChild<QLabel*>(QStringLiteral("progressLabel"))->text();
    }
    // The navigation's entries: accessible name, and the text shown.
    QStringList navNames(int role = Qt::AccessibleTextRole) {
        QStringList names;
        const QAbstractItemModel* model = nav()->model();
        for (int row = 0; row < model->rowCount(); ++row)
            names.append(model->index(row, 0).data(role).toString());
        return names;
    }
    QString navText(const QString& name) {
        const QStringList names = navNames();
        const int row = int(names.indexOf(name));
        return row < 0 ? QString() : nav()->model()->index(row, 0).data().toString();
    }
};

// The newest sync run's result in the stats ("success", "cancelled", "error"), empty before one.
QString lastSyncResult(const QString& dataDir, const QString& source) {
    const auto runs = readLastSyncRuns(std::nullopt, dataDir, {source});
    return runs && runs->contains(source) ? runs->value(source).result : QString();
}

// With ORS_SCREENSHOT_DIR set, the window at 1280×800 on each page, to look at (not compared).
void grabPages(Ui& ui, const QString& tag) {
    const QString dir = qEnvironmentVariable("ORS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    const QString before = ui.window.currentPageKey();
    ui.window.resize(1280, 800);
    for (const QString& key : {QStringLiteral("dashboard"), QStringLiteral("mls"), QStringLiteral("broken"),
                               QStringLiteral("schedule"), QStringLiteral("jobs"), QStringLiteral("logs")}) {
        ui.window.showPage(key);
        QCoreApplication::processEvents();
        ui.window.grab().save(QDir(dir).filePath(QStringLiteral("window-%1-%2.png").arg(tag, key)));
    }
    ui.window.showPage(before);
}

bool noModalDialog() {
    return QApplication::activeModalWidget() == nullptr;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<fake::FakeResoServer> m_server;
    QTemporaryDir m_dir;
    quint16 m_closedPort = 0;

    struct Paths {
        QString dir;
        QString config;
        QString dataDir;
    };

    QJsonObject mlsSource(const QString& dir) const {
        QJsonObject mls = sourceConfig(QStringLiteral("mls"), m_server->serviceUrl(),
                                       {QDir(dir).filePath(QStringLiteral("mls.sqlite"))}, 50);
        mls.insert(QStringLiteral("schedules"),
                   QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("0 3 * * *")}}});
        return mls;
    }
    QJsonObject brokenSource(const QString& dir) const {
        return sourceConfig(QStringLiteral("broken"),
                            QStringLiteral("http://127.0.0.1:%1/odata").arg(m_closedPort),
                            {QDir(dir).filePath(QStringLiteral("broken.sqlite"))}, 50);
    }

    // A fresh config and data directory per test: "mls" on the fake server (synced daily at
    // 03:00) and, unless left out, "broken" on a port nothing listens on.
    Paths writeSources(const QString& name, bool withBroken = true) {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        const QJsonObject mls = mlsSource(dir);
        QJsonObject root = configWith(mls);
        root.insert(QStringLiteral("sources"),
                    withBroken ? QJsonArray{mls, brokenSource(dir)} : QJsonArray{mls});
        return Paths{dir, writeConfig(dir, root), QDir(dir).filePath(QStringLiteral("data"))};
    }

    static Workspace load(const Paths& paths) { return Workspace::load(paths.config, paths.dataDir); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
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

    // The navigation lists the pages by their exact names, a source page shows its header,
    // buttons and schedules, and no focusable widget anywhere lacks an accessible name.
    void navigationAndNames() {
        Ui ui(load(writeSources(QStringLiteral("nav"))));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QVERIFY(ui.window.windowTitle().contains(QStringLiteral("OpenReSync")));
        QCOMPARE(ui.navNames(),
                 (QStringList{QStringLiteral("Dashboard"), QStringLiteral("Sources"), QStringLiteral("mls"),
                              QStringLiteral("broken"), QStringLiteral("Schedule"), QStringLiteral("Jobs"),
                              QStringLiteral("Logs")}));
        // The heading is not a page.
        QVERIFY(!(ui.nav()->model()->index(1, 0).flags() & Qt::ItemIsSelectable));
        QCOMPARE(ui.window.currentPageKey(), QStringLiteral("dashboard"));

        // Choosing an entry shows its page.
        ui.nav()->setCurrentIndex(ui.nav()->model()->index(2, 0));
        QCOMPARE(ui.window.currentSource(), QStringLiteral("mls"));
        SourcePage* mls = ui.page(QStringLiteral("mls"));
        QCOMPARE(ui.pages()->currentWidget(), mls);
        QCOMPARE(mls->findChild<QLabel*>(QStringLiteral("sourceTitle"))->text(), QStringLiteral("mls"));
        const QString details = mls->findChild<QLabel*>(QStringLiteral("sourceDetails"))->text();
        QVERIFY2(details.contains(QStringLiteral("generic")) &&
                     details.contains(QStringLiteral("2 resources")) &&
                     details.contains(QStringLiteral("1 destination")),
                 qPrintable(details));
        for (const char* name : {"syncNowButton", "purgeButton", "reconcileButton", "cancelButton"})
            QVERIFY2(ui.button(QStringLiteral("mls"), name), name);
        QCOMPARE(ui.button(QStringLiteral("mls"), "syncNowButton")->accessibleName(),
                 QStringLiteral("Sync now"));
        QCOMPARE(ui.button(QStringLiteral("mls"), "purgeButton")->accessibleName(), QStringLiteral("Purge"));
        QCOMPARE(ui.button(QStringLiteral("mls"), "reconcileButton")->accessibleName(),
                 QStringLiteral("Reconcile"));
        QCOMPARE(ui.button(QStringLiteral("mls"), "cancelButton")->accessibleName(),
                 QStringLiteral("Cancel"));
        QVERIFY(ui.button(QStringLiteral("mls"), "syncNowButton")->isEnabled());
        QVERIFY(!ui.button(QStringLiteral("mls"), "cancelButton")->isEnabled());
        // The schedule and its next fire (in the display zone, UTC here) are on the page and in
        // the status bar.
        const auto* schedules = mls->findChild<QAbstractItemView*>(QStringLiteral("schedulesTable"));
        QCOMPARE(schedules->model()->rowCount(), 1);
        QCOMPARE(schedules->model()->index(0, 1).data().toString(), QStringLiteral("0 3 * * *"));
        QVERIFY(schedules->model()->index(0, 3).data().toString() != QStringLiteral("—"));
        QVERIFY2(ui.status().contains(QStringLiteral("next: mls sync at")), qPrintable(ui.status()));
        QVERIFY2(ui.status().startsWith(QStringLiteral("No job running")), qPrintable(ui.status()));
        QCOMPARE(mls->tabs()->count(), 4);
        QCOMPARE(mls->tabs()->tabText(SourcePage::RecordTab).remove(QLatin1Char('&')),
                 QStringLiteral("Record"));

        for (const QString& key :
             {QStringLiteral("dashboard"), QStringLiteral("schedule"), QStringLiteral("jobs"),
              QStringLiteral("logs"), QStringLiteral("broken"), QStringLiteral("mls")}) {
            ui.window.showPage(key);
            QCOMPARE(widgetsWithoutAccessibleName(&ui.window), QStringList());
        }
    }

    // View ▸ Ctrl+1…4 for the fixed pages, Ctrl+5… for the sources, Ctrl+PgDn/PgUp through the
    // list (skipping the heading, wrapping around); Tab moves from the list into the page.
    void keyboardSwitchesPages() {
        Ui ui(load(writeSources(QStringLiteral("keys"))));
        QApplication::setActiveWindow(&ui.window);
        QVERIFY(QTest::qWaitForWindowActive(&ui.window));
        QTest::keyClick(&ui.window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(ui.window.currentPageKey(), QStringLiteral("jobs"));
        QTest::keyClick(&ui.window, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(ui.window.currentPageKey(), QStringLiteral("schedule"));
        QTest::keyClick(&ui.window, Qt::Key_4, Qt::ControlModifier);
        QCOMPARE(ui.window.currentPageKey(), QStringLiteral("logs"));
        QTest::keyClick(&ui.window, Qt::Key_6, Qt::ControlModifier);
        QCOMPARE(ui.window.currentSource(), QStringLiteral("broken"));
        QTest::keyClick(&ui.window, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(ui.window.currentPageKey(), QStringLiteral("dashboard"));
        QTest::keyClick(&ui.window, Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(ui.window.currentSource(), QStringLiteral("mls"));
        QCOMPARE(ui.nav()->currentIndex().data(Qt::AccessibleTextRole).toString(), QStringLiteral("mls"));
        QTest::keyClick(&ui.window, Qt::Key_PageUp, Qt::ControlModifier);
        QCOMPARE(ui.window.currentPageKey(), QStringLiteral("dashboard"));
        QTest::keyClick(&ui.window, Qt::Key_PageUp, Qt::ControlModifier);
        QCOMPARE(ui.window.currentPageKey(), QStringLiteral("logs"));

        // The list itself: arrow keys move the page, and Tab leaves it for the page's controls.
        QTest::keyClick(&ui.window, Qt::Key_5, Qt::ControlModifier);
        ui.nav()->setFocus();
        QTest::keyClick(ui.nav(), Qt::Key_Down);
        QCOMPARE(ui.window.currentSource(), QStringLiteral("broken"));
        QTest::keyClick(ui.nav(), Qt::Key_Tab);
        QVERIFY(ui.page(QStringLiteral("broken"))->isAncestorOf(QApplication::focusWidget()));
        // The Source menu acts on the page shown: Ctrl+Shift+S syncs "broken".
        QSignalSpy started(&ui.host.queue(), &JobQueue::started);
        QTest::keyClick(&ui.window, Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.first().at(0).value<JobEntry>().request.source, QStringLiteral("broken"));
        QSignalSpy finished(&ui.host.queue(), &JobQueue::finished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        // It failed: inline, with the state in the navigation's tooltip.
        QCOMPARE(ui.messages()->level(), MessageBanner::Level::Error);
        QVERIFY2(ui.messages()->text().startsWith(QStringLiteral("Sync of broken failed: ")),
                 qPrintable(ui.messages()->text()));
        const int row = int(ui.navNames().indexOf(QStringLiteral("broken")));
        QVERIFY(ui.nav()
                    ->model()
                    ->index(row, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("failed")));
        QVERIFY(noModalDialog());
    }

    // Sync now from the source page runs against the fake server; while it runs, the page, the
    // navigation and the status bar show it, a second Sync waits (and the button says so), and
    // Cancel stops it: the stats record a cancelled run. The next Sync resumes and succeeds.
    void runAndCancelFromSourcePage() {
        const Paths paths = writeSources(QStringLiteral("run"));
        m_server->injectFault({fake::Fault::Kind::Slow, QStringLiteral("/Property"), 100, 1, 300});
        Ui ui(load(paths));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        ui.window.showPage(QStringLiteral("mls"));
        QSignalSpy finished(&ui.host.queue(), &JobQueue::finished);
        QPushButton* sync = ui.button(QStringLiteral("mls"), "syncNowButton");
        QPushButton* cancel = ui.button(QStringLiteral("mls"), "cancelButton");
        QTest::mouseClick(sync, Qt::LeftButton);
        QVERIFY(ui.host.queue().isRunning(QStringLiteral("mls")));
        QVERIFY(cancel->isEnabled());
        QTRY_VERIFY2_WITH_TIMEOUT(
            ui.progressLine(QStringLiteral("mls")).contains(QStringLiteral("downloading")),
            qPrintable(ui.progressLine(QStringLiteral("mls")) + QStringLiteral(" | ") + ui.status() +
                       QStringLiteral(" | ") + QString::number(ui.host.queue().snapshot().size()) +
                       QStringLiteral(" | ") + QString::number(ui.window.board().jobs().size())),
            30000);
        QTRY_VERIFY2(ui.status().startsWith(QStringLiteral("1 job running · mls sync ")),
                     qPrintable(ui.status()));
        QTRY_VERIFY(ui.navText(QStringLiteral("mls")).endsWith(QLatin1Char('%')));
        QCOMPARE(ui.navText(QStringLiteral("Jobs")), QStringLiteral("Jobs (1)"));
        grabPages(ui, QStringLiteral("running"));

        // A second sync waits behind the running one, once; the button says it is queued.
        QVERIFY(sync->isEnabled());
        QTest::mouseClick(sync, Qt::LeftButton);
        QVERIFY(ui.host.queue().isQueued(QStringLiteral("mls"), ProcessType::Sync));
        QVERIFY(!sync->isEnabled());
        QCOMPARE(sync->text(), QStringLiteral("Sync queued"));
        QCOMPARE(sync->accessibleName(), QStringLiteral("Sync now"));
        QCOMPARE(ui.navText(QStringLiteral("Jobs")), QStringLiteral("Jobs (2)"));
        QVERIFY2(ui.status().contains(QStringLiteral("1 queued")), qPrintable(ui.status()));

        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(!cancel->isEnabled());
        QVERIFY(!ui.host.queue().isQueued(QStringLiteral("mls")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY(!finished.first().at(1).value<JobResult>().ok());
        QTRY_COMPARE(lastSyncResult(paths.dataDir, QStringLiteral("mls")), QStringLiteral("cancelled"));
        QCOMPARE(ui.messages()->level(), MessageBanner::Level::Info);
        QVERIFY2(ui.page(QStringLiteral("mls"))->outcome().contains(QStringLiteral("cancelled")),
                 qPrintable(ui.page(QStringLiteral("mls"))->outcome()));
        QVERIFY(ui.status().startsWith(QStringLiteral("No job running")));
        QCOMPARE(ui.navText(QStringLiteral("Jobs")), QStringLiteral("Jobs"));
        QCOMPARE(ui.navText(QStringLiteral("mls")), QStringLiteral("mls"));
        QVERIFY(sync->isEnabled());
        QVERIFY(!cancel->isEnabled());

        m_server->clearFaults();
        QTest::mouseClick(sync, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
        QVERIFY2(finished.at(1).at(1).value<JobResult>().ok(),
                 qPrintable(finished.at(1).at(1).value<JobResult>().error));
        QTRY_COMPARE(lastSyncResult(paths.dataDir, QStringLiteral("mls")), QStringLiteral("success"));
        QVERIFY2(ui.page(QStringLiteral("mls"))->outcome().contains(QStringLiteral("finished")),
                 qPrintable(ui.page(QStringLiteral("mls"))->outcome()));

        // The page's tabs followed the jobs: both runs in the history, the counts in sync, the
        // sync's records in the chart's table.
        SourcePage* page = ui.page(QStringLiteral("mls"));
        auto* history = page->findChild<HistoryView*>();
        QVERIFY(history);
        QTRY_COMPARE(history->model()->rowCount(), 2);
        auto* resources = page->findChild<ResourcesTable*>();
        QVERIFY(resources);
        QCOMPARE(resources->findChild<QAbstractItemView*>(QStringLiteral("resourcesTable"))->accessibleName(),
                 QStringLiteral("Resources"));
        QTRY_VERIFY_WITH_TIMEOUT(!resources->isLoading() && resources->model()->rowCount() > 0, kWaitMs);
        for (int row = 0; row < resources->model()->rowCount(); ++row)
            QCOMPARE(resources->model()->index(row, ResourcesTableModel::DifferenceColumn).data().toString(),
                     QStringLiteral("in sync"));
        auto* charts = page->findChild<ChartsView*>();
        QVERIFY(charts);
        QTRY_VERIFY(charts->table(ChartsView::Chart::Records)->rowCount() >= 1);

        // Source ▸ Look up record… lands in the key field of the Record tab.
        QAction* lookUp = ui.window.findChild<QAction*>(QStringLiteral("lookUpAction"));
        QVERIFY(lookUp);
        lookUp->trigger();
        QCOMPARE(page->tabs()->currentIndex(), int(SourcePage::RecordTab));
        QTRY_COMPARE(QApplication::focusWidget()->accessibleName(), QStringLiteral("Record key"));
        QVERIFY(noModalDialog());
    }

    // Pause/Resume on a source page pauses only that source's schedules.
    void pauseOneSourceFromItsPage() {
        Ui ui(load(writeSources(QStringLiteral("pause"))));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        ui.window.showPage(QStringLiteral("mls"));
        QPushButton* pause =
            ui.page(QStringLiteral("mls"))->findChild<QPushButton*>(QStringLiteral("pauseSourceButton"));
        QCOMPARE(pause->accessibleName(), QStringLiteral("Pause schedules"));
        QTest::mouseClick(pause, Qt::LeftButton);
        QVERIFY(ui.host.scheduler().isSourcePaused(QStringLiteral("mls")));
        QVERIFY(!ui.host.scheduler().isPaused());
        QCOMPARE(pause->accessibleName(), QStringLiteral("Resume schedules"));
        QVERIFY(!ui.status().contains(QStringLiteral("next: mls")));
        const int row = int(ui.navNames().indexOf(QStringLiteral("mls")));
        QVERIFY(ui.nav()
                    ->model()
                    ->index(row, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("paused")));
        QTest::mouseClick(pause, Qt::LeftButton);
        QVERIFY(!ui.host.scheduler().isSourcePaused(QStringLiteral("mls")));
        QVERIFY(ui.status().contains(QStringLiteral("next: mls sync")));
    }

    // A first start (no configuration file yet) welcomes the user instead of reporting an error;
    // "Try with demo data" starts the bundled sample server, writes the demo source (creating the
    // configuration's folder), reloads and syncs it. A second window on that configuration starts
    // the server again. Without the server program the button says what is missing.
    void welcomeTriesTheDemo() {
        const QString dir = m_dir.filePath(QStringLiteral("welcome"));
        const QString config = QDir(dir).filePath(QStringLiteral("conf/openresync/config.json"));
        const QString dataDir = QDir(dir).filePath(QStringLiteral("data"));
        {
            qputenv("OPENRESYNC_SAMPLE_SERVER", QByteArray("/nonexistent/reso-sample-server"));
            const auto restore = qScopeGuard([] { qunsetenv("OPENRESYNC_SAMPLE_SERVER"); });
            Ui ui(Workspace::load(config, dataDir));
            QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
            ui.find<QPushButton>(QStringLiteral("dashboardTryDemo"))->click();
            QTRY_COMPARE(ui.messages()->level(), MessageBanner::Level::Error);
            QVERIFY2(ui.messages()->text().contains(QStringLiteral("is not installed")),
                     qPrintable(ui.messages()->text()));
            QVERIFY(!QFile::exists(config));
        }

        Workspace first = Workspace::load(config, dataDir);
        QVERIFY(first.firstStart);
        QVERIFY(first.ok());
        {
            Ui ui(std::move(first));
            QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
            QVERIFY(ui.find<QLabel>(QStringLiteral("dashboardWelcome"))->isVisible());
            QVERIFY2(ui.messages()->text().isEmpty() || ui.messages()->level() != MessageBanner::Level::Error,
                     qPrintable(ui.messages()->text()));
            QSignalSpy reloaded(&ui.window, &MainWindow::reloaded);
            QSignalSpy finished(&ui.host.queue(), &JobQueue::finished);
            ui.find<QPushButton>(QStringLiteral("dashboardTryDemo"))->click();
            QTRY_COMPARE_WITH_TIMEOUT(reloaded.size(), 1, kWaitMs);
            QVERIFY(ui.window.sourcePage(QStringLiteral("demo")));
            QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
            QCOMPARE(finished.first().at(1).value<JobResult>().exitCode, ExitCode::Success);
            const QString sqlite = QDir(dataDir).filePath(QStringLiteral("destinations/demo/local.sqlite"));
            QCOMPARE(readTable(sqlite, QStringLiteral("Property"), QStringLiteral("ListingKey")).size(),
                     2000);
            QVERIFY(!ui.find<QLabel>(QStringLiteral("dashboardWelcome"))->isVisible());
        }
        // The server went with the window; the next window starts it again for the demo source.
        Ui again(Workspace::load(config, dataDir));
        QVERIFY(QTest::qWaitForWindowExposed(&again.window));
        QSignalSpy finished(&again.host.queue(), &JobQueue::finished);
        QTRY_VERIFY_WITH_TIMEOUT(again.window.findChild<DemoServer*>() &&
                                     again.window.findChild<DemoServer*>()->isRunning(),
                                 kWaitMs);
        again.window.showPage(QStringLiteral("demo"));
        again.window.findChild<QAction*>(QStringLiteral("syncAction"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QCOMPARE(finished.first().at(1).value<JobResult>().exitCode, ExitCode::Success);
    }

    // File ▸ Export and Import configuration… and Help ▸ Save diagnostics…, answered through their
    // dialogs as a user would: the export leaves the text secret out, the import asks for a
    // reference for it, replaces the file (keeping .bak) and reloads; the bundle holds no secret.
    void supportActionsThroughTheirDialogs() {
        const Paths paths = writeSources(QStringLiteral("support"), false);
        const QString literal = QStringLiteral("window-literal-token-8d2e");
        QJsonObject mls = mlsSource(paths.dir);
        mls.insert(QStringLiteral("auth"), QJsonObject{{QStringLiteral("type"), QStringLiteral("bearer")},
                                                       {QStringLiteral("token"), literal}});
        QCOMPARE(writeConfig(paths.dir, configWith(mls)), paths.config);
        Ui ui(load(paths));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QSignalSpy reloaded(&ui.window, &MainWindow::reloaded);

        const QString zip = QDir(paths.dir).filePath(QStringLiteral("setup.zip"));
        DialogAnswers answers;
        answers.fileName(zip);
        ui.window.findChild<QAction*>(QStringLiteral("exportConfigAction"))->trigger();
        QTRY_VERIFY2_WITH_TIMEOUT(ui.messages()->text().contains(QStringLiteral("Configuration exported")),
                                  qPrintable(ui.messages()->text()), kWaitMs);
        QVERIFY2(ui.messages()->text().contains(QStringLiteral("sources[0].auth.token")),
                 qPrintable(ui.messages()->text()));
        QVERIFY(!unzipped(zip).isEmpty());
        QVERIFY(!unzipped(zip).contains(literal.toUtf8()));

        answers.fileName(zip);
        answers.text(QStringLiteral("env:WINDOW_TOKEN"));
        answers.yes();
        ui.window.findChild<QAction*>(QStringLiteral("importConfigAction"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(reloaded.size(), 1, kWaitMs);
        QVERIFY(answers.allUsed());
        QFile config(paths.config);
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QByteArray imported = config.readAll();
        QVERIFY2(imported.contains("\"env:WINDOW_TOKEN\"") && !imported.contains(literal.toUtf8()),
                 imported.constData());
        QFile backup(paths.config + QStringLiteral(".bak"));
        QVERIFY(backup.open(QIODevice::ReadOnly));
        QVERIFY(backup.readAll().contains(literal.toUtf8()));

        const QString bundle = QDir(paths.dir).filePath(QStringLiteral("diagnostics.zip"));
        answers.fileName(bundle);
        ui.window.findChild<QAction*>(QStringLiteral("diagnosticsAction"))->trigger();
        QTRY_VERIFY2_WITH_TIMEOUT(ui.messages()->text().contains(QStringLiteral("Diagnostics saved")),
                                  qPrintable(ui.messages()->text()), kWaitMs);
        const QByteArray contents = unzipped(bundle);
        QVERIFY2(contents.contains("\"token\": \"env:WINDOW_TOKEN\""), contents.left(2000).constData());
        QVERIFY(!contents.contains(literal.toUtf8()));
    }

    // File ▸ Reload: an added source gets its entry and page; an invalid file keeps the old
    // configuration (and the entries) and says why inline.
    void reloadFollowsTheConfiguration() {
        const Paths paths = writeSources(QStringLiteral("reload"), false);
        Ui ui(load(paths));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QVERIFY(!ui.navNames().contains(QStringLiteral("broken")));
        QSignalSpy reloaded(&ui.window, &MainWindow::reloaded);

        QJsonObject root = configWith(mlsSource(paths.dir));
        root.insert(QStringLiteral("sources"), QJsonArray{mlsSource(paths.dir), brokenSource(paths.dir)});
        QCOMPARE(writeConfig(paths.dir, root), paths.config);
        ui.window.findChild<QAction*>(QStringLiteral("reloadAction"))->trigger();
        QTRY_COMPARE(reloaded.size(), 1);
        QCOMPARE(reloaded.first().at(0).toBool(), true);
        QVERIFY(ui.navNames().contains(QStringLiteral("broken")));
        QVERIFY(ui.page(QStringLiteral("broken")));
        QVERIFY(ui.host.queue().config()->source(QStringLiteral("broken")));

        QFile file(paths.config);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("{\n  \"version\": 1,\n  \"sources\": [ ,\n}\n");
        file.close();
        ui.window.showPage(QStringLiteral("broken"));
        ui.window.findChild<QAction*>(QStringLiteral("reloadAction"))->trigger();
        QTRY_COMPARE(reloaded.size(), 2);
        QCOMPARE(reloaded.at(1).at(0).toBool(), false);
        QCOMPARE(ui.messages()->level(), MessageBanner::Level::Error);
        QVERIFY2(ui.messages()->text().contains(QStringLiteral("was not reloaded")),
                 qPrintable(ui.messages()->text()));
        QVERIFY2(ui.messages()->text().contains(paths.config), qPrintable(ui.messages()->text()));
        QVERIFY(ui.navNames().contains(QStringLiteral("broken")));
        QCOMPARE(ui.window.currentSource(), QStringLiteral("broken"));
        QVERIFY(ui.host.queue().config()->source(QStringLiteral("broken")));

        // Back to one source: the removed source's entry and page go, the window shows the dashboard.
        QCOMPARE(writeConfig(paths.dir, configWith(mlsSource(paths.dir))), paths.config);
        ui.window.findChild<QAction*>(QStringLiteral("reloadAction"))->trigger();
        QTRY_COMPARE(reloaded.size(), 3);
        QVERIFY(!ui.navNames().contains(QStringLiteral("broken")));
        QVERIFY(!ui.page(QStringLiteral("broken")));
        QCOMPARE(ui.window.currentPageKey(), QStringLiteral("dashboard"));
        QVERIFY(noModalDialog());
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
        QCOMPARE(ui.navNames().size(), 5); // no sources
        QVERIFY(!ui.window.findChild<QAction*>(QStringLiteral("syncAction"))->isEnabled());
        QVERIFY(noModalDialog());
    }

    // Another instance runs the schedules (here a control server in another thread answering as
    // a `serve` would): the window says so, shows that instance's jobs, and sends its requests there.
    void attachedWindowFollowsAndSendsToTheInstance() {
        const Paths paths = writeSources(QStringLiteral("attached"));
        QVERIFY(QDir().mkpath(paths.dataDir));
        const QString path = ControlChannel::socketPath(paths.dataDir);
        QThread thread;
        thread.start();
        auto* server = new ControlServer;
        server->moveToThread(&thread);
        // Also when a check fails half-way: the server goes in its thread, then the thread.
        const auto stopServer = qScopeGuard([&] {
            QMetaObject::invokeMethod(
                server, [server] { delete server; }, Qt::BlockingQueuedConnection);
            thread.quit();
            thread.wait();
        });
        QMutex mutex;
        QList<QJsonObject> requests;
        bool listening = false;
        const QJsonObject runningJob{
            {QStringLiteral("id"), 7},
            {QStringLiteral("source"), QStringLiteral("mls")},
            {QStringLiteral("process"), QStringLiteral("sync")},
            {QStringLiteral("state"), QStringLiteral("running")},
            {QStringLiteral("origin"), QStringLiteral("schedule")},
            {QStringLiteral("progress"), QJsonObject{{QStringLiteral("resource"), QStringLiteral("Property")},
                                                     {QStringLiteral("phase"), QStringLiteral("download")},
                                                     {QStringLiteral("done"), 50},
                                                     {QStringLiteral("total"), 200},
                                                     {QStringLiteral("eta"), 3}}}};
        QMetaObject::invokeMethod(
            server,
            [&] {
                server->setIdentity(QJsonObject{{QStringLiteral("kind"), QStringLiteral("serve")},
                                                {QStringLiteral("pid"), 4242}});
                auto record = [&](const QJsonObject& request,
                                  const QJsonObject& reply) -> Expected<QJsonObject> {
                    QMutexLocker locker(&mutex);
                    requests.append(request);
                    return reply;
                };
                server->setHandler(QStringLiteral("run"), [=](const QJsonObject& r) {
                    return record(r, {{QStringLiteral("outcome"), QStringLiteral("started")}});
                });
                server->setHandler(QStringLiteral("resume"), [=](const QJsonObject& r) {
                    return record(r, {{QStringLiteral("paused"), false}});
                });
                server->setHandler(QStringLiteral("jobs"), [=](const QJsonObject&) -> Expected<QJsonObject> {
                    return QJsonObject{{QStringLiteral("jobs"), QJsonArray{runningJob}},
                                       {QStringLiteral("paused"), false}};
                });
                server->setHandler(QStringLiteral("schedule"),
                                   [=](const QJsonObject&) -> Expected<QJsonObject> {
                                       return QJsonObject{{QStringLiteral("paused"), false},
                                                          {QStringLiteral("pausedSources"),
                                                           QJsonArray{QStringLiteral("mls")}},
                                                          {QStringLiteral("next"), QJsonArray{}}};
                                   });
                listening = bool(server->listen(path));
            },
            Qt::BlockingQueuedConnection);
        QVERIFY(listening);

        Ui ui(load(paths));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        QSignalSpy settled(&ui.window, &MainWindow::schedulesSettled);
        ui.window.startSchedules(); // finds the instance: attaches instead of starting
        QVERIFY(settled.wait(kWaitMs));
        QVERIFY(ui.window.isAttached());
        QVERIFY(!ui.host.isStarted());
        QVERIFY2(ui.messages()->text().contains(
                     QStringLiteral("Schedules run in openresync-cli serve (process 4242)")),
                 qPrintable(ui.messages()->text()));
        // The instance's running job shows in the status bar, the navigation and the page.
        QTRY_VERIFY2(ui.status().startsWith(QStringLiteral("1 job running · mls sync 25%")),
                     qPrintable(ui.status()));
        QVERIFY2(ui.status().contains(QStringLiteral("openresync-cli serve (process 4242)")),
                 qPrintable(ui.status()));
        QCOMPARE(ui.navText(QStringLiteral("mls")), QStringLiteral("mls  25%"));
        ui.window.showPage(QStringLiteral("mls"));
        QVERIFY(ui.button(QStringLiteral("mls"), "cancelButton")->isEnabled());
        QVERIFY(ui.progressLine(QStringLiteral("mls")).contains(QStringLiteral("50 / 200")));
        QCOMPARE(ui.page(QStringLiteral("mls"))
                     ->findChild<QPushButton*>(QStringLiteral("pauseSourceButton"))
                     ->accessibleName(),
                 QStringLiteral("Resume schedules"));

        // An event moves it on; a finished event ends it.
        QJsonObject progressed = runningJob;
        progressed.insert(QStringLiteral("progress"),
                          QJsonObject{{QStringLiteral("done"), 150},
                                      {QStringLiteral("total"), 200},
                                      {QStringLiteral("phase"), QStringLiteral("download")}});
        QMetaObject::invokeMethod(server, [&] { server->broadcast(QStringLiteral("progress"), progressed); });
        QTRY_VERIFY2(ui.status().startsWith(QStringLiteral("1 job running · mls sync 75%")),
                     qPrintable(ui.status()));
        QJsonObject ended = runningJob;
        ended.insert(QStringLiteral("state"), QStringLiteral("finished"));
        ended.insert(QStringLiteral("result"), QJsonObject{{QStringLiteral("ok"), true},
                                                           {QStringLiteral("exitCode"), 0},
                                                           {QStringLiteral("recordsDownloaded"), 200},
                                                           {QStringLiteral("recordsApplied"), 200}});
        QMetaObject::invokeMethod(server, [&] { server->broadcast(QStringLiteral("finished"), ended); });
        QTRY_VERIFY2(ui.status().startsWith(QStringLiteral("No job running")), qPrintable(ui.status()));
        QTRY_VERIFY(
            ui.page(QStringLiteral("mls"))->outcome().contains(QStringLiteral("Sync of mls finished: 200")));

        // Sync now and Resume go to the instance, not to this window's queue.
        QTest::mouseClick(ui.button(QStringLiteral("mls"), "syncNowButton"), Qt::LeftButton);
        QTRY_VERIFY2(
            ui.messages()->text().contains(QStringLiteral("started in openresync-cli serve (process 4242)")),
            qPrintable(ui.messages()->text()));
        QVERIFY(!ui.host.queue().isRunning(QStringLiteral("mls")));
        QTest::mouseClick(
            ui.page(QStringLiteral("mls"))->findChild<QPushButton*>(QStringLiteral("pauseSourceButton")),
            Qt::LeftButton);
        QTRY_VERIFY([&] {
            QMutexLocker locker(&mutex);
            return requests.size() == 2;
        }());
        {
            QMutexLocker locker(&mutex);
            QCOMPARE(requests.at(0).value(QStringLiteral("command")).toString(), QStringLiteral("run"));
            QCOMPARE(requests.at(0).value(QStringLiteral("source")).toString(), QStringLiteral("mls"));
            QCOMPARE(requests.at(0).value(QStringLiteral("process")).toString(), QStringLiteral("sync"));
            QCOMPARE(requests.at(1).value(QStringLiteral("command")).toString(), QStringLiteral("resume"));
            QCOMPARE(requests.at(1).value(QStringLiteral("source")).toString(), QStringLiteral("mls"));
        }
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
