#include <doctest/doctest.h>

#include "app/apply.hpp"
#include "core/annotations.hpp"
#include "fake_store.hpp"

using namespace shift;

namespace {

std::string reviews(int v1, int v3) {
    return "apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
           "metadata: {name: reviews, namespace: istio-demo}\n"
           "spec:\n  http:\n  - route:\n"
           "    - destination: {host: reviews, subset: v1}\n      weight: " +
           std::to_string(v1) +
           "\n"
           "    - destination: {host: reviews, subset: v3}\n      weight: " +
           std::to_string(v3) + "\n";
}

core::Request request(std::vector<std::string> args) {
    auto r = core::parseRequest(args);
    REQUIRE(r.ok());
    return *r;
}

// Options whose backoff and warnings are recorded instead of slept and printed.
struct Recorded {
    std::vector<int> backoffs;
    std::vector<std::string> warnings;
    app::ApplyOptions options() {
        app::ApplyOptions o;
        o.backoff = [this](int attempt) { backoffs.push_back(attempt); };
        o.warn = [this](const std::string& w) { warnings.push_back(w); };
        return o;
    }
};

core::Revision revision(long long n, std::string split, std::string rule = "http[0]") {
    return {n, core::Clock::time_point{}, "jane", "set", {{std::move(rule), std::move(split)}}};
}

// reviews(v1, v3) carrying shift's annotations: a history and, when `heartbeat` is given, a mark.
std::string annotated(int v1, int v3, const std::vector<core::Revision>& history,
                      std::optional<core::Clock::time_point> heartbeat = std::nullopt) {
    auto s = doc::parse(reviews(v1, v3), "reviews.yaml");
    REQUIRE(s.ok());
    doc::Node object = s->docs.at(0);
    doc::Node annotations = doc::Node::map();
    annotations.set(core::kHistoryAnnotation, doc::Node::string(core::encodeHistory(history)));
    object.get("metadata")->set("annotations", std::move(annotations));
    if (heartbeat)
        core::setRolloutMark(object, core::RolloutMark{"ci@runner pid 7", "rollout reviews --to v3", 2, 4,
                                                       *heartbeat, *heartbeat});
    return doc::toYaml(object);
}

std::string splitOfText(const std::string& text) {
    auto s = doc::parse(text, "written.yaml");
    REQUIRE(s.ok());
    auto rules = core::recordSplits(s->docs.at(0));
    REQUIRE(rules.ok());
    return rules->at(0).split;
}

}  // namespace

