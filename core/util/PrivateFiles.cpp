#include "util/PrivateFiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ors {

namespace {

// The store's category by name, declared here so that util/ depends on no other folder.
Q_LOGGING_CATEGORY(lcStore, "openresync.store", QtInfoMsg)

QString lastError() {
    return QString::fromLocal8Bit(std::strerror(errno));
}

// True when the path had to be narrowed (and was).
bool narrow(const QString& path, bool directory) {
    const QByteArray name = QFile::encodeName(path);
    struct stat st {};
    if (::lstat(name.constData(), &st) != 0 || S_ISLNK(st.st_mode))
        return false;
    const mode_t wanted = directory ? PrivateFiles::kDirMode : PrivateFiles::kFileMode;
    // Only what others may do is taken away; an owner's missing bit is not ours to add.
    if ((st.st_mode & 077) == 0)
        return false;
    const mode_t mode = (st.st_mode & 0700) | (wanted & 0700);
    if (::chmod(name.constData(), mode) != 0) {
        qCWarning(lcStore).noquote() << path << ": cannot make it private:" << lastError();
        return false;
    }
    qCWarning(lcStore).noquote() << QStringLiteral("%1 was readable by others (mode %2); now %3")
                                        .arg(path, QString::number(st.st_mode & 0777, 8),
                                             QString::number(mode & 0777, 8));
    return true;
}

} // namespace

Expected<void> PrivateFiles::makeDir(const QString& dir) {
    const QString clean = QDir::cleanPath(QDir(dir).absolutePath());
    // Find the deepest existing ancestor, then create downwards, so each new level gets 0700.
    QStringList missing;
    QString at = clean;
    while (!QFileInfo(at).exists()) {
        missing.prepend(at);
        const QString parent = QFileInfo(at).absolutePath();
        if (parent == at)
            break;
        at = parent;
    }
    for (const QString& level : std::as_const(missing)) {
        const QByteArray name = QFile::encodeName(level);
        if (::mkdir(name.constData(), kDirMode) != 0 && errno != EEXIST)
            return makeError(QStringLiteral("%1: cannot create directory: %2").arg(level, lastError()));
        if (::chmod(name.constData(), kDirMode) != 0)
            return makeError(QStringLiteral("%1: cannot set mode 0700: %2").arg(level, lastError()));
    }
    if (!QFileInfo(clean).isDir())
        return makeError(QStringLiteral("%1: cannot create directory: not a directory").arg(clean));
    return {};
}

Expected<void> PrivateFiles::createFile(const QString& path) {
    if (auto r = makeDir(QFileInfo(path).absolutePath()); !r)
        return r;
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
    if (fd < 0) {
        if (errno == EEXIST)
            return {};
        return makeError(QStringLiteral("%1: cannot create: %2").arg(path, lastError()));
    }
    const bool ok = ::fchmod(fd, kFileMode) == 0;
    ::close(fd);
    if (!ok)
        return makeError(QStringLiteral("%1: cannot set mode 0600: %2").arg(path, lastError()));
    return {};
}

int PrivateFiles::openFile(const QString& path, int flags) {
    const int fd = ::open(QFile::encodeName(path).constData(), flags | O_CREAT | O_CLOEXEC, kFileMode);
    if (fd < 0)
        return fd;
    struct stat st {};
    // A new file has the umask's mode until now; an existing one was narrowed by tighten() at start.
    if (::fstat(fd, &st) == 0 && (st.st_mode & 077) != 0)
        (void)::fchmod(fd, kFileMode);
    return fd;
}

Expected<void> PrivateFiles::restrict(QFileDevice& file) {
    if (file.handle() >= 0 && ::fchmod(file.handle(), kFileMode) == 0)
        return {};
    // QSaveFile may write through a file without a plain descriptor; Qt then sets it by name.
    if (file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return {};
    return makeError(QStringLiteral("%1: cannot set mode 0600: %2").arg(file.fileName(), file.errorString()));
}

Expected<void> PrivateFiles::syncDir(const QString& dir) {
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return makeError(QStringLiteral("%1: cannot open directory to sync it: %2").arg(dir, lastError()));
    const bool ok = ::fsync(fd) == 0;
    const QString error = ok ? QString() : lastError();
    ::close(fd);
    if (!ok)
        return makeError(QStringLiteral("%1: cannot sync directory: %2").arg(dir, error));
    return {};
}

QStringList PrivateFiles::tighten(const QString& root) {
    QStringList changed;
    if (!QFileInfo(root).isDir())
        return changed;
    if (narrow(root, true))
        changed << root;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info = it.nextFileInfo();
        if (info.isSymLink())
            continue;
        if (narrow(info.filePath(), info.isDir()))
            changed << info.filePath();
    }
    return changed;
}

} // namespace ors
