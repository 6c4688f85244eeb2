#include "proc/signals.hpp"

#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <thread>

namespace shift::proc {

namespace {

volatile bool gStop = false;
volatile sig_atomic_t gSignal = 0;
// Written once before the handlers are installed; read only by the handler.
std::string gSecondMessage;

void onSignal(int sig) {
    if (gStop) {
        // A second signal: stop now. write(2) and _exit are async-signal-safe.
        auto n = ::write(STDERR_FILENO, gSecondMessage.data(), gSecondMessage.size());
        (void)n;
        ::_exit(128 + sig);
    }
    gSignal = sig;
    gStop = true;
}

}  // namespace

void watchSignals(const std::string& onSecondSignal) {
    gSecondMessage = onSecondSignal;
    if (gSecondMessage.empty() || gSecondMessage.back() != '\n') gSecondMessage += '\n';
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a sleeping or waiting call returns early
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
}

const volatile bool* stopRequested() { return &gStop; }
bool stopped() { return gStop; }
int stopSignal() { return gSignal; }

bool sleepUnlessStopped(std::chrono::nanoseconds d) {
    auto until = std::chrono::steady_clock::now() + d;
    while (!gStop) {
        auto left = until - std::chrono::steady_clock::now();
        if (left <= std::chrono::nanoseconds::zero()) return true;
        std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(left, std::chrono::milliseconds(20)));
    }
    return false;
}

}  // namespace shift::proc
