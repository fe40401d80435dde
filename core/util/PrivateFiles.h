#pragma once

#include "util/Expected.h"

#include <QFileDevice>
#include <QString>
#include <QStringList>

namespace ors {

// Everything the programs keep holds whole MLS records, keys, logs or credentials' effects, so
// it is readable by its owner alone: directories 0700, files 0600, whatever the umask is. The
// modes are set with chmod/fchmod after creating, because open(2) and mkdir(2) only ever narrow
// the mode they are given by the umask, never widen or fix it.
class PrivateFiles {
public:
    static constexpr unsigned kDirMode = 0700;
    static constexpr unsigned kFileMode = 0600;

    // mkdir -p; every directory it creates is made 0700 (existing ones are left as they are).
    static Expected<void> makeDir(const QString& dir);
    // Creates an empty file 0600 when it does not exist, in a directory made by makeDir. SQLite
    // then gives its -wal, -shm and -journal files the database file's mode.
    static Expected<void> createFile(const QString& path);
    // ::open with O_CREAT and mode 0600, then fchmod, so a new file is private from its first byte.
    static int openFile(const QString& path, int flags);
    // Makes an open file 0600 (QFile, QSaveFile before commit).
    static Expected<void> restrict(QFileDevice& file);
    // fsync of a directory, so a rename (or a creation) in it survives a power cut.
    static Expected<void> syncDir(const QString& dir);
    // Narrows every directory (0700) and file (0600) under root, root included, that others could
    // read or write; symbolic links are not followed. Each path changed is logged once as a
    // warning and returned: the next run finds nothing left to change.
    static QStringList tighten(const QString& root);
};

} // namespace ors
