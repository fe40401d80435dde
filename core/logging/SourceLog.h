#pragma once

#include "config/Config.h"

#include <QJsonObject>
#include <QMutex>
#include <QString>

namespace ors {

enum class LogLevel { Debug, Info, Warning, Error };

// The per-source NDJSON log, <data>/logs/<source>.ndjson: one JSON object per line with
// time, level, msg, source and whatever context the caller adds (process, resource,
// destination, url, counts, error). Appends are whole lines so concurrent writers interleave
// by line, never inside one. Each append opens the file by its path, so after another process
// rotated the log (see LogFiles) the next line goes to the new file.
class SourceLog {
public:
    // Prunes rotated files past `limits` (count and age) on the way.
    SourceLog(QString filePath, QString source, LogsConfig limits = {});

    void setProcess(const QString& process) { m_process = process; }
    void log(LogLevel level, const QString& message, QJsonObject context = {});
    void info(const QString& message, QJsonObject context = {}) {
        log(LogLevel::Info, message, std::move(context));
    }
    void warning(const QString& message, QJsonObject context = {}) {
        log(LogLevel::Warning, message, std::move(context));
    }
    void error(const QString& message, QJsonObject context = {}) {
        log(LogLevel::Error, message, std::move(context));
    }

    const QString& filePath() const { return m_filePath; }

private:
    QString m_filePath;
    QString m_source;
    QString m_process;
    LogsConfig m_limits;
    QMutex m_mutex;
};

} // namespace ors
