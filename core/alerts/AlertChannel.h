#pragma once

#include "alerts/Alert.h"
#include "config/Config.h"
#include "util/Expected.h"

#include <memory>

namespace ors {

// One place alerts go. send() blocks (network, a child process) and is called on a worker
// thread, one alert at a time; its errors name the channel and never carry a secret or a
// webhook URL's path.
class AlertChannel {
public:
    explicit AlertChannel(AlertChannelConfig config)
        : m_config(std::move(config)) {}
    virtual ~AlertChannel() = default;
    AlertChannel(const AlertChannel&) = delete;
    AlertChannel& operator=(const AlertChannel&) = delete;

    virtual Expected<void> send(const Alert& alert) = 0;
    // "webhook \"slack\"": for messages.
    QString describe() const;
    const AlertChannelConfig& config() const { return m_config; }

    // The channel of a configuration entry; none for desktop (the notifier's signal is that one).
    static std::unique_ptr<AlertChannel> create(const AlertChannelConfig& config);

protected:
    AlertChannelConfig m_config;
};

// HTTP(S) POST of Alert::toJson() (Slack reads its "text"); 3 attempts with backoff on network
// errors, 5xx and 429.
class WebhookChannel : public AlertChannel {
public:
    using AlertChannel::AlertChannel;
    Expected<void> send(const Alert& alert) override;
    // Waits between attempts: 1 s, then 2 s (tests shorten them).
    static void setBackoffMs(int firstMs);
};

// One e-mail through SMTP with libcurl: STARTTLS required on smtp://, implicit TLS on smtps://.
class EmailChannel : public AlertChannel {
public:
    using AlertChannel::AlertChannel;
    Expected<void> send(const Alert& alert) override;
    // The whole message as sent (headers, blank line, body; CRLF line ends).
    static QByteArray message(const AlertChannelConfig& config, const Alert& alert);
};

// A program run with the alert as JSON on stdin and in ALERT_* environment variables (an SMS
// gateway's client, a pager script); killed after timeoutSeconds.
class CommandChannel : public AlertChannel {
public:
    using AlertChannel::AlertChannel;
    Expected<void> send(const Alert& alert) override;
};

} // namespace ors
