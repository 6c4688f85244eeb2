#include <doctest/doctest.h>

#include "core/virtual_service.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {
Result<core::VirtualService> readYaml(const std::string& text) {
    auto s = test::yaml(text);
    return core::readVirtualService(s.docs.at(0));
}
}  // namespace

TEST_SUITE("core::virtual_service") {
    TEST_CASE("http, tcp and tls rules are read in that order, with names, matches and weights") {
        auto vs = readYaml(
            "kind: VirtualService\nmetadata: {name: reviews, namespace: istio-demo}\n"
            "spec:\n  hosts: [reviews]\n"
            "  tls:\n  - route: [{destination: {host: t}}]\n"
            "  http:\n"
            "  - name: canary\n    match: [{uri: {prefix: /api}}, {headers: {end-user: {exact: jason}}}]\n"
            "    route:\n    - destination: {host: reviews, subset: v1}\n      weight: 90\n"
            "    - destination: {host: reviews, subset: v3}\n      weight: 10\n"
            "  - delegate: {name: other, namespace: team}\n"
            "  tcp:\n  - route: [{destination: {host: db}}]\n");
        REQUIRE(vs.ok());
        CHECK(vs->name == "reviews");
        CHECK(vs->ns == "istio-demo");
        CHECK(vs->hosts == std::vector<std::string>{"reviews"});
        REQUIRE(vs->rules.size() == 4);
        const auto& canary = vs->rules[0];
        CHECK(canary.list == core::RouteList::Http);
        CHECK(canary.name == "canary");
        CHECK(canary.hasMatch);
        CHECK(canary.matchSummary == "uri prefix /api, headers end-user exact jason");
        REQUIRE(canary.route.size() == 2);
        CHECK(canary.route[1].host == "reviews");
        CHECK(canary.route[1].subset == "v3");
        CHECK(canary.route[1].weight == 10);
        CHECK(vs->rules[1].delegate == "team/other");
        CHECK(vs->rules[1].index == 1);
        CHECK(vs->rules[2].list == core::RouteList::Tcp);
        CHECK(vs->rules[3].list == core::RouteList::Tls);
        CHECK_FALSE(vs->rules[3].route[0].weight.has_value());
    }

    TEST_CASE("errors name the field at fault and the fix") {
        auto noSpec = readYaml("kind: VirtualService\nmetadata: {name: r}\n");
        REQUIRE_FALSE(noSpec.ok());
        CHECK(noSpec.error().message == "VirtualService r has no spec; fix the manifest");

        auto notList = readYaml("kind: VirtualService\nmetadata: {name: r, namespace: n}\nspec: {http: 3}\n");
        REQUIRE_FALSE(notList.ok());
        CHECK(notList.error().message == "VirtualService n/r: spec.http is not a list; fix the manifest");

        auto noHost =
            readYaml("kind: VirtualService\nmetadata: {name: r}\nspec:\n  http:\n  - route: [{weight: 5}]\n");
        REQUIRE_FALSE(noHost.ok());
        CHECK(noHost.error().message ==
              "VirtualService r: spec.http[0].route[0] has no destination.host; fix the manifest");

        auto badWeight = readYaml(
            "kind: VirtualService\nmetadata: {name: r}\nspec:\n  http:\n"
            "  - route: [{destination: {host: a}, weight: half}]\n");
        REQUIRE_FALSE(badWeight.ok());
        CHECK(badWeight.error().message ==
              "VirtualService r: spec.http[0].route[0].weight \"half\" is not an integer; fix the manifest");

        auto listWeight = readYaml(
            "kind: VirtualService\nmetadata: {name: r}\nspec:\n  http:\n"
            "  - route: [{destination: {host: a}, weight: [1]}]\n");
        REQUIRE_FALSE(listWeight.ok());
        CHECK(listWeight.error().message ==
              "VirtualService r: spec.http[0].route[0].weight is a list, not an integer; fix the manifest");
    }

    TEST_CASE("a lone destination without weight takes all traffic; otherwise a missing weight is 0") {
        core::Rule lone;
        lone.route = {{"a", "", std::nullopt, std::nullopt, "", "", ""}};
        CHECK(core::effectiveWeight(lone, 0) == 100);
        core::Rule two;
        two.route = {{"a", "", std::nullopt, std::nullopt, "", "", ""},
                     {"b", "", 40, std::nullopt, "", "", ""}};
        CHECK(core::effectiveWeight(two, 0) == 0);
        CHECK(core::effectiveWeight(two, 1) == 40);
    }

    TEST_CASE("names and labels as messages print them") {
        core::VirtualService vs;
        vs.name = "reviews";
        CHECK(core::qualifiedName(vs) == "reviews");
        vs.ns = "istio-demo";
        CHECK(core::qualifiedName(vs) == "istio-demo/reviews");
        core::Rule rule;
        rule.list = core::RouteList::Tcp;
        rule.index = 2;
        CHECK(core::ruleLabel(rule) == "tcp[2]");
        rule.name = "db";
        CHECK(core::ruleLabel(rule) == "tcp[2] (\"db\")");
    }

    TEST_CASE("short host names are relative to the namespace, as Istio reads them") {
        CHECK(core::fqdn("reviews", "istio-demo") == "reviews.istio-demo.svc.cluster.local");
        CHECK(core::fqdn("reviews", "") == "reviews.default.svc.cluster.local");
        CHECK(core::fqdn("reviews.other.svc.cluster.local", "istio-demo") ==
              "reviews.other.svc.cluster.local");
        CHECK(core::fqdn("*", "istio-demo") == "*");
        CHECK(core::sameHost("reviews", "reviews.istio-demo.svc.cluster.local", "istio-demo"));
        CHECK_FALSE(core::sameHost("reviews", "reviews.other.svc.cluster.local", "istio-demo"));
    }
}
