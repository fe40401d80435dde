// The strict-odata flavour (ServerOptions "strict-odata flavour"): paging as the RESO reference
// server and OData 4.01 define it, with every consequence a client must survive. $top limits the
// whole result; pages are server-driven (a default size, or Prefer: odata.maxpagesize up to a
// cap, answered with Preference-Applied and not carried into the nextLink); nextLinks repeat the
// request with $skip and a reduced $top, and each page re-runs the query against the live data,
// so a record changed between pages moves in the order and another can slip past the window.
// Without $orderby the order is by key, as a SQL server reading its primary-key index returns it.
#include "JsonWriter.h"
#include "ResoService.h"

#include <optional>

namespace ors::fake {

namespace {

// odata.maxpagesize from a Prefer header ("odata.maxpagesize=500, return=minimal", the value
// optionally quoted); nothing when absent or not a positive integer, which a server ignores.
std::optional<int> preferredMaxPageSize(const QByteArray& prefer) {
    for (const QByteArray& item : prefer.split(',')) {
        const qsizetype eq = item.indexOf('=');
        if (eq < 0 || item.left(eq).trimmed().toLower() != "odata.maxpagesize")
            continue;
        QByteArray value = item.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2);
        bool ok = false;
        const int n = value.toInt(&ok);
        if (ok && n > 0)
            return n;
    }
    return std::nullopt;
}

// The request's own query with $top and $skip replaced; every other option stays as the client
// encoded it, in its place.
QByteArray skipQuery(const QByteArray& rawQuery, int top, qsizetype skip) {
    QByteArrayList kept;
    for (const QByteArray& part : rawQuery.split('&')) {
        if (part.isEmpty())
            continue;
        const QString name = formDecode(part.left(part.indexOf('=')));
        if (name != QLatin1String("$top") && name != QLatin1String("$skip"))
            kept << part;
    }
    if (top >= 0)
        kept << "$top=" + QByteArray::number(top);
    kept << "$skip=" + QByteArray::number(skip);
    return kept.join('&');
}

} // namespace

HttpResponse ResoService::strictQuery(const EntitySchema& schema, const HttpRequest& request,
                                      const QueryOptions& q) {
    HttpResponse r;
    const int cap = qMax(1, m_options.strictMaxPageSize);
    int pageSize = qBound(1, m_options.strictDefaultPageSize, cap);
    if (const std::optional<int> asked = preferredMaxPageSize(request.header("prefer"))) {
        pageSize = qMin(*asked, cap);
        r.headers.append(header("Preference-Applied", "odata.maxpagesize=" + QByteArray::number(pageSize)));
    }

    const std::vector<Record*> matched = match(schema, q, true);
    const auto total = static_cast<qsizetype>(matched.size());
    const qsizetype begin = qMin<qsizetype>(qMax(0, q.skip), total);
    const qsizetype limit = q.top >= 0 ? qMin(pageSize, q.top) : pageSize;
    const qsizetype end = qMin(total, begin + limit);
    const qsizetype served = end - begin;

    QByteArray& out = r.body;
    out.reserve(served * 8192 + 512);
    beginPage(out, schema, q, total);
    for (qsizetype i = begin; i < end; ++i) {
        if (i > begin)
            out += ',';
        appendRecord(out, schema, *matched[static_cast<size_t>(i)], q);
    }
    out += ']';
    // A full page always gets a nextLink, even when nothing follows it: the server does not look
    // ahead, so a result ending on a page boundary ends with an empty page. A $top used up ends
    // the result without one.
    if (served == pageSize && (q.top < 0 || q.top > served)) {
        const QString origin = m_nextLinkOrigin.isEmpty() ? m_origin : m_nextLinkOrigin;
        const QByteArray next =
            skipQuery(request.query(), q.top < 0 ? -1 : q.top - static_cast<int>(served), begin + served);
        out += ",\"@odata.nextLink\":";
        json::appendString(out, origin + QStringLiteral("/odata/") + schema.name + QLatin1Char('?') +
                                    QString::fromUtf8(next));
    }
    out += '}';
    r.delayMs = expandDelay(q, served) + m_options.pageLatencyMs;
    return r;
}

} // namespace ors::fake
