// The charts view, offscreen, over a stats.sqlite with known runs, count samples and requests per
// hour: each chart's table equals the stats rows point for point, the series hold the same number
// of points, the range selector narrows them, a source with nothing recorded draws empty charts
// without a warning (any Qt warning fails a test here: Qt Charts says "invalid range" for an axis
// it cannot lay out), and every focusable widget is named. With ORS_SCREENSHOT_DIR=<dir> it saves
// pictures there.
#include "AccessibleNames.h"
#include "ChartsView.h"
#include "CliFixture.h"
#include "StatsFixture.h"

#include "config/DataDir.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTableView>
#include <QtCharts/QChart>
#include <QtCharts/QXYSeries>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace ors;
using namespace ors::test;

namespace {

QList<QVariant> column(const QStandardItemModel* model, int c) {
    QList<QVariant> values;
    for (int r = 0; r < model->rowCount(); ++r)
        values.append(model->item(r, c)->data(Qt::UserRole));
    return values;
}

int points(QChart* chart) {
    int n = 0;
    for (QAbstractSeries* s : chart->series())
        if (auto* xy = qobject_cast<QXYSeries*>(s); xy && !xy->name().startsWith(QLatin1String("Quota")))
            n += int(xy->count());
    return n;
}

} // namespace

class TestChartsView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void recordsTableEqualsTheRuns();
    void durationsTableEqualsTheRuns();
    void countsTableEqualsTheSamples();
    void requestsTableEqualsTheHours();
    void rangeSelector();
    void tableToggle();
    void emptySourceShownAndHidden();
    void accessibleNames();
    void screenshot();

private:
    bool settle(const std::function<void()>& change) {
        QSignalSpy spy(m_view.get(), &ChartsView::loaded);
        change();
        return spy.wait(10000);
    }
    QList<KnownRun> runsWithin(int days) const {
        QList<KnownRun> out;
        for (const KnownRun& r : m_known.runs)
            if (r.started >= m_view->data().from && r.started < m_view->data().to && days > 0)
                out.append(r);
        return out;
    }

    CliFixture m_f;
    SourceConfig m_source;
    KnownStats m_known;
    std::unique_ptr<ChartsView> m_view;
};

void TestChartsView::initTestCase() {
    auto stats = fillKnownStatsAndSync(m_f);
    QVERIFY(stats);
    QCOMPARE(stats->known.runs.size(), 24);
    m_known = stats->known;
    // The real sync (and its requests, in known.usage) joins the known runs.
    QVERIFY(stats->realSync.downloaded() >= 30);
    m_known.runs.append(stats->realSync);

    m_source.name = QStringLiteral("mls");
    m_source.platform = Platform::Trestle;
}

void TestChartsView::init() {
    // Applies to the test function that follows, set-up included. The offscreen platform's own
    // complaint about showing a window is not the view's.
    QTest::failOnWarning(
        QRegularExpression(QStringLiteral("^(?!This plugin does not support propagateSizeHints)")));
    m_view = std::make_unique<ChartsView>();
    m_view->resize(1280, 800);
    m_view->setDisplayZone(QTimeZone::utc());
    QVERIFY(settle([this] { m_view->setSource(m_source, m_f.dataDir); }));
    QVERIFY(m_view->data().error.isEmpty());
}

void TestChartsView::recordsTableEqualsTheRuns() {
    const QStandardItemModel* table = m_view->table(ChartsView::Chart::Records);
    QList<QVariant> starts, ids, downloaded, applied;
    for (const KnownRun& r : runsWithin(7))
        if (r.process == QLatin1String("sync")) {
            starts.append(r.started.toMSecsSinceEpoch());
            ids.append(r.id);
            downloaded.append(r.downloaded());
            applied.append(r.applied());
        }
    QVERIFY(starts.size() >= 6);
    QCOMPARE(column(table, 0), starts);
    QCOMPARE(column(table, 1), ids);
    QCOMPARE(column(table, 2), downloaded);
    QCOMPARE(column(table, 3), applied);
    QCOMPARE(table->item(0, 0)->text(),
             m_known.runs.at(0).started.isValid()
                 ? QDateTime::fromMSecsSinceEpoch(starts.first().toLongLong(), Qt::UTC)
                       .toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                 : QString());
    QCOMPARE(points(m_view->chart(ChartsView::Chart::Records)), 2 * table->rowCount());
}

