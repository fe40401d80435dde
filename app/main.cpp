#include "config/ConfigLoader.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationName(QStringLiteral("openresync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OPENRESYNC_VERSION));

    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption(
        {QStringLiteral("config"), QStringLiteral("Configuration file."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("data-dir"), QStringLiteral("Data directory."), QStringLiteral("DIR")});
    parser.process(app);

    const QString path = ors::ConfigLoader::locate(parser.value(QStringLiteral("config")));
    const ors::ConfigLoadResult loaded = ors::ConfigLoader::loadFile(path);
    ors::MainWindow window;
    window.showConfiguration(loaded.config ? &*loaded.config : nullptr, path, loaded.errors);
    window.show();
    return QApplication::exec();
}
