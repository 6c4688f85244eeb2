#include <doctest/doctest.h>

#include "core/history.hpp"

using namespace shift;
using namespace std::chrono_literals;

namespace {
core::Revision revision(const std::string& command, const std::string& split) {
    core::Revision r;
    r.time = *core::parseTime("2026-12-01T03:00:00Z");
    r.user = "alice";
    r.command = command;
    r.rules = {{"http[0]", split}};
    return r;
}
}  // namespace

TEST_SUITE("core::history") {
    TEST_CASE("times are RFC 3339 UTC to the second, both ways") {
        auto t = core::parseTime("2026-12-01T03:04:05Z");
        REQUIRE(t);
        CHECK(core::formatTime(*t) == "2026-12-01T03:04:05Z");
        for (const char* bad : {"2026-12-01 03:04:05", "2026-12-01T03:04:05", "2026-13-01T03:04:05Z",
                                "2026-12-01T03:04:05Zjunk", "", "1013-12-01T03:00:00Z",
                                "9999-12-01T03:00:00Z", "2026-12-01T-3:00:00Z"}) {
            CAPTURE(std::string(bad));
            CHECK_FALSE(core::parseTime(bad));
        }
    }
    TEST_CASE("a history round-trips through its annotation value") {
        std::vector<core::Revision> h;
        h = core::appendRevision(h, revision("set reviews v1=100", "v1=100"), 10);
        h = core::appendRevision(h, revision("set reviews v1=90 v3=10", "v1=90,v3=10"), 10);
        REQUIRE(h.size() == 2);
        CHECK(h[0].number == 1);
        CHECK(h[1].number == 2);
        auto value = core::encodeHistory(h);
        CHECK(
            value ==
            R"([{"command":"set reviews v1=100","revision":1,"rules":[{"rule":"http[0]","split":"v1=100"}],)"
            R"("time":"2026-12-01T03:00:00Z","user":"alice"},{"command":"set reviews v1=90 v3=10","revision":2,)"
            R"("rules":[{"rule":"http[0]","split":"v1=90,v3=10"}],"time":"2026-12-01T03:00:00Z","user":"alice"}])");
        auto back = core::decodeHistory(value);
        REQUIRE(back.ok());
        REQUIRE(back->size() == 2);
        CHECK((*back)[1].command == "set reviews v1=90 v3=10");
        CHECK((*back)[1].rules[0].split == "v1=90,v3=10");
        CHECK((*back)[1].time == h[1].time);
    }
    TEST_CASE("the history keeps the last `limit` revisions, numbers keep counting, and stays small") {
        std::vector<core::Revision> h;
        for (int i = 0; i < 25; ++i)
            h = core::appendRevision(h, revision("set", "v1=" + std::to_string(i)), 10);
        REQUIRE(h.size() == 10);
        CHECK(h.front().number == 16);
        CHECK(h.back().number == 25);
        std::vector<core::Revision> big;
        for (int i = 0; i < 100; ++i)
            big = core::appendRevision(big, revision(std::string(5000, 'x'), "v1=1"), 100);
        CHECK(core::encodeHistory(big).size() <= core::kHistoryMaxBytes);
        CHECK(big.back().command.size() == core::kCommandMaxChars);
    }
    TEST_CASE("a value that is not shift's is an error naming the annotation and the fix") {
        for (const char* bad :
             {"", "{}", "[1]", R"([{"revision":1}])", "[{\"revision\":\"x\"}]", "not json",
              R"([{"revision":2,"time":"2026-12-01T03:00:00Z","user":"","command":"","rules":[]},)"
              R"({"revision":1,"time":"2026-12-01T03:00:00Z","user":"","command":"","rules":[]}])"}) {
            CAPTURE(std::string(bad));
            auto r = core::decodeHistory(bad);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.find("annotation traffic-shift.dev/history is not in shift's format") ==
                  0);
            CHECK(r.error().message.find("kubectl annotate virtualservice NAME traffic-shift.dev/history-") !=
                  std::string::npos);
        }
    }
    TEST_CASE("a rollout mark round-trips, and is fresh while its heartbeat is recent") {
        core::RolloutMark m{"alice@ci pid 42",
                            "rollout reviews --to v3",
                            2,
                            4,
                            *core::parseTime("2026-12-01T03:00:00Z"),
                            *core::parseTime("2026-12-01T03:05:00Z")};
        auto back = core::decodeRolloutMark(core::encodeRolloutMark(m));
        REQUIRE(back.ok());
        CHECK(back->holder == m.holder);
        CHECK(back->step == 2);
        CHECK(back->steps == 4);
        CHECK(back->heartbeat == m.heartbeat);
        CHECK(core::isFresh(*back, m.heartbeat + 30s, 60s));
        CHECK_FALSE(core::isFresh(*back, m.heartbeat + 61s, 60s));
        CHECK_FALSE(core::decodeRolloutMark(R"({"holder":"x"})").ok());
        CHECK_FALSE(core::decodeRolloutMark("[]").ok());
    }
}
