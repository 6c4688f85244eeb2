#include <doctest/doctest.h>

#include "core/locate.hpp"
#include "core/subsets.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {
const std::string kRule =
    "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: "
    "istio-demo}\n"
    "spec:\n  host: reviews.istio-demo.svc.cluster.local\n  subsets:\n  - name: v1\n  - name: v2\n";

Result<core::ShiftPlan> check(std::vector<std::string> args, const std::string& rules) {
    auto vsDoc = test::yaml(test::reviews(test::kAllV1));
    auto drDoc = test::yaml(rules);
    std::vector<const doc::Node*> drs;
    for (const auto& at : core::findKind(drDoc.docs, "DestinationRule"))
        drs.push_back(&core::objectAt(drDoc.docs, at));
    return core::planShift(vsDoc.docs.at(0), test::request(std::move(args)), {}, &drs);
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
              "would "
              "answer 503 — define it first, or pass --no-validate");
    }
    TEST_CASE("a host without DestinationRule is a warning") {
        auto p = check(
            {"v1=50", "v3=50"},
            "kind: DestinationRule\nmetadata: {name: x}\nspec: {host: ratings, subsets: [{name: v3}]}\n");
        REQUIRE(p.ok());
        REQUIRE(p->warnings.size() == 1);
        CHECK(p->warnings[0] == "no DestinationRule for host reviews found; subsets v1, v3 not checked");
    }
    TEST_CASE("no check at all without DestinationRules (--no-validate)") {
        auto vsDoc = test::yaml(test::reviews(test::kAllV1));
        auto p = core::planShift(vsDoc.docs.at(0), test::request({"v9=100"}), {}, nullptr);
        REQUIRE(p.ok());
        CHECK(p->warnings.empty());
    }
}
