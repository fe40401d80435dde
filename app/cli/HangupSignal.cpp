#include "cli/HangupSignal.h"

#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace ors {

namespace {

int s_pipe[2] = {-1, -1};
struct sigaction s_previous;

// Only async-signal-safe calls here.
void onHangup(int) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(s_pipe[1], &byte, 1);
}

} // namespace

HangupSignal::HangupSignal(QObject* parent)
    : QObject(parent) {
    if (::pipe2(s_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return;
    m_notifier = new QSocketNotifier(s_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &HangupSignal::readPipe);
    struct sigaction action = {};
    action.sa_handler = onHangup;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGHUP, &action, &s_previous);
}

HangupSignal::~HangupSignal() {
    if (!m_notifier)
        return;
    ::sigaction(SIGHUP, &s_previous, nullptr);
    delete m_notifier;
    ::close(s_pipe[0]);
    ::close(s_pipe[1]);
    s_pipe[0] = s_pipe[1] = -1;
}

void HangupSignal::readPipe() {
    char byte = 0;
    bool any = false;
    while (::read(s_pipe[0], &byte, 1) == 1)
        any = true;
    // Several hangups before the loop ran are one reload.
    if (any)
        Q_EMIT received();
}

} // namespace ors
