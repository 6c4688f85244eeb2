#include <doctest/doctest.h>

#include "core/undo.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {
core::Revision rev(long long n, std::vector<core::RuleRecord> rules) {
    core::Revision r;
    r.number = n;
    r.rules = std::move(rules);
    return r;
}
core::VirtualService vs() {
    auto s = test::yaml(test::reviews(test::kHalf));
    return *core::readVirtualService(s.docs.at(0));
}
}  // namespace

TEST_SUITE("core::undo") {
    TEST_CASE("undo returns to the revision before the last") {
        std::vector<core::Revision> h{rev(1, {{"http[0]", "v1=100"}}), rev(2, {{"http[0]", "v1=90,v3=10"}}),
                                      rev(3, {{"http[0]", "v1=50,v3=50"}})};
        auto plan = core::planUndo(vs(), h, std::nullopt);
        REQUIRE(plan.ok());
        CHECK(plan->revision == 2);
        REQUIRE(plan->rules.size() == 1);
        CHECK(plan->rules[0].selector == "http:0");
        CHECK(core::describe(plan->rules[0].request) == "v1=90 v3=10");
        auto to1 = core::planUndo(vs(), h, 1);
        REQUIRE(to1.ok());
        CHECK(core::describe(to1->rules[0].request) == "v1=100");
    }
    TEST_CASE("a revision not kept, no earlier revision, or a rule gone is an error that changes nothing") {
        std::vector<core::Revision> h{rev(4, {{"http[0]", "v1=100"}}), rev(5, {{"http[0]", "v1=50,v3=50"}})};
        CHECK(core::planUndo(vs(), h, 2).error().message ==
              "revision 2 is not in the history of VirtualService istio-demo/reviews (kept: 4 to 5); see "
              "`kubectl "
              "shift history reviews -n istio-demo`");
        CHECK(core::planUndo(vs(), {h[0]}, std::nullopt).error().message.find("has no earlier revision") !=
              std::string::npos);
        CHECK(core::planUndo(vs(), {}, 1).error().message ==
              "VirtualService istio-demo/reviews has no history: shift has not changed it yet, so there is "
              "nothing to undo");
        std::vector<core::Revision> gone{rev(1, {{"http[3]", "v1=100"}}),
                                         rev(2, {{"http[0]", "v1=50,v3=50"}})};
        CHECK(core::planUndo(vs(), gone, std::nullopt).error().message ==
              "revision 1 sets rule http[3] of VirtualService istio-demo/reviews, which no longer exists; "
              "nothing changed — see `kubectl shift history reviews -n istio-demo` for another revision, or "
              "set the split with `kubectl shift set`");
    }
    TEST_CASE("a split string reads back as a request") {
        CHECK(core::describe(*core::requestOfSplit("v1=75,v3=25")) == "v1=75 v3=25");
        CHECK_FALSE(core::requestOfSplit("v1=75,,v3").ok());
    }
    TEST_CASE("a restore plans every recorded rule into one plan; a recorded 0 keeps its destination") {
        auto two = test::yaml(test::reviews(test::kHalf) + "  - route:\n" + test::kHalf);
        core::UndoPlan undo{
            2, {{"http:0", test::request({"v1=100"})}, {"http:1", test::request({"v1=0", "v3=100"})}}};
        auto plan = core::planRestore(two.docs.at(0), undo, {});
        REQUIRE(plan.ok());
        CHECK(plan->changed);
        REQUIRE(plan->rules.size() == 2);
        CHECK(plan->rules[0].rule == 0);
        CHECK(plan->rules[1].rule == 1);
        CHECK(plan->rules[0].destinations.size() == 2);  // v3 removed: the revision did not have it
        CHECK(plan->rules[0].destinations[1].action == core::DestinationPlan::Action::Remove);
        CHECK(plan->rules[1].destinations[0].action != core::DestinationPlan::Action::Remove);
        CHECK(plan->rules[1].destinations[0].afterShare == 0);

        CHECK_FALSE(core::planRestore(two.docs.at(0), {3, {}}, {}).ok());
    }
}
