#include <doctest/doctest.h>

#include "term/progress.hpp"
#include "term/table.hpp"

using namespace std::chrono_literals;
using shift::term::countdown;
using shift::term::progressLine;
using shift::term::ProgressState;

TEST_SUITE("term::progress") {
    const ProgressState midway{2, 4, "v1=75 v3=25", 25, "next step in 1m20s", "passed"};

    TEST_CASE("the whole line: step, split, the share as a bar, the countdown, the last check") {
        CHECK(progressLine(midway, 100, false, true) ==
              "step 2/4  v1=75 v3=25  ███░░░░░░░  next step in 1m20s  last check: passed");
        CHECK(progressLine(midway, 100, false, false) ==
              "step 2/4  v1=75 v3=25  ###.......  next step in 1m20s  last check: passed");
    }

    TEST_CASE("what is not known yet is left out, without stray separators") {
        ProgressState first{1, 4, "v1=90 v3=10", std::nullopt, "", ""};
        CHECK(progressLine(first, 100, false, true) == "step 1/4  v1=90 v3=10");
    }

    TEST_CASE("a narrow terminal drops the bar, then the last check, then cuts: never wider than asked") {
        std::string full = progressLine(midway, 1000, false, true);
        CHECK(progressLine(midway, 61, false, true) ==
              "step 2/4  v1=75 v3=25  next step in 1m20s  last check: passed");
        CHECK(progressLine(midway, 45, false, true) == "step 2/4  v1=75 v3=25  next step in 1m20s");
        CHECK(progressLine(midway, 20, false, true) == "step 2/4  v1=75 v3=2");
        CHECK(progressLine(midway, 10, false, true) == "step 2/4");  // no trailing space
        for (std::size_t w = 0; w <= shift::term::width(full) + 1; ++w)
            CHECK(shift::term::width(progressLine(midway, w, false, true)) <= w);
    }

    TEST_CASE("colour: the step bold, the bar green, a passed check green and a failed one red") {
        auto line = progressLine(midway, 100, true, true);
        CHECK(line.find("\x1b[1mstep 2/4\x1b[0m") != std::string::npos);
        CHECK(line.find("\x1b[32m███░░░░░░░\x1b[0m") != std::string::npos);
        CHECK(line.find("last check: \x1b[32mpassed\x1b[0m") != std::string::npos);
        ProgressState failed = midway;
        failed.lastCheck = "failed";
        CHECK(progressLine(failed, 100, true, true).find("\x1b[31mfailed\x1b[0m") != std::string::npos);
        CHECK(progressLine(midway, 100, false, true).find('\x1b') == std::string::npos);
    }

    TEST_CASE("colour does not count towards the width") {
        CHECK(progressLine(midway, 60, true, true).find("███") == std::string::npos);
        CHECK(progressLine(midway, 100, true, true).find("███") != std::string::npos);
    }

    TEST_CASE("the countdown is rounded up to the second") {
        CHECK(countdown(0s) == "0s");
        CHECK(countdown(-3s) == "0s");
        CHECK(countdown(1ms) == "1s");
        CHECK(countdown(1000ms) == "1s");
        CHECK(countdown(1001ms) == "2s");
        CHECK(countdown(59s) == "59s");
        CHECK(countdown(80s) == "1m20s");
        CHECK(countdown(65s) == "1m05s");
        CHECK(countdown(3600s + 5 * 60s + 1s) == "1h05m");
    }

    TEST_CASE("the width of something that is not a terminal is unknown") {
        CHECK(shift::term::columns(-1) == 0);
    }
}
