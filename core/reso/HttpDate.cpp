#include "reso/HttpDate.h"

#include <array>

namespace ors {

namespace {

constexpr std::array<const char*, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<int> digits(QByteArrayView text, qsizetype from, qsizetype count) {
    int value = 0;
    for (qsizetype i = from; i < from + count; ++i) {
        const char c = text.at(i);
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

template <size_t N>
int indexOf(const std::array<const char*, N>& names, QByteArrayView word) {
    for (size_t i = 0; i < N; ++i)
        if (word == QByteArrayView(names[i]))
            return int(i);
    return -1;
}

} // namespace

std::optional<QDateTime> HttpDate::parse(QByteArrayView text) {
    // IMF-fixdate = day-name "," SP 2DIGIT SP month SP 4DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT SP "GMT"
    if (text.size() != 29 || text.at(3) != ',' || text.at(4) != ' ' || text.at(7) != ' ' ||
        text.at(11) != ' ' || text.at(16) != ' ' || text.at(19) != ':' || text.at(22) != ':' ||
        text.at(25) != ' ' || text.sliced(26) != QByteArrayView("GMT"))
        return std::nullopt;
    const int weekday = indexOf(kDays, text.sliced(0, 3));
    const int month = indexOf(kMonths, text.sliced(8, 3));
    const auto day = digits(text, 5, 2);
    const auto year = digits(text, 12, 4);
    const auto hour = digits(text, 17, 2);
    const auto minute = digits(text, 20, 2);
    const auto second = digits(text, 23, 2);
    if (weekday < 0 || month < 0 || !day || !year || !hour || !minute || !second)
        return std::nullopt;
    const QDate date(*year, month + 1, *day);
    const QTime time(*hour, *minute, *second);
    if (!date.isValid() || !time.isValid() || date.dayOfWeek() != weekday + 1)
        return std::nullopt;
    return QDateTime(date, time, Qt::UTC);
}

} // namespace ors
