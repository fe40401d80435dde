#include "logging/LogFollower.h"

#include <QFileInfo>

#include <sys/stat.h>

namespace ors {

namespace {
constexpr int kPollMs = 1000;
constexpr qint64 kReadChunk = 1024 * 1024;
} // namespace

LogFollower::LogFollower(QString path, QObject* parent)
    : QObject(parent)
    , m_path(std::move(path)) {
    // Children, so moveToThread() takes the watcher and the timer along with the follower.
    m_watcher.setParent(this);
    m_timer.setParent(this);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &LogFollower::poll);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &LogFollower::poll);
    connect(&m_timer, &QTimer::timeout, this, &LogFollower::poll);
    m_timer.setInterval(kPollMs);
}

void LogFollower::startAt(const LogPosition& position) {
    m_resume = position;
    start();
}

void LogFollower::start() {
    m_watcher.addPath(QFileInfo(m_path).absolutePath());
    m_timer.start();
    poll();
}

bool LogFollower::openCurrent() {
    struct stat st {};
    if (::stat(QFile::encodeName(m_path).constData(), &st) != 0)
        return false;
    if (m_file.isOpen())
        m_file.close();
    m_file.setFileName(m_path);
    // Unbuffered: each read asks the kernel again, so lines appended after an earlier read at
    // the end of the file are seen.
    if (!m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return false;
    // The inode of what was opened, not of what the path named a moment ago.
    struct stat opened {};
    if (::fstat(m_file.handle(), &opened) == 0)
        st = opened;
    m_inode = st.st_ino;
    m_device = st.st_dev;
    m_offset = 0;
    if (m_resume && quint64(st.st_ino) == m_resume->inode && quint64(st.st_dev) == m_resume->device &&
        qint64(st.st_size) >= m_resume->offset)
        m_offset = m_resume->offset;
    m_resume.reset();
    if (!m_watcher.files().contains(m_path))
        m_watcher.addPath(m_path);
    return true;
}

void LogFollower::drain() {
    if (!m_file.isOpen())
        return;
    struct stat st {};
    if (::fstat(m_file.handle(), &st) == 0 && qint64(st.st_size) < m_offset) {
        // Truncated in place (by hand): start over rather than wait past its end.
        m_offset = 0;
        m_partial.clear();
    }
    if (!m_file.seek(m_offset))
        return;
    while (true) {
        const QByteArray bytes = m_file.read(kReadChunk);
        if (bytes.isEmpty())
            return;
        m_offset += bytes.size();
        m_partial += bytes;
        QList<QByteArray> complete;
        qsizetype from = 0;
        for (qsizetype newline = m_partial.indexOf('\n'); newline >= 0;
             newline = m_partial.indexOf('\n', from)) {
            complete.append(m_partial.mid(from, newline - from));
            from = newline + 1;
        }
        m_partial.remove(0, from);
        if (!complete.isEmpty())
            Q_EMIT lines(complete);
    }
}

void LogFollower::poll() {
    drain();
    struct stat st {};
    const bool exists = ::stat(QFile::encodeName(m_path).constData(), &st) == 0;
    if (!exists || (m_file.isOpen() && st.st_ino == m_inode && st.st_dev == m_device)) {
        // Same file (or none yet). The watcher drops a path that was renamed away; watch it again
        // once it is back.
        if (exists && !m_watcher.files().contains(m_path))
            m_watcher.addPath(m_path);
        return;
    }
    // Rotated (or created): a writer that opened the old file just before the rename may still
    // have finished its line there, so read the old file once more before leaving it.
    drain();
    if (!m_partial.isEmpty()) {
        Q_EMIT lines({m_partial});
        m_partial.clear();
    }
    if (openCurrent())
        drain();
}

} // namespace ors
