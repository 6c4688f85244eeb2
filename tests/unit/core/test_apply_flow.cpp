#include <doctest/doctest.h>

#include "core/apply.hpp"
#include "doc/emit.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {

struct Case {
    std::string route;  // the `route:` value and what follows, at `  - route:`
    std::vector<std::string> args;
};

std::optional<std::string> edit(const std::string& text, std::vector<std::string> args) {
    auto s = test::yaml(text);
    auto p = core::planShift(s.docs.at(0), test::request(std::move(args)), {}, nullptr);
    REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
    return core::applyToYamlText(s.source, s.docs.at(0), p->vs, p->rules);
}

const std::string kVs = "kind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  http:\n  - route: ";

}  // namespace

TEST_SUITE("core::apply (flow style)") {
    TEST_CASE("a weight changes, nothing else") {
        auto text = kVs +
                    "[{destination: {host: reviews, subset: v1}, weight: 90}, "
                    "{destination: {host: reviews, subset: v2}, weight: 10}]   # canary\n";
        auto out = edit(text, {"v1=70", "v2=30"});
        REQUIRE(out);
        CHECK(*out == kVs +
                          "[{destination: {host: reviews, subset: v1}, weight: 70}, "
                          "{destination: {host: reviews, subset: v2}, weight: 30}]   # canary\n");
    }
    TEST_CASE("an item goes with its separator, and the last weight with it") {
        auto text = kVs +
                    "[{destination: {host: reviews, subset: v1}, weight: 90},  {weight: 10, destination: "
                    "{host: reviews, subset: v2}}]\n";
        CHECK(*edit(text, {"v2=100"}) == kVs + "[{destination: {host: reviews, subset: v2}}]\n");
        CHECK(*edit(text, {"v1=100"}) == kVs + "[{destination: {host: reviews, subset: v1}}]\n");
    }
    TEST_CASE("a multi-line flow route keeps its layout; a new item follows with the same separator") {
        auto text = kVs +
                    "[\n      {destination: {host: reviews, subset: v1}, weight: 50},  # stable\n"
                    "      {destination: {host: reviews, subset: v2}, weight: 50}\n    ]\n";
        auto out = edit(text, {"v1=50", "v2=25", "v3=25"});
        REQUIRE(out);
        CHECK(*out == kVs +
                          "[\n      {destination: {host: reviews, subset: v1}, weight: 50},  # stable\n"
                          "      {destination: {host: reviews, subset: v2}, weight: 25},\n"
                          "      {destination: {host: reviews, subset: v3}, weight: 25}\n    ]\n");
    }
    TEST_CASE("every item replaced: the new one takes their place") {
        auto text = kVs + "[ {destination: {host: reviews, subset: v1}} ]\n";
        CHECK(*edit(text, {"v3=100"}) == kVs + "[ {destination: {host: reviews, subset: v3}} ]\n");
    }
    TEST_CASE("block items written as flow maps") {
        auto text = kVs.substr(0, kVs.size() - 1) +
                    "\n    - {destination: {host: reviews, subset: v1, port: {number: 9080}}, headers: {a: "
                    "b}}  # v1\n"
                    "    timeout: 5s\n";
        auto out = edit(text, {"v1=80", "v2=20"});
        REQUIRE(out);
        CHECK(*out ==
              kVs.substr(0, kVs.size() - 1) +
                  "\n    - {destination: {host: reviews, subset: v1, port: {number: 9080}}, headers: {a: b}, "
                  "weight: 80}  # v1\n"
                  "    - {destination: {host: reviews, subset: v2, port: {number: 9080}}, weight: 20}\n"
                  "    timeout: 5s\n");
    }
}

TEST_SUITE("doc::toFlowYaml") {
    TEST_CASE("plain where it reads back the same, quoted otherwise") {
        auto n = doc::Node::map();
        n.set("host", doc::Node::string("reviews.prod.svc.cluster.local"));
        n.set("subset", doc::Node::string("true"));
        n.set("odd", doc::Node::string("a, b"));
        n.set("weight", doc::Node::integer(5));
        CHECK(doc::toFlowYaml(n) ==
              "{host: reviews.prod.svc.cluster.local, subset: \"true\", odd: \"a, b\", weight: 5}");
    }
}