void TestChartsView::durationsTableEqualsTheRuns() {
    const QStandardItemModel* table = m_view->table(ChartsView::Chart::Durations);
    QList<QVariant> ids, seconds, results;
    for (const KnownRun& r : runsWithin(7)) {
        ids.append(r.id);
        seconds.append(r.started.secsTo(r.finished));
        results.append(r.result);
    }
    QCOMPARE(column(table, 1), ids);
    QCOMPARE(column(table, 2), results);
    QCOMPARE(column(table, 3), seconds);
    QCOMPARE(points(m_view->chart(ChartsView::Chart::Durations)), table->rowCount());
    // One series per process.
    QStringList names;
    for (QAbstractSeries* s : m_view->chart(ChartsView::Chart::Durations)->series())
        names.append(s->name());
    QCOMPARE(names,
             (QStringList{QStringLiteral("purge"), QStringLiteral("reconcile"), QStringLiteral("sync")}));
}

void TestChartsView::countsTableEqualsTheSamples() {
    const QStandardItemModel* table = m_view->table(ChartsView::Chart::Counts);
    QList<QVariant> times, resources, wheres, counts;
    for (const CountSample& c : m_known.counts)
        if (c.time >= m_view->data().from && c.time < m_view->data().to) {
            times.append(c.time.toMSecsSinceEpoch());
            resources.append(c.resource);
            wheres.append(c.destination);
            counts.append(c.count);
        }
    QVERIFY(times.size() >= 18);
    QCOMPARE(column(table, 0), times);
    QCOMPARE(column(table, 1), resources);
    QCOMPARE(column(table, 2), wheres);
    QCOMPARE(column(table, 3), counts);
    QCOMPARE(table->item(0, 2)->text(), QStringLiteral("MLS"));
    QCOMPARE(points(m_view->chart(ChartsView::Chart::Counts)), table->rowCount());
    QStringList names;
    for (QAbstractSeries* s : m_view->chart(ChartsView::Chart::Counts)->series())
        names.append(s->name());
    QCOMPARE(names, (QStringList{QStringLiteral("Property · MLS"), QStringLiteral("Property · local0"),
                                 QStringLiteral("Property · warehouse")}));
}

void TestChartsView::requestsTableEqualsTheHours() {
    const QStandardItemModel* table = m_view->table(ChartsView::Chart::Requests);
    QList<QVariant> hours, requests, throttled, quota;
    for (const UsageHour& h : m_known.usage) {
        hours.append(h.hour.toMSecsSinceEpoch());
        requests.append(h.requests);
        throttled.append(h.throttled);
        quota.append(7200);
    }
    QCOMPARE(column(table, 0), hours);
    QCOMPARE(column(table, 1), requests);
    QCOMPARE(column(table, 2), throttled);
    QCOMPARE(column(table, 3), quota);
    QCOMPARE(table->item(0, 3)->text(), QLocale().toString(7200));
    QCOMPARE(points(m_view->chart(ChartsView::Chart::Requests)), table->rowCount());
    bool quotaLine = false;
    for (QAbstractSeries* s : m_view->chart(ChartsView::Chart::Requests)->series())
        if (auto* xy = qobject_cast<QXYSeries*>(s); xy && xy->name().startsWith(QLatin1String("Quota"))) {
            quotaLine = true;
            QCOMPARE(xy->at(0).y(), 7200.0);
        }
    QVERIFY(quotaLine);
}

void TestChartsView::rangeSelector() {
    auto* range = m_view->findChild<QComboBox*>(QStringLiteral("chartRange"));
    QVERIFY(range);
    const int sevenDays = m_view->table(ChartsView::Chart::Durations)->rowCount();
    QVERIFY(settle([&] { range->setCurrentIndex(range->findData(30)); }));
    QCOMPARE(m_view->data().from.daysTo(m_view->data().to), 30);
    QCOMPARE(m_view->table(ChartsView::Chart::Durations)->rowCount(), m_known.runs.size());
    QVERIFY(sevenDays < m_known.runs.size());
    QVERIFY(settle([&] { range->setCurrentIndex(range->findData(7)); }));
    QCOMPARE(m_view->table(ChartsView::Chart::Durations)->rowCount(), sevenDays);
}

