#pragma once

#include "util/Expected.h"

#include <QString>

namespace ors {

// An flock()ed file per source: the kernel drops the lock when its holder dies, so a killed
// program never leaves a stale lock behind. The holder writes its PID into the file so a
// refused program can say who holds it.
class SourceLock {
public:
    SourceLock() = default;
    ~SourceLock();
    SourceLock(const SourceLock&) = delete;
    SourceLock& operator=(const SourceLock&) = delete;

    // Fails with a message naming the holder's PID when another process holds the lock.
    Expected<void> acquire(const QString& lockFilePath, const QString& sourceName);
    void release();
    bool isHeld() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

} // namespace ors
