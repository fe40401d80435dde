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
class ODataFilter {
public:
    struct Node;

    static std::shared_ptr<const ODataFilter> parse(const QString& text, const EntitySchema& schema,
                                                    QString* error);
    ~ODataFilter();

    bool matches(const Record& record) const;

private:
    ODataFilter();
    std::unique_ptr<Node> m_root;
};

// Ordering used by $orderby: null first, then by value; <0, 0, >0.
int compareValues(FieldType type, const Value& a, const Value& b);

} // namespace ors::fake
