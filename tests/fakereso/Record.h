#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <variant>
#include <vector>

namespace ors::fake {

// Decimals keep their exact text: the point of the high-precision fields is that a client
// must not round them through a double. The double is only for $filter and $orderby.
struct DecimalValue {
    QString text;
    double approx = 0.0;
};

// Meaning of qint64 depends on the field type: integer, milliseconds since the epoch
// (DateTimeOffset) or Julian day (Date). QStringList holds collections and flag enums.
using Value = std::variant<std::monostate, bool, qint64, DecimalValue, QString, QStringList>;

struct Record {
    QString key;
    std::vector<Value> values;
    bool escapeNonAscii = false; // some records are sent with \uXXXX escapes, as some servers do
    QByteArray json;             // the full serialization; empty when stale
    // Field index -> JSON text sent instead of the value, for a server sending what its schema
    // does not allow (e.g. a DateTimeOffset that is no date). Filters still see `values`.
    std::vector<std::pair<int, QByteArray>> rawJson;
};

using RecordPtr = std::shared_ptr<Record>;

inline bool isNull(const Value& v) {
    return std::holds_alternative<std::monostate>(v);
}

} // namespace ors::fake
