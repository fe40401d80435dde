#include "cli/SupportCommands.h"

#include "cli/CliOutput.h"
#include "cli/LoadedConfig.h"
#include "config/ConfigLoader.h"
#include "config/DataDir.h"
#include "processes/JobTypes.h"
#include "support/ConfigArchive.h"
#include "support/DiagnosticsBundle.h"

#include <QFileInfo>
#include <QMap>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

namespace ors {

namespace {

using cli::printErr;
using cli::printOut;

constexpr int kMaxLogDays = 3650;

// Asks on the terminal for a reference to each secret the archive left out; an empty answer
// stops. Only references are accepted, so nothing typed here is a secret kept in a file.
bool askForReferences(const QStringList& needed, QMap<QString, QString>& references) {
    QTextStream in(stdin);
    for (const QString& path : needed) {
        if (references.contains(path))
            continue;
        std::fprintf(stderr, "%s: secret reference (env:NAME, keychain:KEY or file:PATH): ",
                     path.toUtf8().constData());
        std::fflush(stderr);
        const QString answer = in.readLine().trimmed();
        if (answer.isEmpty())
            return false;
        references.insert(path, answer);
    }
    return true;
}

} // namespace

int SupportCommands::diagnostics(const LocationOptions& where, const DiagnosticsArguments& arguments) {
    int days = 7;
    if (!arguments.days.isEmpty()) {
        bool ok = false;
        days = arguments.days.toInt(&ok);
        if (!ok || days < 1 || days > kMaxLogDays) {
            printErr(QStringLiteral("--days: expected a whole number of days from 1 to %1, got \"%2\"")
                         .arg(kMaxLogDays)
                         .arg(arguments.days));
            return int(ExitCode::Usage);
        }
    }
    // A configuration that does not load is when support is needed most: bundle what there is.
    QStringList errors;
    auto loaded = LoadedConfig::load(where, &errors);
    const QString configPath = loaded ? loaded->path : ConfigLoader::locate(where.config);
    const Config config = loaded ? loaded->config : Config{};
    const QString dataDir = loaded ? loaded->dataDir : resolveDataDir(where.dataDir, nullptr);

    DiagnosticsBundle bundle(config, configPath, dataDir);
    bundle.setLogDays(days);
    bundle.setConfigErrors(errors);
    const QString output =
        arguments.output.isEmpty() ? DiagnosticsBundle::defaultFileName() : arguments.output;
    auto written = bundle.write(output);
    if (!written) {
        printErr(QStringLiteral("diagnostics failed: %1").arg(written.errorMessage()));
        return int(ExitCode::Failure);
    }
    for (const QString& omitted : std::as_const(written->omitted))
        printErr(QStringLiteral("not included: %1").arg(omitted));
    if (!written->removedSecrets.isEmpty())
        printErr(QStringLiteral("secrets left out of the configuration: %1")
                     .arg(written->removedSecrets.join(QStringLiteral(", "))));
    printErr(QStringLiteral("diagnostics written (%1 entries); nothing in it is a secret:")
                 .arg(written->entries.size()));
    printOut(written->path + QLatin1Char('\n'));
    return 0;
}

int SupportCommands::exportConfig(const LocationOptions& where, const QString& archive) {
    // Only a configuration this version loads is worth moving; its errors are printed.
    auto loaded = LoadedConfig::load(where);
    if (!loaded)
        return int(ExitCode::Usage);
    auto removed = ConfigArchive::exportTo(loaded->path, archive);
    if (!removed) {
        printErr(QStringLiteral("export-config failed: %1").arg(removed.errorMessage()));
        return int(ExitCode::Failure);
    }
    printErr(QStringLiteral("exported %1 (%2 source(s)) to %3")
                 .arg(loaded->path)
                 .arg(loaded->config.sources.size())
                 .arg(QFileInfo(archive).absoluteFilePath()));
    if (!removed->isEmpty())
        printErr(QStringLiteral(
                     "secrets written as text were left out; the import asks for a reference to each: %1")
                     .arg(removed->join(QStringLiteral(", "))));
    return 0;
}

int SupportCommands::importConfig(const LocationOptions& where, const ImportArguments& arguments) {
    QMap<QString, QString> references;
    for (const QString& pair : arguments.secrets) {
        const qsizetype at = pair.indexOf(QLatin1Char('='));
        if (at <= 0) {
            printErr(QStringLiteral(
                "--secret: expected PATH=REFERENCE (e.g. sources[0].auth.clientSecret=env:MLS_SECRET)"));
            return int(ExitCode::Usage);
        }
        references.insert(pair.left(at), pair.mid(at + 1));
    }
    auto imported = ConfigArchive::read(arguments.archive);
    if (!imported) {
        printErr(QStringLiteral("import-config failed: %1").arg(imported.errorMessage()));
        return int(ExitCode::Usage);
    }
    const QString target = ConfigLoader::locate(where.config);
    if (QFileInfo::exists(target) && !arguments.force) {
        printErr(QStringLiteral("%1 exists: give --force to replace it (it is kept as %1.bak)").arg(target));
        return int(ExitCode::Usage);
    }
    bool missing = false;
    for (const QString& path : std::as_const(imported->secretsNeeded))
        missing = missing || !references.contains(path);
    if (missing && ::isatty(STDIN_FILENO) && !askForReferences(imported->secretsNeeded, references)) {
        printErr(QStringLiteral("import-config: stopped, nothing written"));
        return int(ExitCode::Usage);
    }
    auto root = ConfigArchive::withSecrets(*imported, references);
    if (!root) {
        printErr(QStringLiteral("import-config: %1").arg(root.errorMessage()));
        printErr(QStringLiteral(
            "give each as --secret PATH=env:NAME (or keychain:KEY, file:PATH); nothing written"));
        return int(ExitCode::Usage);
    }
    auto installed = ConfigArchive::install(*root, target);
    if (!installed) {
        printErr(QStringLiteral("import-config failed: %1").arg(installed.errorMessage()));
        return int(ExitCode::Failure);
    }
    if (!installed->isEmpty())
        printErr(QStringLiteral("the previous configuration is kept as %1").arg(*installed));
    printErr(QStringLiteral("imported %1 (exported by OpenReSync %2 at %3) into %4")
                 .arg(arguments.archive, imported->exportedBy, imported->exportedAt, target));
    return 0;
}

} // namespace ors
