#pragma once

#include "config/Config.h"
#include "config/DataDir.h"
#include "destinations/Destination.h"
#include "records/Metadata.h"
#include "reso/AuthProvider.h"
#include "reso/HttpClient.h"
#include "reso/PlatformProfile.h"
#include "reso/RateLimiter.h"

#include <atomic>
#include <memory>
#include <vector>

namespace ors {

// What every process of one source needs, created in the job's thread: the HTTP client with
// its authentication, the parsed $metadata, the resource plans and the open destinations.
class SourceContext {
public:
    SourceContext(SourceConfig source, DataLayout layout, const std::atomic<bool>* cancelled = nullptr);
    ~SourceContext();

    const SourceConfig& source() const { return m_source; }
    const DataLayout& layout() const { return m_layout; }
    HttpClient& http() { return *m_http; }
    RateLimiter& rateLimiter() { return *m_limiter; }

    Expected<void> connect(); // secrets
    // Obtains the access token now (OAuth2); a description of how the source authenticates.
    Expected<QString> authenticate();
    Expected<void> loadMetadata(); // $metadata → plans for every configured resource
    // Opens the destinations (no schema changes). The first that cannot be opened fails the call;
    // with keepGoing it is left out and listed in unavailable() instead, unless none opens.
    Expected<void> openDestinations(bool keepGoing = false);
    struct Unavailable {
        QString destination;
        QString message;
    };
    const QList<Unavailable>& unavailable() const { return m_unavailable; }
    // Creates what each destination lacks for each resource. A resource whose schema fails on a
    // destination does not stop the others: every failure is returned, one per resource and
    // destination, in resource then destination order, and the caller decides what to leave out.
    struct SchemaFailure {
        QString resource;
        QString destination;
        QString message;
    };
    // `warnings` receives what the destinations found and did not change (Destination::takeSchemaWarnings).
    QList<SchemaFailure> ensureSchemas(QStringList* warnings = nullptr);

    const Metadata& metadata() const { return m_metadata; }
    const QList<ResourcePlan>& plans() const { return m_plans; }
    const ResourcePlan* plan(const QString& resource) const;
    std::vector<std::unique_ptr<Destination>>& destinations() { return m_destinations; }

    const PlatformProfile& profile() const { return m_profile; }
    // The plain resource URL (status, fetching records by key) and the replication one (sync,
    // key lists), as the platform forms them.
    QString resourceUrl(const QString& resource) const;
    QString replicationUrl(const QString& resource) const;
    int pageSize(bool withExpand) const;
    int keyPageSize(bool withTimestamps) const { return m_profile.keyPageSize(withTimestamps); }
    bool allowsOrderBy() const { return m_profile.orderBy; }
    // The MLS's count of the resource's records matching `filter`, asked apart ($top=0 with
    // $count=true, else the /$count path) on the plain endpoint; nullopt when the server answers
    // neither form.
    Expected<std::optional<qint64>> countMatching(const QString& resource, const QString& filter);
    // The resource's filter with what the platform requires and `extra`, in a form it accepts.
    QString filter(const QString& resource, const QString& extra, bool visibleOnly) const;

private:
    // The source's tls settings on its HTTP client (a private CA added, or no verification).
    Expected<void> configureTls();
    // Refuses two resources (or expansions) that would write one table as different entity
    // types or under different keys; run before any destination is opened.
    Expected<void> checkSharedTables() const;
    // Leaves out of a narrowed $select the fields every destination's mapping drops, unless the
    // key, the timestamp, the platform or a copyParentFields needs them.
    void dropUnneededSelects(ResourcePlan& plan, const QStringList& alwaysSelect) const;

    SourceConfig m_source;
    PlatformProfile m_profile;
    DataLayout m_layout;
    std::unique_ptr<AuthProvider> m_auth;
    std::unique_ptr<RateLimiter> m_limiter; // before m_http, which points to it
    std::unique_ptr<HttpClient> m_http;
    Metadata m_metadata;
    QList<ResourcePlan> m_plans;
    std::vector<std::unique_ptr<Destination>> m_destinations;
    QList<Unavailable> m_unavailable;
};

RetryPolicy retryPolicyFromEnvironment();
// The environment's policy with the source's timeoutSeconds.
RetryPolicy retryPolicyFor(const SourceConfig& source);

} // namespace ors
