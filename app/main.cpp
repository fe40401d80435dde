#include "config/CommandLine.h"
#include "logging/LogCategories.h"
#include "MainWindow.h"
#include "runner/Workspace.h"
#include "service/ServiceHost.h"
#include "Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QThreadPool>
#include <QTimer>

#include <cstdio>
#include <cstring>

// The desktop program. Takes the CLI's --config and --data-dir; shows the window before
// anything slow can happen: loading reads one local file, and secrets (keychain included)
// are resolved later inside each job's thread. No tray, window manager or D-Bus needed.
int main(int argc, char* argv[]) {
    // --version answers before QApplication exists: that needs a display, and a package's
    // smoke test or a support request asks for the version where there is none.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
            std::printf("openresync %s\n", OPENRESYNC_VERSION);
            return 0;
        }
    }
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OPENRESYNC_VERSION));
    // One application ID everywhere: Wayland compositors match the window to the .desktop file by
    // it, and the icon comes from the installed theme, else from the copy built in.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.openresync.OpenReSync"));
    QIcon icon(QStringLiteral(":/icons/app/io.github.openresync.OpenReSync.svg"));
    for (const int size : {32, 64, 256})
        icon.addFile(QStringLiteral(":/icons/app/io.github.openresync.OpenReSync-%1.png").arg(size));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("io.github.openresync.OpenReSync"), icon));

    // By the system locale: LANGUAGE=es (or LANG=es_ES.UTF-8) shows Spanish.
    ors::installTranslations();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("OpenReSync: replicate RESO Web API data into your databases"));
    parser.addHelpOption();
    parser.addVersionOption();
    ors::addLocationOptions(parser);
    parser.process(app);
    const ors::LocationOptions where = ors::locationOptions(parser);

    // Declared before the window so it outlives it. The host owns the queue and the scheduler,
    // and its control channel lets `openresync-cli jobs/run/cancel` reach this window.
    ors::Workspace workspace = ors::Workspace::load(where.config, where.dataDir);
    ors::ServiceHost host;
    if (workspace.config)
        host.setConfig(*workspace.config, workspace.dataDir);
    ors::MainWindow window(std::move(workspace), host);
    window.show();
    // The window runs the schedules while it is open, unless a `serve` (or another window)
    // already runs them for this data directory: then it runs none and sends its runs there.
    // Catch-up reads the stats store, so it waits until the window is on screen.
    QTimer::singleShot(0, &window, [&window] { window.startSchedules(); });
    const int code = QApplication::exec();
    // The window's read-only queries (counts, a record) are cancelled, not left behind: the HTTP
    // layer drops them within 100 ms, so the pool drains at once and the program ends normally.
    if (!window.shutDown(30000))
        qCWarning(lcUi).noquote() << QStringLiteral("%1 read-only queries still running 30 s after they were "
                                                    "cancelled")
                                         .arg(QThreadPool::globalInstance()->activeThreadCount());
    return code;
}
