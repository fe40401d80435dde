#include "alerts/AlertChannel.h"

namespace ors {

QString AlertChannel::describe() const {
    return QStringLiteral("%1 \"%2\"").arg(alertChannelTypeName(m_config.type), m_config.name);
}

std::unique_ptr<AlertChannel> AlertChannel::create(const AlertChannelConfig& config) {
    switch (config.type) {
    case AlertChannelType::Webhook:
        return std::make_unique<WebhookChannel>(config);
    case AlertChannelType::Email:
        return std::make_unique<EmailChannel>(config);
    case AlertChannelType::Command:
        return std::make_unique<CommandChannel>(config);
    case AlertChannelType::Desktop:
        break;
    }
    return nullptr;
}

} // namespace ors
