#include "records/Timestamps.h"

#include <QDate>
#include <QRegularExpression>
#include <QTime>
#include <QTimeZone>

#include <cstring>

namespace ors {

using namespace Qt::StringLiterals;

namespace {

bool isDigits(std::string_view s, size_t from, size_t count) {
    if (from + count > s.size())
        return false;
    for (size_t i = from; i < from + count; ++i)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

} // namespace

bool isDate(std::string_view s) {
    if (s.size() != 10 || !isDigits(s, 0, 4) || s[4] != '-' || !isDigits(s, 5, 2) || s[7] != '-' ||
        !isDigits(s, 8, 2))
        return false;
    const auto part = [&](size_t from, size_t count) {
        int value = 0;
        for (size_t i = from; i < from + count; ++i)
            value = value * 10 + (s[i] - '0');
        return value;
    };
    return QDate(part(0, 4), part(5, 2), part(8, 2)).isValid();
}

std::optional<QByteArray> normalizeTimestamp(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)
    if (s.size() < 20 || !isDigits(s, 0, 4) || s[4] != '-' || !isDigits(s, 5, 2) || s[7] != '-' ||
        !isDigits(s, 8, 2) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !isDigits(s, 11, 2) ||
        s[13] != ':' || !isDigits(s, 14, 2) || s[16] != ':' || !isDigits(s, 17, 2))
        return std::nullopt;
    size_t pos = 19;
    char millis[3] = {'0', '0', '0'};
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        size_t digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 3)
                millis[digits] = s[pos];
            ++digits;
            ++pos;
        }
        if (digits == 0)
            return std::nullopt;
    }
    // Text that only looks like an instant ("2024-13-45T…") must not pass: normalized text is
    // compared as bytes (high-water marks, MAX()), where it would sort after every real instant.
    const auto number = [&s](size_t from, size_t count) {
        int n = 0;
        for (size_t i = from; i < from + count; ++i)
            n = n * 10 + (s[i] - '0');
        return n;
    };
    if (!QDate::isValid(number(0, 4), number(5, 2), number(8, 2)) ||
        !QTime::isValid(number(11, 2), number(14, 2), number(17, 2)))
        return std::nullopt;
    // Every timestamp of every record comes here: the UTC form is made in place, in one
    // allocation (appending to a reserved QByteArray cost more than the checks above).
    if (pos + 1 == s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        QByteArray out(24, Qt::Uninitialized);
        char* at = out.data();
        std::memcpy(at, s.data(), 19);
        at[10] = 'T';
        at[19] = '.';
        std::memcpy(at + 20, millis, 3);
        at[23] = 'Z';
        return out;
    }
    if (pos + 6 != s.size() || (s[pos] != '+' && s[pos] != '-') || !isDigits(s, pos + 1, 2) ||
        s[pos + 3] != ':' || !isDigits(s, pos + 4, 2))
        return std::nullopt;
    const QDate date(std::stoi(std::string(s.substr(0, 4))), std::stoi(std::string(s.substr(5, 2))),
                     std::stoi(std::string(s.substr(8, 2))));
    const QTime time(std::stoi(std::string(s.substr(11, 2))), std::stoi(std::string(s.substr(14, 2))),
                     std::stoi(std::string(s.substr(17, 2))));
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    const int sign = s[pos] == '-' ? -1 : 1;
    const int offset = sign * (std::stoi(std::string(s.substr(pos + 1, 2))) * 3600 +
                               std::stoi(std::string(s.substr(pos + 4, 2))) * 60);
    const QDateTime utc = QDateTime(date, time, QTimeZone(offset)).toUTC();
    QByteArray out = utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toLatin1();
    out.append('.');
    out.append(millis, 3);
    out.append('Z');
    return out;
}

QString formatTimestamp(const QDateTime& time) {
    if (!time.isValid())
        return {};
    return time.toUTC().toString(u"yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"_s);
}

std::optional<QDateTime> parseTimestamp(const QString& text) {
    static const QRegularExpression pattern(
        uR"(^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$)"_s);
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const auto number = [&match](int group) { return match.capturedView(group).toInt(); };

    const QDate date(number(1), number(2), number(3));
    // Fractions are truncated, not rounded: rounding .9995 up would move the value into the next second
    // and make a high-water mark newer than the record it came from.
    const QString fraction = match.captured(7).left(3).leftJustified(3, u'0');
    const QTime time(number(4), number(5), match.capturedLength(6) > 0 ? number(6) : 0, fraction.toInt());
    if (!date.isValid() || !time.isValid())
        return std::nullopt;

    int offsetSeconds = 0;
    if (match.capturedLength(8) == 0) {
        const int hours = number(10);
        const int minutes = number(11);
        if (hours > 23 || minutes > 59)
            return std::nullopt;
        offsetSeconds = (hours * 3600 + minutes * 60) * (match.capturedView(9) == u"-"_s ? -1 : 1);
    }
    // The wall-clock time is local to the offset; subtracting the offset gives UTC.
    return QDateTime(date, time, Qt::UTC).addSecs(-offsetSeconds);
}

} // namespace ors
