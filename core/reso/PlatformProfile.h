#pragma once

#include "config/Config.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace ors {

// Request budget; 0 means "no limit of this kind".
struct RateLimits {
    double perSecond = 0;
    int perMinute = 0;
    int perHour = 0;
    int perDay = 0;
    qint64 bytesPerHour = 0;

    bool any() const {
        return perSecond > 0 || perMinute > 0 || perHour > 0 || perDay > 0 || bytesPerHour > 0;
    }
};

// Everything that differs between MLS platforms, as plain values: the processes ask the
// profile instead of testing the platform name, so a source can override any single rule
// ("profile" and "rateLimit" in its configuration) when its feed deviates from the documented one.
struct PlatformProfile {
    Platform platform = Platform::Generic;
    ReplicationStyle replication = ReplicationStyle::Plain;
    QString replicationUrl; // service root of replication requests; empty: the serviceUrl
    int maxPageSize = 1000;
    int maxPageSizeWithExpand = 1000;
    int maxKeyPageSize = 5000;
    bool keyCapNeedsKeyOnly = false; // Trestle: the large key page only when $select is the key alone
    int maxPlainPageSize = 1000;     // the non-replication endpoint, used to fetch records by key
    bool orderBy = true;
    bool skip = true; // informational: OpenReSync never sends $skip, it follows nextLink
    // Whether the server takes $top as the size of one page (the vendors below document it so)
    // or, as OData defines it, as a limit on the whole result, leaving the page size to
    // Prefer: odata.maxpagesize.
    bool topIsPageSize = false;
    bool count = true;
    bool mlgCanView = false;       // MLS Grid: MlgCanView=false rows are deletions
    QString originatingSystemName; // MLS Grid: required in every filter
    bool flatFilters = false;      // MLS Grid: parentheses only around or/in groups
    KeyListStyle keyListStyle = KeyListStyle::In;
    int maxUrlLength = 7168;
    int overlapSeconds = 0;    // re-read this far behind the mark on incremental syncs (Spark: 20 min)
    QStringList excludeFields; // exact names, or prefixes ending in '*'
    QList<std::pair<QString, QString>> keyFields; // resource -> key field, over $metadata's <Key>
    QList<std::pair<QByteArray, QByteArray>> headers;
    RateLimits rateLimit;

    static PlatformProfile defaults(Platform platform);
    // The platform's defaults with the source's overrides applied.
    static PlatformProfile forSource(const SourceConfig& source);

    QString keyFieldFor(const QString& resource) const; // empty: take <Key> from $metadata
    bool excludes(const QString& field) const;
    // Page size for a request: the source's wish (or the cap), never above the platform's cap.
    int pageSize(std::optional<int> requested, bool withExpand) const;
    // Page size of a key list; with timestamps beside the keys some platforms allow less.
    int keyPageSize(bool withTimestamps = false) const;
    // Where replication requests for a resource go (Trestle: ?replication=true, Bridge:
    // /replication, Spark: its replication host).
    QString replicationResourceUrl(const QString& serviceUrl, const QString& resource) const;
    // Outside replication; a separate replication host (Spark) serves these too.
    QString plainResourceUrl(const QString& serviceUrl, const QString& resource) const;

    // A complete $filter: the conditions the platform requires (MLS Grid: its
    // OriginatingSystemName, and MlgCanView eq true when asked), the user's filter, and `extra`,
    // joined with "and" in the form the platform accepts.
    QString filter(const QString& userFilter, const QString& extra, bool visibleOnly) const;
};

// True when `filter` has an "or" outside any parentheses and quotes, so "and"-ing something to
// it needs parentheses around it.
bool hasTopLevelOr(const QString& filter);

} // namespace ors
