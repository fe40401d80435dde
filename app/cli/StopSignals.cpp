#include "cli/StopSignals.h"

#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace ors {

namespace {

int s_pipe[2] = {-1, -1};
volatile std::sig_atomic_t s_count = 0;
struct sigaction s_previousInt;
struct sigaction s_previousTerm;

// Only async-signal-safe calls here: write() and _exit().
void onSignal(int signal) {
    if (s_count > 0)
        ::_exit(128 + signal);
    s_count = 1;
    const char byte = char(signal);
    [[maybe_unused]] const ssize_t written = ::write(s_pipe[1], &byte, 1);
}

} // namespace

StopSignals::StopSignals(std::function<void(int)> onFirst)
    : m_onFirst(std::move(onFirst)) {
    if (::pipe2(s_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return; // without the pipe the default handlers stay: a signal ends the program at once
    s_count = 0;
    m_notifier = new QSocketNotifier(s_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StopSignals::readPipe);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &s_previousInt);
    ::sigaction(SIGTERM, &action, &s_previousTerm);
}

StopSignals::~StopSignals() {
    if (!m_notifier)
        return;
    ::sigaction(SIGINT, &s_previousInt, nullptr);
    ::sigaction(SIGTERM, &s_previousTerm, nullptr);
    delete m_notifier;
    ::close(s_pipe[0]);
    ::close(s_pipe[1]);
    s_pipe[0] = s_pipe[1] = -1;
}

void StopSignals::readPipe() {
    char byte = 0;
    while (::read(s_pipe[0], &byte, 1) == 1)
        if (m_received == 0) {
            m_received = static_cast<unsigned char>(byte);
            if (m_onFirst)
                m_onFirst(m_received);
        }
}

} // namespace ors
