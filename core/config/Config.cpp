#include "config/Config.h"

#include <array>
#include <utility>

namespace ors {

namespace {

// One table per enum keeps name and value in a single place, so the two directions cannot drift apart.
template <typename E, std::size_t N>
QString nameOf(const std::array<std::pair<E, const char*>, N>& table, E value) {
    for (const auto& [entry, name] : table) {
        if (entry == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template <typename E, std::size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, const char*>, N>& table, const QString& name) {
    for (const auto& [entry, entryName] : table) {
        if (name == QLatin1String(entryName))
            return entry;
    }
    return std::nullopt;
}

constexpr std::array<std::pair<Platform, const char*>, 5> kPlatforms{{
    {Platform::Trestle, "trestle"},
    {Platform::MlsGrid, "mlsgrid"},
    {Platform::Bridge, "bridge"},
    {Platform::Spark, "spark"},
    {Platform::Generic, "generic"},
}};

constexpr std::array<std::pair<AuthType, const char*>, 3> kAuthTypes{{
    {AuthType::None, "none"},
    {AuthType::Bearer, "bearer"},
    {AuthType::OAuth2, "oauth2"},
}};

constexpr std::array<std::pair<DestinationType, const char*>, 4> kDestinationTypes{{
    {DestinationType::Sqlite, "sqlite"},
    {DestinationType::Mysql, "mysql"},
    {DestinationType::Postgresql, "postgresql"},
    {DestinationType::Solr, "solr"},
}};

constexpr std::array<std::pair<ProcessType, const char*>, 3> kProcesses{{
    {ProcessType::Sync, "sync"},
    {ProcessType::Purge, "purge"},
    {ProcessType::Reconcile, "reconcile"},
}};

constexpr std::array<std::pair<AlertChannelType, const char*>, 4> kAlertChannelTypes{{
    {AlertChannelType::Desktop, "desktop"},
    {AlertChannelType::Webhook, "webhook"},
    {AlertChannelType::Email, "email"},
    {AlertChannelType::Command, "command"},
}};

constexpr std::array<std::pair<TlsMode, const char*>, 5> kTlsModes{{
    {TlsMode::Disabled, "disabled"},
    {TlsMode::Preferred, "preferred"},
    {TlsMode::Required, "required"},
    {TlsMode::VerifyCa, "verify-ca"},
    {TlsMode::VerifyIdentity, "verify-identity"},
}};

constexpr std::array<std::pair<BadRecordPolicy, const char*>, 2> kBadRecordPolicies{{
    {BadRecordPolicy::Quarantine, "quarantine"},
    {BadRecordPolicy::Fail, "fail"},
}};

constexpr std::array<std::pair<TokenPlacement, const char*>, 2> kTokenPlacements{{
    {TokenPlacement::Header, "header"},
    {TokenPlacement::Query, "query"},
}};

constexpr std::array<std::pair<OAuthGrant, const char*>, 2> kOAuthGrants{{
    {OAuthGrant::ClientCredentials, "client_credentials"},
    {OAuthGrant::Password, "password"},
}};

constexpr std::array<std::pair<ReplicationStyle, const char*>, 3> kReplicationStyles{{
    {ReplicationStyle::Plain, "plain"},
    {ReplicationStyle::QueryParameter, "query"},
    {ReplicationStyle::PathSuffix, "path"},
}};

constexpr std::array<std::pair<KeyListStyle, const char*>, 2> kKeyListStyles{{
    {KeyListStyle::In, "in"},
    {KeyListStyle::EqOr, "or"},
}};

} // namespace

QString tlsModeName(TlsMode mode) {
    return nameOf(kTlsModes, mode);
}

std::optional<TlsMode> tlsModeFromName(const QString& name) {
    return valueOf(kTlsModes, name);
}

QString alertChannelTypeName(AlertChannelType type) {
    return nameOf(kAlertChannelTypes, type);
}

std::optional<AlertChannelType> alertChannelTypeFromName(const QString& name) {
    return valueOf(kAlertChannelTypes, name);
}

bool AlertsConfig::hasChannel(AlertChannelType type) const {
    for (const AlertChannelConfig& channel : channels)
        if (channel.type == type)
            return true;
    return false;
}

QString platformName(Platform platform) {
    return nameOf(kPlatforms, platform);
}

std::optional<Platform> platformFromName(const QString& name) {
    return valueOf(kPlatforms, name);
}

QString authTypeName(AuthType type) {
    return nameOf(kAuthTypes, type);
}

std::optional<AuthType> authTypeFromName(const QString& name) {
    return valueOf(kAuthTypes, name);
}

QString destinationTypeName(DestinationType type) {
    return nameOf(kDestinationTypes, type);
}

std::optional<DestinationType> destinationTypeFromName(const QString& name) {
    return valueOf(kDestinationTypes, name);
}

QString SqlServerConfig::describe() const {
    QString text =
        QStringLiteral("%1 %2@%3:%4/%5").arg(destinationTypeName(type), user, host).arg(port).arg(database);
    if (!schema.isEmpty())
        text += QStringLiteral(" schema %1").arg(schema);
    return text;
}

QString processName(ProcessType process) {
    return nameOf(kProcesses, process);
}

std::optional<ProcessType> processFromName(const QString& name) {
    return valueOf(kProcesses, name);
}

QString badRecordPolicyName(BadRecordPolicy policy) {
    return nameOf(kBadRecordPolicies, policy);
}

std::optional<BadRecordPolicy> badRecordPolicyFromName(const QString& name) {
    return valueOf(kBadRecordPolicies, name);
}

std::optional<TokenPlacement> tokenPlacementFromName(const QString& name) {
    return valueOf(kTokenPlacements, name);
}

std::optional<OAuthGrant> oauthGrantFromName(const QString& name) {
    return valueOf(kOAuthGrants, name);
}

std::optional<ReplicationStyle> replicationStyleFromName(const QString& name) {
    return valueOf(kReplicationStyles, name);
}

std::optional<KeyListStyle> keyListStyleFromName(const QString& name) {
    return valueOf(kKeyListStyles, name);
}

SecretRef SecretRef::parse(const QString& text) {
    if (text.isEmpty())
        return {};
    struct Prefix {
        const char* text;
        Kind kind;
    };
    static constexpr std::array<Prefix, 3> kPrefixes{{
        {"env:", Kind::Env},
        {"keychain:", Kind::Keychain},
        {"file:", Kind::File},
    }};
    for (const auto& prefix : kPrefixes) {
        const QLatin1String p(prefix.text);
        if (text.startsWith(p))
            return SecretRef{prefix.kind, text.mid(p.size())};
    }
    return SecretRef{Kind::Literal, text};
}

QString SourceConfig::effectiveMetadataUrl() const {
    if (!metadataUrl.isEmpty())
        return metadataUrl;
    QString base = serviceUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base + QStringLiteral("/$metadata");
}

const ResourceConfig* SourceConfig::resource(const QString& name) const {
    for (const auto& r : resources) {
        if (r.name == name)
            return &r;
    }
    return nullptr;
}

const DestinationConfig* SourceConfig::destination(const QString& name) const {
    for (const auto& d : destinations) {
        if (d.name == name)
            return &d;
    }
    return nullptr;
}

QTimeZone Config::scheduleZone(const SourceConfig& source) const {
    const QString& name = !source.schedules.timeZone.isEmpty() ? source.schedules.timeZone : timeZone;
    // Names were checked at load; a Config built by hand with a bad one falls back to UTC too.
    const QTimeZone zone = name.isEmpty() ? QTimeZone() : QTimeZone(name.toUtf8());
    return zone.isValid() ? zone : QTimeZone::utc();
}

const SourceConfig* Config::source(const QString& name) const {
    for (const auto& s : sources) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

} // namespace ors
