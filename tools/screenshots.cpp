// Screenshots of every page of the desktop window for the user guide (scripts/screenshots runs
// it under Xvfb). Starts the bundled sample RESO server (another process) with a few thousand
// listings, writes a configuration with two sources on it (SQLite destinations): "crmls" is
// synced through the window's own "Sync now" (so counts, history, charts and logs have data),
// "armls" never runs (its counts disagree with the MLS). Then it visits every page with
// showPage() and grabs the window at each size. One palette per run (--palette light|dark,
// Fusion style), set before the window exists so every widget starts with it, as a user's would.
// While the sync runs, the Jobs page, the dashboard and the source page are grabbed too.
// Finds widgets only by the page keys and accessible names the issue fixes, so it does not
// depend on which widget sits in which tab.
// --language es runs it translated (as LANGUAGE=es would): the dashboard, the source overview
// and the add-source wizard's first page only, as <page>-<size>-<palette>-es.png.
#include "DialogShots.h"
#include "MainWindow.h"
#include "runner/JobQueue.h"
#include "runner/Workspace.h"
#include "service/ServiceHost.h"
#include "ShotSupport.h"
#include "SourcePage.h"
#include "SourceWizard.h"
#include "Translations.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QPalette>
#include <QPixmap>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStyle>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QThreadPool>
#include <QTimeZone>

#include <cstdio>
#include <optional>

namespace {

using ors::shots::byAccessibleName;
using ors::shots::settle;

const QString kSynced = QStringLiteral("crmls");
const QString kNeverRun = QStringLiteral("armls");
const QString kZone = QStringLiteral("America/Denver");

struct Size {
    int width;
    int height;
    QString name() const { return QStringLiteral("%1x%2").arg(width).arg(height); }
};

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3b));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xba));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x45, 0x47, 0x4b));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3c, 0x40));
    p.setColor(QPalette::Mid, QColor(0x25, 0x26, 0x29));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x40, 0x40, 0x40));
    return p;
}

// Sources share one server; the schedules fire hours from now (so none runs while this program
// does) and overlap at two instants, which the Schedule page outlines.
QByteArray configJson(int port) {
    const QDateTime now = QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone(kZone.toUtf8()));
    const int h = (now.time().hour() + 3) % 24;
    auto hours = [h](std::initializer_list<int> offsets) {
        QList<int> list;
        for (int offset : offsets)
            list.append((h + offset) % 24);
        std::sort(list.begin(), list.end());
        QStringList text;
        for (int value : list)
            text.append(QString::number(value));
        return text.join(QLatin1Char(','));
    };
    const QString source = QStringLiteral(R"({"name": "%1", "platform": "generic",
      "serviceUrl": "http://127.0.0.1:%2/odata", "pageSize": 100,
      "resources": [{"name": "Property", "expand": [{"name": "Media"}]}, {"name": "Member"}],
      "destinations": [{"name": "local", "type": "sqlite"}],
      "schedules": %3})");
    const QString crmls = source.arg(kSynced).arg(port).arg(
        QStringLiteral(R"({"sync": ["0 %1 * * *"], "purge": ["30 %2 * * *"], "reconcile": ["0 %3 * * 0"]})")
            .arg(hours({0, 6, 12, 18}), hours({1}), hours({2})));
    const QString armls = source.arg(kNeverRun).arg(port).arg(
        QStringLiteral(R"({"sync": ["0 %1 * * *"], "purge": ["30 %2 * * *"]})")
            .arg(hours({0, 12}), hours({1})));
    return QStringLiteral(R"({"version": 1, "timeZone": "%1", "sources": [%2, %3]})")
        .arg(kZone, crmls, armls)
        .toUtf8();
}

// A listing key the synced destination holds, and a changed field in its copy there, so the
// record inspector has a difference to mark. Runs after the sync, before the lookup.
std::optional<QString> alterOneListing(const QString& sqlitePath) {
    std::optional<QString> key;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("screenshots"));
        db.setDatabaseName(sqlitePath);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(
                    QStringLiteral("SELECT ListingKey FROM Property ORDER BY ListingKey LIMIT 1 OFFSET 7")) &&
                query.next())
                key = query.value(0).toString();
            if (key) {
                QSqlQuery update(db);
                update.prepare(
                    QStringLiteral("UPDATE Property SET StandardStatus = 'Pending' WHERE ListingKey = ?"));
                update.addBindValue(*key);
                if (!update.exec())
                    std::fprintf(stderr, "changing %s in %s: %s\n", qPrintable(*key), qPrintable(sqlitePath),
                                 qPrintable(update.lastError().text()));
            }
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("screenshots"));
    return key;
}

