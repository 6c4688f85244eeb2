#include <doctest/doctest.h>

#include "core/apply.hpp"
#include "doc/emit.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {

struct Applied {
    std::optional<std::string> text;
    doc::Node tree;
};

Applied apply(const std::string& source, std::vector<std::string> args, core::ShiftOptions o = {}) {
    auto s = test::yaml(source);
    auto p = core::planShift(s.docs.at(0), test::request(std::move(args)), o, nullptr);
    REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
    return {core::applyToYamlText(s.source, s.docs.at(0), p->vs, p->rules),
            core::applyToTree(s.docs.at(0), p->vs, p->rules)};
}

const std::string kHead =
    "# bookinfo reviews\n"
    "apiVersion: networking.istio.io/v1alpha3\n"
    "kind: VirtualService\n"
    "metadata:\n"
    "  name: reviews   # the one we shift\n"
    "  annotations:\n"
    "    version: \"1.0\"\n"
    "    flag: 'NO'\n"
    "spec:\n"
    "  hosts:\n"
    "    - reviews\n"
    "\n"
    "  http:\n"
    "  - route:\n";

}  // namespace

TEST_SUITE("core::apply") {
    TEST_CASE("all v1 -> 50/50: a weight line and a new destination like its sibling, nothing else moves") {
        auto a = apply(kHead +
                           "    - destination:\n"
                           "        host: reviews # keep me\n"
                           "        subset: v1\n"
                           "        port:\n"
                           "          number: 9080\n"
                           "    timeout: 10s\n",
                       {"v1=50", "v3=50"});
        REQUIRE(a.text);
        CHECK(*a.text == kHead +
                             "    - destination:\n"
                             "        host: reviews # keep me\n"
                             "        subset: v1\n"
                             "        port:\n"
                             "          number: 9080\n"
                             "      weight: 50\n"
                             "    - destination:\n"
                             "        host: reviews\n"  // the copy takes no comment along
                             "        subset: v3\n"
                             "        port:\n"
                             "          number: 9080\n"
                             "      weight: 50\n"
                             "    timeout: 10s\n");
    }
    TEST_CASE("50/50 -> all v3: the v1 lines and the lone weight line go") {
        auto a = apply(kHead +
                           "    - destination:\n"
                           "        host: reviews\n"
                           "        subset: v1\n"
                           "      weight: 50\n"
                           "    - destination:\n"
                           "        host: reviews\n"
                           "        subset: v3\n"
                           "      weight: 50 # half\n",
                       {"v3=100"});
        REQUIRE(a.text);
        CHECK(*a.text == kHead +
                             "    - destination:\n"
                             "        host: reviews\n"
                             "        subset: v3\n");
    }
    TEST_CASE("a comment left of an item's keys does not end the item: a removed item goes whole") {
        // Found by fuzz_edit (tests/fuzz/regressions/edit): the item's `weight:` line after such a comment
        // was left behind, under the new destination appended there.
        auto a = apply(kHead +
                           "    - destination:\n"
                           "        host: reviews\n"
                           "        subset: v1\n"
                           "      weight: 50\n"
                           "    - destination:\n"
                           "        host: reviews\n"
                           "# v2 was here\n"
                           "        subset: v2\n"
                           "      weight: 50\n"
                           "    # the canary goes last\n",
                       {"v1=50", "v3=50"});
        REQUIRE(a.text);
        CHECK(*a.text == kHead + test::kHalf + "    # the canary goes last\n");
        CHECK(doc::toJson(test::yaml(*a.text).docs.at(0)) == doc::toJson(a.tree));
    }
    TEST_CASE("a weight changes in place, comment kept") {
        auto a = apply(kHead +
                           "    - destination: {host: reviews, subset: v1}\n"
                           "      weight: 50   # old\n"
                           "    - destination: {host: reviews, subset: v3}\n"
                           "      weight: 50\n",
                       {"v1=90", "v3=10"});
        REQUIRE(a.text);
        CHECK(*a.text == kHead +
                             "    - destination: {host: reviews, subset: v1}\n"
                             "      weight: 90   # old\n"
                             "    - destination: {host: reviews, subset: v3}\n"
                             "      weight: 10\n");
    }
    TEST_CASE("a flow-style destination in a block route is edited line by line") {
        auto a = apply(kHead + "    - destination: {host: reviews, subset: v1}  # stable\n",
                       {"v1=90", "canary=10"});
        REQUIRE(a.text);
        CHECK(*a.text == kHead +
                             "    - destination: {host: reviews, subset: v1}  # stable\n"
                             "      weight: 90\n"
                             "    - destination: {host: reviews, subset: canary}\n"
                             "      weight: 10\n");
        // A subset the copied destination lacks is written into the new flow map.
        auto b = apply(kHead + "    - destination: {host: reviews}\n", {"reviews/v1=50", "reviews/v2=50"});
        REQUIRE(b.text);
        CHECK(*b.text == kHead +
                             "    - destination: {host: reviews, subset: v1}\n"
                             "      weight: 50\n"
                             "    - destination: {host: reviews, subset: v2}\n"
                             "      weight: 50\n");
    }
    TEST_CASE("a flow-style route is edited in flow style, in place") {
        auto a = apply(kHead +
                           "    - destination: {host: reviews, subset: v2}\n"
                           "  - route: [{destination: {host: reviews, subset: v1}}]  # flow\n",
                       {"v1=50", "v3=50"}, {{"1"}, {}});
        REQUIRE(a.text);
        CHECK(*a.text == kHead +
                             "    - destination: {host: reviews, subset: v2}\n"
                             "  - route: [{destination: {host: reviews, subset: v1}, weight: 50}, "
                             "{destination: {host: reviews, subset: v3}, weight: 50}]  # flow\n");
        const auto* route = a.tree.at({"spec", "http"})->items.at(1).get("route");
        REQUIRE(route);
        REQUIRE(route->items.size() == 2);
        CHECK(route->items[1].at({"destination", "subset"})->str() == "v3");
        CHECK(route->items[1].get("weight")->str() == "50");
    }
    TEST_CASE("anchors, aliases and merge keys in a route are beyond line edits; the tree still applies") {
        // Line edits would copy the anchor into the new destination, or change the anchor's lines
        // under an alias, i.e. every place that reads them.
        auto anchored = apply(kHead +
                                  "    - destination: &d\n        host: reviews\n        subset: v1\n"
                                  "  - route:\n    - destination: *d\n",
                              {"v1=50", "v3=50"}, {{"0"}, {}});
        CHECK_FALSE(anchored.text);
        const auto* http = anchored.tree.at({"spec", "http"});
        REQUIRE(http->items.at(0).get("route")->items.size() == 2);
        CHECK(http->items.at(1).get("route")->items.size() == 1);  // the alias still reads v1 alone
        CHECK(http->items.at(1).at({"route"})->items.at(0).at({"destination", "subset"})->str() == "v1");

        auto aliased = apply(kHead +
                                 "    - destination: &d\n        host: reviews\n        subset: v1\n"
                                 "  - route:\n    - destination: *d\n      weight: 100\n",
                             {"v1=50", "v3=50"}, {{"1"}, {}});
        CHECK_FALSE(aliased.text);

        auto merged = apply(kHead + "    - destination:\n        <<: {host: reviews}\n        subset: v1\n",
                            {"v1=50", "v3=50"});
        CHECK_FALSE(merged.text);
        const auto* route = merged.tree.at({"spec", "http"})->items.at(0).get("route");
        REQUIRE(route->items.size() == 2);
        CHECK(route->items[1].at({"destination", "host"})->str() == "reviews");
        CHECK(route->items[1].at({"destination", "subset"})->str() == "v3");
    }
    TEST_CASE("the tree keeps other fields and the order of destinations") {
        auto a = apply(kHead +
                           "    - destination: {host: reviews, subset: v2, port: {number: 9080}}\n"
                           "      weight: 20\n"
                           "      headers: {response: {add: {x: y}}}\n"
                           "    - destination: {host: reviews, subset: v1}\n"
                           "      weight: 80\n",
                       {"v1=10", "v3=10"}, {});
        const auto& items = a.tree.at({"spec", "http"})->items.at(0).get("route")->items;
        REQUIRE(items.size() == 3);
        CHECK(items[0].at({"destination", "subset"})->str() == "v2");
        CHECK(items[0].get("weight")->str() == "80");
        CHECK(items[0].keys == std::vector<std::string>{"destination", "weight", "headers"});
        CHECK(items[1].at({"destination", "subset"})->str() == "v1");
        CHECK(items[1].get("weight")->str() == "10");
        // The new one copies v2's destination (the first of its host) with its port, never its
        // version-specific headers.
        CHECK(items[2].at({"destination", "subset"})->str() == "v3");
        CHECK(items[2].at({"destination", "port", "number"})->str() == "9080");
        CHECK(items[2].keys == std::vector<std::string>{"destination", "weight"});
        CHECK(a.tree.at({"metadata", "annotations", "version"})->quoted);
    }
    TEST_CASE("untargeted rules are untouched") {
        auto a = apply(kHead +
                           "    - destination:\n        host: reviews\n        subset: v1\n"
                           "  - match:\n    - uri: {prefix: /x}\n    route:\n"
                           "    - destination:\n        host: reviews\n        subset: v1\n",
                       {"v1=50", "v3=50"}, {{"0"}, {}});
        REQUIRE(a.text);
        CHECK(a.text->find("  - match:\n    - uri: {prefix: /x}\n    route:\n"
                           "    - destination:\n        host: reviews\n        subset: v1\n") !=
              std::string::npos);
        CHECK(a.tree.at({"spec", "http"})->items.at(1).get("route")->items.size() == 1);
    }
    TEST_CASE("property: on every layout the edit reads back as the tree's object, or is declined") {
        const std::vector<std::string> routes = {
            test::kAllV1,
            test::kHalf,
            "    - destination: {host: reviews, subset: v1}\n      weight: 50\n"
            "    - weight: 50\n      destination: {host: reviews, subset: v2}\n",
            "    - {destination: {host: reviews, subset: v1}, weight: 50}\n"
            "    - {destination: {host: reviews, subset: v2}, weight: 50}  # two\n",
            "    [{destination: {host: reviews, subset: v1}, weight: 50}, {destination: {host: reviews, "
            "subset: "
            "v2, port: {number: 1}}, weight: 50}]\n",
            "    - destination:\n          host: reviews\n          subset: v1\n          port:\n"
            "              number: 9080\n      headers:\n        request: {set: {x: \"1\"}}\n",
        };
        const std::vector<std::vector<std::string>> requests = {
            {"v1=100"},        {"v2=100"}, {"v3=100"}, {"v1=10", "v2=90"}, {"v1=20", "v2=30", "v3=50"},
            {"v2=0", "v1=100"}};
        for (const auto& route : routes) {
            for (const auto& args : requests) {
                CAPTURE(route);
                CAPTURE(args);
                auto source = test::reviews(route) + "---\nkind: Other  # kept\nmetadata: {name: x}\n";
                if (auto flow = source.find("route:\n    ["); flow != std::string::npos)
                    source.replace(flow + 6, 5, " ");
                auto s = test::yaml(source);
                auto p = core::planShift(s.docs.at(0), test::request(args), {}, nullptr);
                if (!p.ok()) continue;  // a request this route cannot take
                auto text = core::applyToYamlText(s.source, s.docs.at(0), p->vs, p->rules);
                REQUIRE(text);
                auto back = test::yaml(*text);
                CHECK(doc::toJson(back.docs.at(0)) ==
                      doc::toJson(core::applyToTree(s.docs.at(0), p->vs, p->rules)));
                CHECK(text->substr(text->find("---")) == "---\nkind: Other  # kept\nmetadata: {name: x}\n");
            }
        }
    }
}
