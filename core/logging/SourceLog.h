#pragma once

#include <QJsonObject>
#include <QMutex>
#include <QString>

namespace ors {

enum class LogLevel { Debug, Info, Warning, Error };

// The per-source NDJSON log, <data>/logs/<source>.ndjson: one JSON object per line with
// time, level, msg, source and whatever context the caller adds (process, resource,
// destination, url, counts, error). Appends are whole lines so concurrent writers interleave
// by line, never inside one.
class SourceLog {
public:
    SourceLog(QString filePath, QString source);

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
    QMutex m_mutex;
};

} // namespace ors
