#include <doctest/doctest.h>

#include "prom/observed.hpp"

using shift::prom::Answer;
using shift::prom::compareSplit;

namespace {

Answer byVersion(std::initializer_list<std::pair<const char*, double>> rates) {
    Answer a;
    for (const auto& [v, r] : rates) a.samples.push_back({{{"destination_version", v}}, r});
    return a;
}

}  // namespace

TEST_SUITE("prom::observed") {
    TEST_CASE("traffic that follows the split matches within the tolerance") {
        auto c = compareSplit({{"v1", "v1", 90}, {"v3", "v3", 10}}, byVersion({{"v1", 8.8}, {"v3", 1.2}}),
                              "destination_version", 5);
        CHECK(c.matches);
        CHECK(c.requestsPerSecond == doctest::Approx(10));
        REQUIRE(c.rows.size() == 2);
        CHECK(c.rows[1].observed == doctest::Approx(12));
        CHECK(c.rows[1].diff() == doctest::Approx(2));
        CHECK(shift::prom::mismatch(c, 5, "1m", "--tolerance").empty());
    }
    TEST_CASE("traffic that never moved is off by the whole step") {
        auto c = compareSplit({{"v1", "v1", 50}, {"v3", "v3", 50}}, byVersion({{"v1", 10}}),
                              "destination_version", 5);
        CHECK_FALSE(c.matches);
        CHECK(c.rows[1].observed == 0);
        CHECK(c.rows[1].diff() == -50);
        CHECK(shift::prom::mismatch(c, 5, "1m", "--tolerance") ==
              "the observed split differs from the intended: v3 gets 0.0%, intended 50% (-50.0 points, "
              "--tolerance 5)");
    }
    TEST_CASE("a subset's version label is how its traffic is found, and others are shown") {
        auto c = compareSplit({{"canary", "v3", 100}}, byVersion({{"v3", 9}, {"v2", 1}}),
                              "destination_version", 5);
        CHECK_FALSE(c.matches);
        REQUIRE(c.rows.size() == 2);
        CHECK(c.rows[0].key == "canary");
        CHECK(c.rows[0].observed == doctest::Approx(90));
        CHECK(c.rows[1].key == "v2");
        CHECK(c.rows[1].intended == 0);
    }
    TEST_CASE("no traffic never matches") {
        auto c = compareSplit({{"v1", "v1", 100}}, Answer{}, "destination_version", 5);
        CHECK_FALSE(c.matches);
        CHECK(c.requestsPerSecond == 0);
        CHECK(shift::prom::mismatch(c, 5, "1m", "--tolerance").rfind("no traffic: ", 0) == 0);
    }
}