TEST_SUITE("app::apply") {
    TEST_CASE("one read, one plan, one write when nobody else writes") {
        test::FakeStore store(reviews(100, 0));
        Recorded rec;
        auto out = app::applyShift(store, request({"v1=50", "v3=50"}), rec.options());
        REQUIRE(out.ok());
        CHECK(out->plan.changed);
        CHECK(store.reads == 1);
        CHECK(store.writes == 1);
        CHECK(store.text().find("weight: 50") != std::string::npos);
        CHECK(rec.backoffs.empty());
        CHECK(rec.warnings.empty());
    }

    TEST_CASE("a conflict re-reads and re-plans on what the other writer left, after a backoff") {
        test::FakeStore store(reviews(100, 0));
        store.concurrentWrites(2, reviews(20, 80));
        Recorded rec;
        auto out = app::applyShift(store, request({"v1=50", "v3=50"}), rec.options());
        REQUIRE(out.ok());
        CHECK(store.reads == 3);
        CHECK(store.writes == 1);
        CHECK(rec.backoffs == std::vector<int>{1, 2});
        CHECK(rec.warnings ==
              std::vector<std::string>{"conflict, attempt 2 of 8", "conflict, attempt 3 of 8"});
        // The plan that won was made on the other writer's weights, not on the first read.
        REQUIRE(out->plan.rules.size() == 1);
        CHECK(out->plan.rules[0].destinations[0].before == 20);
        CHECK(out->plan.rules[0].destinations[1].before == 80);
    }

    TEST_CASE("after the last attempt: the store's conflict error (exit 4), nothing written") {
        test::FakeStore store(reviews(100, 0));
        store.concurrentWrites(100);
        Recorded rec;
        auto out = app::applyShift(store, request({"v1=50", "v3=50"}), rec.options());
        REQUIRE_FALSE(out.ok());
        CHECK(out.error().exit == kExitConflict);
        CHECK(out.error().message == "gave up after 8");
        CHECK(store.reads == app::kConflictAttempts);
        CHECK(store.writes == 0);
        CHECK(rec.backoffs.size() == app::kConflictAttempts - 1);
    }

    TEST_CASE("the attempts are an option") {
        test::FakeStore store(reviews(100, 0));
        store.concurrentWrites(100);
        Recorded rec;
        auto o = rec.options();
        o.attempts = 2;
        CHECK_FALSE(app::applyShift(store, request({"v3=100"}), o).ok());
        CHECK(store.reads == 2);
        CHECK(rec.backoffs == std::vector<int>{1});
    }

    TEST_CASE("no change and dry runs write nothing") {
        test::FakeStore store(reviews(50, 50));
        Recorded rec;
        auto same = app::applyShift(store, request({"v1=50", "v3=50"}), rec.options());
        REQUIRE(same.ok());
        CHECK_FALSE(same->plan.changed);
        auto o = rec.options();
        o.dryRun = app::DryRun::Client;
        auto dry = app::applyShift(store, request({"v3=100"}), o);
        REQUIRE(dry.ok());
        CHECK(dry->plan.changed);
        CHECK(store.writes == 0);
        CHECK(store.version() == 1);
    }

    TEST_CASE("subsets are checked against the store's DestinationRules unless validation is off") {
        test::FakeStore store(reviews(100, 0));
        store.destinationRulesYaml(
            "kind: DestinationRule\nmetadata: {name: reviews, namespace: istio-demo}\n"
            "spec: {host: reviews, subsets: [{name: v1}, {name: v3}]}\n");
        Recorded rec;
        auto bad = app::applyShift(store, request({"v1=50", "v2=50"}), rec.options());
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error().message.find("subset \"v2\" of host reviews is not defined") != std::string::npos);
        CHECK(store.writes == 0);
        auto o = rec.options();
        o.validate = false;
        CHECK(app::applyShift(store, request({"v1=50", "v2=50"}), o).ok());
        CHECK(store.writes == 1);
    }

    TEST_CASE("invalid live weights are warned about when DestinationRules are checked too") {
        test::FakeStore store(reviews(-10, 110));
        store.destinationRulesYaml(
            "kind: DestinationRule\nmetadata: {name: reviews, namespace: istio-demo}\n"
            "spec: {host: reviews, subsets: [{name: v1}, {name: v3}]}\n");
        Recorded rec;
        REQUIRE(app::applyShift(store, request({"v1=50", "v3=50"}), rec.options()).ok());
        REQUIRE(rec.warnings.size() == 1);
        CHECK(rec.warnings[0].find("has invalid weights now (v1=-10 v3=110") != std::string::npos);
    }

    TEST_CASE(
        "a fresh rollout mark refuses the write (exit 9) unless the lock is off; a stale one does not") {
        auto now = core::Clock::now();
        test::FakeStore store(annotated(90, 10, {}, now - std::chrono::seconds(5)));
        Recorded rec;
        auto o = rec.options();
        o.rolloutLock = app::ApplyOptions::RolloutLock{now};
        auto refused = app::applyShift(store, request({"v1=50", "v3=50"}), o);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().exit == kExitLocked);
        CHECK(
            refused.error().message ==
            "VirtualService istio-demo/reviews is being rolled out by ci@runner pid 7 (rollout reviews --to "
            "v3, step 2 of 4, heartbeat at " +
                core::formatTime(now - std::chrono::seconds(5)) +
                "); nothing written: wait for it to end, or pass --force to take over");
        CHECK(store.writes == 0);

        o.rolloutLock->now = now + std::chrono::seconds(120);  // the rollout died: its mark is stale
        CHECK(app::applyShift(store, request({"v1=50", "v3=50"}), o).ok());
        CHECK(store.writes == 1);

        test::FakeStore forced(annotated(90, 10, {}, now));
        o.rolloutLock.reset();  // --force
        CHECK(app::applyShift(forced, request({"v1=50", "v3=50"}), o).ok());
        CHECK(forced.writes == 1);
    }

    TEST_CASE("undo writes every recorded rule's split in one write and says which revision") {
        test::FakeStore store(annotated(
            50, 50, {revision(1, "v1=100"), revision(2, "v1=90,v3=10"), revision(3, "v1=50,v3=50")}));
        Recorded rec;
        auto out = app::applyUndo(store, std::nullopt, rec.options());
        REQUIRE(out.ok());
        CHECK(out->revision == 2);
        CHECK(store.writes == 1);
        CHECK(splitOfText(store.text()) == "v1=90,v3=10");

        auto first = app::applyUndo(store, 1, rec.options());
        REQUIRE(first.ok());
        CHECK(first->revision == 1);
        CHECK(splitOfText(store.text()) == "v1=100");
    }

    TEST_CASE("undo re-plans on a conflict from the history the other writer left") {
        test::FakeStore store(annotated(50, 50, {revision(1, "v1=100"), revision(2, "v1=50,v3=50")}));
        store.concurrentWrites(
            1, annotated(20, 80,
                         {revision(1, "v1=100"), revision(2, "v1=50,v3=50"), revision(3, "v1=20,v3=80")}));
        Recorded rec;
        auto out = app::applyUndo(store, std::nullopt, rec.options());
        REQUIRE(out.ok());
        CHECK(out->revision == 2);
        CHECK(store.reads == 2);
        CHECK(splitOfText(store.text()) == "v1=50,v3=50");
    }

    TEST_CASE("undo of a rule that is gone, of a revision not kept or without history writes nothing") {
        Recorded rec;
        test::FakeStore gone(
            annotated(50, 50, {revision(1, "v1=100", "http[1]"), revision(2, "v1=50,v3=50")}));
        auto e = app::applyUndo(gone, std::nullopt, rec.options());
        REQUIRE_FALSE(e.ok());
        CHECK(e.error().exit == kExitInput);
        CHECK(e.error().message.find("rule http[1]") != std::string::npos);
        test::FakeStore kept(annotated(50, 50, {revision(4, "v1=100"), revision(5, "v1=50,v3=50")}));
        CHECK(app::applyUndo(kept, 9, rec.options()).error().message.find("(kept: 4 to 5)") !=
              std::string::npos);
        test::FakeStore none(reviews(50, 50));
        CHECK(app::applyUndo(none, std::nullopt, rec.options()).error().exit == kExitInput);
        CHECK(gone.writes + kept.writes + none.writes == 0);
    }
}
