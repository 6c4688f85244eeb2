#include <doctest/doctest.h>

#include "core/delegates.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {

const char* kParent =
    "kind: VirtualService\nmetadata: {name: reviews, namespace: istio-demo}\nspec:\n  hosts: [reviews]\n"
    "  http:\n  - match: [{uri: {prefix: /api}}]\n    delegate: {name: reviews-api, namespace: team-a}\n"
    "  - delegate: {name: reviews-web}\n";

const char* kDelegate =
    "kind: VirtualService\nmetadata: {name: reviews-api, namespace: team-a}\nspec:\n"
    "  http: [{route: [{destination: {host: reviews.istio-demo.svc.cluster.local, subset: v1}}]}]\n";

core::VirtualService read(const doc::Stream& s) {
    auto vs = core::readVirtualService(s.docs.at(0));
    REQUIRE(vs.ok());
    return *vs;
}

}  // namespace

TEST_SUITE("core::delegates") {
    TEST_CASE("a delegate's namespace defaults to the parent's") {
        auto s = test::yaml(kParent);
        auto vs = read(s);
        CHECK(core::delegateOf(vs, vs.rules[0]) == "team-a/reviews-api");
        CHECK(core::delegateOf(vs, vs.rules[1]) == "istio-demo/reviews-web");
    }
    TEST_CASE("shifting a delegating rule is an error naming the command that shifts the delegate") {
        auto s = test::yaml(kParent);
        auto vs = read(s);
        auto e = core::delegatedRule(vs, vs.rules[0]);
        REQUIRE(e);
        CHECK(e->exit == kExitInput);
        CHECK(
            e->message ==
            "VirtualService istio-demo/reviews http[0] delegates to VirtualService team-a/reviews-api; shift "
            "that one (Istio routes there, not here): kubectl shift reviews-api -n team-a ...");
        auto d = test::yaml(kDelegate);
        auto delegate = read(d);
        CHECK_FALSE(core::delegatedRule(delegate, delegate.rules[0]));
    }
    TEST_CASE("a delegate names its parents, in any namespace; a VirtualService with hosts gets no note") {
        auto p = test::yaml(kParent);
        auto d = test::yaml(kDelegate);
        auto other = test::yaml(
            "kind: VirtualService\nmetadata: {name: shop, namespace: team-a}\nspec:\n  hosts: [shop]\n"
            "  http: [{delegate: {name: reviews-api}}]\n");
        std::vector<const doc::Node*> all{&p.docs.at(0), &d.docs.at(0), &other.docs.at(0)};
        auto notes = core::delegateNotes(read(d), all);
        REQUIRE(notes.size() == 1);
        CHECK(
            notes[0] ==
            "VirtualService team-a/reviews-api is a delegate: only the requests its parents hand to it reach "
            "it (istio-demo/reviews http[0], team-a/shop http[0])");
        CHECK(core::delegateNotes(read(p), all).empty());
    }
    TEST_CASE("a delegate no one delegates to routes nothing") {
        auto d = test::yaml(kDelegate);
        auto notes = core::delegateNotes(read(d), {&d.docs.at(0)});
        REQUIRE(notes.size() == 1);
        CHECK(notes[0] ==
              "VirtualService team-a/reviews-api has no hosts and no VirtualService in reach delegates to it "
              "(http[].delegate): this change moves no traffic until one does");
    }
}
