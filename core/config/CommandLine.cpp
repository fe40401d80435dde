#include "config/CommandLine.h"

#include <QCommandLineParser>

namespace ors {

namespace {

const QString kConfigOption = QStringLiteral("config");
const QString kDataDirOption = QStringLiteral("data-dir");

} // namespace

void addLocationOptions(QCommandLineParser& parser) {
    parser.addOption({kConfigOption, QStringLiteral("Configuration file."), QStringLiteral("FILE")});
    parser.addOption({kDataDirOption, QStringLiteral("Data directory."), QStringLiteral("DIR")});
}

LocationOptions locationOptions(const QCommandLineParser& parser) {
    return {parser.value(kConfigOption), parser.value(kDataDirOption)};
}

} // namespace ors
