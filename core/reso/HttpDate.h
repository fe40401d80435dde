#pragma once

#include <QByteArrayView>
#include <QDateTime>

#include <optional>

namespace ors {

// The HTTP Date header (RFC 7231 §7.1.1.1). Only the IMF-fixdate form every current server
// sends is accepted ("Sun, 06 Nov 1994 08:49:37 GMT"), and strictly: a download's start time
// bounds the high-water mark, so a header that is not unambiguously one instant is ignored.
class HttpDate {
public:
    // The instant in UTC, or nullopt when the text is not an exact IMF-fixdate (wrong shape,
    // an impossible date or time, a weekday that does not match the date, a zone other than GMT).
    static std::optional<QDateTime> parse(QByteArrayView text);
};

} // namespace ors
