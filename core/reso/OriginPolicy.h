#pragma once

#include "util/Expected.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace ors {

// Scheme, host and port of a URL: what decides whether two URLs are the same server.
struct Origin {
    QString scheme; // lower case
    QString host;   // lower case, as QUrl normalises it
    int port = -1;  // the scheme's default port when the URL names none

    static Origin of(const QUrl& url);
    bool operator==(const Origin& other) const = default;
    // "https://api.example.com", with ":port" only when it is not the scheme's default.
    QString text() const;
};

// Where a source's credentials (the Authorization header, the access_token query parameter)
// may go, and which URLs a download may follow there. The configured URLs (service, $metadata,
// replication, token) mark origins that receive credentials; hosts the user lists in the
// source's `allowedHosts` receive them too, on any scheme and port. A nextLink must stay on
// such an origin and never fall from https to plain http, unless its host is listed.
class OriginPolicy {
public:
    void addConfiguredUrl(const QString& url);
    void setAllowedHosts(const QStringList& hosts); // host names as validated, lower case
    // Names the configuration key in refusals, e.g. `allowedHosts of source "mls"`.
    void setAllowedHostsKey(const QString& keyText) { m_allowedHostsKey = keyText; }

    bool isConfigured(const QUrl& url) const;
    bool isAllowedHost(const QUrl& url) const;
    bool mayReceiveCredentials(const QUrl& url) const { return isConfigured(url) || isAllowedHost(url); }

    // The URL a page's @odata.nextLink leads to (resolved against the page's URL), without any
    // access_token; an error naming both origins when the link leaves for an origin without
    // the user's consent or from https to http.
    Expected<QUrl> followNextLink(const QUrl& page, const QString& nextLink) const;

    static bool isDowngrade(const QUrl& from, const QUrl& to); // https -> http
    static QUrl withoutAccessToken(const QUrl& url);
    // A page's JSON with the access_token taken out of every "@odata.nextLink", so a page file
    // never holds a credential some servers (Bridge) echo into their links.
    static QByteArray withoutAccessTokenInNextLinks(const QByteArray& body);

private:
    QList<Origin> m_configured;
    QStringList m_allowedHosts;
    QString m_allowedHostsKey = QStringLiteral("the source's allowedHosts");
};

} // namespace ors
