#pragma once
// Running a rollout's --check command: `sh -c COMMAND` with extra environment variables, in its own
// process group so that a timeout or an interrupt stops everything it started.
#include <chrono>
#include <map>
#include <string>

namespace shift::proc {

struct CommandResult {
    int exitCode = -1;  // the command's exit status; -1 when it did not exit normally
    int signal = 0;     // the signal that ended it, if any
    bool timedOut = false;
    bool interrupted = false;  // stopped because shift itself got SIGINT/SIGTERM
    std::string error;         // could not start it at all (fork failed)
};

// Runs the command with the given variables added to shift's environment; its output goes where
// shift's goes. Kills its process group (SIGTERM, then SIGKILL after a grace period) on timeout or
// when `stopRequested` becomes true. A zero timeout waits as long as it takes.
CommandResult runCommand(const std::string& command, const std::map<std::string, std::string>& env,
                         std::chrono::nanoseconds timeout, const volatile bool* stopRequested = nullptr);

// "exit 1", "killed by signal 9", "timed out (killed)": how a result reads in a message.
std::string describe(const CommandResult& result);

}  // namespace shift::proc
