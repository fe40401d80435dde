#include "logging/SourceLog.h"

#include "logging/LogCategories.h"
#include "logging/LogFiles.h"
#include "logging/LogReader.h"
#include "logging/Redactor.h"
#include "util/PrivateFiles.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ors {

SourceLog::SourceLog(QString filePath, QString source, LogsConfig limits)
    : m_filePath(std::move(filePath))
    , m_source(std::move(source))
    , m_limits(limits) {
    (void)PrivateFiles::makeDir(QFileInfo(m_filePath).absolutePath());
    LogFiles::prune(m_filePath, m_limits);
}

void SourceLog::log(LogLevel level, const QString& message, QJsonObject context) {
    QJsonObject line;
    line.insert(QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    line.insert(QStringLiteral("level"), logLevelName(level));
    line.insert(QStringLiteral("msg"), Redactor::redact(message));
    line.insert(QStringLiteral("source"), m_source);
    if (!m_process.isEmpty())
        line.insert(QStringLiteral("process"), m_process);
    for (auto it = context.begin(); it != context.end(); ++it) {
        if (it.value().isString())
            line.insert(it.key(), Redactor::redact(it.value().toString()));
        else
            line.insert(it.key(), it.value());
    }
    QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact);
    bytes.append('\n');

    QMutexLocker lock(&m_mutex);
    // O_APPEND makes each write land at the end even with another process appending.
    int fd = PrivateFiles::openFile(m_filePath, O_WRONLY | O_APPEND);
    struct stat st {};
    if (fd >= 0 && ::fstat(fd, &st) == 0 && st.st_size > 0 &&
        qint64(st.st_size) + bytes.size() > m_limits.maxSizeBytes) {
        ::close(fd);
        LogFiles::rotateIfFull(m_filePath, bytes.size(), m_limits);
        fd = PrivateFiles::openFile(m_filePath, O_WRONLY | O_APPEND);
    }
    if (fd < 0) {
        qCWarning(lcStore) << "cannot write log" << m_filePath;
        return;
    }
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + written, size_t(bytes.size() - written));
        if (n <= 0)
            break;
        written += n;
    }
    ::close(fd);
}

} // namespace ors
