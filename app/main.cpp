#include "config/CommandLine.h"
#include "MainWindow.h"
#include "runner/JobRunner.h"
#include "runner/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
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

    // Declared before the window so it outlives it: on exit it cancels running jobs and
    // waits for them to reach a checkpoint.
    ors::JobRunner runner;
    ors::MainWindow window(ors::Workspace::load(where.config, where.dataDir), &runner);
    window.show();
    return QApplication::exec();
}
