#include "store/SourceLock.h"

#include "util/PrivateFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace ors {

SourceLock::~SourceLock() {
    release();
}

Expected<void> SourceLock::acquire(const QString& lockFilePath, const QString& sourceName) {
    release();
    if (auto r = PrivateFiles::makeDir(QFileInfo(lockFilePath).absolutePath()); !r)
        return r;
    const int fd = PrivateFiles::openFile(lockFilePath, O_RDWR);
    if (fd < 0)
        return makeError(QStringLiteral("%1: cannot open lock file: %2")
                             .arg(lockFilePath, QString::fromLocal8Bit(std::strerror(errno))));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char buffer[32] = {};
        const ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
        ::close(fd);
        const QString pid = n > 0 ? QString::fromLatin1(buffer, int(n)).trimmed() : QStringLiteral("unknown");
        return makeError(
            QStringLiteral("source \"%1\" is busy: process %2 holds %3").arg(sourceName, pid, lockFilePath));
    }
    const QByteArray pid = QByteArray::number(qint64(::getpid())) + '\n';
    if (::ftruncate(fd, 0) == 0)
        (void)::pwrite(fd, pid.constData(), size_t(pid.size()), 0);
    m_fd = fd;
    return {};
}

void SourceLock::release() {
    if (m_fd < 0)
        return;
    (void)::ftruncate(m_fd, 0);
    ::flock(m_fd, LOCK_UN);
    ::close(m_fd);
    m_fd = -1;
}

} // namespace ors
