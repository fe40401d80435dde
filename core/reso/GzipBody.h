#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace ors {

// The body of an answer that came with Content-Encoding: gzip, inflated by libdeflate. HttpClient
// asks for gzip itself instead of letting Qt do it, because Qt then inflates every page through
// zlib on the job's thread: a third of the sync's own CPU time. libdeflate inflates in one call
// into a buffer of the size the stream's trailer gives, at two to three times zlib's speed.
struct GzipBody {
    enum class Outcome {
        Inflated,
        TooLarge, // more than the caller's limit (the source's maxPageMegabytes)
        Bomb,     // past 10 MB, more than 40 times its compressed size: Qt's rule, kept
        Corrupt,  // not a gzip stream, or one that is cut off or fails its checksum
    };
    Outcome outcome = Outcome::Corrupt;
    QByteArray body;

    // Inflates every member of `compressed`; at most `limit` bytes are ever allocated.
    static GzipBody inflate(QByteArrayView compressed, qint64 limit);
    // How the outcome reads in an error message ("Decompression failed: ...").
    static QString describe(Outcome outcome, qint64 compressedBytes);
};

} // namespace ors
