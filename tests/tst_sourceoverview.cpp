// The source page's overview widgets against the real fake RESO server and real SQLite files,
// offscreen: the resources table (ResourcesTable), the record inspector (RecordInspectorPanel)
// and the blocked steps and refusals (BlockedStepsPanel). Sources are synced with the real
// openresync-cli first (CliFixture). ORS_PAGE_SCREENSHOTS=<dir> saves a picture of each widget.
#include "AccessibleNames.h"
#include "CliFixture.h"

#include "BlockedStepsPanel.h"
#include "config/ConfigLoader.h"
#include "inspect/StatusReport.h"
#include "MessageBanner.h"
#include "RecordComparisonModel.h"
#include "RecordInspectorPanel.h"
#include "ResourcesTable.h"
#include "ResourcesTableModel.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QThreadPool>

using namespace ors;
using namespace ors::test;

namespace {

// Runs statements on a SQLite file; returns the first error, empty on success.
QString sqliteExec(const QString& path, const QStringList& statements) {
    static int counter = 0;
    const QString name = QStringLiteral("tst-overview-%1").arg(counter++);
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            for (const QString& statement : statements)
                if (!query.exec(statement)) {
                    error = statement + QStringLiteral(": ") + query.lastError().text();
                    break;
                }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return error;
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

struct Fixture : CliFixture {
    QStringList sqlite; // local0, local1
    SourceConfig source;

    // Loads the written config back as the window would.
    bool load() {
        const ConfigLoadResult loaded = ConfigLoader::loadFile(config);
        if (!loaded.config || loaded.config->sources.isEmpty()) {
            qWarning("config: %s", qPrintable(loaded.errors.join(QLatin1Char('\n'))));
            return false;
        }
        source = loaded.config->sources.first();
        return true;
    }
};

// A source "mls" with two SQLite destinations, synced.
std::unique_ptr<Fixture> synced(int listings, const QJsonObject& purge = {}) {
    auto f = std::make_unique<Fixture>();
    fake::ServerOptions options;
    options.listingCount = listings;
    if (!f->startServer(options))
        return nullptr;
    f->sqlite = {f->path(QStringLiteral("local0.sqlite")), f->path(QStringLiteral("local1.sqlite"))};
    QJsonObject source = sourceConfig(QStringLiteral("mls"), f->server->serviceUrl(), f->sqlite, 50);
    if (!purge.isEmpty())
        source.insert(QStringLiteral("purge"), purge);
    f->writeSource(source);
    const CliResult sync = f->run(QStringLiteral("sync"));
    if (sync.exitCode != 0) {
        qWarning("sync failed: %s", sync.err.constData());
        return nullptr;
    }
    return f->load() ? std::move(f) : nullptr;
}

int rowOf(const QAbstractItemModel& model, const QString& resource, const QString& destination) {
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.index(row, ResourcesTableModel::ResourceColumn).data().toString() == resource &&
            model.index(row, ResourcesTableModel::DestinationColumn).data().toString() == destination)
            return row;
    return -1;
}

} // namespace

