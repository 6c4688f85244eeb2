#include <doctest/doctest.h>

#include "core/split.hpp"
#include "core/split_resolve.hpp"
#include "helpers.hpp"

using namespace shift;
using Action = core::DestinationPlan::Action;

namespace {

// A VirtualService reviews whose one rule routes to the subsets given as {subset, weight}.
std::string route(const std::vector<std::pair<std::string, long long>>& subsets) {
    std::string out;
    for (const auto& [subset, weight] : subsets) {
        out += "    - destination:\n        host: reviews\n        subset: " + subset +
               "\n      weight: " + std::to_string(weight) + "\n";
    }
    return out;
}

core::VirtualService vsOf(const std::string& routeYaml) {
    auto s = test::yaml(test::reviews(routeYaml));
    auto vs = core::readVirtualService(s.docs.at(0));
    REQUIRE(vs.ok());
    return *vs;
}

core::VirtualService httpRoute(const std::vector<std::pair<std::string, long long>>& refs) {
    std::string text =
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: reviews\n  namespace: "
        "istio-demo\nspec:\n  rules:\n  - backendRefs:\n";
    for (const auto& [name, weight] : refs)
        text += "    - name: " + name + "\n      port: 9080\n      weight: " + std::to_string(weight) + "\n";
    auto s = test::yaml(text);
    auto vs = core::readVirtualService(s.docs.at(0));
    REQUIRE(vs.ok());
    return *vs;
}

// "v1=50 v3=50" of the plan: each destination kept or added, its weight field after (`-`: none).
std::string weights(const core::RulePlan& p) {
    std::string out;
    for (const auto& d : p.destinations) {
        if (d.action == Action::Remove) continue;
        if (!out.empty()) out += ' ';
        out += d.key + "=" + (d.after ? std::to_string(*d.after) : "-");
    }
    return out;
}

// "v1=99.5 v3=0.5": the shares after, as the summary shows them.
std::string shares(const core::RulePlan& p) {
    std::string out;
    for (const auto& d : p.destinations) {
        if (d.action == Action::Remove) continue;
        if (!out.empty()) out += ' ';
        out += d.key + "=" + core::percentText(d.afterMilli);
    }
    return out;
}

Result<core::RulePlan> plan(const core::VirtualService& vs, const core::Request& r,
                            core::WeightSum sum = core::WeightSum::Unknown) {
    core::SplitOptions o;
    o.sum = sum;
    return core::planSplit(vs, 0, r, o);
}

core::Request adjust(std::vector<std::string> args, std::vector<std::string> pins = {}) {
    auto r = core::parseAdjust(args);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    r->pins = std::move(pins);
    return *r;
}

core::Request equal(std::vector<std::string> keys, std::vector<std::string> pins = {}) {
    auto r = core::parseEqual(keys);
    REQUIRE(r.ok());
    r->pins = std::move(pins);
    return *r;
}

core::Request absolute(std::vector<std::string> args, std::vector<std::string> pins = {}) {
    auto r = test::request(std::move(args));
    r.pins = std::move(pins);
    return r;
}

std::string errorOf(const Result<core::RulePlan>& p) {
    return p.ok() ? std::string("(ok)") : p.error().message;
}

}  // namespace

