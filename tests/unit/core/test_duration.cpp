#include <doctest/doctest.h>

#include "core/duration.hpp"

using namespace std::chrono_literals;
using shift::core::Duration;
using shift::core::formatDuration;
using shift::core::parseDuration;

TEST_SUITE("core::duration") {
    TEST_CASE("kubectl's durations, as Go parses them") {
        CHECK(*parseDuration("0", "--x") == Duration::zero());
        CHECK(*parseDuration("500ms", "--x") == 500ms);
        CHECK(*parseDuration("30s", "--x") == 30s);
        CHECK(*parseDuration("2m", "--x") == 2min);
        CHECK(*parseDuration("1h30m", "--x") == 90min);
        CHECK(*parseDuration("1.5s", "--x") == 1500ms);
        CHECK(*parseDuration("2m30.5s", "--x") == 150500ms);
        CHECK(*parseDuration("10us", "--x") == 10us);
        CHECK(*parseDuration("7ns", "--x") == 7ns);
        CHECK(*parseDuration("0s", "--x") == Duration::zero());
    }
    TEST_CASE("a plain number is seconds, as kubectl's --request-timeout takes it") {
        CHECK(*parseDuration("5", "--x") == 5s);
        CHECK(*parseDuration("0.25", "--x") == 250ms);
    }
    TEST_CASE("malformed, negative or empty durations name the flag and the fix") {
        for (std::string bad : {"5x", "s", "1m5", "abc", "1..5s", ".", "5 s"}) {
            CAPTURE(bad);
            auto r = parseDuration(bad, "--request-timeout");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message ==
                  "invalid --request-timeout \"" + bad +
                      "\": not a duration; use a duration such as 500ms, 30s, 2m, 1h30m or 0");
            CHECK(r.error().exit == 2);
        }
        CHECK(parseDuration("-1s", "--interval").error().message ==
              "invalid --interval \"-1s\": negative; use a duration such as 500ms, 30s, 2m, 1h30m or 0");
        CHECK(parseDuration("", "--interval").error().message.find("empty") != std::string::npos);
        CHECK(parseDuration("999999999h", "--interval").error().message.find("too long") !=
              std::string::npos);
    }
    TEST_CASE("formatDuration spells durations as Go does") {
        CHECK(formatDuration(Duration::zero()) == "0s");
        CHECK(formatDuration(500ms) == "500ms");
        CHECK(formatDuration(30s) == "30s");
        CHECK(formatDuration(90s) == "1m30s");
        CHECK(formatDuration(1h + 2min + 3s) == "1h2m3s");
        CHECK(formatDuration(1500ms) == "1.5s");
    }
}
