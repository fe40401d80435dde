// The add-source wizard, offscreen, in the real window against the fake RESO server on loopback
// (OAuth2 client credentials): a connection test that fails with its reason, then one that
// passes; resources from the server's $metadata; a schedule that overlaps another source's;
// Finish writing a configuration core loads, that holds no secret and left the old file as
// .bak; the window reloading it and running the first sync; editing a source keeping the
// others. Every page is walked for focusable widgets without an accessible name.
#include "AccessibleNames.h"
#include "config/ConfigLoader.h"
#include "JobBoard.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "RemoveSourceDialog.h"
#include "ResourcesPage.h"
#include "runner/LastRuns.h"
#include "runner/Workspace.h"
#include "SchedulesPage.h"
#include "service/ServiceHost.h"
#include "SourcePage.h"
#include "SourceWizard.h"
#include "SummaryPage.h"
#include "TestSupport.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QWizardPage>

using namespace ors;
using namespace ors::test;

namespace {

constexpr int kWaitMs = 120000;
const QString kSecret = QStringLiteral("wizard-s3cr3t-4417");

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
    ServiceHost host;
    MainWindow window;
};

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

template <typename T>
T* named(QWidget* root, const QString& accessibleName) {
    for (T* widget : root->findChildren<T*>())
        if (widget->accessibleName() == accessibleName)
            return widget;
    return nullptr;
}

