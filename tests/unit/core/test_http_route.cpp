// An HTTPRoute in the route model: reading, relative weights, keys, plans, and the three renderers.
#include <doctest/doctest.h>

#include "core/apply.hpp"
#include "core/backend_check.hpp"
#include "core/http_route.hpp"
#include "core/split_view.hpp"
#include "doc/emit.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {

// Istio's bookinfo Gateway API sample (route-reviews-v1.yaml) in istio-demo, with `refs` as its rule's
// backendRefs.
std::string route(const std::string& refs, const std::string& ruleExtra = "") {
    return "apiVersion: gateway.networking.k8s.io/v1\n"
           "kind: HTTPRoute\n"
           "metadata:\n"
           "  name: reviews\n"
           "  namespace: istio-demo\n"
           "spec:\n"
           "  parentRefs:\n"
           "  - group: \"\"\n"
           "    kind: Service\n"
           "    name: reviews\n"
           "    port: 9080\n"
           "  rules:\n" +
           ruleExtra + "  - backendRefs:\n" + refs;
}

const std::string kV1 =
    "    - name: reviews-v1  # all traffic\n"
    "      port: 9080\n";

const std::string kHalf =
    "    - name: reviews-v1\n"
    "      port: 9080\n"
    "      weight: 50\n"
    "    - name: reviews-v3\n"
    "      port: 9080\n"
    "      weight: 50\n";

core::ShiftPlan plan(const std::string& text, std::vector<std::string> args, core::ShiftOptions o = {}) {
    auto s = test::yaml(text);
    auto p = core::planShift(s.docs.at(0), test::request(std::move(args)), o, nullptr);
    REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
    return *p;
}

std::string planError(const std::string& text, std::vector<std::string> args, core::ShiftOptions o = {}) {
    auto s = test::yaml(text);
    auto p = core::planShift(s.docs.at(0), test::request(std::move(args)), o, nullptr);
    REQUIRE_FALSE(p.ok());
    return p.error().message;
}

std::string yamlEdit(const std::string& text, std::vector<std::string> args) {
    auto s = test::yaml(text);
    auto p = core::planShift(s.docs.at(0), test::request(std::move(args)), {}, nullptr);
    REQUIRE(p.ok());
    auto edited = core::applyToYamlText(s.source, s.docs.at(0), p->vs, p->rules);
    REQUIRE(edited);
    // The line edits read back as the tree the API server would be sent.
    auto back = test::yaml(*edited);
    CHECK(doc::toJson(back.docs.at(0), 0) ==
          doc::toJson(core::applyToTree(s.docs.at(0), p->vs, p->rules), 0));
    return *edited;
}

std::vector<long long> shares(const std::string& refs) {
    auto s = test::yaml(route(refs));
    auto r = core::readHTTPRoute(s.docs.at(0));
    REQUIRE(r.ok());
    return core::effectiveShares(r->rules.at(0));
}

}  // namespace

