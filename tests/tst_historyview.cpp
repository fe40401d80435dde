// The history view, offscreen, over a stats.sqlite with 24 known runs over 12 days and one real
// sync against the fake RESO server: filters narrow the rows to exactly the expected runs, pages
// cover every run once, a run expands to its resources, destinations and events, and every
// focusable widget is named. With ORS_SCREENSHOT_DIR=<dir> it saves a picture there.
#include "AccessibleNames.h"
#include "CliFixture.h"
#include "HistoryView.h"
#include "StatsFixture.h"

#include "config/DataDir.h"

#include <QApplication>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>
#include <QTreeView>

using namespace ors;
using namespace ors::test;

class TestHistoryView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void everyRunNewestFirst();
    void filtersNarrowTheRows();
    void dateRange();
    void paging();
    void expandingShowsTheDetails();
    void realSyncRow();
    void accessibleNames();
    void screenshot();

private:
    // Runs `change` and waits for the page it asks for.
    bool settle(const std::function<void()>& change) {
        QSignalSpy spy(m_view.get(), &HistoryView::loaded);
        change();
        return spy.wait(10000);
    }
    QList<qint64> shownIds() const {
        QList<qint64> ids;
        for (int r = 0; r < m_view->model()->rowCount(); ++r)
            ids.append(m_view->model()->item(r, 0)->data(Qt::UserRole).toLongLong());
        return ids;
    }
    QList<qint64> knownIds(const std::function<bool(const KnownRun&)>& keep) const {
        QList<qint64> ids;
        for (const KnownRun& run : m_known.runs)
            if (keep(run))
                ids.prepend(run.id);
        return ids;
    }
    template <typename T>
    T* child(const char* name) const {
        T* w = m_view->findChild<T*>(QLatin1String(name));
        if (!w)
            qWarning() << "no child" << name;
        return w;
    }

    CliFixture m_f;
    KnownStats m_known;
    qint64 m_syncId = 0;
    std::unique_ptr<HistoryView> m_view;
};

void TestHistoryView::initTestCase() {
    auto stats = fillKnownStatsAndSync(m_f);
    QVERIFY(stats);
    m_known = stats->known;
    QCOMPARE(m_known.runs.size(), 24);
    // The real sync: the newest run, with what a sync records.
    m_syncId = stats->realSync.id;
    QCOMPARE(m_syncId, m_known.runs.last().id + 1);
}

void TestHistoryView::init() {
    m_view = std::make_unique<HistoryView>();
    m_view->resize(1100, 650);
    m_view->setDisplayZone(QTimeZone::utc());
    m_view->setPageSize(100);
    QVERIFY(settle([this] {
        SourceConfig mls;
        mls.name = QStringLiteral("mls");
        m_view->setSource(mls, m_f.dataDir);
    }));
}

