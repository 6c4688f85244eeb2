#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "proc/signals.hpp"

using namespace std::chrono_literals;

TEST_SUITE("proc::signals") {
    // In a child process: the handlers and their flag are process-wide, and a second signal exits.
    TEST_CASE("a first SIGINT ends a sleep early; a second exits at once with the prepared message") {
        int pipefd[2];
        REQUIRE(::pipe(pipefd) == 0);
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::dup2(pipefd[1], STDERR_FILENO);
            shift::proc::watchSignals("second signal: stopping now");
            std::thread([] {
                std::this_thread::sleep_for(50ms);
                ::kill(::getpid(), SIGINT);
            }).detach();
            bool completed = shift::proc::sleepUnlessStopped(20s);
            if (completed || !shift::proc::stopped() || shift::proc::stopSignal() != SIGINT) ::_exit(1);
            ::kill(::getpid(), SIGTERM);
            std::this_thread::sleep_for(5s);
            ::_exit(2);  // not reached: the second signal exits
        }
        ::close(pipefd[1]);
        int status = 0;
        ::waitpid(pid, &status, 0);
        char buf[128] = {};
        auto n = ::read(pipefd[0], buf, sizeof buf - 1);
        ::close(pipefd[0]);
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 128 + SIGTERM);
        CHECK(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0) == "second signal: stopping now\n");
    }
}