class Shooter {
public:
    Shooter(ors::MainWindow& window, QString outDir, QString palette, QList<Size> sizes, QString suffix)
        : m_window(window)
        , m_outDir(std::move(outDir))
        , m_palette(std::move(palette))
        , m_sizes(std::move(sizes))
        , m_suffix(std::move(suffix)) {}

    // Grabs the page shown now at every size: <name>-<size>-<palette>.png.
    void shoot(const QString& name) {
        for (const Size& size : m_sizes) {
            m_window.resize(size.width, size.height);
            settle(150, 5000);
            const QString path = QDir(m_outDir).filePath(
                QStringLiteral("%1-%2-%3%4.png").arg(name, size.name(), m_palette, m_suffix));
            save(m_window.grab(), path);
        }
        m_window.resize(m_sizes.first().width, m_sizes.first().height);
    }

    // A dialog at the size it opens with: <name>-<palette><suffix>.png.
    void shootDialog(QWidget& dialog, const QString& name) {
        settle(150, 5000);
        save(dialog.grab(),
             QDir(m_outDir).filePath(QStringLiteral("%1-%2%3.png").arg(name, m_palette, m_suffix)));
    }

private:
    ors::MainWindow& m_window;
    QString m_outDir;
    QString m_palette;
    QList<Size> m_sizes;
    QString m_suffix;

    static void save(const QPixmap& pixmap, const QString& path) {
        // No alpha channel: the window is opaque, and RGB keeps the files about a quarter smaller.
        const QImage image = pixmap.toImage().convertToFormat(QImage::Format_RGB888);
        if (!image.save(path, "PNG", 0))
            std::fprintf(stderr, "could not write %s\n", qPrintable(path));
        else
            std::printf("%s\n", qPrintable(path));
    }
};

