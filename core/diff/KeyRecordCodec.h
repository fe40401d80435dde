#pragma once

#include "diff/KeyRecord.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace ors {

// The compact binary form of a KeyRecord, used for the sorter's in-memory buffer and its spill
// files (so a run is written with one memcpy per record):
//   u32 little-endian key length, key bytes,
//   then per timestamp one byte: 0xFF for null, else its length (0..254), followed by its bytes.
// A normalized 20-character key with one timestamp takes 51 bytes instead of the ~200 bytes of
// heap a KeyRecord with three QByteArrays costs, so a memory budget holds four times more keys.
class KeyRecordCodec {
public:
    static constexpr quint8 NullTimestamp = 0xFF;
    static constexpr qsizetype MaxTimestampBytes = 254;
    static constexpr qsizetype MaxKeyBytes = 0x7FFFFFFF;

    enum class Status { Ok, NeedMore };

    // The encoded size, or an Error naming the key when a timestamp or the key is too long.
    static Expected<qsizetype> encodedSize(const KeyRecord& record);
    // Writes exactly encodedSize(record) bytes to `out`.
    static void encode(const KeyRecord& record, char* out);

    // How many bytes the record starting at data[0..available) takes; NeedMore if it is cut off.
    static Status measure(const char* data, qsizetype available, qsizetype* size);
    // Decodes a record already known complete (measure() said Ok).
    static KeyRecord decode(const char* record);

    // Views into a complete encoded record, without allocating.
    static QByteArrayView keyOf(const char* record);
    static std::optional<QByteArrayView> timestampOf(const char* record, int index);
};

} // namespace ors
