#include <doctest/doctest.h>

#include "core/hosts.hpp"
#include "mesh_helpers.hpp"

using namespace shift;
using test::service;

namespace {
// A VirtualService `byhost` whose route tells versions apart by host, as Istio's samples without
// subsets do.
const std::string kByHost =
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: byhost, namespace: "
    "istio-demo}\n"
    "spec:\n  hosts: [reviews]\n  http:\n  - route:\n"
    "    - destination: {host: reviews-v1}\n      weight: 50\n"
    "    - destination: {host: reviews-v2.istio-demo.svc.cluster.local}\n      weight: 50\n";

const std::string kServices = service("reviews-v1", "istio-demo") + service("reviews-v2", "istio-demo") +
                              service("reviews-v3", "istio-demo") + service("productpage", "istio-demo") +
                              service("ratings", "backend");

Result<core::ShiftPlan> plan(const std::string& vs, std::vector<std::string> args, const std::string& mesh,
                             core::Mesh::Check hosts = core::Mesh::Check::Yes) {
    auto doc = test::yaml(vs);
    test::MeshFixture m(mesh);
    m.mesh.hosts = hosts;
    return core::planShift(doc.docs.at(0), test::request(std::move(args)), {}, &m.mesh);
}
}  // namespace

TEST_SUITE("core::hosts") {
    TEST_CASE("edit distance") {
        CHECK(core::editDistance("reviwes-v2", "reviews-v2") == 2);
        CHECK(core::editDistance("", "abc") == 3);
        CHECK(core::editDistance("v3", "v3") == 0);
    }
    TEST_CASE("a key that names no Service is an error naming the host and the closest names") {
        auto p = plan(kByHost, {"v3=100"}, kServices);
        REQUIRE_FALSE(p.ok());
        CHECK(
            p.error().message ==
            "VirtualService istio-demo/byhost http[0]: host \"v3\" does not exist: no Service or "
            "ServiceEntry "
            "visible from namespace istio-demo defines v3.istio-demo.svc.cluster.local; Istio would answer "
            "503 "
            "(no healthy upstream); closest existing: reviews-v3, reviews-v1, reviews-v2 — fix the name, or "
            "pass --no-validate");
    }
    TEST_CASE("a typo is caught, and the meant name comes first") {
        auto p = plan(kByHost, {"reviews-v1=90", "reviwes-v2=10"}, kServices);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message.find("host \"reviwes-v2\" does not exist") != std::string::npos);
        CHECK(p.error().message.find("closest existing: reviews-v2,") != std::string::npos);
    }
    TEST_CASE("an existing Service passes, short or fully qualified, in another namespace too") {
        CHECK(plan(kByHost, {"reviews-v1=90", "reviews-v3=10"}, kServices).ok());
        CHECK(plan(kByHost, {"reviews-v1=90", "reviews-v3.istio-demo.svc.cluster.local=10"}, kServices).ok());
        CHECK(plan(kByHost, {"reviews-v1=90", "ratings.backend.svc.cluster.local=10"}, kServices).ok());
        // A short name is relative to the VirtualService's namespace, not the service's.
        auto p = plan(kByHost, {"reviews-v1=90", "ratings=10"}, kServices);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message.find("defines ratings.istio-demo.svc.cluster.local") != std::string::npos);
    }
    TEST_CASE("a name with a dot is taken as written, as Istio does: no namespace is appended") {
        auto p = plan(kByHost, {"reviews-v1=90", "reviews-v3.istio-demo=10"}, kServices);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message.find("closest existing: reviews-v3.istio-demo.svc.cluster.local,") !=
              std::string::npos);
    }
    TEST_CASE("a ServiceEntry defines hosts, wildcards included") {
        auto se =
            "---\nkind: ServiceEntry\nmetadata: {name: ext, namespace: istio-demo}\n"
            "spec: {hosts: [\"*.example.com\"]}\n";
        CHECK(plan(kByHost, {"reviews-v1=90", "api.example.com=10"}, kServices + se).ok());
        CHECK_FALSE(plan(kByHost, {"reviews-v1=90", "api.example.org=10"}, kServices + se).ok());
    }
    TEST_CASE("a key that is a subset of the route's host says so") {
        const std::string root =
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: root, namespace: "
            "istio-demo}\n"
            "spec:\n  hosts: [productpage]\n  http:\n  - route:\n    - destination: {host: productpage}\n";
        auto dr = test::rule("productpage", "istio-demo", "productpage", "[{name: v1}, {name: v3}]");
        auto p = plan(root, {"v1=50", "v3=50"}, kServices + dr);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message.find("host \"v1\" does not exist") != std::string::npos);
        CHECK(p.error().message.find(
                  "; \"v1\" is a subset of productpage (DestinationRule istio-demo/productpage): "
                  "name it productpage/v1") != std::string::npos);
        CHECK(plan(root, {"productpage/v1=50", "productpage/v3=50"}, kServices + dr).ok());
    }
    TEST_CASE("without Services to check against, a warning says the new host was not checked") {
        auto p =
            plan(kByHost, {"reviews-v1=50", "reviews-v2=40", "reviews-v9=10"}, "", core::Mesh::Check::Warn);
        REQUIRE(p.ok());
        REQUIRE(p->warnings.size() == 1);
        CHECK(p->warnings[0] ==
              "new host \"reviews-v9\" (reviews-v9.istio-demo.svc.cluster.local) not checked: the input "
              "holds no "
              "Service or ServiceEntry; Istio answers 503 (no healthy upstream) for a host that does not "
              "exist");
    }
    TEST_CASE("hosts the rule already routes to are not new") {
        auto doc = test::yaml(kByHost);
        auto p = core::planShift(doc.docs.at(0), test::request({"reviews-v2=100"}), {}, nullptr);
        REQUIRE(p.ok());
        CHECK(core::newHosts(p->vs, p->rules).empty());
        auto q = core::planShift(doc.docs.at(0), test::request({"reviews-v1=50", "x=50"}), {}, nullptr);
        REQUIRE(q.ok());
        CHECK(core::newHosts(q->vs, q->rules) == std::vector<std::string>{"x.istio-demo.svc.cluster.local"});
    }
}
