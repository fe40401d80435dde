#include "ResoService.h"

#include <QUrl>

// The platform rules a flavoured fake server enforces, so each profile of the client is tested
// against a server that fails the way the real platform does when a rule is broken
// (../shared/reference/reso-platforms.md §1).
namespace ors::fake {

namespace {

// MLS Grid accepts parentheses only around "or" groups and "in" lists.
bool hasNeedlessParentheses(const QString& filter) {
    bool quoted = false;
    for (qsizetype i = 0; i < filter.size(); ++i) {
        const QChar c = filter.at(i);
        if (c == QLatin1Char('\'')) {
            quoted = !quoted;
            continue;
        }
        if (quoted || c != QLatin1Char('('))
            continue;
        if (filter.left(i).trimmed().endsWith(QLatin1String(" in")))
            continue;
        int depth = 0;
        bool innerQuoted = false;
        bool hasOr = false;
        for (qsizetype j = i; j < filter.size(); ++j) {
            const QChar d = filter.at(j);
            if (d == QLatin1Char('\''))
                innerQuoted = !innerQuoted;
            else if (!innerQuoted && d == QLatin1Char('('))
                ++depth;
            else if (!innerQuoted && d == QLatin1Char(')') && --depth == 0)
                break;
            else if (!innerQuoted && depth == 1 && filter.mid(j, 4) == QLatin1String(" or "))
                hasOr = true;
        }
        if (!hasOr)
            return true;
    }
    return false;
}

QString rawOption(const QByteArray& rawQuery, const QString& name) {
    for (const auto& [key, value] : splitQuery(rawQuery))
        if (key == name)
            return value;
    return {};
}

} // namespace

std::optional<HttpResponse> ResoService::checkFlavour(const HttpRequest& request, const QueryOptions& q,
                                                      bool replication) const {
    const QByteArray raw = request.query();
    const bool keyOnly = !q.selectAll && q.select.size() == 1;
    auto bad = [](const QString& message) { return error(400, QStringLiteral("BadRequest"), message); };
    switch (m_options.flavour) {
    case Flavour::Generic:
        break;
    case Flavour::Trestle:
        if (q.top > (keyOnly ? 300000 : 1000))
            return bad(QStringLiteral("$top may not exceed %1").arg(keyOnly ? 300000 : 1000));
        break;
    case Flavour::MlsGrid: {
        if (!request.header("accept-encoding").contains("gzip"))
            return bad(QStringLiteral("COMPRESSION REQUIRED"));
        if (!q.skipToken.isEmpty())
            break;
        const QString filter = rawOption(raw, QStringLiteral("$filter"));
        const QString required =
            QStringLiteral("OriginatingSystemName eq '%1'").arg(m_options.originatingSystemName);
        if (filter.count(QLatin1String("OriginatingSystemName")) != 1 || !filter.contains(required))
            return bad(QStringLiteral("Each request must contain a single OriginatingSystemName (%1)")
                           .arg(required));
        if (hasNeedlessParentheses(filter))
            return bad(QStringLiteral("Parentheses are only allowed around or/in groups"));
        if (!q.orderBy.empty())
            return bad(QStringLiteral("$orderby is not supported"));
        const int cap = q.expand.empty() ? 5000 : 1000;
        if (q.top > cap)
            return bad(QStringLiteral("$top may not exceed %1%2")
                           .arg(cap)
                           .arg(q.expand.empty() ? QString() : QStringLiteral(" with $expand")));
        break;
    }
    case Flavour::Bridge:
        if (replication) {
            if (!q.orderBy.empty())
                return bad(QStringLiteral("$orderby is not supported on the replication endpoint"));
            if (q.top > 2000)
                return bad(QStringLiteral("$top may not exceed 2000 on the replication endpoint"));
        } else if (q.top > 200) {
            return bad(QStringLiteral("$top may not exceed 200; use the replication endpoint"));
        }
        break;
    case Flavour::StrictOData:
        // The reference server pages by $skip only; a $skiptoken is an option it does not know.
        if (!q.skipToken.isEmpty())
            return bad(QStringLiteral("Unsupported query option '$skiptoken'; this server pages with $skip"));
        break;
    case Flavour::Spark:
        if (!replication)
            return error(403, QStringLiteral("1021"),
                         QStringLiteral("Replication keys must use the replication endpoint"));
        if (!q.orderBy.empty())
            return bad(QStringLiteral("$orderby is not supported; results are ordered by ListingKey"));
        if (q.top > 1000)
            return bad(QStringLiteral("$top may not exceed 1000"));
        break;
    }
    return std::nullopt;
}

QString ResoService::nextLink(const EntitySchema& schema, bool replication, const QString& token) const {
    QString link = nextLinkPath(schema, replication, token);
    if (!m_echoAccessToken.isEmpty())
        link += QStringLiteral("&access_token=") +
                QString::fromLatin1(QUrl::toPercentEncoding(m_echoAccessToken));
    return link;
}

QString ResoService::nextLinkPath(const EntitySchema& schema, bool replication, const QString& token) const {
    const QString origin = m_nextLinkOrigin.isEmpty() ? m_origin : m_nextLinkOrigin;
    const QString resource = origin + QStringLiteral("/odata/") + schema.name;
    switch (m_options.flavour) {
    case Flavour::Trestle:
        if (replication)
            return resource + QStringLiteral("/replication?id=") + token;
        break;
    case Flavour::Bridge:
        if (replication)
            return resource + QStringLiteral("/replication?$skiptoken=") + token;
        break;
    case Flavour::Spark:
        return origin + QStringLiteral("/replication/odata/") + schema.name + QStringLiteral("?$skiptoken=") +
               token;
    case Flavour::MlsGrid:
    case Flavour::Generic:
    case Flavour::StrictOData: // never asked: strict-odata builds $skip nextLinks (ResoStrict.cpp)
        break;
    }
    return resource + QStringLiteral("?$skiptoken=") + token;
}

} // namespace ors::fake
