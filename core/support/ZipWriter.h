#pragma once

#include "util/Expected.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

class QuaZip;

namespace ors {

// Writes a zip to a temporary file beside its destination and renames it into place on commit(),
// so an interrupted export never leaves half an archive under the name the user asked for. The
// archive is made 0600: it holds logs, keys and counts of the user's MLS data.
class ZipWriter {
public:
    explicit ZipWriter(const QString& path);
    ~ZipWriter();
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;

    Expected<void> open();
    Expected<void> add(const QString& name, const QByteArray& body);
    // Streams a file in, so large logs or databases are never held in memory whole.
    Expected<void> addFile(const QString& name, const QString& filePath);
    Expected<void> commit();

    const QStringList& entries() const { return m_entries; }

private:
    QString m_path;
    QString m_temporary;
    std::unique_ptr<QuaZip> m_zip;
    QStringList m_entries;
};

// The entries of the zip at `path` (name -> content) for readers of small archives, such as an
// imported configuration; an entry larger than maxEntryBytes is refused.
Expected<QList<std::pair<QString, QByteArray>>> readZip(const QString& path, qint64 maxEntryBytes);

} // namespace ors
