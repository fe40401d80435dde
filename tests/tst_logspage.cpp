// The Logs page, offscreen, over real NDJSON files: known lines in the table, filters narrowing
// them, an appended line appearing, a malformed line shown as such, a 20 MB log loaded off the
// GUI thread and capped. With ORS_PAGE_SCREENSHOTS=<dir> it also saves a picture there.
#include "AccessibleNames.h"
#include "LogFilterProxy.h"
#include "LogsPage.h"
#include "LogTableModel.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace ors;

namespace {

QByteArray line(int second, const char* level, const char* process, const char* resource,
                const QString& message, const QJsonObject& extra = {}) {
    QJsonObject object = extra;
    object.insert(QStringLiteral("time"),
                  QStringLiteral("2026-01-05T10:00:%1.250Z").arg(second, 2, 10, QLatin1Char('0')));
    object.insert(QStringLiteral("level"), QLatin1String(level));
    object.insert(QStringLiteral("msg"), message);
    object.insert(QStringLiteral("source"), QStringLiteral("crmls"));
    object.insert(QStringLiteral("process"), QLatin1String(process));
    if (*resource)
        object.insert(QStringLiteral("resource"), QLatin1String(resource));
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

void append(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray knownLog() {
    return line(1, "info", "sync", "", QStringLiteral("sync started")) +
           line(2, "debug", "sync", "Property", QStringLiteral("page 1 requested"),
                QJsonObject{{QStringLiteral("url"), QStringLiteral("https://mls/Property?$top=1000")}}) +
           line(3, "info", "sync", "Property", QStringLiteral("page 1 applied"),
                QJsonObject{{QStringLiteral("destination"), QStringLiteral("local")},
                            {QStringLiteral("records"), 1000}}) +
           line(4, "warn", "sync", "Media", QStringLiteral("throttled, waiting 30 s")) +
           "this is {not json\n" +
           line(6, "error", "purge", "Property",
                QStringLiteral("purge refused: 6000 deletes over the limit")) +
           line(7, "info", "reconcile", "Member", QStringLiteral("reconcile done"));
}

struct Page {
    explicit Page(const QString& path, int maxLines = LogTableModel::kDefaultMaxLines)
        : page(nullptr, maxLines) {
        page.resize(1040, 700);
        page.setLogFiles({{QStringLiteral("crmls"), path}});
        page.show();
    }
    template <typename T>
    T* find(const char* name) {
        return page.findChild<T*>(QString::fromLatin1(name));
    }
    int rows() { return page.proxy()->rowCount(); }
    QString cell(int row, int column) { return page.proxy()->index(row, column).data().toString(); }
    QStringList messages() {
        QStringList out;
        for (int row = 0; row < rows(); ++row)
            out.append(cell(row, LogTableModel::MessageColumn));
        return out;
    }
    void choose(const char* box, const QString& text) {
        auto* combo = find<QComboBox>(box);
        const int index = combo->findText(text);
        QVERIFY2(index >= 0, qPrintable(text));
        combo->setCurrentIndex(index);
    }
    LogsPage page;
};

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

class TestLogsPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void knownLinesAndFilters();
    void appendedLineAppears();
    void largeLogLoadsCapped();
    void everyFocusableWidgetIsNamed();
};

void TestLogsPage::knownLinesAndFilters() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("crmls.ndjson"));
    append(path, knownLog());
    Page ui(path);
    QTRY_COMPARE(ui.rows(), 7);
    QCOMPARE(ui.cell(0, LogTableModel::MessageColumn), QStringLiteral("sync started"));
    QCOMPARE(ui.cell(1, LogTableModel::LevelColumn), QStringLiteral("debug"));
    QCOMPARE(ui.cell(1, LogTableModel::ResourceColumn), QStringLiteral("Property"));
    QCOMPARE(ui.cell(3, LogTableModel::LevelColumn), QStringLiteral("warning"));
    // The malformed line is there, marked.
    QCOMPARE(ui.cell(4, LogTableModel::LevelColumn), QStringLiteral("malformed"));
    QCOMPARE(ui.cell(4, LogTableModel::MessageColumn),
             QStringLiteral("[malformed log line] this is {not json"));
    const QDateTime time =
        QDateTime::fromString(QStringLiteral("2026-01-05T10:00:01.250Z"), Qt::ISODateWithMs);
    QCOMPARE(
        ui.cell(0, LogTableModel::TimeColumn),
        time.toTimeZone(ui.page.model()->displayZone()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));

    // Details of the selected line, fields beyond the columns included.
    auto* view = ui.find<QTableView>("logTable");
    view->setCurrentIndex(ui.page.proxy()->index(2, 0));
    const QString details = ui.find<QPlainTextEdit>("logDetails")->toPlainText();
    QVERIFY2(details.contains(QStringLiteral("destination: local")), qPrintable(details));
    QVERIFY(details.contains(QStringLiteral("records: 1000")));
    QVERIFY(details.contains(QStringLiteral("2026-01-05 10:00:03.250 UTC")));
    view->setCurrentIndex(ui.page.proxy()->index(4, 0));
    QVERIFY(
        ui.find<QPlainTextEdit>("logDetails")->toPlainText().contains(QStringLiteral("not a JSON object")));