class TestSourceOverview : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        // Quick retries for the unreachable-MLS case, as the CLI's tests run with.
        qputenv("OPENRESYNC_RETRY_BASE_MS", "50");
        qputenv("OPENRESYNC_RETRY_ATTEMPTS", "2");
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void resourcesTableShowsAMissingRecord() {
        auto f = synced(40);
        QVERIFY(f);
        // The oldest listing: with the newest gone, the destination would also be behind in time.
        QCOMPARE(sqliteExec(f->sqlite.at(0),
                            {QStringLiteral("DELETE FROM Property WHERE ListingKey = (SELECT ListingKey FROM "
                                            "Property ORDER BY ModificationTimestamp, ListingKey LIMIT 1)")}),
                 QString());

        ResourcesTable table;
        table.resize(1100, 260);
        table.setDisplayZone(QTimeZone("America/Los_Angeles"));
        table.setSource(f->source, f->dataDir);
        auto* view = table.findChild<QTableView*>(QStringLiteral("resourcesTable"));
        QVERIFY(view);
        QCOMPARE(view->accessibleName(), QStringLiteral("Resources"));
        QSignalSpy differences(&table, &ResourcesTable::differencesChanged);
        table.show();
        QVERIFY(QTest::qWaitForWindowExposed(&table));
        table.findChild<QPushButton*>(QStringLiteral("refreshResourcesButton"))->click();
        QVERIFY(table.isLoading());
        QTRY_COMPARE_WITH_TIMEOUT(differences.count(), 1, 60000);

        const QAbstractItemModel& model = *table.model();
        QCOMPARE(model.rowCount(), 4); // Property and Member, two destinations each
        const int missing = rowOf(model, QStringLiteral("Property"), QStringLiteral("local0"));
        const int whole = rowOf(model, QStringLiteral("Property"), QStringLiteral("local1"));
        QVERIFY(missing >= 0 && whole >= 0);
        QCOMPARE(model.index(missing, ResourcesTableModel::DifferenceColumn).data().toString(),
                 QStringLiteral("missing 1"));
        QCOMPARE(model.index(missing, ResourcesTableModel::RecordsColumn).data().toString(),
                 QStringLiteral("39"));
        QCOMPARE(model.index(missing, ResourcesTableModel::MlsRecordsColumn).data().toString(),
                 QStringLiteral("40"));
        QVERIFY(!model.index(missing, ResourcesTableModel::DifferenceColumn)
                     .data(Qt::DecorationRole)
                     .value<QIcon>()
                     .isNull());
        QCOMPARE(model.index(whole, ResourcesTableModel::DifferenceColumn).data().toString(),
                 QStringLiteral("in sync"));
        QCOMPARE(
            model.index(whole, ResourcesTableModel::DifferenceColumn).data(ResourcesTableModel::InSyncRole),
            QVariant(true));
        // Counts are right-aligned; times are in the display zone, UTC on hover.
        QVERIFY(model.index(whole, ResourcesTableModel::RecordsColumn).data(Qt::TextAlignmentRole).toInt() &
                Qt::AlignRight);
        QVERIFY(model.index(whole, ResourcesTableModel::NewestColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .endsWith(QLatin1String(" UTC")));
        QVERIFY(table.findChild<QLabel*>(QStringLiteral("resourcesState"))
                    ->text()
                    .contains(QLatin1String("times in America/Los_Angeles")));

        const QList<QVariant> args = differences.takeFirst();
        QCOMPARE(args.at(0).toString(), QStringLiteral("mls"));
        QCOMPARE(args.at(1).toStringList(), QStringList{QStringLiteral("Property → local0: missing 1")});
        QVERIFY2(widgetsWithoutAccessibleName(&table).isEmpty(),
                 qPrintable(widgetsWithoutAccessibleName(&table).join(QLatin1Char(','))));
        saveScreenshot(&table, QStringLiteral("resources-table.png"));
    }

    // A destination that fell behind: the Behind column says how far and how many page files
    // wait for it, Problems says its sync is failing; the healthy destination is up to date.
    void resourcesTableShowsADestinationBehind() {
        auto f = synced(60);
        QVERIFY(f);
        QCOMPARE(
            sqliteExec(f->sqlite.at(1), {QStringLiteral("CREATE TRIGGER refuse BEFORE UPDATE ON Property "
                                                        "BEGIN SELECT RAISE(ABORT, 'disk says no'); END")}),
            QString());
        QVERIFY(f->server->changeRecords(0.5).size() >= 30);
        const CliResult partial = f->run(QStringLiteral("sync"));
        QVERIFY2(partial.exitCode == 1 && partial.err.contains("destination local1 fell behind"),
                 partial.err.constData());

        ResourcesTable table;
        table.resize(1300, 260);
        table.setSource(f->source, f->dataDir);
        QSignalSpy differences(&table, &ResourcesTable::differencesChanged);
        table.show();
        QVERIFY(QTest::qWaitForWindowExposed(&table));
        table.findChild<QPushButton*>(QStringLiteral("refreshResourcesButton"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(differences.count(), 1, 60000);
        const QAbstractItemModel& model = *table.model();
        const int behind = rowOf(model, QStringLiteral("Property"), QStringLiteral("local1"));
        const int current = rowOf(model, QStringLiteral("Property"), QStringLiteral("local0"));
        QVERIFY(behind >= 0 && current >= 0);
        QCOMPARE(model.headerData(ResourcesTableModel::BehindColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Behind"));
        const QString lag = model.index(behind, ResourcesTableModel::BehindColumn).data().toString();
        QVERIFY2(lag.contains(QRegularExpression(
                     QStringLiteral("^\\d+ (ms|s|min|h|d) behind, 1 file\\(s\\) waiting$"))),
                 qPrintable(lag));
        QVERIFY(model.index(behind, ResourcesTableModel::BehindColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .startsWith(QLatin1String("High-water mark 20")));
        QVERIFY(model.index(behind, ResourcesTableModel::ProblemColumn)
                    .data()
                    .toString()
                    .contains(QLatin1String("Sync failing: ")));
        QCOMPARE(model.index(current, ResourcesTableModel::BehindColumn).data().toString(),
                 QStringLiteral("up to date"));
        QVERIFY(model.index(current, ResourcesTableModel::ProblemColumn).data().toString().isEmpty());
        saveScreenshot(&table, QStringLiteral("resources-table-behind.png"));
    }

    void resourcesTableKeepsRowsWhenTheMlsFails() {
        auto f = synced(30);
        QVERIFY(f);
        SourceConfig unreachable = f->source;
        unreachable.serviceUrl = QStringLiteral("http://127.0.0.1:1/odata");
        ResourcesTable table;
        table.setSource(unreachable, f->dataDir);
        QSignalSpy refreshed(&table, &ResourcesTable::refreshed);
        table.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 60000);
        const QAbstractItemModel& model = *table.model();
        const int row = rowOf(model, QStringLiteral("Property"), QStringLiteral("local1"));
        QVERIFY(row >= 0);
        // The destination's own figures still show; the MLS's failure is stated on the row.
        QCOMPARE(model.index(row, ResourcesTableModel::RecordsColumn).data().toString(),
                 QStringLiteral("30"));
        QCOMPARE(model.index(row, ResourcesTableModel::DifferenceColumn).data().toString(),
                 QStringLiteral("MLS count unknown"));
        QVERIFY(model.index(row, ResourcesTableModel::ProblemColumn)
                    .data()
                    .toString()
                    .startsWith(QLatin1String("MLS: ")));
        QCOMPARE(table.findChild<MessageBanner*>(QStringLiteral("resourcesBanner"))->level(),
                 MessageBanner::Level::Warning);
    }

    void resourcesTableDropsAStaleAnswer() {
        auto f = synced(20);
        QVERIFY(f);
        ResourcesTable table;
        table.setSource(f->source, f->dataDir);
        QSignalSpy refreshed(&table, &ResourcesTable::refreshed);
        table.refresh();
        table.refresh(); // the first answer is stale once the second is asked for
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 60000);
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(refreshed.count(), 1);
        // Another source shown meanwhile: its table stays empty.
        table.refresh();
        SourceConfig other = f->source;
        other.name = QStringLiteral("other");
        table.setSource(other, f->dataDir);
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(refreshed.count(), 1);
        QCOMPARE(table.model()->rowCount(), 0);
    }

    void inspectorShowsAChangedField() {
        auto f = synced(40);
        QVERIFY(f);
        const auto rows = readTable(f->sqlite.at(1), QStringLiteral("Media"), QStringLiteral("MediaKey"));
        QString key;
        for (const QVariantMap& row : rows)
            if (!row.value(QStringLiteral("ListingKey")).toString().contains(QLatin1Char('\'')))
                key = row.value(QStringLiteral("ListingKey")).toString();
        QVERIFY(!key.isEmpty());
        QCOMPARE(
            sqliteExec(f->sqlite.at(1),
                       {QStringLiteral("UPDATE Property SET City = 'Nowhere Springs' WHERE ListingKey = '%1'")
                            .arg(key),
                        // and one of its Media gone from that destination
                        QStringLiteral("DELETE FROM Media WHERE MediaKey = (SELECT MIN(MediaKey) FROM Media "
                                       "WHERE ListingKey = '%1')")
                            .arg(key)}),
            QString());

        RecordInspectorPanel panel;
        panel.resize(1100, 600);
        panel.setSource(f->source, f->dataDir);
        QSignalSpy lookedUp(&panel, &RecordInspectorPanel::lookedUp);
        auto* field = panel.findChild<QLineEdit*>(QStringLiteral("recordKey"));
        QVERIFY(field);
        QCOMPARE(field->accessibleName(), QStringLiteral("Record key"));
        QCOMPARE(panel.findChild<QPushButton*>(QStringLiteral("lookUpButton"))->accessibleName(),
                 QStringLiteral("Look up"));
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        // Typed, then Enter.
        field->setFocus();
        QTest::keyClicks(field, key);
        QTest::keyClick(field, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(lookedUp.count(), 1, 60000);

        const RecordComparisonModel& model = *panel.model();
        QVERIFY(model.comparison().mlsFound);
        QCOMPARE(model.comparison().key, key);
        QCOMPARE(model.columnCount(), RecordComparisonModel::FirstDestinationColumn + 2);
        const int city = model.rowOf(QStringLiteral("City"));
        QVERIFY(city >= 0);
        QVERIFY(model.differs(1, QStringLiteral("City")));
        QVERIFY(!model.differs(0, QStringLiteral("City")));
        const QModelIndex changed = model.index(city, RecordComparisonModel::FirstDestinationColumn + 1);
        QCOMPARE(changed.data().toString(), QStringLiteral("Nowhere Springs"));
        QCOMPARE(changed.data(RecordComparisonModel::DiffersRole), QVariant(true));
        QVERIFY(!changed.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(changed.data(Qt::BackgroundRole).isValid());
        QCOMPARE(model.index(city, RecordComparisonModel::ComparedColumn).data().toString(),
                 QStringLiteral("differs: local1"));
        // The owned children are listed with their counts.
        auto* children = panel.findChild<QTableWidget*>(QStringLiteral("recordChildren"));
        QVERIFY(children);
        QCOMPARE(children->rowCount(), 1);
        QCOMPARE(children->item(0, 0)->text(), QStringLiteral("Media"));
        QCOMPARE(children->item(0, 1)->text(), children->item(0, 2)->text());
        const int mlsMedia = children->item(0, 1)->text().toInt();
        QCOMPARE(children->item(0, 3)->text(), QStringLiteral("%1 · differing: 1").arg(mlsMedia - 1));
        auto* childDifferences = panel.findChild<QListWidget*>(QStringLiteral("recordChildDifferences"));
        QCOMPARE(childDifferences->count(), 1);
        QVERIFY2(childDifferences->item(0)->text().startsWith(QLatin1String("local1: Media[")) &&
                     childDifferences->item(0)->text().endsWith(QLatin1String(" missing")),
                 qPrintable(childDifferences->item(0)->text()));
        saveScreenshot(&panel, QStringLiteral("record-inspector.png"));

        // Only differences: the City row alone.
        panel.findChild<QCheckBox*>(QStringLiteral("onlyDifferences"))->setChecked(true);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowOf(QStringLiteral("City")), 0);
        saveScreenshot(&panel, QStringLiteral("record-inspector-differences.png"));
        QVERIFY2(widgetsWithoutAccessibleName(&panel).isEmpty(),
                 qPrintable(widgetsWithoutAccessibleName(&panel).join(QLatin1Char(','))));

        // A key no side holds: "not found" for each.
        panel.lookUp(QStringLiteral("Property"), QStringLiteral("no-such-key-404"));
        QTRY_COMPARE_WITH_TIMEOUT(lookedUp.count(), 2, 60000);
        QCOMPARE(model.headerData(RecordComparisonModel::MlsColumn, Qt::Horizontal).toString(),
                 QStringLiteral("MLS (not found)"));
        QCOMPARE(model.headerData(RecordComparisonModel::FirstDestinationColumn, Qt::Horizontal).toString(),
                 QStringLiteral("local0 (not found)"));
        QVERIFY(panel.findChild<QLabel*>(QStringLiteral("recordSummary"))
                    ->text()
                    .contains(QLatin1String("MLS: not found")));
    }

    void blockedStepIsCleared_data() {
        QTest::addColumn<QString>("action");
        QTest::newRow("retry") << QStringLiteral("retry");
        QTest::newRow("skip file") << QStringLiteral("skipFile");
        QTest::newRow("discard batch") << QStringLiteral("discardBatch");
    }

    void blockedStepIsCleared() {
        QFETCH(QString, action);
        auto f = synced(60);
        QVERIFY(f);
        // The second destination refuses every update of Property (as in tst_failures).
        QCOMPARE(sqliteExec(f->sqlite.at(1),
                            {QStringLiteral("CREATE TRIGGER refuse BEFORE UPDATE ON Property BEGIN "
                                            "SELECT RAISE(ABORT, 'disk says no'); END")}),
                 QString());
        f->server->changeRecords(0.2);
        for (int attempt = 1; attempt <= 3; ++attempt)
            QCOMPARE(f->run(QStringLiteral("sync")).exitCode, 1);

        BlockedStepsPanel panel;
        panel.resize(900, 360);
        panel.setSource(f->source, f->dataDir);
        QSignalSpy refreshed(&panel, &BlockedStepsPanel::refreshed);
        QSignalSpy finished(&panel, &BlockedStepsPanel::unblockFinished);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 30000);
        QCOMPARE(refreshed.at(0).at(1).toInt(), 1);
        QVERIFY(panel.hasProblems());
        QVERIFY(panel.findChild<QWidget*>(QStringLiteral("blocked-sync")));
        const QStringList steps = [&panel] {
            QStringList out;
            for (const QLabel* l : panel.findChildren<QLabel*>(QStringLiteral("blockedStep")))
                out.append(l->text());
            return out;
        }();
        QCOMPARE(steps.size(), 1);
        QVERIFY2(steps.first().contains(QStringLiteral("Property → local1")) &&
                     steps.first().contains(QLatin1String("failed, 3 times in a row")),
                 qPrintable(steps.first()));
        QVERIFY2(widgetsWithoutAccessibleName(&panel).isEmpty(),
                 qPrintable(widgetsWithoutAccessibleName(&panel).join(QLatin1Char(','))));
        if (action == QLatin1String("retry"))
            saveScreenshot(&panel, QStringLiteral("blocked-steps.png"));

        QCOMPARE(sqliteExec(f->sqlite.at(1), {QStringLiteral("DROP TRIGGER refuse")}), QString());
        auto* button = panel.findChild<QPushButton*>(action + QStringLiteral("-sync"));
        QVERIFY(button);
        QVERIFY(button->isEnabled());
        button->click();
        if (action != QLatin1String("retry")) {
            // Destructive: nothing happens until the inline confirmation.
            auto* confirm = panel.findChild<QWidget*>(QStringLiteral("confirm-sync"));
            QVERIFY(confirm && confirm->isVisible());
            QVERIFY2(widgetsWithoutAccessibleName(&panel).isEmpty(),
                     qPrintable(widgetsWithoutAccessibleName(&panel).join(QLatin1Char(','))));
            if (action == QLatin1String("discardBatch"))
                saveScreenshot(&panel, QStringLiteral("blocked-steps-confirm.png"));
            QCOMPARE(finished.count(), 0);
            panel.findChild<QPushButton*>(QStringLiteral("confirmYes-sync"))->click();
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QVERIFY2(finished.at(0).at(1).toBool(), qPrintable(finished.at(0).at(2).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 2, 30000);
        QCOMPARE(refreshed.at(1).at(1).toInt(), 0);
        QVERIFY(!panel.hasProblems());
        QCOMPARE(panel.findChild<QLabel*>(QStringLiteral("blockedState"))->text(),
                 QStringLiteral("Nothing blocked"));

        // The state on disk: no failures left, and what each action promises.
        QVERIFY(StatusReport::collectLocal(f->source, f->dataDir).failures.isEmpty());
        if (action == QLatin1String("discardBatch"))
            QVERIFY(filesUnder(f->dataDir, QStringLiteral("sync_batch_*.json")).isEmpty());
        else
            QVERIFY(!filesUnder(f->dataDir, QStringLiteral("sync_batch_*.json")).isEmpty());
        const CliResult next = f->run(QStringLiteral("sync"));
        QVERIFY2(next.exitCode == 0, next.err.constData());
        const QStringList diff = compareWithServer(*f->server, QStringLiteral("Property"), f->sqlite.at(1),
                                                   QStringLiteral("Property"), QStringLiteral("ListingKey"));
        if (action == QLatin1String("skipFile"))
            QVERIFY(!diff.isEmpty()); // the skipped page is reconcile's job
        else
            QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void refusedPurgeOffersAllowThisOnce() {
        auto f = synced(200, QJsonObject{{QStringLiteral("maxDeletes"), 4}});
        QVERIFY(f);
        f->server->deleteRecords(5);
        QCOMPARE(f->run(QStringLiteral("purge")).exitCode, 3);

        BlockedStepsPanel panel;
        panel.resize(900, 300);
        panel.setSource(f->source, f->dataDir);
        QSignalSpy refreshed(&panel, &BlockedStepsPanel::refreshed);
        QSignalSpy allow(&panel, &BlockedStepsPanel::allowPurgeOnceRequested);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 30000);
        QCOMPARE(refreshed.at(0).at(2).toBool(), true);
        auto* summary = panel.findChild<QLabel*>(QStringLiteral("refusedPurgeSummary"));
        QVERIFY(summary);
        QVERIFY2(summary->text().contains(QLatin1String("refused")) &&
                     summary->text().contains(QLatin1String("5")),
                 qPrintable(summary->text()));
        QVERIFY2(widgetsWithoutAccessibleName(&panel).isEmpty(),
                 qPrintable(widgetsWithoutAccessibleName(&panel).join(QLatin1Char(','))));
        saveScreenshot(&panel, QStringLiteral("refused-purge.png"));
        auto* button = panel.findChild<QPushButton*>(QStringLiteral("allowPurgeOnce"));
        QVERIFY(button);
        button->click();
        QCOMPARE(allow.count(), 1);
        QCOMPARE(allow.at(0).at(0).toString(), QStringLiteral("mls"));

        // After the allowed purge ran, nothing is refused any more.
        QCOMPARE(
            f->cli({QStringLiteral("purge"), QStringLiteral("mls"), QStringLiteral("--allow-large-delete")})
                .exitCode,
            0);
        panel.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 2, 30000);
        QCOMPARE(refreshed.at(1).at(2).toBool(), false);
        QVERIFY(!panel.findChild<QWidget*>(QStringLiteral("refusedPurge")) ||
                !panel.findChild<QPushButton*>(QStringLiteral("allowPurgeOnce"))->isVisible());
    }
};

QTEST_MAIN(TestSourceOverview)
#include "tst_sourceoverview.moc"
