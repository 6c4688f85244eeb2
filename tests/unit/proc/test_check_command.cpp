#include <doctest/doctest.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "proc/check_command.hpp"

using namespace std::chrono_literals;
using shift::proc::describe;
using shift::proc::runCommand;

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_SUITE("proc::check_command") {
    TEST_CASE("the exit status of sh -c decides, and the variables reach the command") {
        auto out = std::string("/tmp/shift-check-") + std::to_string(::getpid());
        auto r = runCommand("printf '%s %s' \"$SHIFT_STEP\" \"$SHIFT_SPLIT\" > " + out + "; exit 3",
                            {{"SHIFT_STEP", "2"}, {"SHIFT_SPLIT", "v1=75,v3=25"}}, 5s);
        CHECK(r.exitCode == 3);
        CHECK_FALSE(r.timedOut);
        CHECK(describe(r) == "exit 3");
        CHECK(slurp(out) == "2 v1=75,v3=25");
        std::remove(out.c_str());
        CHECK(runCommand("true", {}, 5s).exitCode == 0);
        CHECK(describe(runCommand("no-such-command-xyz 2>/dev/null", {}, 5s)) ==
              "exit 127 (command not found?)");
    }
    TEST_CASE("a command past its timeout is killed with everything it started") {
        auto marker = std::string("/tmp/shift-orphan-") + std::to_string(::getpid());
        auto start = std::chrono::steady_clock::now();
        // The background sleep would touch the marker if it survived the kill of its group.
        auto r = runCommand("(sleep 1; touch " + marker + ") & sleep 30", {}, 200ms);
        CHECK(r.timedOut);
        CHECK(describe(r) == "timed out (killed)");
        CHECK(std::chrono::steady_clock::now() - start < 10s);
        std::this_thread::sleep_for(1500ms);
        CHECK_FALSE(std::ifstream(marker).good());
    }
    TEST_CASE("a stop request kills the running command") {
        volatile bool stop = false;
        std::thread t([&] {
            std::this_thread::sleep_for(100ms);
            stop = true;
        });
        auto r = runCommand("sleep 30", {}, 0s, &stop);
        t.join();
        CHECK(r.interrupted);
        CHECK(describe(r) == "interrupted (killed)");
    }
    TEST_CASE("a command that traps SIGTERM is killed after the grace period") {
        auto r = runCommand("trap '' TERM; sleep 30", {}, 100ms);
        CHECK(r.timedOut);
        CHECK(r.signal == SIGKILL);
    }
}