TEST_SUITE("core::http_route") {
    TEST_CASE("reads the rules and backendRefs of an HTTPRoute into the route model") {
        auto s = test::yaml(route(kHalf,
                                  "  - name: canary\n    matches:\n    - headers:\n      - name: end-user\n"
                                  "        value: jason\n    backendRefs:\n    - name: reviews-v2\n"
                                  "      namespace: other\n      port: 9080\n"));
        auto r = core::readVirtualService(s.docs.at(0));  // dispatches on kind
        REQUIRE(r.ok());
        CHECK(r->kind == core::RouteKind::HTTPRoute);
        CHECK(core::qualifiedName(*r) == "istio-demo/reviews");
        REQUIRE(r->rules.size() == 2);
        CHECK(core::ruleLabel(r->rules[0]) == "rules[0] (\"canary\")");
        CHECK(r->rules[0].hasMatch);
        CHECK(r->rules[0].route.at(0).ns == "other");
        CHECK_FALSE(r->rules[1].hasMatch);
        REQUIRE(r->rules[1].route.size() == 2);
        CHECK(r->rules[1].route[1].host == "reviews-v3");
        CHECK(r->rules[1].route[1].port == 9080);
        CHECK(r->rules[1].route[1].weight == 50);
    }
    TEST_CASE("a backendRef without a name, or a weight that is not an integer, is an error") {
        auto s = test::yaml(route("    - port: 9080\n"));
        auto r = core::readHTTPRoute(s.docs.at(0));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message ==
              "HTTPRoute istio-demo/reviews: spec.rules[0].backendRefs[0] has no name; fix the manifest");
        auto w = test::yaml(route("    - name: a\n      weight: half\n"));
        CHECK(core::readHTTPRoute(w.docs.at(0)).error().message.find("weight \"half\" is not an integer") !=
              std::string::npos);
    }
    TEST_CASE("relative weights: absent is 1, 0 is no traffic, shares add up to 100") {
        CHECK(shares(kV1) == std::vector<long long>{100});
        CHECK(shares("    - name: a\n      weight: 5\n") == std::vector<long long>{100});
        CHECK(shares("    - name: a\n    - name: b\n") == std::vector<long long>{50, 50});
        CHECK(shares("    - name: a\n      weight: 9\n    - name: b\n") == std::vector<long long>{90, 10});
        // 1/3 each: 33 33 33 and the point left goes to the first of the equal remainders.
        CHECK(shares("    - name: a\n    - name: b\n    - name: c\n") == std::vector<long long>{34, 33, 33});
        // 2/3 and 1/3: 66.67 rounds up, 33.33 down.
        CHECK(shares("    - name: a\n      weight: 2\n    - name: b\n") == std::vector<long long>{67, 33});
        CHECK(shares("    - name: a\n      weight: 0\n    - name: b\n      weight: 0\n") ==
              std::vector<long long>{0, 0});
    }
    TEST_CASE("keys: NAME, NAMESPACE/NAME for another namespace, KIND/NAME for another kind") {
        auto k = core::parseBackendKey("other/reviews-v3");
        CHECK(k.ns == "other");
        CHECK(k.kind.empty());
        k = core::parseBackendKey("InferencePool/pool");
        CHECK(k.kind == "InferencePool");
        CHECK(k.ns.empty());
        core::Destination d;
        d.host = "reviews-v3";
        CHECK(core::backendKey(d, "istio-demo") == "reviews-v3");
        d.ns = "istio-demo";
        CHECK(core::backendKey(d, "istio-demo") == "reviews-v3");
        CHECK(core::namesBackend(core::parseBackendKey("istio-demo/reviews-v3"), d, "istio-demo"));
        d.ns = "other";
        CHECK(core::backendKey(d, "istio-demo") == "other/reviews-v3");
        CHECK_FALSE(core::namesBackend(core::parseBackendKey("reviews-v3"), d, "istio-demo"));
        d.kind = "InferencePool";
        d.group = "inference.networking.x-k8s.io";
        CHECK(core::backendKey(d, "istio-demo") == "InferencePool/reviews-v3");
    }
    TEST_CASE("get shows the effective percentages, keyed as requests name the refs") {
        auto s =
            test::yaml(route("    - name: reviews-v1\n      weight: 3\n    - name: reviews-v2\n"
                             "      namespace: other\n"));
        auto r = core::readVirtualService(s.docs.at(0));
        REQUIRE(r.ok());
        auto split = core::splitOf(*r, {0});
        CHECK(split.at(0).rule == "rules[0]");
        CHECK(core::describeSplit(split.at(0)) == "reviews-v1=75,other/reviews-v2=25");
        CHECK(core::splitMatches(split.at(0), test::request({"reviews-v1=75", "other/reviews-v2=25"})));
    }
    TEST_CASE("the bookinfo walkthrough: reviews-v1 -> 50/50 with reviews-v3 -> reviews-v3") {
        auto half = yamlEdit(route(kV1), {"reviews-v1=50", "reviews-v3=50"});
        CHECK(half == route("    - name: reviews-v1  # all traffic\n"
                            "      port: 9080\n"
                            "      weight: 50\n"
                            "    - name: reviews-v3\n"
                            "      port: 9080\n"
                            "      weight: 50\n"));
        auto v3 = yamlEdit(route(kHalf), {"reviews-v3=100"});
        // As route-reviews-v3.yaml: the lone backendRef carries no weight.
        CHECK(v3 == route("    - name: reviews-v3\n      port: 9080\n"));
    }
    TEST_CASE("percentages are written over relative weights; a partial request fills up the rest") {
        auto p = plan(route("    - name: reviews-v1\n      weight: 9\n    - name: reviews-v2\n"),
                      {"reviews-v2=20"});
        REQUIRE(p.rules.size() == 1);
        const auto& d = p.rules[0].destinations;
        CHECK(d[0].beforeShare == 90);
        CHECK(d[0].after == 80);
        CHECK(d[1].before == std::nullopt);
        CHECK(d[1].beforeShare == 10);
        CHECK(d[1].after == 20);
    }
    TEST_CASE("a lone backendRef keeps its weight when it already takes all traffic") {
        auto p = plan(route("    - name: reviews-v1\n      weight: 1\n"), {"reviews-v1=100"});
        CHECK_FALSE(p.changed);
    }
    TEST_CASE("a new cross-namespace backendRef copies the port and carries its namespace") {
        auto edited = yamlEdit(route(kV1), {"reviews-v1=90", "canary/reviews-v2=10"});
        CHECK(edited.find(
                  "    - name: reviews-v2\n      port: 9080\n      namespace: canary\n      weight: 10\n") !=
              std::string::npos);
    }
    TEST_CASE("rule selection: by name, by index, rules:INDEX, or the rule without matches") {
        std::string two = route(kHalf,
                                "  - name: canary\n    matches:\n    - path:\n        value: /x\n"
                                "    backendRefs:\n    - name: reviews-v2\n      port: 9080\n");
        auto byDefault = plan(two, {"reviews-v1=100"});
        CHECK(byDefault.rules.at(0).rule == 1);
        core::ShiftOptions o;
        o.routes = {"canary"};
        CHECK(plan(two, {"reviews-v2=100"}, o).rules.at(0).rule == 0);
        o.routes = {"1"};
        CHECK(plan(two, {"reviews-v1=100"}, o).rules.at(0).rule == 1);
        o.routes = {"rules:0"};
        CHECK(plan(two, {"reviews-v2=100"}, o).rules.at(0).rule == 0);
        o.routes = {"http:0"};
        CHECK(planError(two, {"reviews-v2=100"}, o)
                  .find("--route http:0 matches no rule of HTTPRoute "
                        "istio-demo/reviews") == 0);
    }
    TEST_CASE("messages name the HTTPRoute and its rule") {
        CHECK(
            planError(route(kHalf), {"reviews-v1=60", "reviews-v3=60"}) ==
            "HTTPRoute istio-demo/reviews rules[0]: weights reviews-v1=60 reviews-v3=60 sum to 120, not 100; "
            "lower them by 20");
        CHECK(planError(route(kV1), {"Pool/x=10"}).find("no backendRef of kind Pool") != std::string::npos);
    }
    TEST_CASE("out-of-range weights are a warning, any sum is not") {
        auto p =
            plan(route("    - name: reviews-v1\n      weight: 3\n    - name: reviews-v2\n      weight: 4\n"),
                 {"reviews-v1=100"});
        CHECK(p.warnings.size() == 1);  // reviews-v2 dropped unnamed, nothing about the sum of 7
        auto bad = plan(route("    - name: reviews-v1\n      weight: 2000000\n"), {"reviews-v1=100"});
        CHECK(bad.warnings.at(0).find(
                  "has invalid weights now (reviews-v1=2000000: each must be 0 to 1000000)") !=
              std::string::npos);
    }
    TEST_CASE("the JSON renderers write backendRefs[].weight") {
        std::string json =
            R"({"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"reviews"},)"
            R"("spec":{"rules":[{"backendRefs":[{"name":"reviews-v1","port":9080}]}]}})"
            "\n";
        auto s = test::yaml(json);
        auto p =
            core::planShift(s.docs.at(0), test::request({"reviews-v1=90", "reviews-v3=10"}), {}, nullptr);
        REQUIRE(p.ok());
        auto tree = core::applyToTree(s.docs.at(0), p->vs, p->rules);
        CHECK(
            doc::toJson(*tree.at({"spec", "rules"}), 0) ==
            R"([{"backendRefs":[{"name":"reviews-v1","port":9080,"weight":90},{"name":"reviews-v3","port":9080,"weight":10}]}])");
        auto text = core::applyToJsonText(s.source, s.docs.at(0), core::Location{}, p->vs, p->rules);
        REQUIRE(text);
        CHECK(
            text->find(
                R"([{"name":"reviews-v1","port":9080,"weight":90},{"name":"reviews-v3","port":9080,"weight":10}])") !=
            std::string::npos);
    }
    TEST_CASE("checks: a missing Service is an error, a cross-namespace ref without a grant a warning") {
        auto services = test::yaml(
            "apiVersion: v1\nkind: Service\nmetadata: {name: reviews-v1, namespace: istio-demo}\n---\n"
            "apiVersion: v1\nkind: Service\nmetadata: {name: reviews-v2, namespace: canary}\n---\n"
            "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\n"
            "metadata: {name: g, namespace: canary}\n"
            "spec:\n  from:\n  - {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: istio-demo}\n"
            "  to:\n  - {group: \"\", kind: Service}\n");
        core::Mesh mesh;
        for (const auto& d : services.docs) {
            if (core::isKind(d, "Service")) mesh.services.push_back(&d);
            if (core::isKind(d, "ReferenceGrant")) mesh.referenceGrants.push_back(&d);
        }
        auto s = test::yaml(route(kV1));
        auto ok = core::planShift(s.docs.at(0), test::request({"reviews-v1=90", "canary/reviews-v2=10"}), {},
                                  &mesh);
        REQUIRE(ok.ok());
        CHECK(ok->warnings.empty());
        auto missing =
            core::planShift(s.docs.at(0), test::request({"reviews-v1=90", "reviews-v9=10"}), {}, &mesh);
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().message ==
              "HTTPRoute istio-demo/reviews rules[0]: backendRef \"reviews-v9\": Service "
              "istio-demo/reviews-v9 does "
              "not exist; the Gateway API would answer 500 for its share — fix the name, or pass "
              "--no-validate");
        mesh.referenceGrants.clear();
        auto ungranted = core::planShift(s.docs.at(0),
                                         test::request({"reviews-v1=90", "canary/reviews-v2=10"}), {}, &mesh);
        REQUIRE(ungranted.ok());
        REQUIRE(ungranted->warnings.size() == 1);
        CHECK(ungranted->warnings[0].find("no ReferenceGrant there allows HTTPRoutes of istio-demo") !=
              std::string::npos);
    }
}
