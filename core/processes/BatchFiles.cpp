#include "processes/BatchFiles.h"

#include "diff/ExternalKeySorter.h"
#include "reso/GzipBody.h"
#include "reso/PageReader.h"
#include "util/AtomicFile.h"
#include "util/PrivateFiles.h"

#include <QDir>
#include <QFile>

namespace ors {

namespace {
constexpr qint64 kMaxPageBytes = qint64(1) << 31; // what one QByteArray page may hold here
} // namespace

BatchFiles::BatchFiles(QString dir, QString prefix)
    : m_dir(std::move(dir))
    , m_prefix(std::move(prefix)) {}

QString BatchFiles::fileName(const QString& batchId, int seq) const {
    return QStringLiteral("%1%2_seq_%3.json").arg(m_prefix, batchId).arg(seq, 6, 10, QLatin1Char('0'));
}

QString BatchFiles::path(const QString& fileName) const {
    return QDir(m_dir).filePath(fileName);
}

QStringList BatchFiles::list() const {
    QStringList names = QDir(m_dir).entryList({m_prefix + QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    return names;
}

Expected<void> BatchFiles::write(const QString& fileName, const QByteArray& body) const {
    if (auto r = PrivateFiles::makeDir(m_dir); !r)
        return r;
    // 0600: a page holds whole records.
    if (auto r = AtomicFile::write(path(fileName), body, int(PrivateFiles::kFileMode)); !r)
        return r;
    // The rename is only durable once the directory is synced, and the caller writes the state
    // row that names this page next.
    return PrivateFiles::syncDir(m_dir);
}

Expected<QByteArray> BatchFiles::read(const QString& fileName) const {
    QFile file(path(fileName));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot read: %2").arg(path(fileName), file.errorString()));
    QByteArray bytes = file.readAll();
    // JSON never starts with gzip's magic bytes.
    if (!bytes.startsWith("\x1f\x8b"))
        return bytes;
    // The page passed the size and ratio limits when it was downloaded; these only keep a
    // damaged file from asking for more memory than a page can take.
    GzipBody page = GzipBody::inflate(bytes, kMaxPageBytes);
    if (page.outcome != GzipBody::Outcome::Inflated)
        return makeError(QStringLiteral("%1: cannot read the page kept compressed: %2")
                             .arg(path(fileName), GzipBody::describe(page.outcome, bytes.size())));
    return std::move(page.body);
}

Expected<void> BatchFiles::addKeys(ExternalKeySorter& sorter, const QString& keyField,
                                   const QStringList& timestampFields) const {
    for (const QString& name : list()) {
        auto body = read(name);
        if (!body)
            return body.error();
        auto keys = PageReader::keys(*body, keyField, timestampFields, path(name));
        if (!keys)
            return keys.error();
        for (const KeyRecord& key : std::as_const(*keys))
            if (auto r = sorter.add(key); !r)
                return r;
    }
    return {};
}

} // namespace ors
