#pragma once

#include "config/Config.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace ors {

// The files of one source's log: <source>.ndjson (current) and its rotated predecessors
// <source>.ndjson.1 (newest) .. .N (oldest). Rotation and pruning happen under
// <source>.ndjson.lock (a QLockFile), so that of several processes appending to one log only
// one renames, and the others see the renamed result before they decide again.
namespace LogFiles {

struct Rotated {
    int number = 0; // 1 is the newest
    QString path;
    QDateTime modified;
};

QString rotatedPath(const QString& base, int number);
QString lockPath(const QString& base);

// The rotated files of `base` that exist, oldest (highest number) first.
QList<Rotated> rotated(const QString& base);

// Rotates `base` if it still holds at least one byte and `incoming` more bytes would take it
// past limits.maxSizeBytes (another writer may have rotated it meanwhile), then prunes. Runs
// under the lock; without the lock (held elsewhere for more than a few seconds) it does nothing,
// so the caller appends to the current file anyway and no line is lost. True when it rotated.
bool rotateIfFull(const QString& base, qint64 incoming, const LogsConfig& limits);

// Removes rotated files numbered above limits.keep and those last written before
// limits.retentionDays, under the lock. Returns the paths removed.
QStringList prune(const QString& base, const LogsConfig& limits);

} // namespace LogFiles

} // namespace ors
