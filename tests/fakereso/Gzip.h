#pragma once

#include <QByteArray>

namespace ors::fake {

// gzip framing (zlib windowBits 31). Level 1: a page of 1,000 listings is megabytes and
// the server must not become the bottleneck of a sync benchmark.
QByteArray gzipCompress(const QByteArray& data, int level = 1);
// Returns an empty array on malformed input; used by tests.
QByteArray gzipDecompress(const QByteArray& data);

} // namespace ors::fake
