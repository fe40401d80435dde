// The Schedule page, offscreen: a configuration with two sources whose syncs collide marks that
// hour as an overlap in the grid (text, tooltip and colour) and in the next-24-hours list; every
// focusable widget is named. With ORS_PAGE_SCREENSHOTS=<dir> it also saves a picture there.
#include "AccessibleNames.h"
#include "config/Config.h"
#include "ScheduleGridModel.h"
#include "SchedulePage.h"
#include "ScheduleTimelineModel.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace ors;

namespace {

Config collidingConfig() {
    Config config;
    config.timeZone = QStringLiteral("America/Denver");
    SourceConfig crmls;
    crmls.name = QStringLiteral("crmls");
    crmls.schedules.sync = {QStringLiteral("*/30 * * * *")};
    crmls.schedules.purge = {QStringLiteral("15 3 * * *")};
    SourceConfig armls;
    armls.name = QStringLiteral("armls");
    armls.schedules.sync = {QStringLiteral("0 */6 * * *")};
    armls.schedules.reconcile = {QStringLiteral("45 2 * * SUN")};
    SourceConfig nwmls;
    nwmls.name = QStringLiteral("nwmls");
    nwmls.schedules.sync = {QStringLiteral("10 8-18 * * MON-FRI")};
    nwmls.schedules.timeZone = QStringLiteral("America/Los_Angeles");
    config.sources = {crmls, armls, nwmls};
    return config;
}

void saveScreenshot(QWidget* widget, const QString& name) {
    const QString dir = qEnvironmentVariable("ORS_PAGE_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    // Labels set just before have posted layout requests; a grab does not run them.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QCoreApplication::processEvents();
    QVERIFY(widget->grab().save(QDir(dir).filePath(name)));
}

} // namespace

class TestSchedulePage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void gridMarksTheOverlap();
    void timelineInOrder();
    void everyFocusableWidgetIsNamed();
};

void TestSchedulePage::gridMarksTheOverlap() {
    SchedulePage page;
    page.resize(1040, 760);
    QSignalSpy updated(&page, &SchedulePage::updated);
    page.setDisplayZone(QTimeZone("America/Denver"));
    page.setNow(QDateTime::fromString(QStringLiteral("2026-03-05T16:20:00Z"), Qt::ISODate)); // Thu 09:20 MST
    page.setConfig(collidingConfig());
    page.show();
    QTRY_VERIFY(!updated.isEmpty());
    QTRY_COMPARE(page.gridModel()->rowCount(), 7);
    const auto* grid = page.gridModel();
    // 06:00 Denver: crmls syncs at :00 and :30, armls at :00 → overlap.
    const QModelIndex six = grid->index(0, 6);
    QVERIFY(six.data(ScheduleGridModel::OverlapRole).toBool());
    QCOMPARE(six.data(ScheduleGridModel::FireCountRole).toInt(), 3);
    QCOMPARE(six.data().toString(), QStringLiteral("⚠ 3"));
    QVERIFY(six.data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("06:00 crmls sync, overlaps with armls sync")));
    QVERIFY(six.data(Qt::BackgroundRole).isValid());
    // 07:00: crmls alone, no mark.
    const QModelIndex seven = grid->index(0, 7);
    QVERIFY(!seven.data(ScheduleGridModel::OverlapRole).toBool());
    QCOMPARE(seven.data().toString(), QStringLiteral("2"));
    QVERIFY(seven.data(Qt::BackgroundRole) != six.data(Qt::BackgroundRole));
    // Sunday 8 March has no 02:00 hour in Denver.
    QCOMPARE(grid->index(3, 2).data().toString(), QStringLiteral("–"));
    // nwmls runs 08:10-18:10 Los Angeles time on weekdays: 09:10-19:10 in Denver.
    QVERIFY(grid->index(0, 9).data(Qt::ToolTipRole).toString().contains(QStringLiteral("09:10 nwmls sync")));
    QVERIFY(!grid->index(0, 8).data(Qt::ToolTipRole).toString().contains(QStringLiteral("nwmls")));

    // The selected hour is described under the grid, for keyboard users.
    auto* view = page.findChild<QTableView*>(QStringLiteral("scheduleGrid"));
    view->setCurrentIndex(six);
    auto* details = page.findChild<QLabel*>(QStringLiteral("cellDetails"));
    QVERIFY(details->text().contains(QStringLiteral("overlaps with armls sync")));
    QVERIFY(page.findChild<QLabel*>(QStringLiteral("scheduleSummary"))->text().contains(QStringLiteral("⚠")));
    saveScreenshot(&page, QStringLiteral("schedule.png"));
}

void TestSchedulePage::timelineInOrder() {
    SchedulePage page;
    QSignalSpy updated(&page, &SchedulePage::updated);
    page.setDisplayZone(QTimeZone("America/Denver"));
    page.setNow(QDateTime::fromString(QStringLiteral("2026-03-05T16:20:00Z"), Qt::ISODate));
    page.setConfig(collidingConfig());
    QTRY_VERIFY(page.timelineModel()->rowCount() > 0);
    const auto* timeline = page.timelineModel();
    const auto cell = [&](int row, int column) { return timeline->index(row, column).data().toString(); };
    // 09:20 now: crmls 09:30, nwmls 09:10 LA is 10:10 here, crmls 10:00, …
    QCOMPARE(cell(0, ScheduleTimelineModel::TimeColumn), QStringLiteral("09:30"));
    QCOMPARE(cell(0, ScheduleTimelineModel::UtcColumn), QStringLiteral("16:30"));
    QCOMPARE(cell(0, ScheduleTimelineModel::SourceColumn), QStringLiteral("crmls"));
    QCOMPARE(cell(1, ScheduleTimelineModel::TimeColumn), QStringLiteral("10:00"));
    QCOMPARE(cell(2, ScheduleTimelineModel::TimeColumn), QStringLiteral("10:10"));
    QCOMPARE(cell(2, ScheduleTimelineModel::SourceColumn), QStringLiteral("nwmls"));
    QCOMPARE(cell(2, ScheduleTimelineModel::ScheduleColumn),
             QStringLiteral("10 8-18 * * MON-FRI (America/Los_Angeles)"));
    QString previous;
    int overlaps = 0;
    for (int row = 0; row < timeline->rowCount(); ++row) {
        const QString utc =
            timeline->index(row, 0).data(Qt::ToolTipRole).toString().section(QLatin1Char('\n'), 1);
        QVERIFY2(previous <= utc, qPrintable(previous + QStringLiteral(" > ") + utc));
        previous = utc;
        if (!cell(row, ScheduleTimelineModel::OverlapColumn).isEmpty())
            ++overlaps;
    }
    // 12:00 and 18:00 today, 00:00 and 06:00 tomorrow: crmls and armls both marked.
    QCOMPARE(overlaps, 8);
    QCOMPARE(cell(timeline->rowCount() - 1, ScheduleTimelineModel::TimeColumn),
             QStringLiteral("09:10 (tomorrow)"));
}

void TestSchedulePage::everyFocusableWidgetIsNamed() {
    SchedulePage page;
    page.setConfig(collidingConfig());
    page.show();
    QCOMPARE(ors::test::widgetsWithoutAccessibleName(&page), QStringList());
    // The walk does catch an unnamed one.
    auto* unnamed = new QComboBox(&page);
    unnamed->setObjectName(QStringLiteral("unnamedBox"));
    QCOMPARE(ors::test::widgetsWithoutAccessibleName(&page),
             QStringList{QStringLiteral("QComboBox unnamedBox")});
}

QTEST_MAIN(TestSchedulePage)
#include "tst_schedulepage.moc"
