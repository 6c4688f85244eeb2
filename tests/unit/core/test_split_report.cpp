#include <doctest/doctest.h>

#include "core/split_report.hpp"
#include "doc/emit.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {
const std::string kObject =
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
    "metadata:\n  name: reviews\n  namespace: istio-demo\n  resourceVersion: \"42\"\n"
    "  annotations:\n    traffic-shift.dev/rollout: '{\"holder\":\"alice\",\"command\":\"rollout reviews "
    "--to v3\","
    "\"step\":2,\"steps\":4,\"started\":\"2026-12-01T03:00:00Z\",\"heartbeat\":\"2026-12-01T03:01:00Z\"}'\n"
    "spec:\n  hosts: [reviews]\n  http:\n"
    "  - name: jason\n    match: [{headers: {end-user: {exact: jason}}}]\n"
    "    route: [{destination: {host: reviews, subset: v2}}]\n"
    "  - route:\n    - destination: {host: reviews, subset: v1, port: {number: 9080}}\n      weight: 75\n"
    "    - destination: {host: reviews, subset: v3, port: {number: 9080}}\n      weight: 25\n";
}

TEST_SUITE("core::split_report") {
    TEST_CASE("a Split lists every routed rule with its destinations and the rollout in progress") {
        auto s = test::yaml(kObject);
        auto r = core::reportOf(s.docs.at(0), {});
        REQUIRE(r.ok());
        CHECK(
            doc::toJson(core::toNode(*r), 0) ==
            R"({"kind":"Split","namespace":"istio-demo","name":"reviews","apiVersion":"networking.istio.io/v1",)"
            R"("resourceVersion":"42","rules":[{"rule":"http[0]","name":"jason","destinations":[{"key":"v2",)"
            R"("host":"reviews","subset":"v2","port":null,"weight":100}]},{"rule":"http[1]","name":null,)"
            R"("destinations":[{"key":"v1","host":"reviews","subset":"v1","port":9080,"weight":75},{"key":"v3",)"
            R"("host":"reviews","subset":"v3","port":9080,"weight":25}]}],"rollout":{"holder":"alice",)"
            R"("command":"rollout reviews --to v3","step":2,"steps":4,"started":"2026-12-01T03:00:00Z",)"
            R"("heartbeat":"2026-12-01T03:01:00Z"}})");
    }
    TEST_CASE("--route narrows the rules; a SplitList wraps several") {
        auto s = test::yaml(kObject);
        auto r = core::reportOf(s.docs.at(0), {"1"});
        REQUIRE(r.ok());
        REQUIRE(r->rules.size() == 1);
        CHECK(r->rules[0].rule == "http[1]");
        auto list = core::toListNode({*r, *r});
        CHECK(list.get("kind")->str() == "SplitList");
        CHECK(list.get("items")->items.size() == 2);
        CHECK_FALSE(core::reportOf(s.docs.at(0), {"7"}).ok());
    }
    TEST_CASE("a rollout annotation that is not shift's is left out") {
        auto s = test::yaml(test::reviews(test::kAllV1));
        s.docs[0].get("metadata")->set("annotations", doc::Node::map());
        auto* annotations = s.docs[0].get("metadata")->get("annotations");
        annotations->set("traffic-shift.dev/rollout", doc::Node::string("garbage"));
        auto r = core::reportOf(s.docs.at(0), {});
        REQUIRE(r.ok());
        CHECK_FALSE(r->rollout.has_value());
    }
}
