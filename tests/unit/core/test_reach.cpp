#include <doctest/doctest.h>

#include "core/reach.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {

std::string vs(const std::string& ns, const std::string& name, const std::string& spec) {
    return "kind: VirtualService\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec:\n" + spec;
}

const std::string kRoute = "  http: [{route: [{destination: {host: reviews, subset: v1}}]}]\n";

// The notes of the first object, with every object (itself too, as a LIST gives it) in reach.
std::vector<std::string> notes(const std::vector<std::string>& objects) {
    std::vector<doc::Stream> streams;
    for (const auto& o : objects) streams.push_back(test::yaml(o));
    std::vector<const doc::Node*> all;
    for (const auto& s : streams) all.push_back(&s.docs.at(0));
    auto named = core::readVirtualService(streams.at(0).docs.at(0));
    REQUIRE(named.ok());
    return core::reachNotes(*named, streams.at(0).docs.at(0), all);
}

}  // namespace

TEST_SUITE("core::reach") {
    TEST_CASE("alone for its host: no note") {
        CHECK(notes({vs("demo", "reviews", "  hosts: [reviews]\n" + kRoute),
                     vs("demo", "ratings", "  hosts: [ratings]\n" + kRoute)})
                  .empty());
    }
    TEST_CASE("another for the same host in the namespace, with its splits") {
        auto n = notes({vs("demo", "reviews", "  hosts: [reviews]\n" + kRoute),
                        vs("demo", "reviews-canary",
                           "  hosts: [reviews.demo.svc.cluster.local]\n  http:\n  - route:\n"
                           "    - {destination: {host: reviews, subset: v1}, weight: 50}\n"
                           "    - {destination: {host: reviews, subset: v2}, weight: 50}\n")});
        REQUIRE(n.size() == 1);
        CHECK(n[0] ==
              "VirtualService demo/reviews-canary also routes reviews.demo.svc.cluster.local for the mesh "
              "(http[0] v1=50,v2=50); this change moves only demo/reviews");
    }
    TEST_CASE("other namespaces count when they export to this one (none given is every namespace)") {
        auto other = [](const std::string& exportTo) {
            return vs("team-b", "reviews-b",
                      "  hosts: [reviews.demo.svc.cluster.local]\n" + exportTo +
                          "  http: [{route: [{destination: {host: reviews.demo.svc.cluster.local}}]}]\n");
        };
        auto named = vs("demo", "reviews", "  hosts: [reviews]\n" + kRoute);
        CHECK(notes({named, other("")}).size() == 1);
        CHECK(notes({named, other("  exportTo: ['*']\n")}).size() == 1);
        CHECK(notes({named, other("  exportTo: [demo]\n")}).size() == 1);
        CHECK(notes({named, other("  exportTo: [.]\n")}).empty());
        CHECK(notes({named, other("  exportTo: [team-c]\n")}).empty());
        // A short name is of its own namespace: reviews in team-b is another host.
        CHECK(notes({named, vs("team-b", "reviews", "  hosts: [reviews]\n" + kRoute)}).empty());
    }
    TEST_CASE("a mesh-only VirtualService hears that gateway traffic follows the gateway-bound one") {
        auto n = notes(
            {vs("demo", "reviews", "  hosts: [reviews]\n" + kRoute),
             vs("demo", "reviews-edge",
                "  hosts: [reviews.demo.svc.cluster.local]\n  gateways: [istio-system/edge]\n" + kRoute)});
        REQUIRE(n.size() == 1);
        CHECK(n[0] ==
              "traffic to reviews.demo.svc.cluster.local entering through gateway istio-system/edge follows "
              "VirtualService demo/reviews-edge (http[0] v1=100), not demo/reviews");
        // The other way round: the gateway-bound one shifted, the mesh-only one listed.
        auto back = notes(
            {vs("demo", "reviews-edge",
                "  hosts: [reviews.demo.svc.cluster.local]\n  gateways: [istio-system/edge]\n" + kRoute),
             vs("demo", "reviews", "  hosts: [reviews]\n" + kRoute)});
        REQUIRE(back.size() == 1);
        CHECK(back[0] ==
              "VirtualService demo/reviews also routes reviews.demo.svc.cluster.local for the mesh (http[0] "
              "v1=100); this change moves only demo/reviews-edge");
    }
    TEST_CASE("a catch-all host of an ingress VirtualService is not listed for every host") {
        CHECK(notes({vs("demo", "reviews", "  hosts: [reviews]\n" + kRoute),
                     vs("demo", "bookinfo", "  hosts: ['*']\n  gateways: [bookinfo-gateway]\n" + kRoute)})
                  .empty());
    }
    TEST_CASE("a delegating rule is shown as such; long lists are summed up") {
        auto n = notes({vs("demo", "reviews", "  hosts: [reviews]\n" + kRoute),
                        vs("demo", "reviews-root",
                           "  hosts: [reviews]\n  http:\n  - delegate: {name: a}\n  - delegate: {name: b}\n"
                           "  - delegate: {name: c}\n  - delegate: {name: d}\n")});
        REQUIRE(n.size() == 1);
        CHECK(
            n[0] ==
            "VirtualService demo/reviews-root also routes reviews.demo.svc.cluster.local for the mesh "
            "(http[0] delegates to demo/a; http[1] delegates to demo/b; http[2] delegates to demo/c; 1 more "
            "rule); this change moves only demo/reviews");
    }
    TEST_CASE("exportTo") {
        auto s = test::yaml(vs("a", "x", "  exportTo: [., b]\n  hosts: [x]\n"));
        CHECK(core::exportedTo(s.docs.at(0), "a", "a"));
        CHECK(core::exportedTo(s.docs.at(0), "a", "b"));
        CHECK_FALSE(core::exportedTo(s.docs.at(0), "a", "c"));
    }
}
