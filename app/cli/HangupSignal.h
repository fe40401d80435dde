#pragma once

#include <QObject>

class QSocketNotifier;

namespace ors {

// SIGHUP (systemd's ExecReload, `kill -HUP`) delivered as received() in the main thread, through
// a self-pipe as StopSignals does. The previous handler is restored when this is destroyed.
class HangupSignal : public QObject {
    Q_OBJECT
public:
    explicit HangupSignal(QObject* parent = nullptr);
    ~HangupSignal() override;

Q_SIGNALS:
    void received();

private:
    void readPipe();

    QSocketNotifier* m_notifier = nullptr;
};

} // namespace ors
