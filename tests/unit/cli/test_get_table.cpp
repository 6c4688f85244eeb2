#include <doctest/doctest.h>

#include "get_table.hpp"

using namespace shift;

namespace {

core::SplitReport reviews() {
    core::SplitReport r;
    r.ns = "demo";
    r.name = "reviews";
    r.rules = {core::RuleSplit{
        "http[0]", "", {{"v1", "reviews", "v1", std::nullopt, 75}, {"v3", "reviews", "v3", 9080, 25}}}};
    return r;
}

}  // namespace

TEST_CASE("get's table: one row per destination, kubectl's columns") {
    CHECK(cli::splitTable({reviews()}, {}) ==
          "NAME      RULE      KEY   HOST      SUBSET   PORT   WEIGHT\n"
          "reviews   http[0]   v1    reviews   v1       -      75\n"
          "reviews   http[0]   v3    reviews   v3       9080   25\n");
}

TEST_CASE("get's table: a named rule, -A's NAMESPACE, a host key without subset") {
    auto r = reviews();
    r.rules = {core::RuleSplit{
        "http[1]", "canary", {{"ratings.prod.svc", "ratings.prod.svc", "", std::nullopt, 100}}}};
    CHECK(cli::splitTable({r}, {true, false, false}) ==
          "NAMESPACE   NAME      RULE     KEY                HOST               SUBSET   PORT   WEIGHT\n"
          "demo        reviews   canary   ratings.prod.svc   ratings.prod.svc   -        -      100\n");
}

TEST_CASE("get's table: bars on a terminal, ROLLOUT when any object is in one") {
    auto moving = reviews();
    moving.name = "ratings";
    moving.rollout = core::RolloutMark{"ana@laptop pid 42", "shift rollout", 2, 4, {}, {}};
    CHECK(cli::rolloutText(moving) == "step 2/4 by ana@laptop pid 42");
    CHECK(cli::rolloutText(reviews()).empty());
    auto text = cli::splitTable({reviews(), moving}, {false, true, false});
    CHECK(text ==
          "NAME      RULE      KEY   HOST      SUBSET   PORT   WEIGHT                          ROLLOUT\n"
          "reviews   http[0]   v1    reviews   v1       -      75       ###############.....   -\n"
          "reviews   http[0]   v3    reviews   v3       9080   25       #####...............   -\n"
          "ratings   http[0]   v1    reviews   v1       -      75       ###############.....   step 2/4 by "
          "ana@laptop pid 42\n"
          "ratings   http[0]   v3    reviews   v3       9080   25       #####...............   step 2/4 by "
          "ana@laptop pid 42\n");
}
