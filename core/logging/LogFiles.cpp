#include "logging/LogFiles.h"

#include "logging/LogCategories.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QRegularExpression>

#include <algorithm>
#include <sys/stat.h>

namespace ors::LogFiles {

namespace {

// Long enough for another writer's rename chain; a writer that cannot get the lock in time
// appends without rotating rather than wait or drop its line.
constexpr int kLockTimeoutMs = 5000;

// Removes what is beyond `keep` or too old; the caller holds the lock.
QStringList pruneLocked(const QString& base, const LogsConfig& limits) {
    QStringList removed;
    const QDateTime oldest = QDateTime::currentDateTimeUtc().addDays(-limits.retentionDays);
    for (const Rotated& file : rotated(base)) {
        const bool tooMany = file.number > limits.keep;
        const bool tooOld = limits.retentionDays > 0 && file.modified < oldest;
        if ((tooMany || tooOld) && QFile::remove(file.path))
            removed.append(file.path);
    }
    return removed;
}

qint64 sizeOf(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return qint64(st.st_size);
}

} // namespace

QString rotatedPath(const QString& base, int number) {
    return base + QLatin1Char('.') + QString::number(number);
}

QString lockPath(const QString& base) {
    return base + QStringLiteral(".lock");
}

QList<Rotated> rotated(const QString& base) {
    const QFileInfo info(base);
    const QString prefix = info.fileName() + QLatin1Char('.');
    QList<Rotated> files;
    const QFileInfoList entries =
        QDir(info.absolutePath()).entryInfoList({prefix + QLatin1Char('*')}, QDir::Files | QDir::Hidden);
    for (const QFileInfo& entry : entries) {
        bool ok = false;
        const int number = entry.fileName().mid(prefix.size()).toInt(&ok);
        // Only "<base>.<digits>": the lock file and anything else beside the log are not logs.
        if (ok && number > 0 && entry.fileName() == prefix + QString::number(number))
            files.append(Rotated{number, entry.absoluteFilePath(), entry.lastModified().toUTC()});
    }
    std::sort(files.begin(), files.end(),
              [](const Rotated& a, const Rotated& b) { return a.number > b.number; });
    return files;
}

bool rotateIfFull(const QString& base, qint64 incoming, const LogsConfig& limits) {
    QLockFile lock(lockPath(base));
    if (!lock.tryLock(kLockTimeoutMs)) {
        qCWarning(lcStore) << "log rotation skipped: cannot take" << lockPath(base);
        return false;
    }
    const qint64 size = sizeOf(base);
    if (size <= 0 || size + incoming <= limits.maxSizeBytes)
        return false; // someone else rotated it while this writer waited for the lock
    // Shift from the oldest down, so each rename replaces only a file already moved on (or the
    // one beyond `keep`, which is the one dropped).
    const QList<Rotated> existing = rotated(base);
    for (const Rotated& file : existing) {
        if (file.number >= limits.keep)
            QFile::remove(file.path);
        else if (::rename(QFile::encodeName(file.path).constData(),
                          QFile::encodeName(rotatedPath(base, file.number + 1)).constData()) != 0)
            qCWarning(lcStore) << "cannot rename" << file.path;
    }
    // Writers that opened the file before this rename finish their line in .1: a line is never
    // split, and the next append opens the new file by its path.
    if (::rename(QFile::encodeName(base).constData(), QFile::encodeName(rotatedPath(base, 1)).constData()) !=
        0) {
        qCWarning(lcStore) << "cannot rotate" << base;
        return false;
    }
    pruneLocked(base, limits);
    return true;
}

QStringList prune(const QString& base, const LogsConfig& limits) {
    QLockFile lock(lockPath(base));
    if (!lock.tryLock(kLockTimeoutMs))
        return {};
    return pruneLocked(base, limits);
}

} // namespace ors::LogFiles
