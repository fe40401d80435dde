#pragma once

#include <QString>

class QCommandLineParser;

namespace ors {

// Where a program finds its configuration and data, as given on its command line. Empty means
// not given: ConfigLoader::locate then tries $OPENRESYNC_CONFIG and the XDG default, and
// resolveDataDir tries $OPENRESYNC_DATA_DIR, the configuration's dataDir and the per-user location.
struct LocationOptions {
    QString config;
    QString dataDir;
};

// Declares --config FILE and --data-dir DIR, which the window and the CLI both take, so the two
// programs name and describe them alike.
void addLocationOptions(QCommandLineParser& parser);
// Reads them back after the parser has processed the arguments.
LocationOptions locationOptions(const QCommandLineParser& parser);

} // namespace ors
