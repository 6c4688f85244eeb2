#include <doctest/doctest.h>

#include "core/split.hpp"
#include "helpers.hpp"

using namespace shift;
using Action = core::DestinationPlan::Action;

namespace {

Result<core::RulePlan> plan(const std::string& route, std::vector<std::string> args,
                            core::SplitOptions o = {}) {
    auto s = test::yaml(test::reviews(route));
    auto vs = core::readVirtualService(s.docs.at(0));
    REQUIRE(vs.ok());
    return core::planSplit(*vs, 0, test::request(std::move(args)), o);
}

// "v1:50>50 v3:-" style rendering of a plan: key, weight field before and after.
std::string show(const core::RulePlan& p) {
    std::string out;
    auto w = [](const std::optional<long long>& v) { return v ? std::to_string(*v) : std::string("-"); };
    for (const auto& d : p.destinations) {
        if (!out.empty()) out += ' ';
        out += d.key + ":";
        if (d.action == Action::Add) out += "+";
        if (d.action == Action::Remove) out += "x";
        out += w(d.before) + ">" + w(d.after);
    }
    return out;
}

}  // namespace

TEST_SUITE("core::split") {
    TEST_CASE("the bookinfo rollout: all v1 -> 50/50 -> all v3") {
        auto half = plan(test::kAllV1, {"v1=50", "v3=50"});
        REQUIRE(half.ok());
        CHECK(show(*half) == "v1:->50 v3:+->50");
        CHECK(half->changed);
        CHECK(half->destinations[1].host == "reviews");
        CHECK(half->destinations[1].subset == "v3");
        CHECK(half->destinations[1].from == 0);

        auto v3 = plan(test::kHalf, {"v3=100"});
        REQUIRE(v3.ok());
        // v1 is dropped; the lone v3 loses its weight, as in Istio's samples.
        CHECK(show(*v3) == "v1:x50>- v3:50>-");
    }
    TEST_CASE("partial request: the one unlisted destination takes the rest") {
        auto p = plan(test::kAllV1, {"v3=10"});
        REQUIRE(p.ok());
        CHECK(show(*p) == "v1:->90 v3:+->10");
        CHECK(p->destinations[0].beforeShare == 100);
        CHECK(p->destinations[0].afterShare == 90);
    }
    TEST_CASE("full request: unlisted destinations are removed") {
        auto p = plan(test::kHalf, {"v1=100"});
        REQUIRE(p.ok());
        CHECK(show(*p) == "v1:50>- v3:x50>-");
    }
    TEST_CASE("zero removes unless --keep-zero; --explicit-weights keeps weight: 100") {
        auto p = plan(test::kHalf, {"v1=0", "v3=100"});
        REQUIRE(p.ok());
        CHECK(show(*p) == "v1:x50>- v3:50>-");
        auto keep = plan(test::kHalf, {"v1=0", "v3=100"}, {true, false});
        REQUIRE(keep.ok());
        CHECK(show(*keep) == "v1:50>0 v3:50>100");
        auto explicitOne = plan(test::kAllV1, {"v1=100"}, {false, true});
        REQUIRE(explicitOne.ok());
        CHECK(show(*explicitOne) == "v1:->100");
        CHECK(explicitOne->changed);
    }
    TEST_CASE("a request that changes nothing") {
        auto p = plan(test::kHalf, {"v1=50", "v3=50"});
        REQUIRE(p.ok());
        CHECK_FALSE(p->changed);
        auto same = plan(test::kAllV1, {"v1=100"});
        REQUIRE(same.ok());
        CHECK_FALSE(same->changed);
        auto zeroNew = plan(test::kAllV1, {"v1=100", "v2=0"});
        REQUIRE(zeroNew.ok());
        CHECK_FALSE(zeroNew->changed);
    }
    TEST_CASE("sums other than 100 name the sum and the fix") {
        auto over = plan(test::kHalf, {"v1=60", "v3=50"});
        REQUIRE_FALSE(over.ok());
        CHECK(over.error().message ==
              "VirtualService istio-demo/reviews http[0]: weights v1=60 v3=50 sum to 110, not 100; lower "
              "them by 10");
        auto under = plan(test::kHalf, {"v1=60", "v3=30"});
        REQUIRE_FALSE(under.ok());
        CHECK(under.error().message.find("sum to 90, not 100; raise one of them by 10") != std::string::npos);
        auto two = plan(test::kHalf, {"v2=30"});
        REQUIRE_FALSE(two.ok());
        CHECK(two.error().message.find("give the missing 70 to one of v1, v3 (e.g. v1=70)") !=
              std::string::npos);
    }
    TEST_CASE("new destinations copy their host's destination and keep request order") {
        const std::string ported =
            "    - destination:\n        host: reviews\n        subset: v1\n        port:\n          number: "
            "9080\n"
            "      headers:\n        request:\n          set: {x: y}\n";
        auto p = plan(ported, {"v3=20", "v2=30"});
        REQUIRE(p.ok());
        CHECK(show(*p) == "v1:->50 v3:+->20 v2:+->30");
    }
    TEST_CASE("host-keyed destinations and HOST/SUBSET keys") {
        const std::string hosts = "    - destination: {host: reviews-v1}\n      weight: 100\n";
        auto p = plan(hosts, {"reviews-v1=80", "reviews-v2=20"});
        REQUIRE(p.ok());
        CHECK(show(*p) == "reviews-v1:100>80 reviews-v2:+->20");
        CHECK(p->destinations[1].host == "reviews-v2");
        CHECK(p->destinations[1].subset.empty());

        auto fq = plan(hosts, {"reviews-v1.istio-demo.svc.cluster.local=100"});
        REQUIRE(fq.ok());
        CHECK_FALSE(fq->changed);

        auto slash = plan(test::kHalf, {"reviews/v1=30", "reviews.istio-demo.svc.cluster.local/v3=70"});
        REQUIRE(slash.ok());
        CHECK(show(*slash) == "reviews/v1:50>30 reviews.istio-demo.svc.cluster.local/v3:50>70");
    }
    TEST_CASE("ambiguous keys ask for HOST/SUBSET") {
        const std::string twoHosts =
            "    - destination: {host: reviews, subset: v1}\n      weight: 50\n"
            "    - destination: {host: ratings, subset: v1}\n      weight: 50\n";
        auto both = plan(twoHosts, {"v1=100"});
        REQUIRE_FALSE(both.ok());
        CHECK(both.error().message.find("\"v1\" matches 2 destinations (reviews/v1, ratings/v1); name one as "
                                        "HOST/SUBSET") != std::string::npos);
        auto newOne = plan(twoHosts, {"v2=100"});
        REQUIRE_FALSE(newOne.ok());
        CHECK(newOne.error().message.find(
                  "cannot tell which host the new subset \"v2\" belongs to; write HOST/v2 "
                  "with one of: reviews, ratings") != std::string::npos);
        auto fixed = plan(twoHosts, {"reviews/v1=50", "ratings/v1=25", "ratings/v2=25"});
        REQUIRE(fixed.ok());
        CHECK(show(*fixed) == "reviews/v1:50>50 ratings/v1:50>25 ratings/v2:+->25");
    }
    TEST_CASE("a rule that delegates names the VirtualService to shift instead") {
        auto s = test::yaml(
            "kind: VirtualService\nmetadata: {name: reviews, namespace: istio-demo}\nspec:\n"
            "  http:\n  - delegate: {name: reviews-api, namespace: team-a}\n"
            "  - delegate: {name: reviews-web}\n");
        auto vs = core::readVirtualService(s.docs.at(0));
        REQUIRE(vs.ok());
        auto p = core::planSplit(*vs, 0, test::request({"v1=50", "v2=50"}), {});
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message ==
              "VirtualService istio-demo/reviews http[0] delegates to VirtualService "
              "team-a/reviews-api; shift that one (Istio routes there, not here): kubectl shift reviews-api "
              "-n team-a ...");
        CHECK(p.error().exit == kExitInput);
        // The delegate's namespace defaults to the parent's, as in Istio.
        p = core::planSplit(*vs, 1, test::request({"v1=100"}), {});
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message.find("delegates to VirtualService istio-demo/reviews-web; shift that one "
                                     "(Istio routes there, not here): kubectl shift reviews-web -n "
                                     "istio-demo ...") != std::string::npos);
    }
    TEST_CASE("two keys for one destination") {
        auto p = plan(test::kHalf, {"v1=50", "reviews/v1=50"});
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message.find("\"v1\" and \"reviews/v1\" name the same destination") !=
              std::string::npos);
    }
}
