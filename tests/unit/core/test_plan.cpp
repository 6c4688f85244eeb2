#include <doctest/doctest.h>

#include "core/locate.hpp"
#include "core/plan.hpp"
#include "helpers.hpp"
#include "mesh_helpers.hpp"

using namespace shift;

namespace {
Result<core::ShiftPlan> planFor(const std::string& route, std::vector<std::string> args) {
    auto s = test::yaml(test::reviews(route));
    return core::planShift(s.docs.at(0), test::request(std::move(args)), {}, nullptr);
}
}  // namespace

TEST_SUITE("core::shift") {
    TEST_CASE("valid weights now, every destination named: no warning") {
        auto p = planFor(test::kHalf, {"v1=0", "v3=100"});
        REQUIRE(p.ok());
        CHECK(p->warnings.empty());
        CHECK(p->changed);
        REQUIRE(p->rules.size() == 1);
    }
    TEST_CASE("weights the API server accepted but Istio rejects are named, and replaced") {
        const std::string negative =
            "    - destination: {host: reviews, subset: v1}\n      weight: -10\n"
            "    - destination: {host: reviews, subset: v3}\n      weight: 110\n";
        auto p = planFor(negative, {"v1=50", "v3=50"});
        REQUIRE(p.ok());
        REQUIRE(p->warnings.size() == 1);
        CHECK(p->warnings[0] ==
              "VirtualService istio-demo/reviews http[0] has invalid weights now (v1=-10 v3=110: each must "
              "be 0 to "
              "100); this shift replaces them");
        CHECK(p->rules[0].destinations[0].after == 50);

        const std::string short90 =
            "    - destination: {host: reviews, subset: v1}\n      weight: 60\n"
            "    - destination: {host: reviews, subset: v3}\n      weight: 30\n";
        auto q = planFor(short90, {"v1=50", "v3=50"});
        REQUIRE(q.ok());
        REQUIRE(q->warnings.size() == 1);
        CHECK(q->warnings[0].find("(v1=60 v3=30: they sum to 90, not 100)") != std::string::npos);
    }
    TEST_CASE("the invalid-weights warning survives the subset check (DestinationRules given)") {
        const std::string negative =
            "    - destination: {host: reviews, subset: v1}\n      weight: -10\n"
            "    - destination: {host: reviews, subset: v3}\n      weight: 110\n";
        auto vsDoc = test::yaml(test::reviews(negative));
        auto check = [&](const std::string& rulesYaml) {
            test::MeshFixture fixture(rulesYaml);
            auto p = core::planShift(vsDoc.docs.at(0), test::request({"v1=50", "v3=50"}), {}, &fixture.mesh);
            REQUIRE(p.ok());
            return p->warnings;
        };
        SUBCASE("the rule defines both subsets: the weight warning alone") {
            auto w = check(
                "kind: DestinationRule\nmetadata: {name: reviews, namespace: istio-demo}\n"
                "spec: {host: reviews, subsets: [{name: v1}, {name: v3}]}\n");
            REQUIRE(w.size() == 1);
            CHECK(w[0].find("has invalid weights now (v1=-10 v3=110") != std::string::npos);
        }
    }
    TEST_CASE("a failing rule fails the whole plan") {
        auto p = planFor(test::kHalf, {"v2=30"});
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message.find("sum to 30, not 100") != std::string::npos);
    }
    TEST_CASE("a full request that drops a destination carrying traffic says so, with its share") {
        const std::string three =
            "    - destination: {host: reviews, subset: v1}\n      weight: 60\n"
            "    - destination: {host: reviews, subset: v2}\n      weight: 30\n"
            "    - destination: {host: reviews, subset: v3}\n      weight: 10\n";
        auto p = planFor(three, {"v1=50", "v3=50"});
        REQUIRE(p.ok());
        REQUIRE(p->warnings.size() == 1);
        CHECK(p->warnings[0] ==
              "v2 (30%) is not in the request and is removed; name it as v2=0 to make that explicit");
        SUBCASE("named as =0 it is explicit: no notice") {
            auto q = planFor(three, {"v1=50", "v2=0", "v3=50"});
            REQUIRE(q.ok());
            CHECK(q->warnings.empty());
        }
        SUBCASE("a destination at 0 now carries nothing: no notice") {
            const std::string zero =
                "    - destination: {host: reviews, subset: v1}\n      weight: 100\n"
                "    - destination: {host: reviews, subset: v2}\n      weight: 0\n";
            auto q = planFor(zero, {"v3=100"});
            REQUIRE(q.ok());
            REQUIRE(q->warnings.size() == 1);
            CHECK(q->warnings[0].rfind("v1 (100%) is not in the request", 0) == 0);
        }
        SUBCASE("--keep-zero keeps it at 0, and says so") {
            core::ShiftOptions keep;
            keep.split.keepZero = true;
            auto s = test::yaml(test::reviews(three));
            auto q = core::planShift(s.docs.at(0), test::request({"v1=50", "v3=50"}), keep, nullptr);
            REQUIRE(q.ok());
            REQUIRE(q->warnings.size() == 1);
            CHECK(q->warnings[0] ==
                  "v2 (30%) is not in the request and is set to 0; name it as v2=0 to make that explicit");
        }
    }
}
