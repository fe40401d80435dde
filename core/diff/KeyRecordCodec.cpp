#include "diff/KeyRecordCodec.h"

#include <QtEndian>

#include <cstring>

namespace ors {

namespace {

quint32 readLength(const char* p) {
    return qFromLittleEndian<quint32>(p);
}

} // namespace

Expected<qsizetype> KeyRecordCodec::encodedSize(const KeyRecord& record) {
    if (record.key.size() > MaxKeyBytes)
        return makeError(QStringLiteral("key of %1 bytes is too long to sort").arg(record.key.size()));
    qsizetype size = 4 + record.key.size();
    for (const std::optional<QByteArray>& t : record.timestamps) {
        size += 1;
        if (!t)
            continue;
        if (t->size() > MaxTimestampBytes)
            return makeError(QStringLiteral("key '%1': timestamp of %2 bytes is longer than %3 bytes")
                                 .arg(KeyRecord::displayKey(record.key))
                                 .arg(t->size())
                                 .arg(MaxTimestampBytes));
        size += t->size();
    }
    return size;
}

void KeyRecordCodec::encode(const KeyRecord& record, char* out) {
    qToLittleEndian<quint32>(quint32(record.key.size()), out);
    out += 4;
    if (!record.key.isEmpty())
        std::memcpy(out, record.key.constData(), size_t(record.key.size()));
    out += record.key.size();
    for (const std::optional<QByteArray>& t : record.timestamps) {
        if (!t) {
            *out++ = char(NullTimestamp);
            continue;
        }
        *out++ = char(quint8(t->size()));
        if (!t->isEmpty())
            std::memcpy(out, t->constData(), size_t(t->size()));
        out += t->size();
    }
}

KeyRecordCodec::Status KeyRecordCodec::measure(const char* data, qsizetype available, qsizetype* size) {
    if (available < 4)
        return Status::NeedMore;
    qsizetype pos = 4 + qsizetype(readLength(data));
    for (int i = 0; i < KeyRecord::TimestampCount; ++i) {
        if (pos >= available)
            return Status::NeedMore;
        const quint8 length = quint8(data[pos]);
        pos += 1 + (length == NullTimestamp ? 0 : length);
    }
    if (pos > available)
        return Status::NeedMore;
    *size = pos;
    return Status::Ok;
}

KeyRecord KeyRecordCodec::decode(const char* record) {
    KeyRecord result;
    const QByteArrayView key = keyOf(record);
    result.key = key.toByteArray();
    for (int i = 0; i < KeyRecord::TimestampCount; ++i) {
        if (const std::optional<QByteArrayView> t = timestampOf(record, i))
            result.timestamps[size_t(i)] = t->toByteArray();
    }
    return result;
}

QByteArrayView KeyRecordCodec::keyOf(const char* record) {
    return QByteArrayView(record + 4, qsizetype(readLength(record)));
}

std::optional<QByteArrayView> KeyRecordCodec::timestampOf(const char* record, int index) {
    qsizetype pos = 4 + qsizetype(readLength(record));
    for (int i = 0;; ++i) {
        const quint8 length = quint8(record[pos]);
        if (i == index) {
            if (length == NullTimestamp)
                return std::nullopt;
            return QByteArrayView(record + pos + 1, qsizetype(length));
        }
        pos += 1 + (length == NullTimestamp ? 0 : length);
    }
}

} // namespace ors