TEST_SUITE("core::split_resolve fractions") {
    TEST_CASE("99.5/0.5 is written as the smallest integers with that ratio: 199/1") {
        auto vs = vsOf(route({{"v1", 100}}));
        auto p = plan(vs, absolute({"v3=0.5"}), core::WeightSum::AnyTotal);
        REQUIRE(p.ok());
        CHECK(weights(*p) == "v1=199 v3=1");
        CHECK(shares(*p) == "v1=99.5 v3=0.5");
    }
    TEST_CASE("three destinations and three decimals: 0.125/0.375/99.5 -> 1/3/796") {
        auto vs = vsOf(route({{"v1", 100}}));
        auto p = plan(vs, absolute({"v2=0.125", "v3=0.375%"}), core::WeightSum::AnyTotal);
        REQUIRE(p.ok());
        CHECK(weights(*p) == "v1=796 v2=1 v3=3");
        CHECK(shares(*p) == "v1=99.5 v2=0.125 v3=0.375");
    }
    TEST_CASE("whole percentages are written as they are, also where any total is accepted") {
        auto vs = vsOf(route({{"v1", 100}}));
        auto p = plan(vs, absolute({"v3=50"}), core::WeightSum::AnyTotal);
        REQUIRE(p.ok());
        CHECK(weights(*p) == "v1=50 v3=50");
    }
    TEST_CASE("an HTTPRoute always takes any total") {
        auto p = plan(httpRoute({{"reviews-v1", 100}}), absolute({"reviews-v3=0.5"}));
        REQUIRE(p.ok());
        CHECK(weights(*p) == "reviews-v1=199 reviews-v3=1");
    }
    TEST_CASE("Istio 1.14 and older, or not known: a fraction is refused, saying why and what is possible") {
        auto vs = vsOf(route({{"v1", 100}}));
        core::SplitOptions o;
        o.sum = core::WeightSum::Sum100;
        o.sumWhy = "istiod in istio-system runs 1.14";
        auto old = core::planSplit(vs, 0, absolute({"v3=0.5"}), o);
        REQUIRE_FALSE(old.ok());
        CHECK(old.error().message ==
              "VirtualService istio-demo/reviews http[0]: v3=0.5 is finer than whole percentages and this "
              "Istio requires weights that sum to 100 (1.14 and older), so only whole percentages can be "
              "written "
              "(istiod in istio-system runs 1.14); use whole percentages");
        auto unknown = plan(vs, absolute({"v3=0.5"}));
        REQUIRE_FALSE(unknown.ok());
        CHECK(unknown.error().message.find(
                  "shift cannot tell whether this Istio accepts weights that do not sum "
                  "to 100 (1.15 and newer do); use whole percentages, or --weights "
                  "any-total on Istio 1.15+") != std::string::npos);
    }
    TEST_CASE("the current shares of weights 199/1 read as 99.5/0.5 where any total is accepted") {
        auto vs = vsOf(route({{"v1", 199}, {"v3", 1}}));
        CHECK(core::currentMillis(vs, vs.rules[0], core::WeightSum::AnyTotal) ==
              std::vector<long long>{99500, 500});
        CHECK(core::currentMillis(vs, vs.rules[0], core::WeightSum::Sum100) ==
              std::vector<long long>{199000, 1000});
        auto p = plan(vs, absolute({"v3=1"}), core::WeightSum::AnyTotal);
        REQUIRE(p.ok());
        CHECK(weights(*p) == "v1=99 v3=1");
        CHECK(p->destinations[0].beforeShare == 99);
    }
}

TEST_SUITE("core::split_resolve adjust") {
    TEST_CASE("points are taken from the others in proportion to their weights") {
        auto vs = vsOf(route({{"v1", 60}, {"v2", 30}, {"v3", 10}}));
        auto p = plan(vs, adjust({"v3=+10"}));
        REQUIRE(p.ok());
        CHECK(weights(*p) == "v1=53 v2=27 v3=20");  // 53.33 and 26.67: the larger remainder gets the point
    }
    TEST_CASE("given back to the others in proportion") {
        auto vs = vsOf(route({{"v1", 60}, {"v2", 20}, {"v3", 20}}));
        auto p = plan(vs, adjust({"v3=-5"}));
        REQUIRE(p.ok());
        CHECK(weights(*p) == "v1=64 v2=21 v3=15");  // 3.75 and 1.25: 63.75 -> 64, 21.25 -> 21
    }
    TEST_CASE("a tie of remainders goes to the first in route order") {
        auto vs = vsOf(route({{"v1", 50}, {"v2", 50}, {"v3", 0}}));
        auto p = plan(vs, adjust({"v3=+5"}));
        REQUIRE(p.ok());
        CHECK(weights(*p) == "v1=48 v2=47 v3=5");  // 47.5 each: the point left goes to the first
    }
    TEST_CASE("adjusting to 0 removes the destination; to 100 removes the others") {
        auto vs = vsOf(route({{"v1", 90}, {"v3", 10}}));
        auto gone = plan(vs, adjust({"v3=-10"}));
        REQUIRE(gone.ok());
        CHECK(weights(*gone) == "v1=-");
        auto all = plan(vs, adjust({"v3=+90"}));
        REQUIRE(all.ok());
        CHECK(weights(*all) == "v3=-");
    }
    TEST_CASE(
        "a fractional adjustment moves thousandths, refused where only whole percentages can be written") {
        auto vs = vsOf(route({{"v1", 90}, {"v3", 10}}));
        auto p = plan(vs, adjust({"v3=+0.5"}), core::WeightSum::AnyTotal);
        REQUIRE(p.ok());
        CHECK(shares(*p) == "v1=89.5 v3=10.5");
        CHECK(weights(*p) == "v1=179 v3=21");
        CHECK(errorOf(plan(vs, adjust({"v3=+0.5"}), core::WeightSum::Sum100)).find("finer than whole") !=
              std::string::npos);
    }
    TEST_CASE("errors name the key and the bound") {
        auto vs = vsOf(route({{"v1", 90}, {"v3", 10}}));
        CHECK(errorOf(plan(vs, adjust({"v3=-20"}))) ==
              "--adjust v3=-20 would put v3 at -10% (it has 10%); a share stays from 0 to 100");
        CHECK(errorOf(plan(vs, adjust({"v3=+95"}))) ==
              "--adjust v3=+95 would put v3 at 105% (it has 10%); a share stays from 0 to 100");
        CHECK(errorOf(plan(vs, adjust({"v4=+5"}))) ==
              "--adjust v4: VirtualService istio-demo/reviews http[0] has no destination \"v4\"; name one "
              "of: v1, v3");
    }
    TEST_CASE("parse: a sign is required, three decimals at most") {
        CHECK(core::parseAdjust({"v3=10"}).error().message.find("is not KEY=+POINTS or KEY=-POINTS") !=
              std::string::npos);
        CHECK(core::parseAdjust({"v3=+0.0001"}).error().message.find("more than three decimals") !=
              std::string::npos);
        CHECK(core::millisOf(core::parseAdjust({"v3=-0.25"})->weights[0]) == -250);
    }
}

