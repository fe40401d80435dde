#include "Gzip.h"

#include <libdeflate.h>
#include <zlib.h>

namespace ors::fake {

QByteArray gzipCompress(const QByteArray& data, int level) {
    // libdeflate, not zlib: at level 1 it compresses a page of 1,000 wide listings several times
    // faster, and the server shares the benchmark machine's cores with the client it serves.
    libdeflate_compressor* compressor = libdeflate_alloc_compressor(level);
    if (!compressor)
        return {};
    QByteArray out(qsizetype(libdeflate_gzip_compress_bound(compressor, size_t(data.size()))),
                   Qt::Uninitialized);
    const size_t written = libdeflate_gzip_compress(compressor, data.constData(), size_t(data.size()),
                                                    out.data(), size_t(out.size()));
    libdeflate_free_compressor(compressor);
    if (written == 0)
        return {};
    out.truncate(qsizetype(written));
    return out;
}

QByteArray zlibGzipCompress(const QByteArray& data, int level) {
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out;
    out.resize(static_cast<qsizetype>(deflateBound(&zs, static_cast<uLong>(data.size()))));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(static_cast<qsizetype>(zs.total_out));
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? out : QByteArray();
}

QByteArray gzipDecompress(const QByteArray& data) {
    z_stream zs{};
    if (inflateInit2(&zs, 31) != Z_OK)
        return {};
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    zs.avail_in = static_cast<uInt>(data.size());
    QByteArray out;
    char chunk[65536];
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(chunk);
        zs.avail_out = sizeof(chunk);
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
        out.append(chunk, static_cast<qsizetype>(sizeof(chunk) - zs.avail_out));
    }
    inflateEnd(&zs);
    return rc == Z_STREAM_END ? out : QByteArray();
}

} // namespace ors::fake
