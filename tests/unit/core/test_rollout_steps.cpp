#include <doctest/doctest.h>

#include <numeric>

#include "core/rollout_steps.hpp"

using namespace shift;

namespace {
core::RuleSplit split(std::vector<std::pair<std::string, long long>> weights) {
    core::RuleSplit s;
    s.rule = "http[0]";
    for (auto& [key, w] : weights) s.destinations.push_back({key, "reviews", key, std::nullopt, w});
    return s;
}
std::string text(const core::Step& step) { return core::describe(step.request); }
}  // namespace

TEST_SUITE("core::rollout_steps") {
    TEST_CASE("--steps: rising percentages, a % allowed") {
        CHECK(*core::parseSteps("10,25,50,100") == std::vector<long long>{10, 25, 50, 100});
        CHECK(*core::parseSteps("5%,100%") == std::vector<long long>{5, 100});
        CHECK(core::parseSteps("10,10").error().message ==
              "--steps 10,10: steps must rise (10 after 10); write e.g. --steps 10,25,50,100");
        CHECK(core::parseSteps("50,20").error().message.find("steps must rise (20 after 50)") !=
              std::string::npos);
        for (const char* bad : {"", "10,", "abc", "101", "-5", "10;20"}) {
            CAPTURE(std::string(bad));
            CHECK_FALSE(core::parseSteps(bad).ok());
        }
    }
    TEST_CASE("two destinations: KEY takes the step, the other the rest") {
        auto plan = core::planSteps(split({{"v1", 100}}), "v3", {10, 50, 100});
        REQUIRE(plan.ok());
        REQUIRE(plan->steps.size() == 3);
        CHECK(text(plan->steps[0]) == "v3=10 v1=90");
        CHECK(text(plan->steps[1]) == "v3=50 v1=50");
        CHECK(text(plan->steps[2]) == "v3=100 v1=0");
        CHECK_FALSE(plan->endsBelowFull);
        CHECK(plan->notes.empty());
    }
    TEST_CASE("three destinations keep their proportions; rounding always sums to 100") {
        auto plan = core::planSteps(split({{"v1", 60}, {"v2", 30}, {"v3", 10}}), "v3", {25, 50, 75, 100});
        REQUIRE(plan.ok());
        // 75 in 60:30 is 50:25; 50 is 33.3:16.7 -> 33+17 (the larger remainder gets the point).
        CHECK(text(plan->steps[0]) == "v3=25 v1=50 v2=25");
        CHECK(text(plan->steps[1]) == "v3=50 v1=33 v2=17");
        CHECK(text(plan->steps[2]) == "v3=75 v1=17 v2=8");
        for (const auto& step : plan->steps) {
            long long sum = 0;
            for (const auto& w : step.request.weights) sum += w.weight;
            CHECK(sum == 100);
        }
    }
    TEST_CASE("equal remainders go to the earlier destination; others at 0 share equally") {
        auto plan = core::planSteps(split({{"a", 50}, {"b", 50}}), "c", {1});
        CHECK(text(plan->steps[0]) == "c=1 a=50 b=49");
        auto zero = core::planSteps(split({{"c", 100}, {"a", 0}, {"b", 0}}), "c", {100});
        CHECK(zero->steps.empty());
    }
    TEST_CASE("steps at or below the current share are skipped, so a rerun continues where it stopped") {
        auto plan = core::planSteps(split({{"v1", 75}, {"v3", 25}}), "v3", {10, 25, 50, 100});
        REQUIRE(plan.ok());
        CHECK(plan->skipped == std::vector<long long>{10, 25});
        REQUIRE(plan->steps.size() == 2);
        CHECK(text(plan->steps[0]) == "v3=50 v1=50");
        CHECK(plan->notes == std::vector<std::string>{"v3 already has 25%: steps 10%, 25% skipped"});
    }
    TEST_CASE("steps that end below 100 say so") {
        auto plan = core::planSteps(split({{"v1", 100}}), "v3", {10, 20});
        REQUIRE(plan.ok());
        CHECK(plan->endsBelowFull);
        CHECK(plan->notes.back() == "the rollout ends with v3 at 20%, not 100% (--steps ends at 20)");
    }
    TEST_CASE("a step below 100 with no other destination is an error") {
        auto plan = core::planSteps(split({{"v3", 10}}), "v3", {50, 100});
        REQUIRE_FALSE(plan.ok());
        CHECK(plan.error().message ==
              "http[0]: no destination besides v3 to keep the other 50% at step 50%; add one or end --steps "
              "at 100");
    }
}

TEST_SUITE("core::rollout_steps pin") {
    TEST_CASE("a pinned destination keeps its share at every step; the others give the traffic") {
        auto plan =
            core::planSteps(split({{"legacy", 20}, {"v1", 60}, {"v2", 20}}), "v3", {10, 40, 80}, {"legacy"});
        REQUIRE(plan.ok());
        REQUIRE(plan->steps.size() == 3);
        CHECK(text(plan->steps[0]) == "v3=10 v1=53 v2=17 legacy=20");
        CHECK(text(plan->steps[1]) == "v3=40 v1=30 v2=10 legacy=20");
        CHECK(text(plan->steps[2]) == "v3=80 v1=0 v2=0 legacy=20");
        CHECK_FALSE(plan->endsBelowFull);  // 80 is all that is not pinned
        CHECK(plan->steps[0].request.pins == std::vector<std::string>{"legacy"});
    }
    TEST_CASE("a step that needs the pinned share is an error at plan time naming the pin") {
        auto plan = core::planSteps(split({{"legacy", 20}, {"v1", 80}}), "v3", {10, 25, 50, 100}, {"legacy"});
        REQUIRE_FALSE(plan.ok());
        CHECK(plan.error().message ==
              "step 100% needs 20% of pinned traffic (legacy at 20%); end --steps at 80 or drop --pin");
    }
    TEST_CASE("a pin must name another destination of the route") {
        auto s = split({{"legacy", 20}, {"v1", 80}});
        CHECK(core::planSteps(s, "v3", {10}, {"v9"}).error().message ==
              "--pin v9: http[0] has no destination \"v9\"; name one of: legacy, v1");
        CHECK(core::planSteps(s, "v1", {90}, {"v1"}).error().message ==
              "--pin v1 is the destination --to moves; pin another one");
    }
}
