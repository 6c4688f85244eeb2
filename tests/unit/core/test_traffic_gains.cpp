#include <doctest/doctest.h>

#include "core/traffic_gains.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {

core::ShiftPlan plan(std::vector<std::string> args, const std::string& route = test::kAllV1,
                     const std::string& object = "", std::vector<std::string> routes = {}) {
    auto vsDoc = test::yaml(object.empty() ? test::reviews(route) : object);
    core::ShiftOptions options;
    options.routes = std::move(routes);
    auto p = core::planShift(vsDoc.docs.at(0), test::request(std::move(args)), options, nullptr);
    REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
    return *p;
}

const std::string kHost = "reviews.istio-demo.svc.cluster.local";

// Two rules: the default one (v1 and v3 at 50) and one for jason that sends all to v1.
const std::string kTwoRules =
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: "
    "istio-demo}\n"
    "spec:\n  hosts: [reviews]\n  http:\n"
    "  - name: jason\n    match: [{headers: {end-user: {exact: jason}}}]\n"
    "    route: [{destination: {host: reviews, subset: v1}}]\n"
    "  - route:\n"
    "    - {destination: {host: reviews, subset: v1}, weight: 50}\n"
    "    - {destination: {host: reviews, subset: v3}, weight: 50}\n";

}  // namespace

TEST_SUITE("core::traffic_gains") {
    TEST_CASE("a new subset with a share gains traffic; one kept at its share does not") {
        auto gains = core::trafficGains(plan({"v1=90", "v3=10"}));
        REQUIRE(gains.size() == 1);
        CHECK(gains[0].key == "v3");
        CHECK(gains[0].host == kHost);
        CHECK(gains[0].subset == "v3");
        CHECK(gains[0].ns == "istio-demo");
        CHECK_FALSE(gains[0].backendRef);
    }
    TEST_CASE("a destination at weight 0 that gets a share gains traffic") {
        auto route =
            test::kHalf + "    - destination:\n        host: reviews\n        subset: v2\n      weight: 0\n";
        auto gains = core::trafficGains(plan({"v1=50", "v3=40", "v2=10"}, route));
        REQUIRE(gains.size() == 1);
        CHECK(gains[0].subset == "v2");
    }
    TEST_CASE("moving weight among destinations that all carry traffic gains nothing") {
        CHECK(core::trafficGains(plan({"v1=80", "v3=20"}, test::kHalf)).empty());
    }
    TEST_CASE("a new destination added at 0 gains nothing") {
        CHECK(core::trafficGains(plan({"v1=100", "v3=0"})).empty());
    }
    TEST_CASE("an HTTPRoute backendRef gains as a Service of the route's namespace") {
        std::string route =
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: web}\n"
            "spec:\n  rules:\n  - backendRefs: [{name: reviews-v1, port: 9080}]\n";
        auto gains = core::trafficGains(plan({"reviews-v1=90", "reviews-v3=10"}, "", route));
        REQUIRE(gains.size() == 1);
        CHECK(gains[0].host == "reviews-v3");
        CHECK(gains[0].ns == "web");
        CHECK(gains[0].backendRef);
    }
    TEST_CASE("the last traffic leaving a subset is a note that it can be retired") {
        auto notes = core::retireNotes(plan({"v3=100"}, test::kHalf));
        REQUIRE(notes.size() == 1);
        CHECK(notes[0] ==
              "subset v1 of " + kHost +
                  " gets no traffic from VirtualService istio-demo/reviews now: it can be retired "
                  "once its connections drain");
    }
    TEST_CASE("no note while another rule still sends the subset traffic") {
        auto p = plan({"v3=100"}, "", kTwoRules, {"1"});
        CHECK(core::retireNotes(p).empty());
        // The plan carries its notes apart from its warnings (the cluster prints them).
        auto q = plan({"v1=100"}, test::kHalf);
        REQUIRE(q.notes.size() == 1);
        CHECK(q.notes[0].find("subset v3 of " + kHost + " gets no traffic") == 0);
    }
    TEST_CASE("no note when nothing stops getting traffic") {
        CHECK(core::retireNotes(plan({"v1=80", "v3=20"}, test::kHalf)).empty());
    }
}