void TestChartsView::tableToggle() {
    for (const char* name : {"records", "durations", "counts", "requests"}) {
        auto* toggle = m_view->findChild<QToolButton*>(QStringLiteral("%1Toggle").arg(QLatin1String(name)));
        auto* table = m_view->findChild<QTableView*>(QStringLiteral("%1Table").arg(QLatin1String(name)));
        QVERIFY(toggle && table);
        QCOMPARE(toggle->text(), QStringLiteral("Table"));
        auto* stack = qobject_cast<QStackedWidget*>(table->parentWidget());
        QVERIFY(stack);
        QVERIFY(stack->currentWidget() != table);
        toggle->click();
        QCOMPARE(stack->currentWidget(), table);
        toggle->click();
        QVERIFY(stack->currentWidget() != table);
    }
}

// Nothing recorded (no stats.sqlite at all): every chart is empty, drawn hidden and shown, in
// both ranges, with the axes at a sane range rather than NaN.
void TestChartsView::emptySourceShownAndHidden() {
    QTemporaryDir empty;
    QVERIFY(empty.isValid());
    SourceConfig other = m_source;
    other.name = QStringLiteral("quiet");
    QVERIFY(settle([&] { m_view->setSource(other, empty.path()); }));
    QVERIFY(m_view->data().error.isEmpty());
    QVERIFY(m_view->data().runs.isEmpty());
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    auto* range = m_view->findChild<QComboBox*>(QStringLiteral("chartRange"));
    QVERIFY(settle([&] { range->setCurrentIndex(range->findData(30)); }));
    for (auto which : {ChartsView::Chart::Records, ChartsView::Chart::Durations, ChartsView::Chart::Counts,
                       ChartsView::Chart::Requests}) {
        QChart* chart = m_view->chart(which);
        QCOMPARE(points(chart), 0);
        for (QAbstractAxis* axis : chart->axes()) {
            const qreal low = axis->property("min").toDateTime().isValid()
                                  ? qreal(axis->property("min").toDateTime().toMSecsSinceEpoch())
                                  : axis->property("min").toReal();
            const qreal high = axis->property("max").toDateTime().isValid()
                                   ? qreal(axis->property("max").toDateTime().toMSecsSinceEpoch())
                                   : axis->property("max").toReal();
            QVERIFY2(!qIsNaN(low) && !qIsNaN(high) && low < high,
                     qPrintable(QStringLiteral("%1: %2 … %3").arg(chart->title()).arg(low).arg(high)));
        }
    }
    QVERIFY(!m_view->grab().isNull()); // paints every chart
    m_view->hide();
    QVERIFY(settle([&] { range->setCurrentIndex(range->findData(7)); }));
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QVERIFY(!m_view->grab().isNull());
}

void TestChartsView::accessibleNames() {
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    // The tables too: each shown once.
    for (QToolButton* toggle : m_view->findChildren<QToolButton*>())
        if (toggle->isCheckable())
            toggle->setChecked(true);
    const QStringList unnamed = ors::test::widgetsWithoutAccessibleName(m_view.get());
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QLatin1String(", "))));
}

void TestChartsView::screenshot() {
    const QString dir = qEnvironmentVariable("ORS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QVERIFY(QDir().mkpath(dir));
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QVERIFY(m_view->grab().save(QDir(dir).filePath(QStringLiteral("chartsview-7days.png"))));
    auto* range = m_view->findChild<QComboBox*>(QStringLiteral("chartRange"));
    QVERIFY(settle([&] { range->setCurrentIndex(range->findData(30)); }));
    QVERIFY(m_view->grab().save(QDir(dir).filePath(QStringLiteral("chartsview-30days.png"))));
    m_view->findChild<QToolButton*>(QStringLiteral("requestsToggle"))->click();
    QVERIFY(m_view->grab().save(QDir(dir).filePath(QStringLiteral("chartsview-table.png"))));
}

QTEST_MAIN(TestChartsView)
#include "tst_chartsview.moc"
