#include <doctest/doctest.h>

#include "core/annotations.hpp"
#include "doc/emit.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {
core::Revision change(const std::string& command) {
    core::Revision r;
    r.time = *core::parseTime("2026-12-01T03:00:00Z");
    r.user = "alice";
    r.command = command;
    return r;
}
}  // namespace

TEST_SUITE("core::annotations") {
    TEST_CASE("the first change records the state before it as revision 1") {
        auto before = test::yaml(test::reviews(test::kAllV1)).docs.at(0);
        auto after = test::yaml(test::reviews(test::kHalf)).docs.at(0);
        REQUIRE(core::recordRevision(after, before, change("set reviews v1=50 v3=50"), 10).ok());
        auto history = core::historyOf(after);
        REQUIRE(history.ok());
        REQUIRE(history->size() == 2);
        CHECK((*history)[0].number == 1);
        CHECK((*history)[0].command == "(before shift's first change)");
        CHECK((*history)[0].rules[0].split == "v1=100");
        CHECK((*history)[1].number == 2);
        CHECK((*history)[1].user == "alice");
        CHECK((*history)[1].rules[0].rule == "http[0]");
        CHECK((*history)[1].rules[0].split == "v1=50,v3=50");
        // The next change appends to the history the object already carries.
        auto next = after;
        REQUIRE(core::recordRevision(next, after, change("set reviews v3=100"), 10).ok());
        CHECK(core::historyOf(next)->size() == 3);
    }
    TEST_CASE("a VirtualService with thousands of rules records only the rules a change touched") {
        std::string text =
            "kind: VirtualService\nmetadata: {name: big}\nspec:\n  hosts: [reviews]\n  http:\n";
        for (int i = 0; i < 2000; ++i) {
            text += "  - name: r" + std::to_string(i) + "\n    match: [{headers: {x: {exact: \"" +
                    std::to_string(i) + "\"}}}]\n    route: [{destination: {host: reviews, subset: v1}}]\n";
        }
        auto before = test::yaml(text).docs.at(0);
        auto after = before;
        auto& route = after.get("spec")->get("http")->items[1500].get("route")->items;
        route.push_back(route[0]);
        route[1].get("destination")->set("subset", doc::Node::string("v3"));
        route[0].set("weight", doc::Node::integer(90));
        route[1].set("weight", doc::Node::integer(10));
        REQUIRE(core::recordRevision(after, before, change("set big v1=90 v3=10 --route r1500"), 10).ok());
        auto history = core::historyOf(after);
        REQUIRE(history.ok());
        REQUIRE(history->size() == 2);
        REQUIRE((*history)[0].rules.size() == 1);
        CHECK((*history)[0].rules[0].rule == "http[1500]");
        CHECK((*history)[0].rules[0].split == "v1=100");
        REQUIRE((*history)[1].rules.size() == 1);
        CHECK((*history)[1].rules[0].split == "v1=90,v3=10");
        const auto* value = after.at({"metadata", "annotations", core::kHistoryAnnotation});
        REQUIRE(value);
        CHECK(value->str().size() < 1024);

        SUBCASE("one change to all of them is recorded without its splits") {
            auto all = before;
            for (auto& rule : all.get("spec")->get("http")->items)
                rule.get("route")->items[0].get("destination")->set("subset", doc::Node::string("v2"));
            REQUIRE(core::recordRevision(all, before, change("set big v2=100 --route ..."), 10).ok());
            auto h = core::historyOf(all);
            REQUIRE(h.ok());
            REQUIRE(h->size() == 2);
            CHECK(h->back().rules.empty());
            CHECK(h->back().command == "[2000 rules changed: too many to record] set big v2=100 --route ...");
            CHECK(all.at({"metadata", "annotations", core::kHistoryAnnotation})->str().size() < 1024);
        }
    }

    TEST_CASE("the rollout mark is set, read back and removed with an emptied annotations map") {
        auto object = test::yaml(test::reviews(test::kAllV1)).docs.at(0);
        core::RolloutMark m{"alice",
                            "rollout",
                            1,
                            3,
                            *core::parseTime("2026-12-01T03:00:00Z"),
                            *core::parseTime("2026-12-01T03:00:00Z")};
        core::setRolloutMark(object, m);
        REQUIRE(core::rolloutMarkOf(object));
        CHECK(core::rolloutMarkOf(object)->steps == 3);
        core::setRolloutMark(object, std::nullopt);
        CHECK_FALSE(core::rolloutMarkOf(object));
        CHECK(object.at({"metadata", "annotations"}) == nullptr);
    }
    TEST_CASE("the last manager is the one with the latest managedFields time") {
        auto object = test::yaml(
                          "metadata:\n  managedFields:\n"
                          "  - {manager: shift, operation: Update, time: \"2026-12-01T03:00:00Z\"}\n"
                          "  - {manager: kubectl-edit, operation: Update, time: \"2026-12-01T03:05:00Z\"}\n"
                          "  - {manager: argocd, operation: Apply, time: \"2026-12-01T02:00:00Z\"}\n")
                          .docs.at(0);
        CHECK(core::lastManager(object) == "kubectl-edit");
        CHECK(core::lastManager(test::yaml("metadata: {name: x}\n").docs.at(0)).empty());
    }
}
