#pragma once

#include "config/CommandLine.h"

#include <QString>
#include <QStringList>

namespace ors {

struct DiagnosticsArguments {
    QString output; // empty: openresync-diagnostics-<time>.zip in the current folder
    QString days;   // empty: 7
};

struct ImportArguments {
    QString archive;
    QStringList secrets; // PATH=REFERENCE, as given
    bool force = false;  // replace an existing configuration (kept as .bak)
};

// The support commands: diagnostics, export-config and import-config (core/support does the work).
namespace SupportCommands {
int diagnostics(const LocationOptions& where, const DiagnosticsArguments& arguments);
int exportConfig(const LocationOptions& where, const QString& archive);
int importConfig(const LocationOptions& where, const ImportArguments& arguments);
} // namespace SupportCommands

} // namespace ors