    // Level: warnings and errors (and the malformed line, which passes every field filter).
    ui.choose("logLevelBox", QStringLiteral("Warnings and errors"));
    QCOMPARE(ui.messages(), (QStringList{QStringLiteral("throttled, waiting 30 s"),
                                         QStringLiteral("[malformed log line] this is {not json"),
                                         QStringLiteral("purge refused: 6000 deletes over the limit")}));
    ui.choose("logLevelBox", QStringLiteral("All levels"));
    ui.choose("logProcessBox", QStringLiteral("reconcile"));
    QCOMPARE(ui.rows(), 2);
    ui.choose("logProcessBox", QStringLiteral("All processes"));
    ui.choose("logResourceBox", QStringLiteral("Property"));
    QCOMPARE(ui.rows(), 4); // three Property lines and the malformed one
    ui.choose("logResourceBox", QStringLiteral("All resources"));
    QCOMPARE(ui.rows(), 7);

    // Free text, through the field assistive tools know as "Filter logs".
    QLineEdit* text = nullptr;
    for (auto* edit : ui.page.findChildren<QLineEdit*>())
        if (edit->accessibleName() == QStringLiteral("Filter logs"))
            text = edit;
    QVERIFY(text);
    QTest::keyClicks(text, QStringLiteral("PAGE 1"));
    QTRY_COMPARE(ui.messages(),
                 (QStringList{QStringLiteral("page 1 requested"), QStringLiteral("page 1 applied")}));
    text->setText(QStringLiteral("$top=1000")); // a field that has no column
    QTRY_COMPARE(ui.messages(), QStringList{QStringLiteral("page 1 requested")});
    QVERIFY(ui.find<QLabel>("logStatus")->text().contains(QStringLiteral("1 of 7 lines")));
    saveScreenshot(&ui.page, QStringLiteral("logs-filtered.png"));
    text->clear();
    QTRY_COMPARE(ui.rows(), 7);
    view->setCurrentIndex(ui.page.proxy()->index(2, 0));
    saveScreenshot(&ui.page, QStringLiteral("logs.png"));
}

void TestLogsPage::appendedLineAppears() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("crmls.ndjson"));
    append(path, knownLog());
    Page ui(path);
    QTRY_COMPARE(ui.rows(), 7);
    ui.choose("logLevelBox", QStringLiteral("Errors only"));
    QCOMPARE(ui.rows(), 2);
    append(path, line(8, "info", "sync", "Property", QStringLiteral("page 2 applied")));
    append(path, line(9, "error", "sync", "Office", QStringLiteral("apply failed: disk full")));
    QTRY_COMPARE(ui.page.model()->rowCount(), 9);
    QCOMPARE(ui.rows(), 3);
    QCOMPARE(ui.cell(2, LogTableModel::MessageColumn), QStringLiteral("apply failed: disk full"));
    // A resource first seen in an appended line becomes a choice.
    QVERIFY(ui.find<QComboBox>("logResourceBox")->findText(QStringLiteral("Office")) >= 0);
    // A line written in two parts appears once, whole.
    const QByteArray last = line(10, "error", "sync", "", QStringLiteral("written in two parts"));
    append(path, last.left(20));
    QTest::qWait(50);
    append(path, last.mid(20));
    QTRY_COMPARE(ui.rows(), 4);
    QCOMPARE(ui.cell(3, LogTableModel::MessageColumn), QStringLiteral("written in two parts"));
}

void TestLogsPage::largeLogLoadsCapped() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("crmls.ndjson"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray block;
        int n = 0;
        while (file.size() < 20LL * 1024 * 1024) {
            block.clear();
            for (int i = 0; i < 1000; ++i, ++n)
                block += line(n % 60, n % 10 == 0 ? "warn" : "info", "sync", "Property",
                              QStringLiteral("page %1 applied").arg(n),
                              QJsonObject{{QStringLiteral("records"), 1000}});
            QCOMPARE(file.write(block), block.size());
        }
        QVERIFY(n > 100000);
    }
    Page ui(path, 20000);
    // The read runs on a pool thread: the page is back before any line arrived.
    QCOMPARE(ui.page.model()->rowCount(), 0);
    QVERIFY(ui.find<QLabel>("logStatus")->text().contains(QStringLiteral("Reading")));
    QSignalSpy loaded(&ui.page, &LogsPage::loaded);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 120000);
    QCOMPARE(ui.page.model()->rowCount(), 20000);
    QVERIFY(
        ui.find<QLabel>("logStatus")->text().contains(QStringLiteral("Only the most recent 20,000 lines")));
    // The newest line is the last row; appending keeps the cap, dropping the oldest.
    const QString newest = ui.cell(ui.rows() - 1, LogTableModel::MessageColumn);
    QVERIFY(newest.startsWith(QStringLiteral("page ")));
    append(path, line(1, "info", "sync", "Property", QStringLiteral("one more")));
    QTRY_COMPARE(ui.cell(ui.rows() - 1, LogTableModel::MessageColumn), QStringLiteral("one more"));
    QCOMPARE(ui.page.model()->rowCount(), 20000);
    QCOMPARE(ui.cell(ui.rows() - 2, LogTableModel::MessageColumn), newest);
    QCOMPARE(ui.page.model()->droppedLines(), 1);
}

void TestLogsPage::everyFocusableWidgetIsNamed() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("crmls.ndjson"));
    append(path, knownLog());
    Page ui(path);
    QTRY_COMPARE(ui.rows(), 7);
    QCOMPARE(ors::test::widgetsWithoutAccessibleName(&ui.page), QStringList());
}

QTEST_MAIN(TestLogsPage)
#include "tst_logspage.moc"
