#include "processes/SourceContext.h"

#include "logging/LogCategories.h"
#include "records/SchemaPlanner.h"
#include "reso/MetadataParser.h"
#include "reso/ODataQuery.h"
#include "reso/PageReader.h"

#include <QHash>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>

namespace ors {

RetryPolicy retryPolicyFromEnvironment() {
    RetryPolicy policy;
    // Tests and impatient users shorten the waits; the defaults suit real MLS feeds.
    bool ok = false;
    const int base = qEnvironmentVariableIntValue("OPENRESYNC_RETRY_BASE_MS", &ok);
    if (ok && base >= 0)
        policy.baseDelayMs = base;
    const int attempts = qEnvironmentVariableIntValue("OPENRESYNC_RETRY_ATTEMPTS", &ok);
    if (ok && attempts > 0)
        policy.maxAttempts = attempts;
    const int throttleWait = qEnvironmentVariableIntValue("OPENRESYNC_THROTTLE_MAX_WAIT_MS", &ok);
    if (ok && throttleWait >= 0)
        policy.maxThrottleWaitMs = throttleWait;
    const int timeout = qEnvironmentVariableIntValue("OPENRESYNC_HTTP_TIMEOUT_MS", &ok);
    if (ok && timeout > 0)
        policy.transferTimeoutMs = timeout;
    return policy;
}

RetryPolicy retryPolicyFor(const SourceConfig& source) {
    RetryPolicy policy = retryPolicyFromEnvironment();
    // The source's timeoutSeconds, unless the environment (tests, a user in a hurry) set one.
    if (!qEnvironmentVariableIsSet("OPENRESYNC_HTTP_TIMEOUT_MS"))
        policy.transferTimeoutMs = source.timeoutSeconds * 1000;
    policy.maxBodyBytes = qint64(source.maxPageMegabytes) << 20;
    return policy;
}

SourceContext::SourceContext(SourceConfig source, DataLayout layout, const std::atomic<bool>* cancelled)
    : m_source(std::move(source))
    , m_profile(PlatformProfile::forSource(m_source))
    , m_layout(std::move(layout))
    , m_auth(
          std::make_unique<AuthProvider>(m_source.auth, QStringLiteral("source %1 auth").arg(m_source.name)))
    , m_limiter(std::make_unique<RateLimiter>(m_profile.rateLimit, cancelled))
    , m_http(std::make_unique<HttpClient>(retryPolicyFor(m_source), cancelled)) {
    m_http->setAuth(m_auth.get());
    m_http->setRateLimiter(m_limiter.get());
    m_http->setExtraHeaders(m_profile.headers);
    // Credentials go to the servers the configuration names, and to the hosts it lists.
    OriginPolicy origins;
    origins.addConfiguredUrl(m_source.serviceUrl);
    origins.addConfiguredUrl(m_source.metadataUrl);
    origins.addConfiguredUrl(m_profile.replicationUrl);
    if (m_source.auth.type == AuthType::OAuth2)
        origins.addConfiguredUrl(m_source.auth.tokenUrl);
    origins.setAllowedHosts(m_source.allowedHosts);
    origins.setAllowedHostsKey(QStringLiteral("the allowedHosts of source \"%1\"").arg(m_source.name));
    m_http->setOriginPolicy(std::move(origins));
}

SourceContext::~SourceContext() {
    // Destinations close their connections in this (their own) thread.
    m_destinations.clear();
}

Expected<void> SourceContext::connect() {
    if (auto r = configureTls(); !r)
        return r;
    return m_auth->resolveSecrets();
}

Expected<void> SourceContext::configureTls() {
    const SourceTls& tls = m_source.tls;
    if (!tls.insecure && tls.ca.isEmpty())
        return {};
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    if (tls.insecure) {
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    } else {
        QList<QSslCertificate> certificates = QSslCertificate::fromPath(tls.ca, QSsl::Pem);
        if (certificates.isEmpty())
            certificates = QSslCertificate::fromPath(tls.ca, QSsl::Der);
        if (certificates.isEmpty())
            return makeError(QStringLiteral("source \"%1\": tls.ca: %2 holds no certificate (PEM or DER)")
                                 .arg(m_source.name, tls.ca));
        // Added to the system's CAs, not in their place: the token endpoint of a private MLS
        // server is often a public one.
        ssl.setCaCertificates(ssl.caCertificates() + certificates);
    }
    m_http->setSslConfiguration(ssl);
    return {};
}

Expected<QString> SourceContext::authenticate() {
    auto header = m_auth->authorizationHeader(*m_http);
    if (!header)
        return header.error();
    const AuthConfig& auth = m_source.auth;
    switch (auth.type) {
    case AuthType::None:
        return QStringLiteral("no authentication configured");
    case AuthType::Bearer:
        return auth.sendAs == TokenPlacement::Query
                   ? QStringLiteral("bearer token, sent as the access_token query parameter")
                   : QStringLiteral("bearer token, sent in the Authorization header");
    case AuthType::OAuth2:
        return QStringLiteral("OAuth2 %1 grant: token obtained from %2")
            .arg(auth.grant == OAuthGrant::Password ? QStringLiteral("password")
                                                    : QStringLiteral("client credentials"),
                 describeUrl(QUrl(auth.tokenUrl)));
    }
    return QString();
}

QString SourceContext::resourceUrl(const QString& resource) const {
    return m_profile.plainResourceUrl(m_source.serviceUrl, resource);
}

QString SourceContext::replicationUrl(const QString& resource) const {
    return m_profile.replicationResourceUrl(m_source.serviceUrl, resource);
}

int SourceContext::pageSize(bool withExpand) const {
    return m_profile.pageSize(m_source.pageSize, withExpand);
}

QString SourceContext::filter(const QString& resource, const QString& extra, bool visibleOnly) const {
    const ResourceConfig* config = m_source.resource(resource);
    return m_profile.filter(config ? config->filter : QString(), extra, visibleOnly);
}

const ResourcePlan* SourceContext::plan(const QString& resource) const {
    for (const ResourcePlan& p : m_plans)
        if (p.resource == resource)
            return &p;
    return nullptr;
}

Expected<void> SourceContext::loadMetadata() {
    const QUrl url(m_source.effectiveMetadataUrl());
    // A body cut off mid-way is worth another try; a complete but invalid document is not.
    auto response = m_http->get(url, "application/xml", [](const HttpResponse& r) -> Expected<void> {
        if (!r.body.trimmed().endsWith('>'))
            return makeError(QStringLiteral("the $metadata document is incomplete"));
        return {};
    });
    if (!response)
        return response.error();
    auto metadata = MetadataParser::parse(response->body, describeUrl(url));
    if (!metadata)
        return metadata.error();
    m_metadata = std::move(*metadata);
    m_plans.clear();
    for (const ResourceConfig& resource : m_source.resources) {
        PlanOptions options;
        options.keyField = m_profile.keyFieldFor(resource.name);
        options.exclude = [this](const QString& field) { return m_profile.excludes(field); };
        // MLS Grid signals deletions in MlgCanView: a narrowed $select must still ask for it.
        if (m_profile.mlgCanView)
            options.alwaysSelect << QStringLiteral("MlgCanView");
        auto plan = SchemaPlanner::plan(m_metadata, resource, options);
        if (!plan)
            return makeError(QStringLiteral("source %1, %2").arg(m_source.name, plan.errorMessage()));
        dropUnneededSelects(*plan, options.alwaysSelect);
        m_plans.append(std::move(*plan));
    }
    return checkSharedTables();
}

void SourceContext::dropUnneededSelects(ResourcePlan& plan, const QStringList& alwaysSelect) const {
    // Only a narrowed $select can leave a field out: without one the server sends everything,
    // and listing 700 fields instead would outgrow the URL limits.
    if (plan.selectFields.isEmpty() || m_source.destinations.isEmpty())
        return;
    QStringList needed = alwaysSelect;
    needed << plan.keyField << plan.timestampField;
    for (const DestinationConfig& destination : m_source.destinations)
        needed << destination.mapping.copyParentFields;
    plan.selectFields.removeIf([&](const QString& field) {
        if (needed.contains(field))
            return false;
        for (const DestinationConfig& destination : m_source.destinations)
            if (!destination.mapping.drop.contains(field))
                return false;
        return true; // every destination drops it
    });
}

Expected<void> SourceContext::checkSharedTables() const {
    // Each table this source writes, with who writes it as what: tables are named after entity
    // types, so two writers only share one safely when they store the same entity type under
    // the same key (Property's Media expansion and the Media resource).
    struct Writer {
        QString origin;
        QString entityType; // qualified
        QStringList key;
    };
    auto qualified = [](const EntityType* entity) {
        return entity ? entity->nameSpace + QLatin1Char('.') + entity->name : QString();
    };
    QHash<QString, Writer> writers;
    auto add = [&](const QString& table, Writer writer) -> Expected<void> {
        const auto found = writers.constFind(table.toCaseFolded());
        if (found == writers.constEnd()) {
            writers.emplace(table.toCaseFolded(), std::move(writer));
            return {};
        }
        if (found->entityType == writer.entityType && found->key == writer.key)
            return {};
        return makeError(QStringLiteral("source %1: %2 and %3 both write table %4 but store different "
                                        "things in it (%5 keyed by %6, %7 keyed by %8)")
                             .arg(m_source.name, writer.origin, found->origin, table, writer.entityType,
                                  writer.key.join(QLatin1Char(',')), found->entityType,
                                  found->key.join(QLatin1Char(','))));
    };
    for (qsizetype r = 0; r < m_source.resources.size(); ++r) {
        const ResourceConfig& resource = m_source.resources.at(r);
        const ResourcePlan* resourcePlan = plan(resource.name);
        const EntityType* entity = m_metadata.entityTypeForResource(resource.name);
        if (!resourcePlan || !entity)
            continue;
        const QString origin = QStringLiteral("resources[%1] (\"%2\")").arg(r).arg(resource.name);
        if (auto added = add(resourcePlan->table.table,
                             Writer{origin, qualified(entity), resourcePlan->table.primaryKey});
            !added)
            return added;
        for (const ChildPlan& child : resourcePlan->children) {
            qsizetype e = 0;
            while (e < resource.expand.size() && resource.expand.at(e).name != child.navigation)
                ++e;
            const NavigationProperty* nav = entity->navigationProperty(child.navigation);
            const QString childOrigin =
                QStringLiteral("resources[%1].expand[%2] (\"%3\")").arg(r).arg(e).arg(child.navigation);
            if (auto added = add(child.table.table,
                                 Writer{childOrigin,
                                        nav ? qualified(m_metadata.entityType(nav->targetType)) : QString(),
                                        child.table.primaryKey});
                !added)
                return added;
        }
    }
    return {};
}

Expected<void> SourceContext::openDestinations(bool keepGoing) {
    m_destinations.clear();
    m_unavailable.clear();
    std::optional<Error> first;
    for (const DestinationConfig& config : m_source.destinations) {
        auto destination = createDestination(config, m_source.name, m_layout.root());
        Expected<void> opened = destination ? (*destination)->open() : Expected<void>(destination.error());
        if (!opened) {
            if (!keepGoing)
                return opened;
            if (!first)
                first = opened.error();
            m_unavailable.append({config.name, opened.errorMessage()});
            continue;
        }
        m_destinations.push_back(std::move(*destination));
    }
    // With none open there is nothing to go on with: the run fails as it would with one.
    if (first && m_destinations.empty())
        return *first;
    return {};
}

QList<SourceContext::SchemaFailure> SourceContext::ensureSchemas(QStringList* warnings) {
    QList<SchemaFailure> failures;
    for (const ResourcePlan& plan : m_plans) {
        for (auto& destination : m_destinations) {
            auto r = destination->ensureSchema(plan);
            if (warnings)
                *warnings += destination->takeSchemaWarnings();
            if (!r)
                failures.append({plan.resource, destination->name(), r.errorMessage()});
        }
    }
    return failures;
}

Expected<std::optional<qint64>> SourceContext::countMatching(const QString& resource, const QString& filter) {
    odata::QueryOptions query;
    query.filter = filter;
    query.top = 0;
    query.count = true;
    // A refusal (4xx) means the server does not answer this form; anything else is a failure.
    auto refused = [](const Error& e) { return e.httpStatus >= 400 && e.httpStatus < 500; };
    auto counted = m_http->get(odata::buildUrl(resourceUrl(resource), query), "application/json");
    if (!counted && !refused(counted.error()))
        return counted.error();
    if (counted) {
        auto info = PageReader::inspect(counted->body, {}, {});
        if (info && info->odataCount)
            return std::optional<qint64>(*info->odataCount);
    }
    odata::QueryOptions plain;
    plain.filter = filter;
    auto path =
        m_http->get(odata::buildUrl(resourceUrl(resource) + QStringLiteral("/$count"), plain), "text/plain");
    if (!path && !refused(path.error()))
        return path.error();
    if (path) {
        bool ok = false;
        const qint64 number = path->body.trimmed().toLongLong(&ok);
        if (ok && number >= 0)
            return std::optional<qint64>(number);
    }
    return std::optional<qint64>();
}

} // namespace ors
