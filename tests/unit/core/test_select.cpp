#include <doctest/doctest.h>

#include "core/select.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {
const std::string kRules =
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: ns}\n"
    "spec:\n"
    "  hosts: [reviews]\n"
    "  http:\n"
    "  - name: jason\n"
    "    match:\n"
    "    - headers:\n"
    "        end-user:\n"
    "          exact: jason\n"
    "    route:\n"
    "    - destination: {host: reviews, subset: v2}\n"
    "  - route:\n"
    "    - destination: {host: reviews, subset: v1}\n"
    "  tcp:\n"
    "  - route:\n"
    "    - destination: {host: reviews, subset: v1}\n";

core::VirtualService read(const std::string& text) {
    auto s = test::yaml(text);
    auto vs = core::readVirtualService(s.docs.at(0));
    REQUIRE(vs.ok());
    return *vs;
}
}  // namespace

TEST_SUITE("core::select") {
    TEST_CASE("the only rule is the default") {
        auto vs = read(test::reviews(test::kAllV1));
        auto r = core::selectRules(vs, {});
        REQUIRE(r.ok());
        CHECK(*r == std::vector<std::size_t>{0});
    }
    TEST_CASE("else the http rule without match") {
        auto vs = read(kRules);
        REQUIRE(vs.rules.size() == 3);
        auto r = core::selectRules(vs, {});
        REQUIRE(r.ok());
        CHECK(*r == std::vector<std::size_t>{1});
    }
    TEST_CASE("--route by name, index, list:index") {
        auto vs = read(kRules);
        CHECK(*core::selectRules(vs, {"jason"}) == std::vector<std::size_t>{0});
        CHECK(*core::selectRules(vs, {"1"}) == std::vector<std::size_t>{1});
        CHECK(*core::selectRules(vs, {"http:0"}) == std::vector<std::size_t>{0});
        CHECK(*core::selectRules(vs, {"tcp:0"}) == std::vector<std::size_t>{2});
        CHECK(*core::selectRules(vs, {"tcp:0", "jason", "tcp:0"}) == std::vector<std::size_t>{2, 0});
    }
    TEST_CASE("a --route that matches nothing is an error listing the rules") {
        auto vs = read(kRules);
        for (std::string bad : {"tls:0", "7", "nope"}) {
            auto r = core::selectRules(vs, {bad});
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().message.find("--route " + bad +
                                         " matches no rule of VirtualService ns/reviews") == 0);
            CHECK(r.error().message.find("http[0] (\"jason\") match headers end-user exact jason") !=
                  std::string::npos);
            CHECK(r.error().message.find("tcp[0]") != std::string::npos);
        }
    }
    TEST_CASE("an empty --route is an error, not the default rule") {
        auto vs = read(kRules);
        auto r = core::selectRules(vs, {""});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message.find(
                  "--route needs a value: a rule name, an index into http, or LIST:INDEX") == 0);
        CHECK(r.error().message.find("http[1] (no match: catch-all)") != std::string::npos);
    }
    TEST_CASE("a rule named like an index is selected by its name, and the shadowed index is named") {
        auto vs = read(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: ns}\n"
            "spec:\n  hosts: [r]\n  http:\n"
            "  - name: web\n    match: [{uri: {prefix: /a}}]\n    route: [{destination: {host: r, subset: "
            "a}}]\n"
            "  - name: \"0\"\n    match: [{uri: {prefix: /b}}]\n    route: [{destination: {host: r, subset: "
            "b}}]\n"
            "  - name: \"tcp:0\"\n    route: [{destination: {host: r, subset: c}}]\n"
            "  tcp:\n  - route: [{destination: {host: r, subset: d}}]\n");
        CHECK(*core::selectRules(vs, {"0"}) == std::vector<std::size_t>{1});
        CHECK(*core::selectRules(vs, {"tcp:0"}) == std::vector<std::size_t>{2});
        CHECK(*core::selectRules(vs, {"http:0"}) == std::vector<std::size_t>{0});
        CHECK(*core::selectRules(vs, {"2"}) == std::vector<std::size_t>{2});
        auto notes = core::shadowNotes(vs, {"0", "tcp:0", "web", "2"});
        REQUIRE(notes.size() == 2);
        CHECK(notes[0] ==
              "--route 0 selects the rule named \"0\" (http[1] (\"0\")), not http[0] (\"web\"); "
              "write --route http:0 for that one");
        CHECK(notes[1] ==
              "--route tcp:0 selects the rule named \"tcp:0\" (http[2] (\"tcp:0\")), not tcp[0]; "
              "rename that rule to select this one by position");
    }
    TEST_CASE("several catch-alls ask for --route") {
        auto vs = read(
            "kind: VirtualService\nmetadata: {name: r}\nspec:\n  http:\n  - route: [{destination: {host: "
            "a}}]\n"
            "  - route: [{destination: {host: b}}]\n");
        auto r = core::selectRules(vs, {});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message.find("choose with --route") != std::string::npos);
        CHECK(r.error().message.find("http[1] (no match: catch-all)") != std::string::npos);
    }
    TEST_CASE("no routes at all") {
        auto vs = read("kind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n");
        auto r = core::selectRules(vs, {});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message.find("has no http, tcp or tls routes") != std::string::npos);
    }
}
