#include "alerts/Notifier.h"

#include "alerts/AlertRules.h"
#include "logging/LogCategories.h"
#include "logging/Redactor.h"

#include <QtConcurrent/QtConcurrentRun>

namespace ors {

Notifier::Notifier(Config config, QString dataDir, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_dataDir(std::move(dataDir)) {
    qRegisterMetaType<Alert>();
    for (const AlertChannelConfig& channel : std::as_const(m_config.alerts.channels))
        if (auto made = AlertChannel::create(channel))
            m_channels.push_back(std::move(made));
    // One thread: decisions and deliveries in order, and the channels never used at once.
    m_pool.setMaxThreadCount(1);
}

Notifier::~Notifier() {
    m_pool.waitForDone();
}

QFuture<QList<Alert>> Notifier::jobFinished(const JobResult& result) {
    if (!enabled())
        return QtFuture::makeReadyFuture(QList<Alert>());
    return QtConcurrent::run(&m_pool, [this, result] {
        AlertRules rules(m_config, m_dataDir);
        auto decided = rules.afterJob(result, QDateTime::currentDateTimeUtc());
        if (!decided) {
            qCWarning(lcAlerts).noquote() << QStringLiteral("alerts for %1 %2 not decided: %3")
                                                 .arg(result.process, result.source, decided.errorMessage());
            return QList<Alert>();
        }
        return deliver(*decided);
    });
}

QFuture<QList<Alert>> Notifier::check(const QDateTime& now) {
    if (!enabled())
        return QtFuture::makeReadyFuture(QList<Alert>());
    return QtConcurrent::run(&m_pool, [this, now] {
        AlertRules rules(m_config, m_dataDir);
        auto decided = rules.check(now);
        if (!decided) {
            qCWarning(lcAlerts).noquote()
                << QStringLiteral("alert conditions not checked: %1").arg(decided.errorMessage());
            return QList<Alert>();
        }
        return deliver(*decided);
    });
}

void Notifier::waitForDeliveries() {
    m_pool.waitForDone();
}

QList<Alert> Notifier::deliver(const QList<Alert>& alerts) {
    for (const Alert& alert : alerts) {
        qCInfo(lcAlerts).noquote() << alert.text();
        if (m_config.alerts.hasChannel(AlertChannelType::Desktop))
            Q_EMIT alertRaised(alert);
        for (const auto& channel : m_channels) {
            if (auto sent = channel->send(alert); !sent)
                qCWarning(lcAlerts).noquote()
                    << Redactor::redact(QStringLiteral("alert not delivered (%1 %2 %3): %4")
                                            .arg(alert.source, alertConditionName(alert.condition),
                                                 alertStateName(alert.state), sent.errorMessage()));
        }
    }
    return alerts;
}

} // namespace ors
