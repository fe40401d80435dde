#include "config/CommandLine.h"
#include "logging/LogCategories.h"
#include "MainWindow.h"
#include "runner/Workspace.h"
#include "service/ServiceHost.h"
#include "Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QThreadPool>
#include <QTimer>

#include <cstdio>
#include <cstdlib>

// The desktop program. Takes the CLI's --config and --data-dir; shows the window before
// anything slow can happen: loading reads one local file, and secrets (keychain included)
// are resolved later inside each job's thread. No tray, window manager or D-Bus needed.
int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OPENRESYNC_VERSION));

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
    // Hidden first, so the pages ask the MLS nothing about the jobs the stop cancels.
    window.hide();
    // Running jobs stop at their next checkpoint; the window hears how they ended.
    host.stop(-1);
    // The global pool holds only the window's read-only queries (counts, a record, history); one
    // may still retry an unreachable MLS for minutes. Nothing is written by them, so after a short
    // grace they are left behind instead of keeping the program from ending.
    if (!QThreadPool::globalInstance()->waitForDone(3000)) {
        qCInfo(lcUi).noquote() << QStringLiteral("leaving %1 read-only queries unfinished at exit")
                                      .arg(QThreadPool::globalInstance()->activeThreadCount());
        std::fflush(nullptr);
        std::_Exit(code);
    }
    return code;
}
