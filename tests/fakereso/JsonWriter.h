#pragma once

#include "Record.h"
#include "Schema.h"

#include <QByteArray>

namespace ors::fake {

// Hand-written JSON output: QJsonDocument cannot emit a 28-digit decimal or an Int64 above
// 2^53 exactly, and per-record caching wants plain bytes anyway.
namespace json {

void appendString(QByteArray& out, const QString& s, bool escapeNonAscii = false);
void appendValue(QByteArray& out, const FieldDef& field, const Value& value, bool escapeNonAscii);
// selected == nullptr: every field, in schema order.
QByteArray serialize(const EntitySchema& schema, const Record& record,
                     const std::vector<int>* selected = nullptr);

void appendInstant(QByteArray& out, qint64 msecsSinceEpoch); // 2024-05-01T10:00:00.123Z
QString formatInstant(qint64 msecsSinceEpoch);
QString formatDate(qint64 julianDay);

} // namespace json
} // namespace ors::fake
