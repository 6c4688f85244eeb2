#include "interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <csignal>

namespace shift::cli {

namespace {

volatile sig_atomic_t gSent = 0;
// Written before the handlers are installed; only read by the handler.
std::string gBefore, gAfter;
struct sigaction gOldInt {
}, gOldTerm{};

void onSignal(int sig) {
    // write(2) and _exit are async-signal-safe; the strings are not touched while handlers are set.
    const std::string& m = gSent ? gAfter : gBefore;
    auto n = ::write(STDERR_FILENO, m.data(), m.size());
    (void)n;
    ::_exit(128 + sig);
}

}  // namespace

WriteGuard::WriteGuard(std::string beforeSend, std::string afterSend) {
    gSent = 0;
    gBefore = std::move(beforeSend) + "\n";
    gAfter = std::move(afterSend) + "\n";
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &gOldInt);
    ::sigaction(SIGTERM, &sa, &gOldTerm);
}

WriteGuard::~WriteGuard() {
    ::sigaction(SIGINT, &gOldInt, nullptr);
    ::sigaction(SIGTERM, &gOldTerm, nullptr);
}

void WriteGuard::markSent() { gSent = 1; }

}  // namespace shift::cli
