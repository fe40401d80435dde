#include "reso/GzipBody.h"

#include <QString>

#include <libdeflate.h>

#include <algorithm>
#include <memory>

namespace ors {

namespace {

constexpr qint64 kBombFloor = qint64(10) << 20;
constexpr qint64 kBombRatio = 40;
constexpr qsizetype kGzipOverhead = 18; // the smallest member: a 10-byte header and an 8-byte trailer
constexpr qsizetype kReadPadding = 64;  // simdjson::SIMDJSON_PADDING

struct FreeDecompressor {
    void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

} // namespace

GzipBody GzipBody::inflate(QByteArrayView compressed, qint64 limit) {
    GzipBody result;
    if (compressed.size() < kGzipOverhead)
        return result;
    // What may be allocated: the caller's limit, and no more than the ratio allows past its floor.
    const qint64 ratioCap = std::max(kBombFloor, kBombRatio * qint64(compressed.size()));
    const qint64 cap = std::min(limit, ratioCap);
    const auto exceeded = [&] {
        result.body.clear();
        result.outcome = cap == limit ? Outcome::TooLarge : Outcome::Bomb;
        return result;
    };
    const auto corrupt = [&] {
        result.body.clear();
        result.outcome = Outcome::Corrupt;
        return result;
    };
    std::unique_ptr<libdeflate_decompressor, FreeDecompressor> decompressor(libdeflate_alloc_decompressor());
    if (!decompressor)
        return corrupt();
    // The last member's trailer ends with its size modulo 2^32: the whole size for the usual
    // single member, a first guess otherwise. A stream that lies about it fails below.
    const auto* tail = reinterpret_cast<const unsigned char*>(compressed.data() + compressed.size() - 4);
    const qint64 announced =
        qint64(tail[0]) | qint64(tail[1]) << 8 | qint64(tail[2]) << 16 | qint64(tail[3]) << 24;
    // Only a guess: a stream cut off ends in arbitrary bytes, and is refused as corrupt when its
    // data runs out, not as too large for what its last bytes seem to say.
    const qint64 guess = announced <= cap ? announced : 8 * qint64(compressed.size());
    const auto initial = qsizetype(std::clamp<qint64>(guess, std::min<qint64>(4096, cap), cap));
    // Room behind the body for what a JSON reader may read past its end (pagejson reads a page
    // where it is when it has simdjson's 64 bytes), so the page is never copied to get it.
    result.body.reserve(initial + kReadPadding);
    result.body.resize(initial);
    qsizetype written = 0;
    qsizetype read = 0;
    while (read < compressed.size()) {
        const auto* at = reinterpret_cast<const unsigned char*>(compressed.data() + read);
        // What follows the last member and is no member (zero padding some servers send) is
        // ignored, as zlib-based clients do.
        if (read > 0 && (compressed.size() - read < 2 || at[0] != 0x1f || at[1] != 0x8b))
            break;
        if (compressed.size() - read < kGzipOverhead)
            return corrupt();
        size_t in = 0;
        size_t out = 0;
        const libdeflate_result status = libdeflate_gzip_decompress_ex(
            decompressor.get(), compressed.data() + read, size_t(compressed.size() - read),
            result.body.data() + written, size_t(result.body.size() - written), &in, &out);
        if (status == LIBDEFLATE_INSUFFICIENT_SPACE) {
            // Another member, or a trailer that understates: more room, up to the cap.
            if (result.body.size() >= cap)
                return exceeded();
            result.body.resize(qsizetype(std::min<qint64>(cap, 2 * qint64(result.body.size()))));
            continue;
        }
        if (status != LIBDEFLATE_SUCCESS)
            return corrupt();
        read += qsizetype(in);
        written += qsizetype(out);
    }
    result.body.resize(written);
    result.outcome = Outcome::Inflated;
    return result;
}

QString GzipBody::describe(Outcome outcome, qint64 compressedBytes) {
    switch (outcome) {
    case Outcome::Inflated:
        return {};
    case Outcome::TooLarge:
        return QStringLiteral("it inflates past the size limit");
    case Outcome::Bomb:
        return QStringLiteral("its %1 bytes of gzip inflate to more than %2 times as much (over %3 MB), "
                              "which no page does")
            .arg(compressedBytes)
            .arg(kBombRatio)
            .arg(kBombFloor >> 20);
    case Outcome::Corrupt:
        return QStringLiteral("the gzip data is corrupt or cut off");
    }
    return {};
}

} // namespace ors
