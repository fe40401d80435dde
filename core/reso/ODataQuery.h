#pragma once

#include "records/Timestamps.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>
#include <utility>

// Building blocks for OData v4 request URLs. Everything that ends up inside a literal or a query value
// goes through here so that quoting and percent-encoding are done in exactly one place.
namespace ors::odata {

// An OData string literal: wrapped in single quotes, embedded quotes doubled ('O''Brien').
QString quoteString(const QString& value);

// Timestamps in filters have the form the destinations store (records/Timestamps.h).
using ors::formatTimestamp;
using ors::parseTimestamp;

struct ExpandSpec {
    QString name; // navigation property, e.g. "Media" or "ListAgent"
    QStringList select;
    QList<ExpandSpec> expand;
};

// Media($select=MediaKey,MediaURL;$expand=X),ListAgent: nested options are separated by ';'.
QString expandClause(const QList<ExpandSpec>& specs);

struct QueryOptions {
    QString filter;
    QStringList select;
    QString expand; // usually from expandClause()
    QString orderBy;
    std::optional<int> top;
    bool count = false;
    QList<std::pair<QString, QString>> extra; // appended after the system query options, in order
};

// resourceUrl may already carry a query (e.g. ?replication=true); it is kept. Every value is
// percent-encoded except RFC 3986 unreserved characters, so '+', '&', '#', ';' and '%' survive both
// OData servers and form decoders.
QUrl buildUrl(const QString& resourceUrl, const QueryOptions& options);

// A key as a literal: quoted, or as it is for integer keys (e.g. ListingKeyNumeric).
QString keyLiteral(const QString& key, bool numeric);

// ListingKey in ('a','b''c'). Empty when keys is empty, since "in ()" is not valid OData.
QString keyInFilter(const QString& keyField, const QStringList& keys, bool numeric = false);

// ListingKey eq 'a' or ListingKey eq 'b', for servers without the "in" operator. Empty for no keys.
QString keyEqOrFilter(const QString& keyField, const QStringList& keys, bool numeric = false);

// (<user>) and <extra> when the user filter is non-empty; otherwise extra alone.
QString combineFilters(const QString& userFilter, const QString& extra);

} // namespace ors::odata
