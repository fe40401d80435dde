// The desktop window over a shared stats database (the configuration's "stats" on the test
// MariaDB): the source's History tab lists the runs other instances recorded there, newest first,
// and the data directory gets no stats.sqlite of its own.
#include "HistoryView.h"
#include "StatsBackends.h"
#include "WindowUi.h"

#include <QApplication>
#include <QDir>
#include <QStandardItemModel>
#include <QTest>

using namespace ors;
using namespace ors::test;

class TestStatsWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void historyTabReadsTheSharedDatabase();
};

void TestStatsWindow::historyTabReadsTheSharedDatabase() {
    StatsBackend backend(StatsBackendKind::Mysql);
    const QString error = backend.reset();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Runs another instance recorded: two of "mls", one of a source this window does not know.
    QList<qint64> ids;
    {
        auto store = backend.store();
        auto opened = store->open();
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.errorMessage()));
        const QDateTime t0 = QDateTime::currentDateTimeUtc().addDays(-1);
        for (int i = 0; i < 2; ++i) {
            auto run = store->startRun(QStringLiteral("mls"), QStringLiteral("sync"),
                                       QStringLiteral("b%1").arg(i), t0.addSecs(600 * i));
            QVERIFY(run);
            QVERIFY(store->addResourceCounts(*run, QStringLiteral("Property"), 10 + i, -1, 1));
            QVERIFY(store->finishRun(*run, QStringLiteral("success"), {}, t0.addSecs(600 * i + 30)));
            ids.prepend(*run);
        }
        QVERIFY(
            store->startRun(QStringLiteral("elsewhere"), QStringLiteral("sync"), QStringLiteral("x"), t0));
    }

    QTemporaryDir dir;
    const QString variable = QStringLiteral("ORS_TEST_WINDOW_STATS_PASSWORD");
    qputenv(variable.toLatin1().constData(), backend.password().toUtf8());
    QJsonObject root{
        {QStringLiteral("version"), 1},
        {QStringLiteral("sources"),
         QJsonArray{sourceConfig(QStringLiteral("mls"), QStringLiteral("http://127.0.0.1:9/odata"),
                                 {dir.filePath(QStringLiteral("d.sqlite"))})}},
        {QStringLiteral("stats"), backend.configKey(variable)}};
    const QString config = writeConfig(dir.path(), root);
    const QString dataDir = dir.filePath(QStringLiteral("data"));
    WindowUi ui(Workspace::load(config, dataDir));
    QVERIFY(ui.window.isVisible());

    auto* history = ui.window.findChild<HistoryView*>();
    QVERIFY(history);
    QTRY_COMPARE_WITH_TIMEOUT(history->model()->rowCount(), 2, 15000);
    QCOMPARE(history->total(), 2);
    QList<qint64> shown;
    for (int r = 0; r < history->model()->rowCount(); ++r)
        shown << history->model()->item(r, 0)->data(Qt::UserRole).toLongLong();
    QCOMPARE(shown, ids);
    QCOMPARE(history->model()->item(0, HistoryView::Result)->text(), QStringLiteral("success"));
    QCOMPARE(history->model()->item(0, HistoryView::Records)->data(Qt::UserRole).toLongLong(), 11);
    QVERIFY(!QFile::exists(QDir(dataDir).filePath(QStringLiteral("stats.sqlite"))));
}

QTEST_MAIN(TestStatsWindow)
#include "tst_statswindow.moc"
