#pragma once

#include "cli/LoadedConfig.h"
#include "config/CommandLine.h"
#include "service/ServiceHost.h"

#include <QDateTime>
#include <QFileSystemWatcher>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>

namespace ors {

class SourceLog;

// `openresync-cli serve`: runs every source's schedules (a ServiceHost of kind "serve") until
// SIGINT or SIGTERM, then stops running jobs at their next checkpoint and exits 0 within
// kStopSeconds (a second signal exits at once). When another instance (a serve, or the window)
// already runs this data directory's schedules it waits in standby, asking every
// kStandbyCheckMs whether that instance is still there, and takes over when it is gone.
// SIGHUP or a change of the configuration file reloads it (validated first; an invalid file is
// refused and the old configuration kept). Writes one line per job event on stderr (the
// journal) and its own start, standby, reload and stop to <data>/logs/serve.ndjson.
class ServeCommand : public QObject {
    Q_OBJECT
public:
    static constexpr int kStopSeconds = 10;
    static constexpr int kStandbyCheckMs = 2000;
    static constexpr int kReloadDebounceMs = 500;

    static int run(const LocationOptions& where);

private:
    ServeCommand(const LocationOptions& where, LoadedConfig loaded);
    ~ServeCommand() override;

    int exec();
    void tryStart();
    void reload(const QString& why);
    void watchConfigFile();
    void onEvent(const QString& kind, const QJsonObject& fields);
    void log(bool warning, const QString& message);

    LocationOptions m_where;
    LoadedConfig m_loaded;
    ServiceHost m_host;
    std::unique_ptr<SourceLog> m_log;
    QFileSystemWatcher m_watcher;
    QTimer m_reloadTimer;
    QTimer m_standbyTimer;
    QDateTime m_configModified;
    bool m_standbySaid = false;
    bool m_startFailedSaid = false;
    QHash<qint64, qint64> m_lastProgressLine; // job id → ms since epoch of its last progress line
};

} // namespace ors
