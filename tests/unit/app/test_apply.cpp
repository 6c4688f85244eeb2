#include <doctest/doctest.h>

#include "app/apply.hpp"
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
}
