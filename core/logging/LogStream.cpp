#include "logging/LogStream.h"

#include "logging/LogFollower.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace ors {

LogStream::LogStream(QString path, int maxLines, QObject* parent)
    : QObject(parent)
    , m_path(std::move(path))
    , m_maxLines(maxLines) {
    qRegisterMetaType<LogTailRead>();
    qRegisterMetaType<QList<LogLine>>();
    m_thread.setObjectName(QStringLiteral("LogStream"));
}

LogStream::~LogStream() {
    m_stopped->store(true);
    m_thread.quit();
    m_thread.wait();
}

void LogStream::start() {
    auto* watcher = new QFutureWatcher<LogTailRead>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        const LogTailRead read = watcher->result();
        watcher->deleteLater();
        Q_EMIT loaded(read);
        // A file that cannot be read now will not be followed either; the error says why.
        if (read.error.isEmpty())
            follow(read.end);
    });
    watcher->setFuture(QtConcurrent::run([path = m_path, maxLines = m_maxLines, stopped = m_stopped] {
        return LogTail::read(path, maxLines, LogTail::kChunkBytes, stopped.get());
    }));
}

void LogStream::follow(const LogPosition& from) {
    m_follower = new LogFollower(m_path);
    m_follower->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_follower, &QObject::deleteLater);
    // Runs in the follower's thread: the parse happens there, the GUI gets values.
    connect(m_follower, &LogFollower::lines, m_follower, [this](const QList<QByteArray>& raw) {
        QList<LogLine> parsed;
        parsed.reserve(raw.size());
        for (const QByteArray& line : raw)
            if (!line.isEmpty() && line != "\r")
                parsed.append(LogLine::from(LogReader::parse(line)));
        if (!parsed.isEmpty())
            Q_EMIT appended(parsed);
    });
    m_thread.start();
    QMetaObject::invokeMethod(m_follower, [follower = m_follower, from] { follower->startAt(from); });
}

} // namespace ors
