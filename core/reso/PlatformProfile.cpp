#include "reso/PlatformProfile.h"

#include "reso/ODataQuery.h"

#include <QUrl>

namespace ors {

namespace {
QString trimmedBase(QString base) {
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base;
}
} // namespace

// Figures from ../shared/reference/reso-platforms.md, each with its source there.
PlatformProfile PlatformProfile::defaults(Platform platform) {
    PlatformProfile p;
    p.platform = platform;
    switch (platform) {
    case Platform::Trestle:
        p.replication = ReplicationStyle::QueryParameter;
        p.maxPageSize = p.maxPageSizeWithExpand = p.maxPlainPageSize = 1000;
        p.maxKeyPageSize = 300000;
        p.keyCapNeedsKeyOnly = true;
        p.topIsPageSize = true;
        p.rateLimit.perMinute = 180;
        p.rateLimit.perHour = 7200;
        p.excludeFields = {QStringLiteral("X_*")};
        break;
    case Platform::MlsGrid:
        p.maxPageSize = p.maxPlainPageSize = 5000;
        p.maxPageSizeWithExpand = 1000;
        p.maxKeyPageSize = 5000;
        p.topIsPageSize = true;
        p.orderBy = false;
        p.skip = false;
        p.mlgCanView = true;
        p.flatFilters = true;
        p.keyFields = {{QStringLiteral("Property"), QStringLiteral("ListingId")}};
        // MLS Grid requires gzip; HttpClient asks every server for it (GzipBody).
        p.rateLimit.perSecond = 2;
        p.rateLimit.perHour = 7200;
        p.rateLimit.perDay = 40000;
        p.rateLimit.bytesPerHour = qint64(4) * 1000 * 1000 * 1000;
        break;
    case Platform::Bridge:
        p.replication = ReplicationStyle::PathSuffix;
        p.maxPageSize = p.maxPageSizeWithExpand = p.maxKeyPageSize = 2000;
        p.maxPlainPageSize = 200;
        // Bridge's announcement says $top is now a total with the maxpagesize header as the page
        // size on the normal endpoint; its replication endpoint, which sync uses, documents $top
        // up to 2000 as the page size.
        p.topIsPageSize = true;
        p.orderBy = false;
        p.skip = false;
        p.count = false;
        p.maxUrlLength = 5000;
        p.rateLimit.perMinute = 334;
        p.rateLimit.perHour = 5000;
        break;
    case Platform::Spark:
        p.maxPageSize = p.maxPageSizeWithExpand = p.maxKeyPageSize = p.maxPlainPageSize = 1000;
        p.orderBy = false; // the replication host orders by ListingKey itself
        p.skip = false;
        p.topIsPageSize = true;
        p.overlapSeconds = 20 * 60;
        break;
    case Platform::Generic:
        p.maxKeyPageSize = 5000;
        break;
    }
    return p;
}

PlatformProfile PlatformProfile::forSource(const SourceConfig& source) {
    PlatformProfile p = defaults(source.platform);
    const ProfileOverrides& o = source.profile;
    p.originatingSystemName = source.originatingSystemName;
    if (o.replication)
        p.replication = *o.replication;
    if (!o.replicationUrl.isEmpty())
        p.replicationUrl = o.replicationUrl;
    else if (source.platform == Platform::Spark) {
        // Replication keys only work on the replication host (error 1021 elsewhere).
        QUrl url(source.serviceUrl);
        if (url.host() == QLatin1String("sparkapi.com") || url.host() == QLatin1String("www.sparkapi.com")) {
            url.setHost(QStringLiteral("replication.sparkapi.com"));
            p.replicationUrl = url.toString();
        }
    }
    if (o.maxPageSize)
        p.maxPageSize = p.maxPlainPageSize = *o.maxPageSize;
    if (o.maxPageSizeWithExpand)
        p.maxPageSizeWithExpand = *o.maxPageSizeWithExpand;
    if (o.maxKeyPageSize)
        p.maxKeyPageSize = *o.maxKeyPageSize;
    if (o.orderBy)
        p.orderBy = *o.orderBy;
    if (o.topIsPageSize)
        p.topIsPageSize = *o.topIsPageSize;
    if (o.count)
        p.count = *o.count;
    if (o.mlgCanView)
        p.mlgCanView = *o.mlgCanView;
    if (o.keyListStyle)
        p.keyListStyle = *o.keyListStyle;
    if (o.maxUrlLength)
        p.maxUrlLength = *o.maxUrlLength;
    if (o.overlapSeconds)
        p.overlapSeconds = *o.overlapSeconds;
    if (o.excludeFields)
        p.excludeFields = *o.excludeFields;
    for (const auto& [resource, field] : o.keyFields) {
        // Named in the capture: clang before 16 cannot capture a structured binding by [&].
        p.keyFields.removeIf([&key = resource](const auto& pair) { return pair.first == key; });
        p.keyFields.append({resource, field});
    }
    for (const auto& [name, value] : o.headers) {
        const QByteArray n = name.toLatin1();
        p.headers.removeIf([&](const auto& pair) { return pair.first.compare(n, Qt::CaseInsensitive) == 0; });
        p.headers.append({n, value.toUtf8()});
    }
    const RateLimitConfig& r = source.rateLimit;
    if (r.perSecond)
        p.rateLimit.perSecond = *r.perSecond;
    if (r.perMinute)
        p.rateLimit.perMinute = *r.perMinute;
    if (r.perHour)
        p.rateLimit.perHour = *r.perHour;
    if (r.perDay)
        p.rateLimit.perDay = *r.perDay;
    if (r.bytesPerHour)
        p.rateLimit.bytesPerHour = *r.bytesPerHour;
    return p;
}

QString PlatformProfile::keyFieldFor(const QString& resource) const {
    for (const auto& [name, field] : keyFields)
        if (name == resource)
            return field;
    return {};
}

bool PlatformProfile::excludes(const QString& field) const {
    for (const QString& pattern : excludeFields) {
        if (pattern.endsWith(QLatin1Char('*')) ? field.startsWith(pattern.chopped(1)) : field == pattern)
            return true;
    }
    return false;
}

int PlatformProfile::pageSize(std::optional<int> requested, bool withExpand) const {
    const int cap = withExpand ? maxPageSizeWithExpand : maxPageSize;
    return std::max(1, std::min(requested.value_or(cap), cap));
}

int PlatformProfile::keyPageSize(bool withTimestamps) const {
    // Larger pages save requests (quotas count requests), but a page is held in memory while
    // it is checked; 100,000 keys is a few megabytes.
    const int cap =
        withTimestamps && keyCapNeedsKeyOnly ? std::min(maxKeyPageSize, maxPageSize) : maxKeyPageSize;
    return std::max(1, std::min(cap, 100000));
}

QString PlatformProfile::plainResourceUrl(const QString& serviceUrl, const QString& resource) const {
    return trimmedBase(replicationUrl.isEmpty() ? serviceUrl : replicationUrl) + QLatin1Char('/') + resource;
}

QString PlatformProfile::replicationResourceUrl(const QString& serviceUrl, const QString& resource) const {
    QString url = plainResourceUrl(serviceUrl, resource);
    switch (replication) {
    case ReplicationStyle::Plain:
        return url;
    case ReplicationStyle::QueryParameter:
        return url + QStringLiteral("?replication=true");
    case ReplicationStyle::PathSuffix:
        return url + QStringLiteral("/replication");
    }
    return url;
}

bool hasTopLevelOr(const QString& filter) {
    int depth = 0;
    bool quoted = false;
    for (qsizetype i = 0; i < filter.size(); ++i) {
        const QChar c = filter.at(i);
        if (c == QLatin1Char('\'')) {
            quoted = !quoted; // a doubled quote toggles twice
        } else if (!quoted && c == QLatin1Char('(')) {
            ++depth;
        } else if (!quoted && c == QLatin1Char(')')) {
            --depth;
        } else if (!quoted && depth == 0 && c.isSpace() && filter.mid(i + 1, 3) == QLatin1String("or ")) {
            return true;
        }
    }
    return false;
}

QString PlatformProfile::filter(const QString& userFilter, const QString& extra, bool visibleOnly) const {
    QStringList parts;
    const QString user = userFilter.trimmed();
    if (!originatingSystemName.isEmpty() && !user.contains(QLatin1String("OriginatingSystemName")))
        parts << QStringLiteral("OriginatingSystemName eq %1").arg(odata::quoteString(originatingSystemName));
    if (visibleOnly && mlgCanView && !user.contains(QLatin1String("MlgCanView")))
        parts << QStringLiteral("MlgCanView eq true");
    if (!user.isEmpty())
        parts << user;
    if (!extra.trimmed().isEmpty())
        parts << extra.trimmed();
    if (parts.size() == 1)
        return parts.first();
    QString out;
    for (const QString& part : std::as_const(parts)) {
        if (!out.isEmpty())
            out += QStringLiteral(" and ");
        // MLS Grid rejects parentheses that are not needed; elsewhere they make precedence plain.
        const bool wrap = hasTopLevelOr(part) || (!flatFilters && part == user);
        out += wrap ? QLatin1Char('(') + part + QLatin1Char(')') : part;
    }
    return out;
}

} // namespace ors
