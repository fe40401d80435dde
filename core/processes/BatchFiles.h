#pragma once

#include "util/Expected.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace ors {

class ExternalKeySorter;

// The downloaded pages of one resource: <type>_batch_<batchId>_seq_<seq>.json. Batch ids are
// UTC times and sequence numbers are zero-padded, so name order is download order. A page the
// server sent gzip-compressed is kept compressed under the same name (`zcat -f` shows either):
// the names are what the state rows and every resume rule know a page by.
class BatchFiles {
public:
    BatchFiles(QString dir, QString prefix); // prefix e.g. "sync_batch_"

    QString fileName(const QString& batchId, int seq) const;
    QString path(const QString& fileName) const;
    QStringList list() const;
    // Written to a temporary file and renamed, so a crash never leaves half a page behind.
    // `body` is the page's JSON, or the gzip stream of it; read() gives the JSON back either way.
    Expected<void> write(const QString& fileName, const QByteArray& body) const;
    Expected<QByteArray> read(const QString& fileName) const;
    // The keys (and timestampFields, see PageReader::keys) of every record on the key-list pages.
    Expected<void> addKeys(ExternalKeySorter& sorter, const QString& keyField,
                           const QStringList& timestampFields) const;

private:
    QString m_dir;
    QString m_prefix;
};

} // namespace ors
