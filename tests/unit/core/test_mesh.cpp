#include <doctest/doctest.h>

#include "core/mesh.hpp"
#include "mesh_helpers.hpp"

using namespace shift;
using test::rule;

namespace {
const std::string kReviews = "reviews.istio-demo.svc.cluster.local";

std::vector<std::string> subsetsFor(const std::string& mesh, const std::string& host = kReviews,
                                    const std::string& serviceNs = "istio-demo",
                                    const std::string& client = "istio-demo") {
    test::MeshFixture m(mesh);
    auto found = core::destinationRuleFor(m.mesh, host, serviceNs, client);
    return found ? found->subsets : std::vector<std::string>{"<none>"};
}
}  // namespace

TEST_SUITE("core::mesh") {
    TEST_CASE("host names: wildcards, service namespaces") {
        CHECK(core::hostMatches("*", kReviews));
        CHECK(core::hostMatches("*.istio-demo.svc.cluster.local", kReviews));
        CHECK_FALSE(core::hostMatches("*.other.svc.cluster.local", kReviews));
        CHECK_FALSE(core::hostMatches("*.svc.cluster.local", "svc.cluster.local"));
        CHECK(core::serviceNamespace(kReviews) == "istio-demo");
        CHECK(core::serviceNamespace("api.example.com") == "");
        CHECK(core::serviceNamespace("a.b.c.svc.cluster.local") == "");
    }
    TEST_CASE("the client namespace's rule wins over the service's and the root's") {
        auto mesh = rule("a", "istio-system", "reviews.istio-demo.svc.cluster.local", "[{name: root}]") +
                    rule("b", "istio-demo", "reviews", "[{name: local}]");
        CHECK(subsetsFor(mesh) == std::vector<std::string>{"local"});
    }
    TEST_CASE("a wildcard host covers the namespace's services; an exact one beats it") {
        auto wild = rule("w", "istio-demo", "*.istio-demo.svc.cluster.local", "[{name: v1}, {name: v2}]");
        CHECK(subsetsFor(wild) == std::vector<std::string>{"v1", "v2"});
        CHECK(subsetsFor(wild + rule("e", "istio-demo", "reviews", "[{name: v9}]")) ==
              std::vector<std::string>{"v9"});
    }
    TEST_CASE("the root namespace's rule applies mesh-wide, unless exported only to itself") {
        auto root = rule("r", "istio-system", kReviews, "[{name: v3}]");
        CHECK(subsetsFor(root) == std::vector<std::string>{"v3"});
        CHECK(subsetsFor(rule("r", "istio-system", kReviews, "[{name: v3}]", "[\".\"]")) ==
              std::vector<std::string>{"<none>"});
    }
    TEST_CASE("a rule in the service's namespace applies to clients it is exported to") {
        auto there =
            rule("s", "backend", "reviews.backend.svc.cluster.local", "[{name: v2}]", "[\"istio-demo\"]");
        auto host = "reviews.backend.svc.cluster.local";
        CHECK(subsetsFor(there, host, "backend") == std::vector<std::string>{"v2"});
        auto hidden = rule("s", "backend", "reviews.backend.svc.cluster.local", "[{name: v2}]", "[\".\"]");
        CHECK(subsetsFor(hidden, host, "backend") == std::vector<std::string>{"<none>"});
    }
    TEST_CASE("a rule in a namespace off the lookup path does not apply") {
        CHECK(subsetsFor(rule("x", "elsewhere", kReviews, "[{name: v1}]")) ==
              std::vector<std::string>{"<none>"});
    }
    TEST_CASE("rules for the same host in one namespace are merged") {
        auto two = rule("a", "istio-demo", "reviews", "[{name: v1}]") +
                   rule("b", "istio-demo", "reviews", "[{name: v2}]");
        CHECK(subsetsFor(two) == std::vector<std::string>{"v1", "v2"});
    }
    TEST_CASE("services and service entries: namespace, exportTo, wildcards") {
        test::MeshFixture m(
            test::service("reviews", "istio-demo") +
            test::service("hidden", "backend", ", annotations: {networking.istio.io/exportTo: \".\"}") +
            "---\nkind: ServiceEntry\nmetadata: {name: ext, namespace: istio-system}\n"
            "spec: {hosts: [\"*.example.com\"]}\n");
        CHECK(core::hostDefined(m.mesh, kReviews, "istio-demo"));
        CHECK_FALSE(core::hostDefined(m.mesh, "reviews.other.svc.cluster.local", "istio-demo"));
        CHECK_FALSE(core::hostDefined(m.mesh, "hidden.backend.svc.cluster.local", "istio-demo"));
        CHECK(core::hostDefined(m.mesh, "hidden.backend.svc.cluster.local", "backend"));
        CHECK(core::hostDefined(m.mesh, "api.example.com", "istio-demo"));
        CHECK(core::serviceEntryNamespace(m.mesh, "api.example.com", "istio-demo") == "istio-system");
    }
}
