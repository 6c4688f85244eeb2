#include "proc/check_command.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace shift::proc {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPoll = std::chrono::milliseconds(10);
constexpr auto kGrace = std::chrono::seconds(2);  // between SIGTERM and SIGKILL

[[noreturn]] void execShell(const std::string& command, const std::map<std::string, std::string>& env) {
    ::setpgid(0, 0);  // its own group: a kill reaches whatever it started
    for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
    // Signals shift ignores or blocks must not be inherited as such.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
}

// Stops the group: SIGTERM, and SIGKILL when it has not exited after the grace period.
int stopGroup(pid_t pid) {
    ::kill(-pid, SIGTERM);
    auto deadline = Clock::now() + kGrace;
    int status = 0;
    while (Clock::now() < deadline) {
        if (::waitpid(pid, &status, WNOHANG) == pid) return status;
        std::this_thread::sleep_for(kPoll);
    }
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return status;
}

void record(CommandResult& r, int status) {
    if (WIFEXITED(status)) r.exitCode = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
}

}  // namespace

CommandResult runCommand(const std::string& command, const std::map<std::string, std::string>& env,
                         std::chrono::nanoseconds timeout, const volatile bool* stopRequested) {
    CommandResult r;
    pid_t pid = ::fork();
    if (pid < 0) {
        r.error = fmt::format("cannot start `sh -c {}`: {}", command, std::strerror(errno));
        return r;
    }
    if (pid == 0) execShell(command, env);
    ::setpgid(pid, pid);  // also from here, so the group exists before any kill
    auto deadline = Clock::now() + timeout;
    int status = 0;
    while (true) {
        pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) break;
        if (stopRequested && *stopRequested) {
            r.interrupted = true;
            status = stopGroup(pid);
            break;
        }
        if (timeout > std::chrono::nanoseconds::zero() && Clock::now() >= deadline) {
            r.timedOut = true;
            status = stopGroup(pid);
            break;
        }
        std::this_thread::sleep_for(kPoll);
    }
    record(r, status);
    return r;
}

std::string describe(const CommandResult& r) {
    if (!r.error.empty()) return r.error;
    if (r.timedOut) return "timed out (killed)";
    if (r.interrupted) return "interrupted (killed)";
    if (r.signal) return fmt::format("killed by signal {}", r.signal);
    if (r.exitCode == 127) return "exit 127 (command not found?)";
    return fmt::format("exit {}", r.exitCode);
}

}  // namespace shift::proc
