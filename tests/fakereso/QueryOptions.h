#pragma once

#include "ODataFilter.h"
#include "Schema.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace ors::fake {

struct SortKey {
    int field = -1;
    bool descending = false;
};

struct ExpandSpec {
    const NavigationDef* navigation = nullptr;
    const EntitySchema* target = nullptr;
    bool selectAll = true;
    std::vector<int> select;
    std::vector<SortKey> orderBy;
    std::shared_ptr<const ODataFilter> filter;
    int top = -1;
};

struct QueryOptions {
    std::shared_ptr<const ODataFilter> filter;
    bool selectAll = true;
    std::vector<int> select;
    QStringList selectNames;
    std::vector<SortKey> orderBy;
    int top = -1;
    int skip = -1; // only where ParseRules::allowSkip
    bool count = false;
    std::vector<ExpandSpec> expand;
    QString skipToken;
};

// What a flavour accepts beyond the default strict-but-opaque-paging server.
struct ParseRules {
    bool allowSkip = false; // $skip (strict-odata pages with it); otherwise a 400
    // DateTimeOffset comparisons in $filter compare the literal's text with the stored text
    // (ODataFilter::parse), as a server keeping timestamps as SQLite TEXT does.
    bool textualInstants = false;
};

// Splits on '&' and the first '=', then percent-decodes with '+' read as a space, the way
// form-decoding servers do: a client that sends a literal '+' unencoded gets a space.
QList<QPair<QString, QString>> splitQuery(const QByteArray& rawQuery);
QString formDecode(QByteArray text);

std::optional<QueryOptions> parseQueryOptions(const QByteArray& rawQuery, const EntitySchema& schema,
                                              QString* error, const ParseRules& rules = {});

} // namespace ors::fake
