#include "config/CommandLine.h"
#include "logging/LogCategories.h"
#include "MainWindow.h"
#include "runner/Workspace.h"
#include "service/ServiceHost.h"

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

    // Declared before the window so it outlives it. The host owns the queue and the scheduler,
    // and its control channel lets `openresync-cli jobs/run/cancel` reach this window.
    ors::Workspace workspace = ors::Workspace::load(where.config, where.dataDir);
    ors::ServiceHost host;
    const std::optional<ors::Config> config = workspace.config;
    const QString dataDir = workspace.dataDir;
    if (config)
        host.setConfig(*config, dataDir);
    ors::MainWindow window(std::move(workspace), &host.queue());
    window.show();
    // The window runs the schedules while it is open, unless a `serve` (or another window)
    // already runs them for this data directory: then it runs none and sends its runs there.
    // Catch-up reads the stats store, so it waits until the window is on screen.
    if (config) {
        QTimer::singleShot(0, &host, [&host, &window, dataDir] {
            const QString path = ors::ControlChannel::socketPath(dataDir);
            auto attach = [&window, &path](const QJsonObject& other) {
                window.attachToInstance(other, path);
                qCInfo(lcUi).noquote()
                    << QStringLiteral("schedules run in %1 (process %2); this window runs none")
                           .arg(other.value(QStringLiteral("kind")).toString(),
                                other.value(QStringLiteral("pid")).toVariant().toString());
            };
            if (const auto other = ors::ControlClient::hello(path))
                return attach(*other);
            if (auto started = host.start(QStringLiteral("desktop")); !started) {
                if (const auto other = ors::ControlClient::hello(path))
                    attach(*other);
                else
                    qCWarning(lcUi).noquote() << started.errorMessage();
                return;
            }
            qCInfo(lcUi).noquote() << QStringLiteral("running the schedules of %1").arg(dataDir);
        });
    }
    const int code = QApplication::exec();
    // Running jobs stop at their next checkpoint; the window hears how they ended.
    host.stop(-1);
    return code;
}
