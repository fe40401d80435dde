#include "util/AtomicFile.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ors {

namespace {

Error systemError(const QString& path, const char* what, int error) {
    return makeError(
        QStringLiteral("%1: cannot write: %2 (%3)").arg(path, qt_error_string(error), QLatin1String(what)));
}

} // namespace

Expected<void> AtomicFile::write(const QString& path, const QByteArray& body, int mode) {
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temporary = target + ".part";
    const int fd = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return systemError(path, "creating", errno);
    // Failing after the file exists: report the first error, then remove what was written.
    auto abandon = [&](const char* what) {
        const int error = errno;
        ::close(fd);
        ::unlink(temporary.constData());
        return systemError(path, what, error);
    };
    if (::fchmod(fd, mode_t(mode)) != 0)
        return abandon("setting permissions");
    const char* data = body.constData();
    qint64 left = body.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return abandon("writing");
        data += n;
        left -= n;
    }
    if (::fsync(fd) != 0)
        return abandon("syncing");
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temporary.constData());
        return systemError(path, "closing", error);
    }
    if (::rename(temporary.constData(), target.constData()) != 0) {
        const int error = errno;
        ::unlink(temporary.constData());
        return systemError(path, "renaming", error);
    }
    return {};
}

} // namespace ors
