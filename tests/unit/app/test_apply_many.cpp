#include <doctest/doctest.h>

#include <memory>

#include "app/apply_many.hpp"
#include "core/undo.hpp"
#include "fake_store.hpp"

using namespace shift;
using app::TargetState;

namespace {

std::string vs(const std::string& name, int v1, int v3) {
    return "apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
           "metadata: {name: " +
           name +
           ", namespace: istio-demo}\n"
           "spec:\n  http:\n  - route:\n"
           "    - destination: {host: reviews, subset: v1}\n      weight: " +
           std::to_string(v1) +
           "\n"
           "    - destination: {host: reviews, subset: v3}\n      weight: " +
           std::to_string(v3) + "\n";
}

// Several fake stores, each a VirtualService, and the targets over them shifting to `split`.
struct Fleet {
    std::vector<std::unique_ptr<test::FakeStore>> stores;
    core::Request request;
    std::vector<std::string> warnings;

    Fleet(std::vector<std::string> texts, std::vector<std::string> split) {
        for (auto& t : texts) stores.push_back(std::make_unique<test::FakeStore>(std::move(t)));
        auto r = core::parseRequest(split);
        REQUIRE(r.ok());
        request = *r;
    }
    test::FakeStore& operator[](std::size_t i) { return *stores.at(i); }

    std::vector<app::Target> targets() {
        std::vector<app::Target> out;
        for (std::size_t i = 0; i < stores.size(); ++i) {
            auto planner = [this](const doc::Node& object) {
                return core::planShift(object, request, {}, nullptr);
            };
            out.push_back({"vs" + std::to_string(i), group(i), stores[i].get(), planner});
        }
        return out;
    }
    std::function<std::string(std::size_t)> group = [](std::size_t) { return std::string(); };
    app::ApplyOptions options() {
        app::ApplyOptions o;
        o.warn = [this](const std::string& w) { warnings.push_back(w); };
        o.backoff = [](int) {};
        return o;
    }
    app::ManyOutcome run() { return app::applyMany(targets(), options()); }
};

// A store that sends a group's writes together, as the cluster does over HTTP/2: every write goes
// out, whatever becomes of the others; batches and restores are recorded.
struct TogetherStore : test::FakeStore {
    using FakeStore::FakeStore;
    std::vector<std::size_t>* batches = nullptr;                // the size of each writeMany
    std::vector<std::vector<app::Store*>>* restored = nullptr;  // each restoreMany's stores
    app::Writes writeMany(const std::vector<app::WriteCall>& calls, app::DryRun dryRun,
                          const std::function<bool()>&) override {
        batches->push_back(calls.size());
        app::Writes out;
        for (const auto& c : calls) out.emplace_back(c.store->write(*c.read, *c.plan, dryRun));
        return out;
    }
    std::vector<Status> restoreMany(const std::vector<app::Store*>& stores) override {
        restored->push_back(stores);
        return Store::restoreMany(stores);
    }
};

std::vector<TargetState> states(const app::ManyOutcome& out) {
    std::vector<TargetState> s;
    for (const auto& r : out.results) s.push_back(r.state);
    return s;
}

}  // namespace

