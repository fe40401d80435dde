#pragma once

#include "config/Config.h"
#include "config/DataDir.h"
#include "destinations/Destination.h"
#include "reso/AuthProvider.h"
#include "reso/HttpClient.h"
#include "reso/Metadata.h"

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

    Expected<void> connect();          // secrets
    Expected<void> loadMetadata();     // $metadata → plans for every configured resource
    Expected<void> openDestinations(); // opens them (no schema changes)
    Expected<void> ensureSchemas();

    const Metadata& metadata() const { return m_metadata; }
    const QList<ResourcePlan>& plans() const { return m_plans; }
    const ResourcePlan* plan(const QString& resource) const;
    std::vector<std::unique_ptr<Destination>>& destinations() { return m_destinations; }

    QString resourceUrl(const QString& resource) const;
    int pageSize() const;
    bool allowsOrderBy() const { return true; }

private:
    SourceConfig m_source;
    DataLayout m_layout;
    std::unique_ptr<AuthProvider> m_auth;
    std::unique_ptr<HttpClient> m_http;
    Metadata m_metadata;
    QList<ResourcePlan> m_plans;
    std::vector<std::unique_ptr<Destination>> m_destinations;
};

RetryPolicy retryPolicyFromEnvironment();

} // namespace ors
