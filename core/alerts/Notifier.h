#pragma once

#include "alerts/Alert.h"
#include "alerts/AlertChannel.h"
#include "config/Config.h"
#include "processes/JobTypes.h"

#include <QDateTime>
#include <QFuture>
#include <QObject>
#include <QThreadPool>

#include <memory>
#include <vector>

namespace ors {

// Tells people what went wrong: the front ends hand it every finished run (jobFinished) and, from
// a timer, check(now) for what happens without a run (a sync that is late, a quota running out).
// It decides with AlertRules and delivers to the configured channels on a thread of its own, one
// task after the other, so neither a slow SMTP server nor a hanging command blocks the caller's
// (GUI) thread. A channel that fails is logged (a warning naming it) and never fails a run.
class Notifier : public QObject {
    Q_OBJECT
public:
    Notifier(Config config, QString dataDir, QObject* parent = nullptr);
    ~Notifier() override; // waits for the deliveries under way

    // False without alerts.channels: then nothing is decided, recorded or sent.
    bool enabled() const { return m_config.alerts.enabled(); }
    // Each future gives the alerts raised or recovered (after they were delivered).
    QFuture<QList<Alert>> jobFinished(const JobResult& result);
    QFuture<QList<Alert>> check(const QDateTime& now);
    void waitForDeliveries();

Q_SIGNALS:
    // Every alert raised or recovered, for the desktop channel (the tray); emitted from the
    // delivery thread, so receivers in other threads get it queued.
    void alertRaised(const ors::Alert& alert);

private:
    QList<Alert> deliver(const QList<Alert>& alerts);

    Config m_config;
    QString m_dataDir;
    std::vector<std::unique_ptr<AlertChannel>> m_channels;
    QThreadPool m_pool;
};

} // namespace ors