void TestHistoryView::everyRunNewestFirst() {
    QCOMPARE(m_view->total(), 25);
    QCOMPARE(shownIds(), QList<qint64>{m_syncId} + knownIds([](const KnownRun&) { return true; }));
    QCOMPARE(child<QLabel>("historyPage")->text(), QStringLiteral("runs 1–25 of 25"));
    // A failed run shows its error.
    const KnownRun& failed = m_known.runs.at(4);
    QCOMPARE(failed.result, QStringLiteral("error"));
    const int row = int(shownIds().indexOf(failed.id));
    QCOMPARE(m_view->model()->item(row, HistoryView::Result)->text(), QStringLiteral("error"));
    QCOMPARE(m_view->model()->item(row, HistoryView::Details)->text(), failed.error);
    QCOMPARE(m_view->model()->item(row, HistoryView::Started)->text(),
             failed.started.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    QCOMPARE(m_view->model()->item(row, HistoryView::Duration)->text(),
             HistoryView::durationText(failed.started.secsTo(failed.finished)));
    QCOMPARE(m_view->model()->item(row, HistoryView::Records)->data(Qt::UserRole).toLongLong(),
             failed.downloaded());
}

void TestHistoryView::filtersNarrowTheRows() {
    auto* process = child<QComboBox>("historyProcess");
    auto* result = child<QComboBox>("historyResult");
    QVERIFY(process && result);
    QVERIFY(settle([&] { process->setCurrentIndex(process->findData(QStringLiteral("purge"))); }));
    const auto purges = knownIds([](const KnownRun& r) { return r.process == QLatin1String("purge"); });
    QCOMPARE(purges.size(), 6);
    QCOMPARE(shownIds(), purges);
    QCOMPARE(m_view->total(), 6);

    QVERIFY(settle([&] { process->setCurrentIndex(process->findData(QStringLiteral("sync"))); }));
    QVERIFY(settle([&] { result->setCurrentIndex(result->findData(QStringLiteral("error"))); }));
    const auto failedSyncs = knownIds([](const KnownRun& r) {
        return r.process == QLatin1String("sync") && r.result == QLatin1String("error");
    });
    QVERIFY(!failedSyncs.isEmpty());
    QCOMPARE(shownIds(), failedSyncs);

    QVERIFY(settle([&] { result->setCurrentIndex(result->findData(QStringLiteral("refused"))); }));
    QVERIFY(shownIds().isEmpty());
    QCOMPARE(child<QLabel>("historyPage")->text(), QStringLiteral("No runs"));
}

void TestHistoryView::dateRange() {
    auto* from = child<QDateEdit>("historyFrom");
    auto* to = child<QDateEdit>("historyTo");
    QVERIFY(from && to);
    // Days 3 to 5 of the twelve, whole days in the display zone (UTC here).
    const QDate first = m_known.runs.at(6).started.date();
    const QDate last = m_known.runs.at(10).started.date();
    QVERIFY(settle([&] { from->setDate(first); }));
    QVERIFY(settle([&] { to->setDate(last); }));
    const auto expected =
        knownIds([&](const KnownRun& r) { return r.started.date() >= first && r.started.date() <= last; });
    QCOMPARE(expected.size(), 6);
    QCOMPARE(shownIds(), expected);
    // "Any" again: no bound.
    QVERIFY(settle([&] { to->setDate(to->minimumDate()); }));
    QCOMPARE(m_view->total(), 25 - 6);
}

void TestHistoryView::paging() {
    auto* newer = child<QPushButton>("historyNewer");
    auto* older = child<QPushButton>("historyOlder");
    auto* label = child<QLabel>("historyPage");
    QVERIFY(settle([&] { m_view->setPageSize(10); }));
    const QList<qint64> all = QList<qint64>{m_syncId} + knownIds([](const KnownRun&) { return true; });
    QCOMPARE(label->text(), QStringLiteral("runs 1–10 of 25"));
    QVERIFY(!newer->isEnabled());
    QVERIFY(older->isEnabled());
    QList<qint64> seen = shownIds();
    QVERIFY(settle([&] { older->click(); }));
    QCOMPARE(label->text(), QStringLiteral("runs 11–20 of 25"));
    seen += shownIds();
    QVERIFY(settle([&] { older->click(); }));
    QCOMPARE(label->text(), QStringLiteral("runs 21–25 of 25"));
    QVERIFY(!older->isEnabled());
    QVERIFY(newer->isEnabled());
    seen += shownIds();
    QCOMPARE(seen, all);
    QVERIFY(settle([&] { newer->click(); }));
    QCOMPARE(shownIds(), all.mid(10, 10));
}

void TestHistoryView::expandingShowsTheDetails() {
    auto* tree = child<QTreeView>("historyTree");
    // Run 7 has a count-mismatch event, run 9 a throttled one.
    for (int i : {7, 9}) {
        const KnownRun& known = m_known.runs.at(i);
        QVERIFY(!known.events.isEmpty());
        const int row = int(shownIds().indexOf(known.id));
        QVERIFY(row >= 0);
        const QModelIndex index = m_view->model()->index(row, 0);
        tree->expand(index);
        QVERIFY(tree->isExpanded(index));
        QStandardItem* run = m_view->model()->item(row, 0);
        QStringList rows;
        for (int c = 0; c < run->rowCount(); ++c) {
            const auto kind = run->child(c, 0)->data(HistoryView::kKindRole).value<HistoryView::RowKind>();
            QStringList cells{
                QString::fromLatin1(QMetaEnum::fromType<HistoryView::RowKind>().valueToKey(int(kind)))};
            for (int col = 1; col < HistoryView::ColumnCount; ++col)
                cells.append(run->child(c, col)->text());
            rows.append(cells.join(QLatin1Char('|')));
        }
        QStringList expected;
        const auto dur = [](const QString& a, const QString& b) {
            return HistoryView::durationText(QDateTime::fromString(a, Qt::ISODateWithMs)
                                                 .secsTo(QDateTime::fromString(b, Qt::ISODateWithMs)));
        };
        for (const RunResourceCount& r : known.resources)
            expected.append(QStringLiteral("Resource|%1|downloaded|%2|%3|%4 expected, %5 page%6")
                                .arg(r.resource, dur(r.firstPage, r.lastPage),
                                     QLocale().toString(r.downloaded), QLocale().toString(r.expected))
                                .arg(r.pages)
                                .arg(r.pages == 1 ? QString() : QStringLiteral("s")));
        for (const RunDestinationCount& d : known.destinations)
            expected.append(QStringLiteral("Destination|%1 → %2|applied|%3|%4|")
                                .arg(d.resource, d.destination, dur(d.firstPage, d.lastPage),
                                     QLocale().toString(d.applied)));
        for (const StatsEvent& e : known.events)
            expected.append(QStringLiteral("Event|%1|%2|||%3").arg(e.kind, e.resource, e.message));
        QCOMPARE(rows, expected);
    }
}

void TestHistoryView::realSyncRow() {
    QStandardItem* run = m_view->model()->item(0, 0);
    QCOMPARE(run->data(Qt::UserRole).toLongLong(), m_syncId);
    QCOMPARE(m_view->model()->item(0, HistoryView::Process)->text(), QStringLiteral("sync"));
    QCOMPARE(m_view->model()->item(0, HistoryView::Result)->text(), QStringLiteral("success"));
    bool property = false;
    bool applied = false;
    for (int c = 0; c < run->rowCount(); ++c) {
        if (run->child(c, HistoryView::Process)->text() == QLatin1String("Property")) {
            property = true;
            QCOMPARE(run->child(c, HistoryView::Records)->data(Qt::UserRole).toLongLong(), 30);
        }
        if (run->child(c, HistoryView::Process)->text() == QStringLiteral("Property → local0")) {
            applied = true;
            QCOMPARE(run->child(c, HistoryView::Records)->data(Qt::UserRole).toLongLong(), 30);
        }
    }
    QVERIFY(property && applied);
}

void TestHistoryView::accessibleNames() {
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QCOMPARE(child<QTreeView>("historyTree")->accessibleName(), QStringLiteral("History"));
    const QStringList unnamed = ors::test::widgetsWithoutAccessibleName(m_view.get());
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QLatin1String(", "))));
}

void TestHistoryView::screenshot() {
    const QString dir = qEnvironmentVariable("ORS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QVERIFY(QDir().mkpath(dir));
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    auto* tree = child<QTreeView>("historyTree");
    tree->expand(m_view->model()->index(0, 0));
    tree->expand(m_view->model()->index(int(shownIds().indexOf(m_known.runs.at(21).id)), 0));
    QVERIFY(m_view->grab().save(QDir(dir).filePath(QStringLiteral("historyview.png"))));
}

QTEST_MAIN(TestHistoryView)
#include "tst_historyview.moc"
