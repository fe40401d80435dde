#pragma once

#include "logging/LogTail.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

namespace ors {

class LogFollower;

// A source's log for a viewer: the last `maxLines` lines read on a pool thread (LogTail), then
// each line appended later, parsed on the follower's own thread. Whoever owns it (the GUI thread)
// only receives parsed lines through queued signals; it never reads or parses the file.
class LogStream : public QObject {
    Q_OBJECT
public:
    LogStream(QString path, int maxLines, QObject* parent = nullptr);
    ~LogStream() override;

    void start();
    const QString& path() const { return m_path; }

Q_SIGNALS:
    // The tail of the file as it was when start() ran; `read.lines` are oldest first.
    void loaded(const ors::LogTailRead& read);
    // Lines written after that, in order.
    void appended(const QList<ors::LogLine>& lines);

private:
    void follow(const LogPosition& from);

    QString m_path;
    int m_maxLines;
    QThread m_thread;
    LogFollower* m_follower = nullptr;
    // Set when this stream goes away, so a tail read still running stops at its next chunk.
    std::shared_ptr<std::atomic_bool> m_stopped = std::make_shared<std::atomic_bool>(false);
};

} // namespace ors

Q_DECLARE_METATYPE(ors::LogTailRead)
Q_DECLARE_METATYPE(ors::LogLine)
