#include "diff/KeyRecord.h"

#include <algorithm>
#include <cstring>

namespace ors {

namespace {

bool digitsAt(QByteArrayView s, qsizetype pos, qsizetype count, int* value) {
    if (pos + count > s.size())
        return false;
    int v = 0;
    for (qsizetype i = pos; i < pos + count; ++i) {
        const char c = s[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *value = v;
    return true;
}

// Days from 1970-01-01 to a proleptic Gregorian date (the usual era-based civil calendar formula),
// so parsing needs no QDateTime and no time zone database.
qint64 daysFromCivil(int year, int month, int day) {
    year -= month <= 2 ? 1 : 0;
    const qint64 era = (year >= 0 ? year : year - 399) / 400;
    const qint64 yearOfEra = year - era * 400;
    const qint64 dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const qint64 dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

int daysInMonth(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

} // namespace

KeyRecord::KeyRecord(QByteArray key, std::optional<QByteArray> first, std::optional<QByteArray> second)
    : key(std::move(key))
    , timestamps{std::move(first), std::move(second)} {}

std::optional<QByteArrayView> KeyRecord::timestampView(int index) const {
    const std::optional<QByteArray>& value = timestamps.at(size_t(index));
    if (!value)
        return std::nullopt;
    return QByteArrayView(*value);
}

int KeyRecord::compareKeys(QByteArrayView a, QByteArrayView b) {
    const qsizetype common = std::min(a.size(), b.size());
    // memcmp compares as unsigned char: UTF-8 byte order, which is also code point order.
    const int c = common > 0 ? std::memcmp(a.data(), b.data(), size_t(common)) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

int KeyRecord::compareTimestamps(std::optional<QByteArrayView> a, std::optional<QByteArrayView> b) {
    if (!a || !b)
        return a ? 1 : (b ? -1 : 0);
    if (*a == *b)
        return 0;
    const std::optional<qint64> ma = timestampMsecs(*a);
    const std::optional<qint64> mb = timestampMsecs(*b);
    if (ma && mb)
        return *ma < *mb ? -1 : (*ma > *mb ? 1 : 0);
    return compareKeys(*a, *b);
}

std::optional<qint64> KeyRecord::timestampMsecs(QByteArrayView s) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (s.size() < 20 || !digitsAt(s, 0, 4, &year) || s[4] != '-' || !digitsAt(s, 5, 2, &month) ||
        s[7] != '-' || !digitsAt(s, 8, 2, &day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !digitsAt(s, 11, 2, &hour) || s[13] != ':' || !digitsAt(s, 14, 2, &minute) || s[16] != ':' ||
        !digitsAt(s, 17, 2, &second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 ||
        second > 59)
        return std::nullopt;
    qsizetype pos = 19;
    int millis = 0;
    if (s[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 3)
                millis = millis * 10 + (s[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0)
            return std::nullopt;
        for (int i = digits; i < 3; ++i)
            millis *= 10;
    }
    qint64 offsetMinutes = 0;
    if (pos + 1 == s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        // UTC
    } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
        int oh = 0, om = 0;
        if (!digitsAt(s, pos + 1, 2, &oh) || !digitsAt(s, pos + 4, 2, &om) || oh > 23 || om > 59)
            return std::nullopt;
        offsetMinutes = (s[pos] == '+' ? 1 : -1) * qint64(oh * 60 + om);
    } else {
        return std::nullopt;
    }
    const qint64 seconds =
        daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
    return seconds * 1000 + millis;
}

bool KeyRecord::secondIsNewer(const KeyRecord& a, const KeyRecord& b) {
    for (int i = 0; i < TimestampCount; ++i) {
        const int c = compareTimestamps(a.timestampView(i), b.timestampView(i));
        if (c != 0)
            return c < 0;
    }
    return false;
}

QString KeyRecord::displayKey(QByteArrayView key) {
    constexpr qsizetype limit = 120;
    QString text = QString::fromUtf8(key);
    if (text.size() > limit) {
        text.truncate(limit);
        text.append(QChar(0x2026));
    }
    return text;
}

} // namespace ors