TEST_SUITE("core::split_resolve equal") {
    TEST_CASE("every current destination: the remainder one point each to the first") {
        auto vs = vsOf(route({{"v1", 80}, {"v2", 10}, {"v3", 10}}));
        auto p = plan(vs, equal({}));
        REQUIRE(p.ok());
        CHECK(weights(*p) == "v1=34 v2=33 v3=33");
    }
    TEST_CASE("the listed ones (a new one added), the others go to 0") {
        auto vs = vsOf(route({{"v1", 80}, {"v2", 20}}));
        auto p = plan(vs, equal({"v2", "v3"}));
        REQUIRE(p.ok());
        CHECK(weights(*p) == "v2=50 v3=50");
    }
    TEST_CASE("with a pin: the rest is shared") {
        auto vs = vsOf(route({{"legacy", 20}, {"v1", 70}, {"v2", 10}}));
        auto p = plan(vs, equal({}, {"legacy"}));
        REQUIRE(p.ok());
        CHECK(weights(*p) == "legacy=20 v1=40 v2=40");
    }
    TEST_CASE("seven destinations: 14 each, the 2 points left to the first two") {
        auto vs = vsOf(route({{"a", 100}, {"b", 0}, {"c", 0}, {"d", 0}, {"e", 0}, {"f", 0}, {"g", 0}}));
        auto p = plan(vs, equal({}));
        REQUIRE(p.ok());
        CHECK(weights(*p) == "a=15 b=15 c=14 d=14 e=14 f=14 g=14");
    }
}

TEST_SUITE("core::split_resolve pin") {
    TEST_CASE("a pinned destination keeps its weight while the others change") {
        auto vs = vsOf(route({{"legacy", 20}, {"v1", 80}}));
        auto p = plan(vs, absolute({"v1=50", "v2=30"}, {"legacy"}));
        REQUIRE(p.ok());
        CHECK(weights(*p) == "legacy=20 v1=50 v2=30");
    }
    TEST_CASE("a request that needs the pinned weight changed is an error naming it") {
        auto vs = vsOf(route({{"legacy", 20}, {"v1", 80}}));
        CHECK(errorOf(plan(vs, absolute({"legacy=10", "v1=90"}, {"legacy"}))) ==
              "legacy is pinned at 20% (--pin legacy) and the request would set it to 10%; drop --pin legacy "
              "or "
              "leave legacy at 20%");
        CHECK(errorOf(plan(vs, absolute({"v1=100"}, {"legacy"}))).find("sum to 120, not 100") !=
              std::string::npos);
        CHECK(errorOf(plan(vs, adjust({"legacy=+5"}, {"legacy"}))).find("legacy is pinned at 20%") !=
              std::string::npos);
        CHECK(errorOf(plan(vs, absolute({"v1=80"}, {"v9"}))).find("--pin v9:") == 0);
    }
    TEST_CASE("adjust takes only from the unpinned") {
        auto vs = vsOf(route({{"legacy", 20}, {"v1", 70}, {"v3", 10}}));
        auto p = plan(vs, adjust({"v3=+20"}, {"legacy"}));
        REQUIRE(p.ok());
        CHECK(weights(*p) == "legacy=20 v1=50 v3=30");
        CHECK(errorOf(plan(vs, adjust({"v3=+80"}, {"legacy"}))).find("hold only 70%") != std::string::npos);
    }
}

TEST_SUITE("core::split_resolve proportion") {
    TEST_CASE("largest remainder, in whole units, sums exactly") {
        CHECK(core::proportionalMillis({1, 1, 1}, 100000, 1000) ==
              std::vector<long long>{34000, 33000, 33000});
        CHECK(core::proportionalMillis({1, 1, 1}, 100000, 1) == std::vector<long long>{33334, 33333, 33333});
        CHECK(core::proportionalMillis({0, 0}, 10000, 1000) == std::vector<long long>{5000, 5000});
        // An HTTPRoute's 1000000:1 is 99.9999 %: to the thousandth, all of it.
        CHECK(core::proportionalMillis({1000000, 1}, 100000, 1) == std::vector<long long>{100000, 0});
    }
}
