#include "reso/OriginPolicy.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ors {

namespace {

bool isHttp(const QUrl& url) {
    const QString scheme = url.scheme().toLower();
    return scheme == QLatin1String("http") || scheme == QLatin1String("https");
}

int defaultPort(const QString& scheme) {
    if (scheme == QLatin1String("https"))
        return 443;
    if (scheme == QLatin1String("http"))
        return 80;
    return -1;
}

// The end (one past the closing quote) of the JSON string starting at `begin` (its opening
// quote), or -1 when the text ends first.
qsizetype jsonStringEnd(const QByteArray& text, qsizetype begin) {
    for (qsizetype i = begin + 1; i < text.size(); ++i) {
        if (text.at(i) == '\\')
            ++i;
        else if (text.at(i) == '"')
            return i + 1;
    }
    return -1;
}

qsizetype skipSpace(const QByteArray& text, qsizetype at) {
    while (at < text.size() &&
           (text.at(at) == ' ' || text.at(at) == '\t' || text.at(at) == '\n' || text.at(at) == '\r'))
        ++at;
    return at;
}

} // namespace

Origin Origin::of(const QUrl& url) {
    Origin origin;
    origin.scheme = url.scheme().toLower();
    origin.host = url.host().toLower();
    origin.port = url.port(defaultPort(origin.scheme));
    return origin;
}

QString Origin::text() const {
    QString out = scheme + QStringLiteral("://") +
                  (host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host);
    if (port != defaultPort(scheme))
        out += QLatin1Char(':') + QString::number(port);
    return out;
}

void OriginPolicy::addConfiguredUrl(const QString& url) {
    const QUrl parsed(url);
    if (url.isEmpty() || !isHttp(parsed) || parsed.host().isEmpty())
        return;
    const Origin origin = Origin::of(parsed);
    if (!m_configured.contains(origin))
        m_configured.append(origin);
}

void OriginPolicy::setAllowedHosts(const QStringList& hosts) {
    m_allowedHosts.clear();
    for (const QString& host : hosts)
        m_allowedHosts.append(host.toLower());
}

bool OriginPolicy::isConfigured(const QUrl& url) const {
    return isHttp(url) && m_configured.contains(Origin::of(url));
}

bool OriginPolicy::isAllowedHost(const QUrl& url) const {
    return isHttp(url) && m_allowedHosts.contains(url.host().toLower());
}

bool OriginPolicy::isDowngrade(const QUrl& from, const QUrl& to) {
    return from.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 &&
           to.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) == 0;
}

Expected<QUrl> OriginPolicy::followNextLink(const QUrl& page, const QString& nextLink) const {
    QUrl next = QUrl::fromEncoded(nextLink.toUtf8());
    if (next.isRelative())
        next = page.resolved(next);
    next = withoutAccessToken(next);
    const QString from = Origin::of(page).text();
    if (!next.isValid() || !isHttp(next) || next.host().isEmpty())
        return makeError(QStringLiteral("the @odata.nextLink of a page from %1 is not an http(s) URL; "
                                        "the download stops there")
                             .arg(from));
    const QString to = Origin::of(next).text();
    // A listed host is the user saying it belongs to the MLS, whatever its scheme or port.
    if (isAllowedHost(next))
        return next;
    if (isDowngrade(page, next))
        return makeError(QStringLiteral("the @odata.nextLink of a page from %1 leads to %2, from https to "
                                        "plain http; it is not followed, so the source's credentials do not "
                                        "travel unencrypted (if that host belongs to the MLS, list it in %3)")
                             .arg(from, to, m_allowedHostsKey));
    if (Origin::of(next) != Origin::of(page) && !isConfigured(next))
        return makeError(QStringLiteral("the @odata.nextLink of a page from %1 leads to %2, another origin; "
                                        "it is not followed, so the source's credentials do not go there "
                                        "(if that host belongs to the MLS, list it in %3)")
                             .arg(from, to, m_allowedHostsKey));
    return next;
}

QUrl OriginPolicy::withoutAccessToken(const QUrl& url) {
    if (!url.hasQuery())
        return url;
    // Item by item on the encoded query: a round trip through QUrlQuery could re-encode the
    // other parameters ($filter literals) differently from how the server wrote them.
    const QString query = url.query(QUrl::FullyEncoded);
    QStringList kept;
    bool removed = false;
    for (const QString& item : query.split(QLatin1Char('&'))) {
        const QString name = QUrl::fromPercentEncoding(item.section(QLatin1Char('='), 0, 0).toUtf8());
        if (name.compare(QLatin1String("access_token"), Qt::CaseInsensitive) == 0)
            removed = true;
        else
            kept.append(item);
    }
    if (!removed)
        return url;
    QUrl out = url;
    if (kept.isEmpty())
        out.setQuery(QString());
    else
        out.setQuery(kept.join(QLatin1Char('&')), QUrl::StrictMode);
    return out;
}

QByteArray OriginPolicy::withoutAccessTokenInNextLinks(const QByteArray& body) {
    static const QByteArray key = QByteArrayLiteral("\"@odata.nextLink\"");
    QByteArray out = body;
    qsizetype from = 0;
    // Inside a JSON string the key's quotes would be escaped, so a match is a real key.
    for (qsizetype at = out.indexOf(key, from); at >= 0; at = out.indexOf(key, from)) {
        qsizetype colon = skipSpace(out, at + key.size());
        from = at + key.size();
        if (colon >= out.size() || out.at(colon) != ':')
            continue;
        const qsizetype begin = skipSpace(out, colon + 1);
        if (begin >= out.size() || out.at(begin) != '"')
            continue;
        const qsizetype end = jsonStringEnd(out, begin);
        if (end < 0)
            break;
        const QByteArray raw = out.mid(begin, end - begin);
        const QString link = QJsonDocument::fromJson('[' + raw + ']').array().at(0).toString();
        const QUrl stripped = withoutAccessToken(QUrl::fromEncoded(link.toUtf8()));
        if (stripped == QUrl::fromEncoded(link.toUtf8())) {
            from = end;
            continue;
        }
        QByteArray encoded =
            QJsonDocument(QJsonArray{QString::fromUtf8(stripped.toEncoded())}).toJson(QJsonDocument::Compact);
        encoded = encoded.mid(1, encoded.size() - 2); // the string without the array's brackets
        out.replace(begin, end - begin, encoded);
        from = begin + encoded.size();
    }
    return out;
}

} // namespace ors
