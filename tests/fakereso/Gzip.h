#pragma once

#include <QByteArray>

namespace ors::fake {

// gzip framing (libdeflate, levels 1-12). Level 1: a page of 1,000 listings is megabytes and
// the server must not become the bottleneck of a sync benchmark.
QByteArray gzipCompress(const QByteArray& data, int level = 1);
// The same framing made by zlib (windowBits 31), as most web servers make it: the client's
// inflating is tested against both.
QByteArray zlibGzipCompress(const QByteArray& data, int level);
// Returns an empty array on malformed input; used by tests.
QByteArray gzipDecompress(const QByteArray& data);

} // namespace ors::fake
