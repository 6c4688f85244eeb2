#pragma once
// SIGINT and SIGTERM during a long command (a rollout): the first asks it to stop cleanly (restore or
// hold, as the user chose), a second one ends the process at once with a message prepared in advance.
#include <chrono>
#include <string>

namespace shift::proc {

// Installs the handlers. `onSecondSignal` is written to stderr (it must say what state objects may
// be in and how to check) before the process exits with 128 + the signal number.
void watchSignals(const std::string& onSecondSignal);

// True once a first signal arrived; the flag is what runCommand polls.
const volatile bool* stopRequested();
bool stopped();
// The signal that asked to stop, 0 when none.
int stopSignal();

// Sleeps up to `d`; false when a signal asked to stop (then it returns early).
bool sleepUnlessStopped(std::chrono::nanoseconds d);

}  // namespace shift::proc
