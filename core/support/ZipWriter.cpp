#include "support/ZipWriter.h"

#include "util/PrivateFiles.h"

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace ors {

ZipWriter::ZipWriter(const QString& path)
    : m_path(QFileInfo(path).absoluteFilePath()) {}

ZipWriter::~ZipWriter() {
    if (m_zip && m_zip->isOpen())
        m_zip->close();
    if (!m_temporary.isEmpty())
        QFile::remove(m_temporary);
}

Expected<void> ZipWriter::open() {
    const QFileInfo info(m_path);
    if (!info.dir().exists())
        return makeError(m_path + QStringLiteral(": the folder does not exist"));
    m_temporary = m_path + QStringLiteral(".part-%1").arg(::getpid());
    // Created private before QuaZip opens it, so no byte is ever readable by others.
    const int fd = PrivateFiles::openFile(m_temporary, O_WRONLY | O_TRUNC);
    if (fd < 0)
        return makeError(m_temporary + QStringLiteral(": cannot create: ") +
                         QString::fromLocal8Bit(strerror(errno)));
    ::close(fd);
    m_zip = std::make_unique<QuaZip>(m_temporary);
    if (!m_zip->open(QuaZip::mdCreate))
        return makeError(m_temporary +
                         QStringLiteral(": cannot create the zip (code %1)").arg(m_zip->getZipError()));
    return {};
}

Expected<void> ZipWriter::add(const QString& name, const QByteArray& body) {
    QuaZipFile out(m_zip.get());
    QuaZipNewInfo info(name);
    info.dateTime = QDateTime::currentDateTime();
    info.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (!out.open(QIODevice::WriteOnly, info))
        return makeError(m_path +
                         QStringLiteral(": cannot add %1 (code %2)").arg(name).arg(out.getZipError()));
    if (out.write(body) != body.size()) {
        out.close();
        return makeError(m_path + QStringLiteral(": cannot write %1: %2").arg(name, out.errorString()));
    }
    out.close();
    if (out.getZipError() != 0)
        return makeError(m_path +
                         QStringLiteral(": cannot write %1 (code %2)").arg(name).arg(out.getZipError()));
    m_entries.append(name);
    return {};
}

Expected<void> ZipWriter::addFile(const QString& name, const QString& filePath) {
    QFile in(filePath);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(filePath + QStringLiteral(": cannot read: ") + in.errorString());
    QuaZipFile out(m_zip.get());
    QuaZipNewInfo info(name, filePath);
    info.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (!out.open(QIODevice::WriteOnly, info))
        return makeError(m_path +
                         QStringLiteral(": cannot add %1 (code %2)").arg(name).arg(out.getZipError()));
    QByteArray chunk;
    while (!(chunk = in.read(1 << 20)).isEmpty()) {
        if (out.write(chunk) != chunk.size()) {
            out.close();
            return makeError(m_path + QStringLiteral(": cannot write %1: %2").arg(name, out.errorString()));
        }
    }
    out.close();
    if (in.error() != QFileDevice::NoError || out.getZipError() != 0)
        return makeError(m_path + QStringLiteral(": cannot copy %1 into it").arg(filePath));
    m_entries.append(name);
    return {};
}

Expected<void> ZipWriter::commit() {
    m_zip->close();
    if (m_zip->getZipError() != 0)
        return makeError(m_temporary +
                         QStringLiteral(": cannot finish the zip (code %1)").arg(m_zip->getZipError()));
    if (::rename(QFile::encodeName(m_temporary).constData(), QFile::encodeName(m_path).constData()) != 0)
        return makeError(m_path + QStringLiteral(": cannot move the zip into place: ") +
                         QString::fromLocal8Bit(strerror(errno)));
    m_temporary.clear();
    return {};
}

Expected<QList<std::pair<QString, QByteArray>>> readZip(const QString& path, qint64 maxEntryBytes) {
    QuaZip zip(path);
    if (!zip.open(QuaZip::mdUnzip))
        return makeError(
            path + QStringLiteral(": not a zip file that can be read (code %1)").arg(zip.getZipError()));
    QList<std::pair<QString, QByteArray>> entries;
    for (bool more = zip.goToFirstFile(); more; more = zip.goToNextFile()) {
        QuaZipFileInfo64 info;
        if (!zip.getCurrentFileInfo(&info))
            return makeError(path + QStringLiteral(": an entry cannot be read"));
        if (qint64(info.uncompressedSize) > maxEntryBytes)
            return makeError(
                path + QStringLiteral(": %1 is larger than %2 bytes").arg(info.name).arg(maxEntryBytes));
        QuaZipFile file(&zip);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(path + QStringLiteral(": cannot open %1 in it").arg(info.name));
        // Read one byte past the limit: a size field that lies (a zip bomb) is caught here too.
        const QByteArray body = file.read(maxEntryBytes + 1);
        file.close();
        if (body.size() > maxEntryBytes)
            return makeError(
                path + QStringLiteral(": %1 is larger than %2 bytes").arg(info.name).arg(maxEntryBytes));
        if (file.getZipError() != 0)
            return makeError(
                path + QStringLiteral(": %1 is damaged (code %2)").arg(info.name).arg(file.getZipError()));
        entries.append({info.name, body});
    }
    if (zip.getZipError() != 0)
        return makeError(path + QStringLiteral(": damaged (code %1)").arg(zip.getZipError()));
    return entries;
}

} // namespace ors
