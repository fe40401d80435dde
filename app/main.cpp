#include "config/CommandLine.h"
#include "MainWindow.h"
#include "runner/JobQueue.h"
#include "runner/Scheduler.h"
#include "runner/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

// The desktop program. Takes the CLI's --config and --data-dir; shows the window before
// anything slow can happen: loading reads one local file, and secrets (keychain included)
// are resolved later inside each job's thread. No tray, window manager or D-Bus needed.
int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OPENRESYNC_VERSION));

    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("openresync"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("OpenReSync: replicate RESO Web API data into your databases"));
    parser.addHelpOption();
    parser.addVersionOption();
    ors::addLocationOptions(parser);
    parser.process(app);
    const ors::LocationOptions where = ors::locationOptions(parser);

    // Declared before the window so they outlive it: on exit the queue cancels running jobs and
    // waits for them to reach a checkpoint; the scheduler (which uses the queue) goes first.
    ors::Workspace workspace = ors::Workspace::load(where.config, where.dataDir);
    ors::JobQueue queue;
    ors::Scheduler scheduler(&queue);
    std::optional<ors::Config> config = workspace.config;
    const QString dataDir = workspace.dataDir;
    if (config)
        queue.setConfig(*config, dataDir);
    ors::MainWindow window(std::move(workspace), &queue);
    window.show();
    // The window runs the schedules while it is open. Catch-up reads the stats store, so it
    // waits until the window is on screen; the window sees the jobs it queues.
    if (config) {
        QTimer::singleShot(0, &scheduler, [&scheduler, config] {
            scheduler.setConfig(*config);
            scheduler.catchUp();
            scheduler.start();
        });
    }
    return QApplication::exec();
}