TEST_SUITE("app::apply_many") {
    TEST_CASE("every object is read and planned before the first write") {
        Fleet fleet({vs("a", 100, 0), vs("b", 100, 0), vs("c", 100, 0)}, {"v1=80", "v3=20"});
        auto out = fleet.run();
        REQUIRE_FALSE(out.error);
        CHECK(states(out) == std::vector{TargetState::Changed, TargetState::Changed, TargetState::Changed});
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(fleet[i].reads == 1);
            CHECK(fleet[i].writes == 1);
            CHECK(fleet[i].text().find("weight: 20") != std::string::npos);
        }
    }
    TEST_CASE("a plan that fails on the third object writes nothing anywhere") {
        // The third has no http route to shift: its plan fails, before any write.
        Fleet fleet(
            {vs("a", 100, 0), vs("b", 100, 0), "kind: VirtualService\nmetadata: {name: c}\nspec: {}\n"},
            {"v1=80", "v3=20"});
        auto out = fleet.run();
        REQUIRE(out.error);
        CHECK(states(out) ==
              std::vector{TargetState::NotWritten, TargetState::NotWritten, TargetState::Failed});
        for (std::size_t i = 0; i < 3; ++i) CHECK(fleet[i].writes == 0);
        CHECK_FALSE(out.results[2].detail.empty());
    }
    TEST_CASE("a failed third write restores the first two, newest first") {
        Fleet fleet({vs("a", 100, 0), vs("b", 100, 0), vs("c", 100, 0), vs("d", 100, 0)}, {"v1=80", "v3=20"});
        fleet[2].failNextWrite("etcd is away");
        auto out = fleet.run();
        REQUIRE(out.error);
        CHECK(out.error->message == "etcd is away");
        CHECK(out.error->exit == kExitApi);
        CHECK(states(out) == std::vector{TargetState::Restored, TargetState::Restored, TargetState::Failed,
                                         TargetState::NotWritten});
        CHECK(fleet[0].text() == vs("a", 100, 0));
        CHECK(fleet[1].text() == vs("b", 100, 0));
        CHECK(fleet[0].restores == 1);
        CHECK(fleet[3].writes == 0);
    }
    TEST_CASE("a write whose answer is lost is unsure, left alone, and the others are restored") {
        Fleet fleet({vs("a", 100, 0), vs("b", 100, 0), vs("c", 100, 0)}, {"v1=80", "v3=20"});
        fleet[1].loseNextAnswer();
        auto out = fleet.run();
        REQUIRE(out.error);
        CHECK(out.error->maybeApplied);
        CHECK(states(out) ==
              std::vector{TargetState::Restored, TargetState::Unsure, TargetState::NotWritten});
        CHECK(fleet[0].text() == vs("a", 100, 0));
        CHECK(fleet[1].text() != vs("b", 100, 0));  // it did land: unsure is the honest word
        CHECK(fleet[1].restores == 0);
        CHECK(fleet[2].writes == 0);
    }

    TEST_CASE("an object changed by someone else after shift's write is not overwritten by the restore") {
        Fleet again({vs("a", 100, 0), vs("b", 100, 0)}, {"v1=80", "v3=20"});
        again[1].failNextWrite("refused");
        auto t2 = again.targets();
        struct Interloper : app::Store {
            test::FakeStore& inner;
            explicit Interloper(test::FakeStore& s) : inner(s) {}
            Result<app::Snapshot> read() override { return inner.read(); }
            Result<std::optional<core::Mesh>> mesh(const core::ShiftPlan& p) override {
                return inner.mesh(p);
            }
            Result<app::Change> write(const app::Snapshot& r, const core::ShiftPlan& p,
                                      app::DryRun d) override {
                auto c = inner.write(r, p, d);
                inner.writeAfterShift(vs("a", 50, 50));
                return c;
            }
            Status restore() override { return inner.restore(); }
            std::string conflictWarning(int n, int a) const override { return inner.conflictWarning(n, a); }
            Error gaveUp(int a) const override { return inner.gaveUp(a); }
        } interloper(again[0]);
        t2[0].store = &interloper;
        auto out2 = app::applyMany(t2, again.options());
        CHECK(states(out2) == std::vector{TargetState::NotRestored, TargetState::Failed});
        CHECK(out2.results[0].detail == "changed since shift wrote it");
        CHECK(again[0].text() == vs("a", 50, 50));
    }
    TEST_CASE("a no-op plan is reported per object and not written") {
        Fleet fleet({vs("a", 80, 20), vs("b", 100, 0)}, {"v1=80", "v3=20"});
        auto out = fleet.run();
        REQUIRE_FALSE(out.error);
        CHECK(states(out) == std::vector{TargetState::Unchanged, TargetState::Changed});
        CHECK(fleet[0].writes == 0);
        CHECK(fleet[1].writes == 1);
    }
    TEST_CASE("a dry run plans and shows everything, writes nothing") {
        Fleet fleet({vs("a", 100, 0), vs("b", 80, 20)}, {"v1=80", "v3=20"});
        auto options = fleet.options();
        options.dryRun = app::DryRun::Client;
        auto out = app::applyMany(fleet.targets(), options);
        REQUIRE_FALSE(out.error);
        CHECK(states(out) == std::vector{TargetState::NotWritten, TargetState::Unchanged});
        CHECK(out.results[0].outcome->plan.changed);
        CHECK(fleet[0].writes == 0);
    }
    TEST_CASE("--expect is checked on every object before any write") {
        Fleet fleet({vs("a", 100, 0), vs("b", 90, 10)}, {"v1=80", "v3=20"});
        auto options = fleet.options();
        auto expected = core::requestOfSplit("v1=100");
        REQUIRE(expected.ok());
        options.expect = *expected;
        auto out = app::applyMany(fleet.targets(), options);
        REQUIRE(out.error);
        CHECK(out.error->exit == kExitPrecondition);
        CHECK(states(out) == std::vector{TargetState::NotWritten, TargetState::Failed});
        CHECK(fleet[0].writes == 0);
    }
    TEST_CASE("a conflict on one object re-reads and re-plans that object only") {
        Fleet fleet({vs("a", 100, 0), vs("b", 100, 0)}, {"v1=80", "v3=20"});
        fleet[1].concurrentWrites(1);
        auto out = fleet.run();
        REQUIRE_FALSE(out.error);
        CHECK(states(out) == std::vector{TargetState::Changed, TargetState::Changed});
        CHECK(fleet[0].reads == 1);
        CHECK(fleet[1].reads == 2);
        CHECK(fleet.warnings.size() == 1);
    }
    TEST_CASE("groups (clusters) run side by side; a failure in one restores the others") {
        Fleet fleet({vs("a", 100, 0), vs("b", 100, 0), vs("c", 100, 0), vs("d", 100, 0)}, {"v1=80", "v3=20"});
        fleet.group = [](std::size_t i) { return i < 2 ? std::string("east") : std::string("west"); };
        SUBCASE("every group written") {
            auto out = fleet.run();
            REQUIRE_FALSE(out.error);
            for (std::size_t i = 0; i < 4; ++i) CHECK(fleet[i].writes == 1);
        }
        SUBCASE("the last object of west fails: east's and west's writes are put back") {
            fleet[3].failNextWrite("refused by west");
            auto out = fleet.run();
            REQUIRE(out.error);
            CHECK(out.error->message == "refused by west");
            CHECK(out.results[3].state == TargetState::Failed);
            CHECK(out.results[2].state == TargetState::Restored);
            for (std::size_t i = 0; i < 3; ++i)
                CHECK(fleet[i].text() == vs(std::string(1, char('a' + i)), 100, 0));
        }
        SUBCASE("a read failing in one group writes nothing in any") {
            fleet[2].failNextWrite("unused");
            auto targets = fleet.targets();
            struct Unreachable : test::FakeStore {
                using FakeStore::FakeStore;
                Result<app::Snapshot> read() override { return fail("cluster west unreachable", kExitApi); }
            } gone(vs("c", 100, 0));
            targets[2].store = &gone;
            auto out = app::applyMany(targets, fleet.options());
            REQUIRE(out.error);
            CHECK(out.error->message == "cluster west unreachable");
            for (std::size_t i = 0; i < 4; ++i) CHECK(fleet[i].writes == 0);
        }
    }

    TEST_CASE("a group's writes go to its store as one batch; a failed one restores all the others") {
        std::vector<std::size_t> batches;
        std::vector<std::vector<app::Store*>> restored;
        Fleet fleet({}, {"v1=80", "v3=20"});
        for (char c : std::string("abcd")) {
            auto s = std::make_unique<TogetherStore>(vs(std::string(1, c), 100, 0));
            s->batches = &batches;
            s->restored = &restored;
            fleet.stores.push_back(std::move(s));
        }
        SUBCASE("all written in one batch") {
            auto out = fleet.run();
            REQUIRE_FALSE(out.error);
            CHECK(batches == std::vector<std::size_t>{4});
            for (std::size_t i = 0; i < 4; ++i) CHECK(fleet[i].writes == 1);
        }
        SUBCASE("the third fails: the fourth went out with it and is restored too, newest first") {
            fleet[2].failNextWrite("etcd is away");
            auto out = fleet.run();
            REQUIRE(out.error);
            CHECK(out.error->message == "etcd is away");
            CHECK(states(out) == std::vector{TargetState::Restored, TargetState::Restored,
                                             TargetState::Failed, TargetState::Restored});
            REQUIRE(restored.size() == 1);
            CHECK(restored[0] == std::vector<app::Store*>{&fleet[3], &fleet[1], &fleet[0]});
            for (std::size_t i : {0, 1, 3})
                CHECK(fleet[i].text() == vs(std::string(1, char('a' + i)), 100, 0));
        }
        SUBCASE("a lost answer is unsure and left alone; the others are restored") {
            fleet[1].loseNextAnswer();
            auto out = fleet.run();
            REQUIRE(out.error);
            CHECK(out.error->maybeApplied);
            CHECK(states(out) == std::vector{TargetState::Restored, TargetState::Unsure,
                                             TargetState::Restored, TargetState::Restored});
            CHECK(fleet[1].restores == 0);
        }
        SUBCASE("a conflict in the batch re-reads and re-plans that object") {
            fleet[2].concurrentWrites(1);
            auto out = fleet.run();
            REQUIRE_FALSE(out.error);
            CHECK(states(out) == std::vector{TargetState::Changed, TargetState::Changed, TargetState::Changed,
                                             TargetState::Changed});
            CHECK(fleet[2].reads == 2);
            CHECK(fleet[2].writes == 1);
            CHECK(fleet.warnings.size() == 1);
        }
        SUBCASE("a conflict beside a failure is not tried again: it stays unwritten") {
            fleet[0].concurrentWrites(1);
            fleet[3].failNextWrite("refused");
            auto out = fleet.run();
            REQUIRE(out.error);
            CHECK(states(out) == std::vector{TargetState::NotWritten, TargetState::Restored,
                                             TargetState::Restored, TargetState::Failed});
            CHECK(fleet[0].reads == 1);
            CHECK(fleet[0].writes == 0);
        }
    }
    TEST_CASE("the sequential default stops at the first failed write and leaves the rest unsent") {
        Fleet fleet({vs("a", 100, 0), vs("b", 100, 0), vs("c", 100, 0)}, {"v1=80", "v3=20"});
        fleet[1].failNextWrite("refused");
        auto targets = fleet.targets();
        auto reads = std::vector<Result<app::Snapshot>>{fleet[0].read(), fleet[1].read(), fleet[2].read()};
        std::vector<core::ShiftPlan> plans;
        for (auto& r : reads) {
            auto plan = core::planShift(*r->object, fleet.request, {}, nullptr);
            REQUIRE(plan.ok());
            plans.push_back(*plan);
        }
        std::vector<app::WriteCall> calls;
        for (std::size_t i = 0; i < 3; ++i) calls.push_back({&fleet[i], &*reads[i], &plans[i]});
        SUBCASE("a failure") {
            auto out = fleet[0].writeMany(calls, app::DryRun::None, nullptr);
            CHECK(out[0]->ok());
            CHECK_FALSE(out[1]->ok());
            CHECK_FALSE(out[2]);
        }
        SUBCASE("stopped from outside (another cluster failed)") {
            int asked = 0;
            auto out = fleet[0].writeMany(calls, app::DryRun::None, [&] { return ++asked > 1; });
            CHECK(out[0]->ok());
            CHECK_FALSE(out[1]);
            CHECK(fleet[1].writes == 0);
        }
    }
}