// With ORS_SCREENSHOT_DIR set, the wizard's current page, to look at (not compared).
void grab(SourceWizard* wizard, const QString& name) {
    const QString dir = qEnvironmentVariable("ORS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QCoreApplication::processEvents();
    wizard->grab().save(QDir(dir).filePath(QStringLiteral("wizard-%1.png").arg(name)));
}

// A macro so that a failure ends the test function (QTRY_ loops stop at an earlier failure).
#define EXPECT_ALL_NAMED(wizard)                                                                             \
    do {                                                                                                     \
        const QStringList unnamed = widgetsWithoutAccessibleName(wizard);                                    \
        QVERIFY2(unnamed.isEmpty(), qPrintable(QStringLiteral("page %1: %2")                                 \
                                                   .arg((wizard)->currentId())                               \
                                                   .arg(unnamed.join(QStringLiteral(", ")))));               \
    } while (false)

// Whether `b` comes before `a` in reading order: on the same row (they overlap vertically) to its
// left, or wholly above it and not in a column to its right.
bool visuallyBefore(const QRect& b, const QRect& a) {
    const bool sameRow = b.top() < a.bottom() && a.top() < b.bottom();
    if (sameRow)
        return b.center().x() < a.left();
    return b.bottom() <= a.top() && b.left() < a.right();
}

// Walks the current page's focus chain with the Tab key from its first focusable widget (in
// reading order) and returns what is wrong: a focusable widget Tab never reaches, or one reached
// after a widget it stands before on the page. Empty when the order is the visual one.
QString tabOrderProblem(QWizard* wizard) {
    QWidget* page = wizard->currentPage();
    auto focusable = [wizard](QWidget* widget) {
        return widget->isVisibleTo(wizard) && widget->isEnabled() && (widget->focusPolicy() & Qt::TabFocus) &&
               !widget->focusProxy();
    };
    auto describe = [](QWidget* widget) {
        return QStringLiteral("%1 \"%2\"")
            .arg(QString::fromLatin1(widget->metaObject()->className()), widget->accessibleName());
    };
    auto rect = [page](QWidget* widget) { return QRect(widget->mapTo(page, QPoint(0, 0)), widget->size()); };
    QList<QWidget*> expected;
    for (QWidget* widget : page->findChildren<QWidget*>())
        if (focusable(widget))
            expected << widget;
    if (expected.isEmpty())
        return {};
    std::stable_sort(expected.begin(), expected.end(),
                     [&](QWidget* a, QWidget* b) { return visuallyBefore(rect(a), rect(b)); });
    // The first in reading order: none stands before it.
    QWidget* first = expected.first();
    for (QWidget* widget : expected)
        if (std::none_of(expected.begin(), expected.end(),
                         [&](QWidget* other) { return visuallyBefore(rect(other), rect(widget)); })) {
            first = widget;
            break;
        }
    wizard->activateWindow();
    if (!QTest::qWaitForWindowActive(wizard))
        return QStringLiteral("the wizard never became the active window");
    first->setFocus(Qt::TabFocusReason);
    QList<QWidget*> walked;
    for (QWidget* focus = QApplication::focusWidget();
         focus && page->isAncestorOf(focus) && !walked.contains(focus) && walked.size() < 60;
         focus = QApplication::focusWidget()) {
        walked << focus;
        QTest::keyClick(focus, Qt::Key_Tab);
    }
    QStringList problems;
    for (qsizetype i = 1; i < walked.size(); ++i)
        if (visuallyBefore(rect(walked.at(i)), rect(walked.at(i - 1))))
            problems << QStringLiteral("%1 comes after %2 but stands before it")
                            .arg(describe(walked.at(i)), describe(walked.at(i - 1)));
    for (QWidget* widget : std::as_const(expected))
        if (!walked.contains(widget))
            problems << QStringLiteral("Tab never reaches %1").arg(describe(widget));
    if (problems.isEmpty())
        return {};
    QStringList order;
    for (QWidget* widget : std::as_const(walked))
        order << describe(widget);
    return QStringLiteral("page %1: %2 (Tab order: %3)")
        .arg(wizard->currentId())
        .arg(problems.join(QStringLiteral("; ")), order.join(QStringLiteral(", ")));
}

#define EXPECT_TAB_ORDER(wizard)                                                                             \
    do {                                                                                                     \
        const QString problem = tabOrderProblem(wizard);                                                     \
        QVERIFY2(problem.isEmpty(), qPrintable(problem));                                                    \
    } while (false)

quint16 closedPort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 1;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

// The tables of an SQLite file, sorted; empty when it does not exist.
QStringList sqliteTables(const QString& path) {
    QStringList names;
    if (!QFile::exists(path))
        return names;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tables"));
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery query(
                QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"), db);
            while (query.next())
                names << query.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tables"));
    return names;
}

QString stepTexts(QListWidget* steps) {
    QStringList texts;
    for (int row = 0; row < steps->count(); ++row)
        texts << steps->item(row)->text();
    return texts.join(QLatin1Char('\n'));
}

} // namespace

class TestWizard : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<fake::FakeResoServer> m_server;
    QTemporaryDir m_dir;

    // "mls" on the fake server, syncing daily at 03:00, its secret from the environment.
    QJsonObject mlsSource(const QString& dir) const {
        QJsonObject mls = sourceConfig(QStringLiteral("mls"), m_server->serviceUrl(),
                                       {QDir(dir).filePath(QStringLiteral("mls.sqlite"))}, 50);
        mls.insert(QStringLiteral("auth"),
                   QJsonObject{{QStringLiteral("type"), QStringLiteral("oauth2")},
                               {QStringLiteral("tokenUrl"), m_server->tokenUrl()},
                               {QStringLiteral("clientId"), QStringLiteral("client")},
                               {QStringLiteral("clientSecret"), QStringLiteral("env:ORS_TEST_MLS_SECRET")}});
        mls.insert(QStringLiteral("schedules"),
                   QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("0 3 * * *")}}});
        return mls;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        qputenv("OPENRESYNC_RETRY_BASE_MS", "20");
        qputenv("OPENRESYNC_RETRY_ATTEMPTS", "2");
        qunsetenv("OPENRESYNC_CONFIG");
        qunsetenv("OPENRESYNC_DATA_DIR");
        QLocale::setDefault(QLocale::c());
        fake::ServerOptions options;
        options.listingCount = 40;
        options.memberCount = 10;
        options.auth = fake::AuthMode::OAuth2;
        options.clientSecret = kSecret;
        m_server = std::make_unique<fake::FakeResoServer>(options);
        QVERIFY(m_server->start());
    }

    void addSourceEndToEnd() {
        const QString dir = m_dir.filePath(QStringLiteral("add"));
        QDir().mkpath(dir);
        const QJsonObject mls = mlsSource(dir);
        const QString config = writeConfig(dir, configWith(mls));
        const QByteArray before = readAll(config);
        const QString dataDir = QDir(dir).filePath(QStringLiteral("data"));
        Ui ui(Workspace::load(config, dataDir));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));

        QAction* add = ui.window.findChild<QAction*>(QStringLiteral("addSourceAction"));
        QVERIFY(add);
        add->trigger();
        QPointer<SourceWizard> wizard = ui.window.findChild<SourceWizard*>();
        QVERIFY(wizard);
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        QCOMPARE(wizard->accessibleName(), QStringLiteral("Add source"));
        QCOMPARE(wizard->button(QWizard::FinishButton)->accessibleName(), QStringLiteral("Finish"));

        // Platform: a name already taken is refused on the page.
        QCOMPARE(wizard->currentId(), int(SourceWizard::PlatformId));
        auto* name = named<QLineEdit>(wizard, QStringLiteral("Source name"));
        QVERIFY(name);
        name->setText(QStringLiteral("mls"));
        wizard->findChild<QListWidget*>(QStringLiteral("platformList"))->setCurrentRow(4); // generic
        EXPECT_ALL_NAMED(wizard);
        EXPECT_TAB_ORDER(wizard);
        grab(wizard, QStringLiteral("1-platform"));
        wizard->next();
        QCOMPARE(wizard->currentId(), int(SourceWizard::PlatformId));
        QVERIFY(wizard->findChild<QLabel*>(QStringLiteral("platformProblem"))
                    ->text()
                    .contains(QStringLiteral("mls")));
        name->setText(QStringLiteral("newmls"));
        wizard->next();

        // Connection: the fields the platform needs, by their exact names.
        QCOMPARE(wizard->currentId(), int(SourceWizard::ConnectionId));
        for (const char* field : {"Service URL", "Client ID", "Client secret", "Token URL", "Bearer token",
                                  "Username", "Password"})
            QVERIFY2(named<QLineEdit>(wizard, QString::fromLatin1(field)), field);
        auto* auth = wizard->findChild<QComboBox*>(QStringLiteral("authKind"));
        auth->setCurrentIndex(int(SourceWizard::AuthKind::ClientCredentials));
        QVERIFY(named<QLineEdit>(wizard, QStringLiteral("Client secret"))->isVisible());
        QVERIFY(!named<QLineEdit>(wizard, QStringLiteral("Bearer token"))->isVisible());
        named<QLineEdit>(wizard, QStringLiteral("Service URL"))->setText(m_server->serviceUrl());
        named<QLineEdit>(wizard, QStringLiteral("Token URL"))->setText(m_server->tokenUrl());
        named<QLineEdit>(wizard, QStringLiteral("Client ID"))->setText(QStringLiteral("client"));
        named<QLineEdit>(wizard, QStringLiteral("Client secret"))->setText(QStringLiteral("not-the-secret"));
        auto* note = wizard->findChild<QLabel*>(QStringLiteral("secretNote"));
        QTRY_VERIFY_WITH_TIMEOUT(!note->text().startsWith(QStringLiteral("Looking")), kWaitMs);
        // Whatever keychain this machine has: the test needs the environment reference.
        wizard->findChild<QComboBox*>(QStringLiteral("secretStore"))->setCurrentIndex(1);
        QVERIFY2(note->text().contains(QStringLiteral("ORS_NEWMLS_CLIENT_SECRET")), qPrintable(note->text()));
        EXPECT_ALL_NAMED(wizard);
        EXPECT_TAB_ORDER(wizard);
        grab(wizard, QStringLiteral("2-connection"));
        wizard->next();

        // Test connection: a wrong secret fails at the token step, with the server's reason.
        QCOMPARE(wizard->currentId(), int(SourceWizard::TestId));
        QAbstractButton* nextButton = wizard->button(QWizard::NextButton);
        QVERIFY(!nextButton->isEnabled());
        auto* test = named<QPushButton>(wizard, QStringLiteral("Test connection"));
        QVERIFY(test);
        auto* steps = wizard->findChild<QListWidget*>(QStringLiteral("checkSteps"));
        test->click();
        QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled() && steps->count() > 0, kWaitMs);
        QString text = stepTexts(steps);
        QVERIFY2(text.contains(QStringLiteral("Sign-in: failed")) && text.contains(QStringLiteral("401")),
                 qPrintable(text));
        QVERIFY(!text.contains(QStringLiteral("not-the-secret")));
        QVERIFY(!nextButton->isEnabled());
        grab(wizard, QStringLiteral("3-test-failed"));

        wizard->back();
        named<QLineEdit>(wizard, QStringLiteral("Client secret"))->setText(kSecret);
        wizard->next();
        test->click();
        QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled() && steps->count() > 0, kWaitMs);
        text = stepTexts(steps);
        QVERIFY2(text.contains(QStringLiteral("Sign-in: ok")) &&
                     text.contains(QStringLiteral("$metadata: ok")),
                 qPrintable(text));
        QVERIFY(nextButton->isEnabled());
        EXPECT_ALL_NAMED(wizard);
        EXPECT_TAB_ORDER(wizard);
        grab(wizard, QStringLiteral("3-test-passed"));
        wizard->next();

        // Resources: the entity sets of $metadata with their field counts; $select from the
        // searchable fields, $expand from the navigation properties.
        QCOMPARE(wizard->currentId(), int(SourceWizard::ResourcesId));
        auto* resources = wizard->findChild<QTreeWidget*>(QStringLiteral("resourceList"));
        const auto property = resources->findItems(QStringLiteral("Property"), Qt::MatchExactly);
        QCOMPARE(property.size(), 1);
        QVERIFY(property.first()->text(1).toInt() > 10);
        QVERIFY(!resources->findItems(QStringLiteral("Member"), Qt::MatchExactly).isEmpty());
        QVERIFY(!nextButton->isEnabled()); // nothing ticked yet
        property.first()->setCheckState(0, Qt::Checked);
        resources->setCurrentItem(property.first());
        QVERIFY(nextButton->isEnabled());
        named<QLineEdit>(wizard, QStringLiteral("Filter"))->setText(QStringLiteral("ListPrice gt 0"));
        named<QLineEdit>(wizard, QStringLiteral("Search fields"))->setText(QStringLiteral("listprice"));
        auto* select = wizard->findChild<QListWidget*>(QStringLiteral("selectFields"));
        int shown = 0;
        for (int row = 0; row < select->count(); ++row) {
            QListWidgetItem* item = select->item(row);
            if (item->isHidden())
                continue;
            ++shown;
            QVERIFY2(item->text().contains(QStringLiteral("ListPrice"), Qt::CaseInsensitive),
                     qPrintable(item->text()));
        }
        QVERIFY(shown >= 1);
        for (const char* field : {"ListingKey", "ListPrice", "ModificationTimestamp"}) {
            const auto items = select->findItems(QString::fromLatin1(field), Qt::MatchExactly);
            QVERIFY2(items.size() == 1, field);
            items.first()->setCheckState(Qt::Checked);
        }
        auto* expand = wizard->findChild<QListWidget*>(QStringLiteral("expandList"));
        const auto media = expand->findItems(QStringLiteral("Media"), Qt::MatchExactly);
        QCOMPARE(media.size(), 1);
        media.first()->setCheckState(Qt::Checked);
        named<QLineEdit>(wizard, QStringLiteral("Search fields"))->clear();
        EXPECT_ALL_NAMED(wizard);
        EXPECT_TAB_ORDER(wizard);
        grab(wizard, QStringLiteral("4-resources"));
        wizard->next();

        // Destinations: SQLite prefilled inside the data directory.
        QCOMPARE(wizard->currentId(), int(SourceWizard::DestinationsId));
        const QString sqlite = named<QLineEdit>(wizard, QStringLiteral("SQLite file"))->text();
        QVERIFY2(sqlite.startsWith(dataDir) && sqlite.endsWith(QStringLiteral("newmls/local.sqlite")),
                 qPrintable(sqlite));
        // Its own Test connection: SQLite opens read-only (nothing created); MySQL on a port
        // nothing listens on fails with the reason.
        auto* testDestination =
            named<QPushButton>(wizard->currentPage(), QStringLiteral("Test destination connection"));
        auto* destinationResult = wizard->findChild<QLabel*>(QStringLiteral("destinationTestResult"));
        testDestination->click();
        QTRY_VERIFY_WITH_TIMEOUT(testDestination->isEnabled() &&
                                     !destinationResult->text().startsWith(QStringLiteral("Testing")),
                                 kWaitMs);
        QVERIFY2(destinationResult->text().startsWith(QStringLiteral("Works")),
                 qPrintable(destinationResult->text()));
        QVERIFY(!QFile::exists(sqlite));
        auto* type = wizard->findChild<QComboBox*>(QStringLiteral("destinationType"));
        type->setCurrentIndex(1);
        QVERIFY(!nextButton->isEnabled()); // host, database and user missing
        named<QLineEdit>(wizard, QStringLiteral("Host"))->setText(QStringLiteral("127.0.0.1"));
        wizard->findChild<QSpinBox*>(QStringLiteral("dbPort"))->setValue(closedPort());
        named<QLineEdit>(wizard, QStringLiteral("Database"))->setText(QStringLiteral("mls"));
        named<QLineEdit>(wizard, QStringLiteral("Database user"))->setText(QStringLiteral("sync"));
        named<QLineEdit>(wizard, QStringLiteral("Database password"))->setText(QStringLiteral("db-pass-991"));
        QVERIFY(nextButton->isEnabled());
        testDestination->click();
        QTRY_VERIFY_WITH_TIMEOUT(testDestination->isEnabled() &&
                                     !destinationResult->text().startsWith(QStringLiteral("Testing")),
                                 kWaitMs);
        QVERIFY2(destinationResult->text().startsWith(QStringLiteral("Failed")),
                 qPrintable(destinationResult->text()));
        QVERIFY(!destinationResult->text().contains(QStringLiteral("db-pass-991")));
        EXPECT_ALL_NAMED(wizard);
        EXPECT_TAB_ORDER(wizard);
        grab(wizard, QStringLiteral("5-destinations-mysql"));
        type->setCurrentIndex(0);
        EXPECT_ALL_NAMED(wizard);
        EXPECT_TAB_ORDER(wizard);
        grab(wizard, QStringLiteral("5-destinations"));
        wizard->next();

        // Schedules: a bad cron text blocks Next with the parser's reason; a purge at 03:00
        // overlaps mls's sync.
        QCOMPARE(wizard->currentId(), int(SourceWizard::SchedulesId));
        auto* page = qobject_cast<SchedulesPage*>(wizard->currentPage());
        auto* syncCron = named<QLineEdit>(wizard, QStringLiteral("Sync schedule"));
        syncCron->setText(QStringLiteral("*/0 * * * *"));
        QVERIFY(!nextButton->isEnabled());
        QVERIFY2(
            wizard->findChild<QLabel*>(QStringLiteral("nextFires"))->text().contains(QStringLiteral("step")),
            qPrintable(wizard->findChild<QLabel*>(QStringLiteral("nextFires"))->text()));
        auto* preset = wizard->findChild<QComboBox*>(QStringLiteral("syncPreset"));
        preset->setCurrentIndex(1);
        Q_EMIT preset->activated(1); // Hourly
        QCOMPARE(syncCron->text(), QStringLiteral("0 * * * *"));
        QVERIFY(nextButton->isEnabled());
        QVERIFY2(page->overlapText().contains(QStringLiteral("mls sync")),
                 qPrintable(page->overlapText() +
                            wizard->findChild<QLabel*>(QStringLiteral("nextFires"))->text()));
        named<QLineEdit>(wizard, QStringLiteral("Sync schedule"))->setText(QStringLiteral("15 */2 * * *"));
        QVERIFY2(page->overlapText().isEmpty(), qPrintable(page->overlapText()));
        named<QLineEdit>(wizard, QStringLiteral("Purge schedule"))->setText(QStringLiteral("0 3 * * *"));
        QVERIFY2(page->overlapText().contains(QStringLiteral("purge")) &&
                     page->overlapText().contains(QStringLiteral("mls sync")),
                 qPrintable(page->overlapText()));
        const QString fires = wizard->findChild<QLabel*>(QStringLiteral("nextFires"))->text();
        QCOMPARE(fires.count(QStringLiteral("03:00")), 5); // the purge's next five
        EXPECT_ALL_NAMED(wizard);
        EXPECT_TAB_ORDER(wizard);
        grab(wizard, QStringLiteral("6-schedules"));
        wizard->next();

        // Summary: the JSON holds the reference, never the secret.
        QCOMPARE(wizard->currentId(), int(SourceWizard::SummaryId));
        const QString json = wizard->findChild<QPlainTextEdit*>(QStringLiteral("summaryJson"))->toPlainText();
        QVERIFY2(json.contains(QStringLiteral("env:ORS_NEWMLS_CLIENT_SECRET")), qPrintable(json));
        QVERIFY(!json.contains(kSecret));
        EXPECT_ALL_NAMED(wizard);
        EXPECT_TAB_ORDER(wizard);
        grab(wizard, QStringLiteral("7-summary"));

        // Finish: written, reloaded, and the first sync runs (its secret from the variable named).
        qputenv("ORS_NEWMLS_CLIENT_SECRET", kSecret.toUtf8());
        QSignalSpy reloaded(&ui.window, &MainWindow::reloaded);
        wizard->button(QWizard::FinishButton)->click();
        QTRY_VERIFY_WITH_TIMEOUT(wizard.isNull(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!reloaded.isEmpty(), kWaitMs);
        QCOMPARE(reloaded.first().first().toBool(), true);
        QVERIFY(ui.window.sourcePage(QStringLiteral("newmls")));
        QTRY_COMPARE_WITH_TIMEOUT(
            [&] {
                const auto runs = readLastSyncRuns(std::nullopt, dataDir, {QStringLiteral("newmls")});
                return runs && runs->contains(QStringLiteral("newmls"))
                           ? runs->value(QStringLiteral("newmls")).result
                           : QString();
            }(),
            QStringLiteral("success"), kWaitMs);

        const QByteArray written = readAll(config);
        QVERIFY(!written.contains(kSecret.toUtf8()));
        QCOMPARE(readAll(config + QStringLiteral(".bak")), before);
        const ConfigLoadResult loaded = ConfigLoader::loadFile(config);
        QVERIFY2(loaded.config, qPrintable(loaded.errors.join(QLatin1Char('\n'))));
        QCOMPARE(loaded.config->sources.size(), 2);
        const QJsonArray sources =
            QJsonDocument::fromJson(written).object().value(QStringLiteral("sources")).toArray();
        QCOMPARE(sources.at(0).toObject(), mls);
        const SourceConfig* added = loaded.config->source(QStringLiteral("newmls"));
        QVERIFY(added);
        QCOMPARE(added->auth.clientSecret.kind, SecretRef::Kind::Env);
        QCOMPARE(added->resources.size(), 1);
        QCOMPARE(added->resources.first().filter, QStringLiteral("ListPrice gt 0"));
        QCOMPARE(added->resources.first().select.size(), 3);
        QCOMPARE(added->resources.first().expand.first().name, QStringLiteral("Media"));
        QCOMPARE(added->schedules.purge, QStringList{QStringLiteral("0 3 * * *")});
        qunsetenv("ORS_NEWMLS_CLIENT_SECRET");
    }

    // Source ▸ Edit…: prefilled from the configuration; Finish replaces that source only, and
    // keeps the keys of it the wizard does not show.
    void editKeepsOthers() {
        const QString dir = m_dir.filePath(QStringLiteral("edit"));
        QDir().mkpath(dir);
        QJsonObject mls = mlsSource(dir);
        mls.insert(QStringLiteral("timeoutSeconds"), 45);
        QJsonObject other = mlsSource(dir);
        other.insert(QStringLiteral("name"), QStringLiteral("other"));
        other.insert(QStringLiteral("destinations"),
                     QJsonArray{QJsonObject{
                         {QStringLiteral("name"), QStringLiteral("local")},
                         {QStringLiteral("type"), QStringLiteral("sqlite")},
                         {QStringLiteral("path"), QDir(dir).filePath(QStringLiteral("other.sqlite"))}}});
        QJsonObject root = configWith(mls);
        root.insert(QStringLiteral("sources"), QJsonArray{mls, other});
        root.insert(QStringLiteral("timeZone"), QStringLiteral("UTC"));
        const QString config = writeConfig(dir, root);
        Workspace workspace = Workspace::load(config, QDir(dir).filePath(QStringLiteral("data")));
        QVERIFY2(workspace.ok(), qPrintable(workspace.errors.join(QLatin1Char('\n'))));
        Ui ui(std::move(workspace));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        ui.window.showPage(QStringLiteral("mls"));
        QAction* edit = ui.window.findChild<QAction*>(QStringLiteral("editSourceAction"));
        QVERIFY(edit);
        QVERIFY2(edit->isEnabled(), qPrintable(ui.window.currentPageKey()));
        edit->trigger();
        QPointer<SourceWizard> wizard = ui.window.findChild<SourceWizard*>();
        QVERIFY(wizard);
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        QCOMPARE(named<QLineEdit>(wizard, QStringLiteral("Source name"))->text(), QStringLiteral("mls"));
        wizard->next(); // its own name is not "taken"
        QCOMPARE(wizard->currentId(), int(SourceWizard::ConnectionId));
        QCOMPARE(named<QLineEdit>(wizard, QStringLiteral("Service URL"))->text(), m_server->serviceUrl());
        QVERIFY(named<QLineEdit>(wizard, QStringLiteral("Client secret"))->text().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!wizard->findChild<QLabel*>(QStringLiteral("secretNote"))
                                      ->text()
                                      .startsWith(QStringLiteral("Looking")),
                                 kWaitMs);
        wizard->next();
        QCOMPARE(wizard->currentId(), int(SourceWizard::TestId));
        QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
        wizard->findChild<QCheckBox*>(QStringLiteral("continueAnyway"))->setChecked(true);
        QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());
        wizard->next();
        // No $metadata fetched: the configured resources stay, ticked.
        auto* resources = wizard->findChild<QTreeWidget*>(QStringLiteral("resourceList"));
        QCOMPARE(resources->topLevelItemCount(), 2);
        QCOMPARE(resources->topLevelItem(0)->checkState(0), Qt::Checked);
        wizard->next();
        wizard->next();
        QCOMPARE(wizard->currentId(), int(SourceWizard::SchedulesId));
        QCOMPARE(named<QLineEdit>(wizard, QStringLiteral("Sync schedule"))->text(),
                 QStringLiteral("0 3 * * *"));
        named<QLineEdit>(wizard, QStringLiteral("Sync schedule"))->setText(QStringLiteral("*/30 * * * *"));
        wizard->findChild<QCheckBox*>(QStringLiteral("purgeEnabled"))->setChecked(false);
        wizard->findChild<QCheckBox*>(QStringLiteral("reconcileEnabled"))->setChecked(false);
        wizard->next();
        QCOMPARE(wizard->currentId(), int(SourceWizard::SummaryId));
        QVERIFY(!wizard->findChild<QCheckBox*>(QStringLiteral("runFirstSync"))->isChecked());
        QSignalSpy reloaded(&ui.window, &MainWindow::reloaded);
        wizard->button(QWizard::FinishButton)->click();
        QTRY_VERIFY_WITH_TIMEOUT(wizard.isNull(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!reloaded.isEmpty(), kWaitMs);

        const QJsonObject after = QJsonDocument::fromJson(readAll(config)).object();
        const QJsonArray sources = after.value(QStringLiteral("sources")).toArray();
        QCOMPARE(sources.size(), 2);
        QCOMPARE(sources.at(1).toObject(), other);
        const QJsonObject edited = sources.at(0).toObject();
        QCOMPARE(edited.value(QStringLiteral("timeoutSeconds")).toInt(), 45);
        QCOMPARE(
            edited.value(QStringLiteral("auth")).toObject().value(QStringLiteral("clientSecret")).toString(),
            QStringLiteral("env:ORS_TEST_MLS_SECRET"));
        QCOMPARE(edited.value(QStringLiteral("schedules")).toObject(),
                 (QJsonObject{{QStringLiteral("sync"), QJsonArray{QStringLiteral("*/30 * * * *")}}}));
        QCOMPARE(edited.value(QStringLiteral("resources")).toArray().size(), 2);
        QVERIFY(ConfigLoader::loadFile(config).config);
    }

    // What each sign-in kind writes: only the keys it needs, secrets as references (keychain
    // or environment), MLS Grid's originating system; and Tab walks the Connection page's
    // visible fields top to bottom.
    void authKindsAndTabOrder_data() {
        QTest::addColumn<int>("platformRow");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("store");
        QTest::addColumn<QJsonObject>("auth");
        QTest::addColumn<QStringList>("tabOrder");
        QTest::newRow("bearer, keychain, MLS Grid")
            << 1 << int(SourceWizard::AuthKind::Bearer) << int(SourceWizard::SecretStore::Keychain)
            << QJsonObject{{QStringLiteral("type"), QStringLiteral("bearer")},
                           {QStringLiteral("token"), QStringLiteral("keychain:grid.bearerToken")}}
            << QStringList{QStringLiteral("Service URL"), QStringLiteral("Originating system"),
                           QStringLiteral("Authentication"), QStringLiteral("Bearer token"),
                           QStringLiteral("Keep secrets in")};
        QTest::newRow("password grant, environment")
            << 4 << int(SourceWizard::AuthKind::Password) << int(SourceWizard::SecretStore::Environment)
            << QJsonObject{{QStringLiteral("type"), QStringLiteral("oauth2")},
                           {QStringLiteral("grantType"), QStringLiteral("password")},
                           {QStringLiteral("tokenUrl"), QStringLiteral("https://mls.example.com/token")},
                           {QStringLiteral("clientId"), QStringLiteral("app")},
                           {QStringLiteral("clientSecret"), QStringLiteral("env:ORS_GRID_CLIENT_SECRET")},
                           {QStringLiteral("username"), QStringLiteral("agent")},
                           {QStringLiteral("password"), QStringLiteral("env:ORS_GRID_PASSWORD")}}
            << QStringList{QStringLiteral("Service URL"),   QStringLiteral("Authentication"),
                           QStringLiteral("Token URL"),     QStringLiteral("Client ID"),
                           QStringLiteral("Client secret"), QStringLiteral("Username"),
                           QStringLiteral("Password"),      QStringLiteral("Keep secrets in")};
        QTest::newRow("none") << 4 << int(SourceWizard::AuthKind::None)
                              << int(SourceWizard::SecretStore::Environment)
                              << QJsonObject{{QStringLiteral("type"), QStringLiteral("none")}}
                              << QStringList{QStringLiteral("Service URL"), QStringLiteral("Authentication"),
                                             QStringLiteral("Keep secrets in")};
    }

    void authKindsAndTabOrder() {
        QFETCH(int, platformRow);
        QFETCH(int, kind);
        QFETCH(int, store);
        QFETCH(QJsonObject, auth);
        QFETCH(QStringList, tabOrder);
        QTemporaryDir dir;
        SourceWizard wizard(nullptr, dir.filePath(QStringLiteral("config.json")),
                            dir.filePath(QStringLiteral("data")));
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        named<QLineEdit>(&wizard, QStringLiteral("Source name"))->setText(QStringLiteral("grid"));
        wizard.findChild<QListWidget*>(QStringLiteral("platformList"))->setCurrentRow(platformRow);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SourceWizard::ConnectionId));
        QTRY_VERIFY_WITH_TIMEOUT(!wizard.findChild<QLabel*>(QStringLiteral("secretNote"))
                                      ->text()
                                      .startsWith(QStringLiteral("Looking")),
                                 kWaitMs);
        wizard.findChild<QComboBox*>(QStringLiteral("authKind"))->setCurrentIndex(kind);
        wizard.findChild<QComboBox*>(QStringLiteral("secretStore"))->setCurrentIndex(store);
        named<QLineEdit>(&wizard, QStringLiteral("Service URL"))
            ->setText(QStringLiteral("https://mls.example.com/odata"));
        named<QLineEdit>(&wizard, QStringLiteral("Originating system"))->setText(QStringLiteral("actris"));
        named<QLineEdit>(&wizard, QStringLiteral("Token URL"))
            ->setText(QStringLiteral("https://mls.example.com/token"));
        named<QLineEdit>(&wizard, QStringLiteral("Client ID"))->setText(QStringLiteral("app"));
        for (const char* secret : {"Client secret", "Bearer token", "Password"})
            named<QLineEdit>(&wizard, QString::fromLatin1(secret))
                ->setText(QStringLiteral("typed-secret-5521"));
        named<QLineEdit>(&wizard, QStringLiteral("Username"))->setText(QStringLiteral("agent"));
        QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());

        const QJsonObject source = wizard.sourceJson();
        QCOMPARE(source.value(QStringLiteral("auth")).toObject(), auth);
        QVERIFY(!QJsonDocument(source).toJson().contains("typed-secret-5521"));
        QCOMPARE(source.contains(QStringLiteral("originatingSystemName")), platformRow == 1);
        // The check gets the typed secrets in memory.
        const SourceConfig check = wizard.sourceForCheck();
        if (kind == int(SourceWizard::AuthKind::Bearer)) {
            QCOMPARE(check.auth.token.kind, SecretRef::Kind::Literal);
            QCOMPARE(check.auth.token.value, QStringLiteral("typed-secret-5521"));
        }

        QWidget* first = named<QLineEdit>(&wizard, QStringLiteral("Service URL"));
        first->setFocus();
        QStringList walked;
        QWidget* widget = first;
        do {
            if (widget->isVisible() && widget->isEnabled() && (widget->focusPolicy() & Qt::TabFocus) &&
                wizard.currentPage()->isAncestorOf(widget))
                walked << widget->accessibleName();
            widget = widget->nextInFocusChain();
        } while (widget != first && walked.size() < 50);
        QCOMPARE(walked, tabOrder);
    }

    // Source ▸ Remove…: refused while the source's job runs; then the dialog names the data and
    // each table with its destination, dropping them is confirmed once more (Cancel there changes
    // nothing), and the configuration, the data directory and the SQLite file lose that source
    // only.
    void removeSourceAsksFirst() {
        fake::ServerOptions options;
        options.listingCount = 60;
        options.memberCount = 5;
        options.pageLatencyMs = 300; // a sync of "gone" takes a few seconds
        fake::FakeResoServer slow(options);
        QVERIFY(slow.start());
        const QString dir = m_dir.filePath(QStringLiteral("remove"));
        QDir().mkpath(dir);
        const QString keepDb = QDir(dir).filePath(QStringLiteral("keep.sqlite"));
        const QString goneDb = QDir(dir).filePath(QStringLiteral("gone.sqlite"));
        const QJsonObject keep = sourceConfig(QStringLiteral("keep"), slow.serviceUrl(), {keepDb}, 10);
        const QJsonObject gone = sourceConfig(QStringLiteral("gone"), slow.serviceUrl(), {goneDb}, 10);
        const QString config =
            writeConfig(dir, QJsonObject{{QStringLiteral("version"), 1},
                                         {QStringLiteral("sources"), QJsonArray{keep, gone}}});
        const QString dataDir = QDir(dir).filePath(QStringLiteral("data"));
        Workspace workspace = Workspace::load(config, dataDir);
        QVERIFY2(workspace.ok(), qPrintable(workspace.errors.join(QLatin1Char('\n'))));
        Ui ui(std::move(workspace));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        auto* messages = ui.window.findChild<MessageBanner*>(QStringLiteral("messageArea"));
        QVERIFY(messages);

        ui.window.showPage(QStringLiteral("gone"));
        named<QPushButton>(ui.window.sourcePage(QStringLiteral("gone")), QStringLiteral("Sync now"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(ui.window.board().isRunning(QStringLiteral("gone")), kWaitMs);
        QAction* remove = ui.window.findChild<QAction*>(QStringLiteral("removeSourceAction"));
        QVERIFY(remove && remove->isEnabled());
        remove->trigger();
        QVERIFY2(messages->text().contains(QStringLiteral("running or queued")),
                 qPrintable(messages->text()));
        QCoreApplication::processEvents();
        QVERIFY(!ui.window.findChild<RemoveSourceDialog*>());
        QTRY_VERIFY_WITH_TIMEOUT(!ui.window.board().isRunning(QStringLiteral("gone")) &&
                                     !ui.window.board().isQueued(QStringLiteral("gone")),
                                 kWaitMs);
        QVERIFY(sqliteTables(goneDb).contains(QStringLiteral("Property")));
        QVERIFY(QFileInfo::exists(QDir(dataDir).filePath(QStringLiteral("logs/gone.ndjson"))));
        const QByteArray before = readAll(config);

        remove->trigger();
        QPointer<RemoveSourceDialog> dialog;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = ui.window.findChild<RemoveSourceDialog*>()), kWaitMs);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QCOMPARE(dialog->accessibleName(), QStringLiteral("Remove source"));
        const QStringList unnamed = widgetsWithoutAccessibleName(dialog);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
        auto* drop = dialog->findChild<QCheckBox*>(QStringLiteral("dropTables"));
        QVERIFY(!drop->isEnabled()); // only with the data deleted
        const QString tableList = dialog->findChild<QLabel*>(QStringLiteral("tableList"))->text();
        QVERIFY2(tableList.contains(QStringLiteral("Property, Member, Media in sqlite ") + goneDb +
                                    QStringLiteral(" (destination local0)")),
                 qPrintable(tableList));
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("dataList"))
                    ->text()
                    .contains(QDir(dataDir).filePath(QStringLiteral("logs/gone.ndjson"))));
        dialog->findChild<QRadioButton*>(QStringLiteral("deleteData"))->setChecked(true);
        QVERIFY(drop->isEnabled());
        drop->setChecked(true);

        // Dropping is asked once more, naming table and destination; Cancel there keeps it all.
        auto* removeButton = dialog->findChild<QPushButton*>(QStringLiteral("removeButton"));
        removeButton->click();
        QPointer<QMessageBox> confirm =
            dialog->findChild<QMessageBox*>(QStringLiteral("dropTablesConfirmation"));
        QVERIFY(confirm);
        QVERIFY2(confirm->informativeText().contains(goneDb) &&
                     confirm->informativeText().contains(QStringLiteral("destination local0")),
                 qPrintable(confirm->informativeText()));
        confirm->button(QMessageBox::Cancel)->click();
        QCoreApplication::processEvents();
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(readAll(config), before);

        QSignalSpy reloaded(&ui.window, &MainWindow::reloaded);
        removeButton->click();
        confirm = dialog->findChild<QMessageBox*>(QStringLiteral("dropTablesConfirmation"));
        QVERIFY(confirm);
        confirm->findChild<QPushButton*>(QStringLiteral("confirmDropButton"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!reloaded.isEmpty(), kWaitMs);
        QVERIFY2(messages->text().contains(QStringLiteral("gone removed")), qPrintable(messages->text()));
        QVERIFY(!ui.window.sourcePage(QStringLiteral("gone")));
        QVERIFY(ui.window.sourcePage(QStringLiteral("keep")));

        const QJsonObject after = QJsonDocument::fromJson(readAll(config)).object();
        QCOMPARE(after.value(QStringLiteral("sources")).toArray(), QJsonArray{keep});
        QCOMPARE(readAll(config + QStringLiteral(".bak")), before);
        QVERIFY(sqliteTables(goneDb).isEmpty());
        QVERIFY(!QFileInfo::exists(QDir(dataDir).filePath(QStringLiteral("logs/gone.ndjson"))));
        QVERIFY(!QFileInfo::exists(QDir(dataDir).filePath(QStringLiteral("sources/gone"))));
    }

    // The walk above finds a page whose Tab order is not the visual one: a field Tab skips, and
    // a field reached after one it stands above.
    void tabOrderCheckFindsDisorder() {
        QWizard wizard;
        auto* page = new QWizardPage;
        auto* layout = new QVBoxLayout(page);
        QLineEdit* fields[3];
        for (int i = 0; i < 3; ++i) {
            fields[i] = new QLineEdit(page);
            fields[i]->setAccessibleName(QStringLiteral("Field %1").arg(i));
            layout->addWidget(fields[i]);
        }
        wizard.addPage(page);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QVERIFY2(tabOrderProblem(&wizard).isEmpty(), qPrintable(tabOrderProblem(&wizard)));
        QWidget::setTabOrder(fields[0], fields[2]);
        QWidget::setTabOrder(fields[2], fields[1]);
        QString problem = tabOrderProblem(&wizard);
        QVERIFY2(problem.contains(QStringLiteral("\"Field 1\" comes after QLineEdit \"Field 2\"")),
                 qPrintable(problem));
        // Tab from the first field leaves the page.
        QWidget::setTabOrder(fields[0], wizard.button(QWizard::CancelButton));
        problem = tabOrderProblem(&wizard);
        QVERIFY2(problem.contains(QStringLiteral("Tab never reaches")), qPrintable(problem));
    }

    // The empty dashboard (the welcome) offers the wizard.
    void emptyDashboardOffersWizard() {
        const QString dir = m_dir.filePath(QStringLiteral("empty"));
        QDir().mkpath(dir);
        const QString config = writeConfig(
            dir, QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("sources"), QJsonArray{}}});
        Ui ui(Workspace::load(config, QDir(dir).filePath(QStringLiteral("data"))));
        QVERIFY(QTest::qWaitForWindowExposed(&ui.window));
        auto* button = ui.window.findChild<QPushButton*>(QStringLiteral("dashboardAddSource"));
        QVERIFY(button);
        QTRY_VERIFY(button->isVisible());
        QCOMPARE(button->accessibleName(), QStringLiteral("Add a source"));
        if (const QString shots = qEnvironmentVariable("ORS_SCREENSHOT_DIR"); !shots.isEmpty())
            ui.window.grab().save(QDir(shots).filePath(QStringLiteral("window-empty-dashboard.png")));
        button->click();
        QPointer<SourceWizard> wizard = ui.window.findChild<SourceWizard*>();
        QVERIFY(wizard);
        QCOMPARE(wizard->currentId(), int(SourceWizard::PlatformId));
        wizard->reject();
    }
};

QTEST_MAIN(TestWizard)
#include "tst_wizard.moc"
