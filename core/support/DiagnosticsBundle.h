#pragma once

#include "config/Config.h"
#include "util/Expected.h"

#include <QString>
#include <QStringList>

namespace ors {

struct DiagnosticsResult {
    QString path;               // the zip written
    QStringList entries;        // what it holds
    QStringList omitted;        // what it could not hold, and why (a support reader needs to know)
    QStringList removedSecrets; // configuration key paths whose text secrets were left out
};

// Everything support needs to understand a problem, nothing that lets anyone log in: the logs of
// the last days, the configuration with each secret shown only as its reference, consistent
// snapshots of the state and stats databases, versions, and every source's recent failures.
// `openresync-cli diagnostics` and Help ▸ Save diagnostics… write it. Blocks; run it on a worker.
class DiagnosticsBundle {
public:
    DiagnosticsBundle(const Config& config, const QString& configPath, const QString& dataDir);

    void setLogDays(int days) { m_logDays = days; }
    // Why the configuration did not load, when it did not: the bundle is wanted most then.
    void setConfigErrors(const QStringList& errors) { m_configErrors = errors; }
    // The default file name: openresync-diagnostics-<UTC time>.zip
    static QString defaultFileName();

    Expected<DiagnosticsResult> write(const QString& zipPath) const;

private:
    Config m_config;
    QString m_configPath;
    QString m_dataDir;
    int m_logDays = 7;
    QStringList m_configErrors;
};

} // namespace ors
