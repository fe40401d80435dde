// Feeds arbitrary text to the OData URL builder as a user's $filter and a list of keys (the
// pieces a request is made of: one per line): every key must come back out of the "in" list
// literal exactly, the $filter out of the built URL exactly, and the URL must stay on its host.
// A key or filter that could escape its quotes or its query value aborts.
#include "reso/ODataQuery.h"

#include <QUrlQuery>

#include <cstdint>
#include <cstdlib>

namespace {

// The string literals of "Field in ('a','b''c')", unquoted; nullopt when the text is not that.
std::optional<QStringList> literalsOf(const QString& filter, const QString& prefix) {
    if (!filter.startsWith(prefix) || !filter.endsWith(QLatin1Char(')')))
        return std::nullopt;
    QStringList out;
    qsizetype at = prefix.size();
    const qsizetype end = filter.size() - 1;
    while (at < end) {
        if (filter.at(at) != QLatin1Char('\''))
            return std::nullopt;
        QString literal;
        ++at;
        while (true) {
            if (at >= end)
                return std::nullopt;
            if (filter.at(at) == QLatin1Char('\'')) {
                if (at + 1 < end && filter.at(at + 1) == QLatin1Char('\'')) {
                    literal += QLatin1Char('\'');
                    at += 2;
                    continue;
                }
                ++at;
                break;
            }
            literal += filter.at(at++);
        }
        out.append(literal);
        if (at < end) {
            if (filter.at(at) != QLatin1Char(','))
                return std::nullopt;
            ++at;
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
    QStringList parts = text.split(QLatin1Char('\n'));
    const QString user = parts.takeFirst();
    const QString in = ors::odata::keyInFilter(QStringLiteral("ListingKey"), parts);
    if (!parts.isEmpty()) {
        const std::optional<QStringList> keys = literalsOf(in, QStringLiteral("ListingKey in ("));
        if (!keys || *keys != parts)
            std::abort();
    }
    const QString filter = ors::odata::combineFilters(user, in);
    ors::odata::QueryOptions options;
    options.filter = filter;
    options.select = {QStringLiteral("ListingKey"), QStringLiteral("ModificationTimestamp")};
    options.expand = ors::odata::expandClause({{QStringLiteral("Media"), {QStringLiteral("MediaKey")}, {}}});
    options.orderBy = QStringLiteral("ModificationTimestamp asc,ListingKey asc");
    options.top = 100;
    options.count = true;
    const QUrl url =
        ors::odata::buildUrl(QStringLiteral("https://mls.example/odata/Property?replication=true"), options);
    if (!url.isValid() || url.host() != QLatin1String("mls.example") ||
        url.path() != QLatin1String("/odata/Property"))
        std::abort();
    const QUrlQuery query(url);
    // The bytes on the wire, decoded here: QUrl's FullyDecoded turns a noncharacter's (U+BFFFF)
    // correct UTF-8 into U+FFFD, which the server never sees.
    const QByteArray sent = query.queryItemValue(QStringLiteral("$filter"), QUrl::FullyEncoded).toLatin1();
    if (!filter.isEmpty() && QByteArray::fromPercentEncoding(sent) != filter.toUtf8())
        std::abort();
    if (query.queryItemValue(QStringLiteral("replication")) != QLatin1String("true") ||
        query.queryItemValue(QStringLiteral("$top")) != QLatin1String("100"))
        std::abort();
    return 0;
}
