#pragma once

#include "util/Expected.h"

#include <QByteArray>
#include <QString>

namespace ors {

// Writes a whole file so that a crash leaves either the old file or the new one: a temporary
// file beside it, written and fsynced, then renamed into place. Unlike QSaveFile, which in Qt
// 6.4 reports a full disk as "Unknown error", every failure names the system's reason (errno
// text such as "No space left on device") and the step that failed. The new file gets `mode`
// whatever the umask. The temporary file is removed on failure.
class AtomicFile {
public:
    static Expected<void> write(const QString& path, const QByteArray& body, int mode = 0600);
};

} // namespace ors
