#pragma once

#include "config/CommandLine.h"

#include <QString>

namespace ors {

struct InitArguments {
    QString platform; // trestle | mlsgrid | bridge | spark | generic
    QString output;   // empty: where the other commands look (ConfigLoader::locate)
    bool force = false;
};

// `init --platform P`: writes a starter configuration for one platform, each key explained by a
// "//" key beside it (the validator skips those), secrets as env: references.
namespace InitCommand {
int run(const LocationOptions& where, const InitArguments& arguments);
// The file `run` writes, byte for byte; nullopt for an unknown platform. docs/examples/ hold one
// per platform.
QByteArray starterConfig(const QString& platform);
} // namespace InitCommand

} // namespace ors
