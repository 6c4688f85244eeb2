#include <doctest/doctest.h>

#include "core/subsets.hpp"
#include "mesh_helpers.hpp"

using namespace shift;
using test::rule;

namespace {
const std::string kRule =
    rule("reviews", "istio-demo", "reviews.istio-demo.svc.cluster.local", "[{name: v1}, {name: v2}]");

Result<core::ShiftPlan> check(std::vector<std::string> args, const std::string& mesh,
                              const std::string& route = test::kAllV1) {
    auto vsDoc = test::yaml(test::reviews(route));
    test::MeshFixture m(mesh);
    return core::planShift(vsDoc.docs.at(0), test::request(std::move(args)), {}, &m.mesh);
}
}  // namespace

TEST_SUITE("core::subsets") {
    TEST_CASE("a defined subset passes; short and long host names meet") {
        auto p = check({"v1=50", "v2=50"}, kRule);
        REQUIRE(p.ok());
        CHECK(p->warnings.empty());
    }
    TEST_CASE("an undefined subset is an error listing the defined ones") {
        auto p = check({"v1=50", "v3=50"}, kRule);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message ==
              "subset \"v3\" of host reviews is not defined by its DestinationRule (defined: v1, v2); Istio "
              "would answer 503 — define it first, or pass --no-validate");
    }
    TEST_CASE("a subset of a host no DestinationRule covers is an error, not a warning (Istio answers 503)") {
        auto p = check({"v1=50", "v3=50"}, rule("x", "istio-demo", "ratings", "[{name: v3}]"));
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message ==
              "subset \"v1\" of host reviews: no DestinationRule for reviews.istio-demo.svc.cluster.local in "
              "namespace istio-demo, the service's or istio-system defines subsets; Istio would answer 503 — "
              "create one with subset v1, or pass --no-validate");
    }
    TEST_CASE("a wildcard DestinationRule defines the subsets of every host it covers") {
        auto p = check({"v1=50", "v2=50"}, rule("all", "istio-demo", "*.istio-demo.svc.cluster.local",
                                                "[{name: v1}, {name: v2}]"));
        REQUIRE(p.ok());
        auto q = check({"v1=50", "v3=50"},
                       rule("all", "istio-demo", "*.istio-demo.svc.cluster.local", "[{name: v1}]"));
        REQUIRE_FALSE(q.ok());
        CHECK(q.error().message.find("(defined: v1)") != std::string::npos);
    }
    TEST_CASE("the root namespace's DestinationRule counts, and exportTo is honoured") {
        auto root =
            rule("r", "istio-system", "reviews.istio-demo.svc.cluster.local", "[{name: v1}, {name: v3}]");
        CHECK(check({"v1=50", "v3=50"}, root).ok());
        auto privateRoot = rule("r", "istio-system", "reviews.istio-demo.svc.cluster.local",
                                "[{name: v1}, {name: v3}]", "[\".\"]");
        CHECK_FALSE(check({"v1=50", "v3=50"}, privateRoot).ok());
    }
    TEST_CASE("hostsWithoutRule names what a caller must read on for") {
        auto vsDoc = test::yaml(test::reviews(test::kAllV1));
        auto plan = core::planShift(vsDoc.docs.at(0), test::request({"v1=50", "v3=50"}), {}, nullptr);
        REQUIRE(plan.ok());
        test::MeshFixture none("");
        CHECK(core::hostsWithoutRule(plan->vs, plan->rules, none.mesh) ==
              std::vector<std::string>{"reviews.istio-demo.svc.cluster.local"});
        test::MeshFixture some(kRule);
        CHECK(core::hostsWithoutRule(plan->vs, plan->rules, some.mesh).empty());
    }
    TEST_CASE("no check at all without a mesh (--no-validate)") {
        auto vsDoc = test::yaml(test::reviews(test::kAllV1));
        auto p = core::planShift(vsDoc.docs.at(0), test::request({"v9=100"}), {}, nullptr);
        REQUIRE(p.ok());
    }
}