// An accessible name the issue fixes, in the language the program speaks.
QString named(const char* context, const char* english) {
    return QCoreApplication::translate(context, english);
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Screenshots of every page of the OpenReSync window."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("out"), QStringLiteral("Folder the PNGs go to."), QStringLiteral("DIR"),
                      QStringLiteral(ORS_SOURCE_DIR "/docs/images")});
    parser.addOption({QStringLiteral("palette"), QStringLiteral("light or dark."), QStringLiteral("NAME"),
                      QStringLiteral("light")});
    parser.addOption({QStringLiteral("sizes"), QStringLiteral("Window sizes, comma-separated."),
                      QStringLiteral("WxH,..."), QStringLiteral("1280x800,1920x1080")});
    parser.addOption({QStringLiteral("listings"), QStringLiteral("Listings the sample server serves."),
                      QStringLiteral("N"), QStringLiteral("3000")});
    parser.addOption({QStringLiteral("server"), QStringLiteral("The sample RESO server."),
                      QStringLiteral("PATH"), QStringLiteral(ORS_SAMPLE_SERVER_PATH)});
    parser.addOption({QStringLiteral("language"),
                      QStringLiteral("Translated pictures (es): the dashboard, a source and the wizard."),
                      QStringLiteral("LANG")});
    parser.process(app);

    const QString language = parser.value(QStringLiteral("language"));
    if (!language.isEmpty() && ors::installTranslations(QLocale(language)).language.isEmpty()) {
        std::fprintf(stderr, "no translation for %s\n", qPrintable(language));
        return 2;
    }
    const bool translated = !language.isEmpty();

    const QString paletteName = parser.value(QStringLiteral("palette"));
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(paletteName == QLatin1String("dark") ? darkPalette()
                                                                  : QApplication::style()->standardPalette());
    QList<Size> sizes;
    for (const QString& text : parser.value(QStringLiteral("sizes")).split(QLatin1Char(','))) {
        const QStringList wh = text.split(QLatin1Char('x'));
        if (wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0)
            sizes.append({wh[0].toInt(), wh[1].toInt()});
    }
    const QString outDir = parser.value(QStringLiteral("out"));
    if (sizes.isEmpty() || !QDir().mkpath(outDir)) {
        std::fprintf(stderr, "nothing to do: check --sizes and --out\n");
        return 2;
    }

    QTemporaryDir dir;
    const QString portFile = dir.filePath(QStringLiteral("port"));
    QProcess server;
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // Slow pages, so the sync lasts long enough to be seen running.
    server.start(parser.value(QStringLiteral("server")),
                 {QStringLiteral("--listings"), parser.value(QStringLiteral("listings")),
                  QStringLiteral("--latency-ms"), QStringLiteral("150"), QStringLiteral("--port-file"),
                  portFile});
    QElapsedTimer starting;
    starting.start();
    while (QFile(portFile).size() == 0) {
        if (server.state() == QProcess::NotRunning || starting.elapsed() > 120000) {
            std::fprintf(stderr, "the sample server did not start\n");
            return 1;
        }
        QThread::msleep(50);
    }
    QThread::msleep(50);
    QFile portIn(portFile);
    portIn.open(QIODevice::ReadOnly);
    const int port = portIn.readAll().trimmed().toInt();

    const QString config = dir.filePath(QStringLiteral("config.json"));
    QFile configOut(config);
    if (!configOut.open(QIODevice::WriteOnly) || configOut.write(configJson(port)) < 0)
        return 1;
    configOut.close();
    const QString dataDir = dir.filePath(QStringLiteral("data"));
    ors::Workspace workspace = ors::Workspace::load(config, dataDir);
    if (!workspace.ok()) {
        std::fprintf(stderr, "config: %s\n", qPrintable(workspace.errors.join(QLatin1Char('\n'))));
        return 1;
    }
    ors::ServiceHost host;
    host.setConfig(*workspace.config, workspace.dataDir);
    ors::MainWindow window(workspace, host);
    window.resize(sizes.first().width, sizes.first().height);
    window.show();
    window.startSchedules();
    settle();
    // The sample server speaks http://, which the configuration check rightly warns about; a
    // real setup uses https://, so the pictures leave that warning out.
    for (QAbstractButton* dismiss : window.findChildren<QAbstractButton*>())
        if (dismiss->accessibleName() == named("ors::MessageBanner", "Dismiss message") &&
            dismiss->isVisible())
            dismiss->click();
    Shooter shooter(window, outDir, paletteName, sizes, translated ? QLatin1Char('-') + language : QString());

    // The sync, from the source page's own button; mid-way, the pages that show it running.
    window.showPage(kSynced);
    window.sourcePage(kSynced)->showTab(ors::SourcePage::OverviewTab);
    settle();
    auto* sync =
        byAccessibleName<QAbstractButton>(window.sourcePage(kSynced), named("ors::SourcePage", "Sync now"));
    if (!sync) {
        std::fprintf(stderr, "no \"Sync now\" button on the page of %s\n", qPrintable(kSynced));
        return 1;
    }
    bool finished = false;
    bool ok = false;
    bool shotRunning = false;
    QObject::connect(&host.queue(), &ors::JobQueue::finished, &app,
                     [&](const ors::JobEntry&, const ors::JobResult& result) {
                         finished = true;
                         ok = result.ok();
                         if (!ok)
                             std::fprintf(stderr, "sync failed: %s\n", qPrintable(result.error));
                     });
    QObject::connect(&host.queue(), &ors::JobQueue::progress, &app,
                     [&](const ors::JobEntry&, const ors::JobProgress& progress) {
                         // A third done, once the rate (and so the ETA) is known; two thirds at the latest.
                         if (translated || shotRunning || progress.phase != QLatin1String("download") ||
                             progress.total <= 0 || progress.done * 3 < progress.total ||
                             (progress.recordsPerSecond <= 0 && progress.done * 3 < progress.total * 2))
                             return;
                         shotRunning = true;
                         // Grabbing here runs nested in the queue's signal; the job goes on in its thread.
                         shooter.shoot(QStringLiteral("source-running"));
                         window.showPage(QStringLiteral("jobs"));
                         shooter.shoot(QStringLiteral("jobs-running"));
                         window.showPage(QStringLiteral("dashboard"));
                         shooter.shoot(QStringLiteral("dashboard-running"));
                     });
    sync->click();
    QElapsedTimer syncing;
    syncing.start();
    while (!finished && syncing.elapsed() < 600000)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 100);
    if (!ok)
        return 1;
    settle(1000);

    // Every source page is read again (Source ▸ Refresh), so the never-run one shows its gap.
    QAction* refresh = window.findChild<QAction*>(QStringLiteral("refreshAction"));
    for (const QString& source : {kNeverRun, kSynced}) {
        window.showPage(source);
        if (refresh)
            refresh->trigger();
        settle();
    }

    window.showPage(QStringLiteral("dashboard"));
    settle();
    shooter.shoot(QStringLiteral("dashboard"));

    if (translated) {
        window.showPage(kSynced);
        window.sourcePage(kSynced)->showTab(ors::SourcePage::OverviewTab);
        settle();
        shooter.shoot(QStringLiteral("source-overview"));
        ors::SourceWizard wizard(nullptr, config, dataDir, &window);
        wizard.show();
        shooter.shootDialog(wizard, QStringLiteral("wizard-platform"));
        wizard.close();
        window.close();
        host.stop(10000);
        QThreadPool::globalInstance()->waitForDone(60000);
        server.terminate();
        server.waitForFinished(5000);
        return 0;
    }

    ors::SourcePage* page = window.sourcePage(kSynced);
    const std::pair<ors::SourcePage::Tab, QString> tabs[] = {
        {ors::SourcePage::OverviewTab, QStringLiteral("overview")},
        {ors::SourcePage::HistoryTab, QStringLiteral("history")},
        {ors::SourcePage::ChartsTab, QStringLiteral("charts")}};
    window.showPage(kSynced);
    for (const auto& [tab, name] : tabs) {
        page->showTab(tab);
        settle();
        shooter.shoot(QStringLiteral("source-") + name);
    }

    // The record inspector on one listing whose destination copy was changed.
    page->showTab(ors::SourcePage::RecordTab);
    settle();
    auto* keyField = byAccessibleName<QLineEdit>(page, named("ors::RecordInspectorPanel", "Record key"));
    auto* lookUp = byAccessibleName<QAbstractButton>(page, named("ors::RecordInspectorPanel", "Look up"));
    const std::optional<QString> key =
        alterOneListing(QDir(dataDir).filePath(QStringLiteral("destinations/%1/local.sqlite").arg(kSynced)));
    if (keyField && lookUp && key) {
        keyField->setText(*key);
        lookUp->click();
        settle();
    } else {
        std::fprintf(stderr, "the record tab has no \"Record key\" field and \"Look up\" button yet%s\n",
                     key ? "" : " (and no listing key was found)");
    }
    shooter.shoot(QStringLiteral("source-record"));

    window.showPage(kNeverRun);
    page = window.sourcePage(kNeverRun);
    page->showTab(ors::SourcePage::OverviewTab);
    settle();
    shooter.shoot(QStringLiteral("source-never-run"));

    window.showPage(QStringLiteral("schedule"));
    settle();
    shooter.shoot(QStringLiteral("schedule"));
    window.showPage(QStringLiteral("jobs"));
    settle();
    shooter.shoot(QStringLiteral("jobs"));
    // Logs opened from a source's page show that source's log.
    window.showPage(kSynced);
    window.showPage(QStringLiteral("logs"));
    settle();
    shooter.shoot(QStringLiteral("logs"));

    // The add-source wizard page by page against the same server, Source ▸ Remove… and
    // Preferences: one picture each per palette.
    const QString crmlsSync = workspace.config->source(kSynced)->schedules.sync.value(0);
    if (!ors::shots::shootDialogs(window, outDir, paletteName, port, crmlsSync))
        return 1;

    // The first start: no configuration file yet, so the window welcomes the user.
    {
        ors::Workspace none = ors::Workspace::load(dir.filePath(QStringLiteral("welcome/config.json")),
                                                   dir.filePath(QStringLiteral("welcome/data")));
        ors::ServiceHost welcomeHost;
        welcomeHost.setConfig(*none.config, none.dataDir);
        ors::MainWindow welcome(none, welcomeHost);
        welcome.resize(sizes.first().width, sizes.first().height);
        welcome.show();
        settle();
        Shooter(welcome, outDir, paletteName, sizes, translated ? QLatin1Char('-') + language : QString())
            .shoot(QStringLiteral("welcome"));
        welcome.close();
        welcomeHost.stop(10000);
    }

    window.close();
    host.stop(10000);
    QThreadPool::globalInstance()->waitForDone(60000);
    server.terminate();
    server.waitForFinished(5000);
    return 0;
}
