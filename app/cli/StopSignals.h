#pragma once

#include <QObject>

#include <functional>

class QSocketNotifier;

namespace ors {

// SIGINT and SIGTERM while the CLI runs a job: the first is handed to `onFirst` in the main
// thread (through a self-pipe, since a signal handler may only write to a file descriptor),
// which cancels the job so it stops at its next checkpoint; a second one exits at once with
// 128 + the signal. The previous handlers are restored when this is destroyed.
class StopSignals : public QObject {
    Q_OBJECT
public:
    explicit StopSignals(std::function<void(int)> onFirst);
    ~StopSignals() override;

    int received() const { return m_received; } // the first signal, or 0

private:
    void readPipe();

    std::function<void(int)> m_onFirst;
    QSocketNotifier* m_notifier = nullptr;
    int m_received = 0;
};

} // namespace ors
