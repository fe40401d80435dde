#pragma once

#include "logging/LogTail.h"

#include <QByteArray>
#include <QFile>
#include <QFileSystemWatcher>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <optional>

#include <sys/types.h>

namespace ors {

// `tail -F` for one source's log: emits every whole line of the file from its start, then each
// line appended later. When the file is rotated (renamed, a new one made at the path) it reads
// what is left of the old file and goes on with the new one from its first line; a file that
// does not exist yet is waited for. QFileSystemWatcher wakes it; a poll every second covers file
// systems without change notifications. Lines are read at most a chunk at a time, so a large file
// arrives in several lines() signals rather than in one allocation.
class LogFollower : public QObject {
    Q_OBJECT
public:
    explicit LogFollower(QString path, QObject* parent = nullptr);

    void start();
    // Starts where a read of the file's tail stopped (LogTail::read), when the file at the path is
    // still that one; otherwise (rotated in between) from the start of the file there now.
    void startAt(const LogPosition& position);

Q_SIGNALS:
    void lines(const QList<QByteArray>& lines); // without their newlines

private:
    void poll();
    void drain();       // reads what the open file has beyond the offset
    bool openCurrent(); // (re)opens the path; false when it does not exist

    QString m_path;
    QFile m_file;
    ino_t m_inode = 0;
    dev_t m_device = 0;
    qint64 m_offset = 0;
    std::optional<LogPosition> m_resume;
    QByteArray m_partial; // the start of a line whose newline has not been written yet
    QFileSystemWatcher m_watcher;
    QTimer m_timer;
};

} // namespace ors
