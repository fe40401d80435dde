#pragma once

#include "Record.h"
#include "Schema.h"

#include <QString>

#include <memory>

namespace ors::fake {

// A $filter expression parsed by recursive descent and type-checked against one entity type.
// Supports and/or/not, parentheses, eq ne gt ge lt le, in (...), has (flag enums); literals:
// strings, numbers, booleans, null, dates, DateTimeOffsets (compared as instants) and
// qualified enum literals. Everything else is rejected with a precise message, as strict
// servers do, so a client that relies on extensions finds out in tests.
//
// textualInstants: a DateTimeOffset field is compared as its stored text
// (yyyy-MM-ddTHH:mm:ss.zzzZ, or the text set by DataStore::setTimestamp) against the literal as
// written, character by character, as a server keeping timestamps in SQLite TEXT columns does:
// `eq 2024-01-01T00:00:00Z` then matches nothing, and `gt 2024-01-01T00:00:00Z` misses
// 2024-01-01T00:00:00.500Z ('.' sorts before 'Z').
class ODataFilter {
public:
    struct Node;

    static std::shared_ptr<const ODataFilter> parse(const QString& text, const EntitySchema& schema,
                                                    QString* error, bool textualInstants = false);
    ~ODataFilter();

    bool matches(const Record& record) const;

private:
    ODataFilter();
    std::unique_ptr<Node> m_root;
};

// Ordering used by $orderby: null first, then by value; <0, 0, >0.
int compareValues(FieldType type, const Value& a, const Value& b);

} // namespace ors::fake
