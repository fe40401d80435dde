#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>
#include <string_view>

// Instants as the destinations store and compare them: UTC, milliseconds, "Z".
namespace ors {

// A valid calendar date as YYYY-MM-DD (Edm.Date), nothing else.
bool isDate(std::string_view text);

// "2024-05-01T12:00:00.1234+02:00" -> "2024-05-01T10:00:00.123Z"; nullopt if not a timestamp.
std::optional<QByteArray> normalizeTimestamp(std::string_view text);

// UTC ISO-8601 with milliseconds and "Z", e.g. 2024-05-01T10:00:00.123Z. Empty for an invalid time.
QString formatTimestamp(const QDateTime& time);

// Accepts "Z" or ±hh:mm offsets, optional seconds and 1-9 fractional digits (truncated to
// milliseconds). The result is in UTC.
std::optional<QDateTime> parseTimestamp(const QString& text);

} // namespace ors
