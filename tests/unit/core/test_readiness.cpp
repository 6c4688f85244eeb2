#include <doctest/doctest.h>

#include "core/readiness.hpp"
#include "mesh_helpers.hpp"

using namespace shift;
using test::rule;

namespace {

const std::string kService =
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: istio-demo}\n"
    "spec: {ports: [{port: 9080}], selector: {app: reviews}}\n";
const std::string kRule = rule("reviews", "istio-demo", "reviews",
                               "[{name: v1, labels: {version: v1}}, {name: v3, labels: {version: v3}}]");

std::string pod(const std::string& name, const std::string& version, const std::string& ready,
                const std::string& ns = "istio-demo") {
    return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: " + ns +
           ", labels: {app: reviews, version: " + version +
           "}}\nstatus: {conditions: [{type: Ready, status: \"" + ready + "\"}]}\n";
}

struct Fixture {
    test::MeshFixture m;
    doc::Stream vs;
    Fixture(const std::string& objects, const std::string& route = test::kAllV1)
        : m(objects), vs(test::yaml(test::reviews(route))) {
        core::collectKind(m.stream, "Pod", m.mesh.pods);
        core::collectKind(m.stream, "EndpointSlice", m.mesh.endpointSlices);
        m.mesh.ready = core::Mesh::Check::Yes;
    }
    Result<core::ShiftPlan> plan(std::vector<std::string> args) {
        return core::planShift(vs.docs.at(0), test::request(std::move(args)), {}, &m.mesh);
    }
};

const std::string kNotReady =
    "subset v3 of reviews.istio-demo.svc.cluster.local has no Ready pod: selector app=reviews,version=v3 "
    "matches {} in namespace istio-demo, {} Ready; Istio would answer 503 for its share — wait for the pods "
    "to be Ready (kubectl get pods -n istio-demo -l app=reviews,version=v3), or pass --no-validate";

std::string notReady(const std::string& matched, int ready) {
    auto out = kNotReady;
    out.replace(out.find("{}"), 2, matched);
    out.replace(out.find("{}"), 2, std::to_string(ready));
    return out;
}

}  // namespace

TEST_SUITE("core::readiness") {
    TEST_CASE("a subset with a Ready pod gets traffic") {
        Fixture f(kService + kRule + pod("a", "v3", "False") + pod("b", "v3", "True"));
        CHECK(f.plan({"v1=90", "v3=10"}).ok());
    }
    TEST_CASE("no Ready pod: an error with the selector and the counts") {
        Fixture f(kService + kRule + pod("a", "v3", "False") + pod("b", "v1", "True") +
                  pod("c", "v3", "True", "other"));
        auto p = f.plan({"v1=90", "v3=10"});
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message == notReady("1 pod", 0));
        CHECK(p.error().exit == kExitInput);
    }
    TEST_CASE("no pod at all") {
        Fixture f(kService + kRule);
        auto p = f.plan({"v1=90", "v3=10"});
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message == notReady("0 pods", 0));
    }
    TEST_CASE("a pod without conditions (Pending) is not Ready") {
        Fixture f(kService + kRule +
                  "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: istio-demo, labels: {app: "
                  "reviews, version: v3}}\nstatus: {phase: Pending}\n");
        auto p = f.plan({"v1=90", "v3=10"});
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().message == notReady("1 pod", 0));
    }
    TEST_CASE("skipped when the mesh holds no workloads (files, --no-validate, RBAC)") {
        Fixture f(kService + kRule);
        f.m.mesh.ready = core::Mesh::Check::No;
        CHECK(f.plan({"v1=90", "v3=10"}).ok());
    }
    TEST_CASE("moving traffic among serving subsets checks no pods") {
        Fixture f(kService + kRule, test::kHalf);
        CHECK(f.plan({"v1=10", "v3=90"}).ok());
    }
    TEST_CASE("podSelector: the Service's selector plus the subset's labels; nothing without a Service") {
        Fixture f(kService + kRule);
        core::TrafficGain g{"v3", "reviews.istio-demo.svc.cluster.local", "v3", "istio-demo", false};
        auto vs = core::readVirtualService(f.vs.docs.at(0));
        REQUIRE(vs.ok());
        auto s = core::podSelector(*vs, f.m.mesh, g);
        REQUIRE(s);
        CHECK(core::selectorText(*s) == "app=reviews,version=v3");
        g.host = "ratings.istio-demo.svc.cluster.local";
        CHECK_FALSE(core::podSelector(*vs, f.m.mesh, g));
    }
    TEST_CASE("commonLabels keeps what every selector shares, for one LIST") {
        CHECK(core::commonLabels(
                  {{{"app", "reviews"}, {"version", "v2"}}, {{"app", "reviews"}, {"version", "v3"}}}) ==
              core::Labels{{"app", "reviews"}});
        CHECK(core::commonLabels({{{"app", "a"}}, {{"app", "b"}}}).empty());
        CHECK(core::commonLabels({}).empty());
    }
    TEST_CASE("an HTTPRoute backend needs a ready endpoint in its EndpointSlices") {
        std::string objects =
            "---\napiVersion: v1\nkind: Service\nmetadata: {name: reviews-v3, namespace: web}\n"
            "spec: {ports: [{port: 9080}]}\n"
            "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: s1, namespace: web, "
            "labels: {kubernetes.io/service-name: reviews-v3}}\naddressType: IPv4\n"
            "endpoints: [{addresses: [10.1.0.7], conditions: {ready: false}}]\n";
        test::MeshFixture m(objects);
        core::collectKind(m.stream, "EndpointSlice", m.mesh.endpointSlices);
        m.mesh.ready = core::Mesh::Check::Yes;
        auto route = test::yaml(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: web}\n"
            "spec:\n  rules:\n  - backendRefs: [{name: reviews-v1, port: 9080}]\n");
        auto p =
            core::planShift(route.docs.at(0), test::request({"reviews-v1=90", "reviews-v3=10"}), {}, nullptr);
        REQUIRE(p.ok());
        auto st = core::checkReadiness(*p, m.mesh);
        REQUIRE_FALSE(st.ok());
        CHECK(st.error().message ==
              "Service reviews-v3 in namespace web has no ready endpoints (1 EndpointSlice labelled "
              "kubernetes.io/service-name=reviews-v3, 0 ready endpoints); the gateway would answer 503 for "
              "its share — wait for its pods to be Ready (kubectl get endpointslices -n web -l "
              "kubernetes.io/service-name=reviews-v3), or pass --no-validate");
        // An endpoint without conditions.ready counts as ready (discovery.k8s.io/v1).
        auto ready = objects;
        ready.replace(ready.find("conditions: {ready: false}"), 26, "conditions: {}");
        test::MeshFixture n(ready);
        core::collectKind(n.stream, "EndpointSlice", n.mesh.endpointSlices);
        n.mesh.ready = core::Mesh::Check::Yes;
        CHECK(core::checkReadiness(*p, n.mesh).ok());
    }
}
