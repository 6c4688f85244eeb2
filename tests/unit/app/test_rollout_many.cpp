#include <doctest/doctest.h>

#include <memory>

#include "app/rollout_many.hpp"
#include "fakes.hpp"

using namespace shift;
using namespace std::chrono_literals;

namespace {

app::RolloutOptions options(std::vector<long long> steps = {10, 50, 100}) {
    return test::rolloutOptions("rollout -l app=reviews --to v3", std::move(steps));
}

// Objects a, b, c (istio-demo/a http[0] ...), each starting at its own split.
struct Fleet {
    explicit Fleet(const std::vector<std::string>& splits) {
        char name = 'a';
        for (const auto& s : splits) {
            auto t = std::make_unique<test::FakeTarget>(s);
            t->label = std::string("istio-demo/") + name++ + " http[0]";
            targets.push_back(t.get());
            owned.push_back(std::move(t));
        }
    }
    test::FakeTarget& operator[](std::size_t i) { return *owned[i]; }
    std::vector<std::unique_ptr<test::FakeTarget>> owned;
    std::vector<app::RolloutTarget*> targets;
};

using Run = test::RolloutRun;

Run rollout(Fleet& fleet, test::FakeChecks& checks, test::FakeClock& clock, const app::RolloutOptions& o) {
    Run run;
    run.report = app::runRolloutMany(fleet.targets, checks, clock, o,
                                     [&](const app::Event& e) { run.events.push_back(e.text); });
    return run;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("app::rollout_many") {
    TEST_CASE("every object takes each step before the checks, which run once per step") {
        Fleet fleet({"v1=100", "v1=80 v2=20", "v1=100"});
        test::FakeChecks checks;
        test::FakeClock clock;
        auto run = rollout(fleet, checks, clock, options());
        CHECK(run.report.exit == kExitOk);
        CHECK(run.report.message ==
              "rollout of v3 complete in 3 objects:\n  istio-demo/a http[0]: done: v3=100\n  istio-demo/b "
              "http[0]: done: v3=100\n  istio-demo/c http[0]: done: v3=100");
        CHECK(fleet[1].splits ==
              std::vector<std::string>{"v3=10,v1=72,v2=18", "v3=50,v1=40,v2=10", "v3=100", "v3=100"});
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK_FALSE(fleet[i].state.mark.has_value());
            CHECK(fleet[i].history.size() == 3);
            CHECK(fleet[i].completions == 1);
        }
        REQUIRE(checks.calls.size() == 3);
        CHECK(checks.calls[0].second.targets ==
              "istio-demo/a http[0] v3=10,v1=90\nistio-demo/b http[0] v3=10,v1=72,v2=18\nistio-demo/c "
              "http[0] v3=10,v1=90");
        CHECK(checks.calls[1].second.weight == 50);
        CHECK(clock.slept == 90s);
        CHECK(run.events.front() == "plan: 3 objects: v3 to 100 in 3 steps: 10% → 50% → 100%");
        CHECK(has(run.events[2], "plan: istio-demo/b http[0]: v1=80,v2=20 → v3=10 v1=72 v2=18"));
    }
    TEST_CASE("every object is written before the checks of a step") {
        Fleet fleet({"v1=100", "v1=100"});
        test::FakeClock clock;
        std::vector<int> writesAtCheck;
        struct Counting : test::FakeChecks {
            Fleet* f = nullptr;
            std::vector<int>* seen = nullptr;
            app::CheckOutcome run(const std::string& c, const app::CheckContext& ctx,
                                  app::Duration d) override {
                seen->push_back((*f)[0].writes + (*f)[1].writes);
                return FakeChecks::run(c, ctx, d);
            }
        } counting;
        counting.f = &fleet;
        counting.seen = &writesAtCheck;
        rollout(fleet, counting, clock, options());
        CHECK(writesAtCheck == std::vector<int>{2, 4, 6});
    }
    TEST_CASE("a failed check at step 2 rolls every object back to its exact start") {
        Fleet fleet({"v1=100", "v1=80 v2=20", "v1=100"});
        test::FakeChecks checks;
        checks.script = {true, false};
        test::FakeClock clock;
        auto run = rollout(fleet, checks, clock, options());
        CHECK(run.report.exit == kExitCheckFailed);
        CHECK(
            run.report.message ==
            "check failed: `./healthy.sh`: exit 1 at step 2 of 3; rolled back: every object is as before the "
            "rollout:\n  istio-demo/a http[0]: rolled back to v1=100\n  istio-demo/b http[0]: rolled back to "
            "v1=80,v2=20\n  istio-demo/c http[0]: rolled back to v1=100");
        CHECK(fleet[1].split() == "v1=80,v2=20");
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK_FALSE(fleet[i].state.mark.has_value());
            CHECK(fleet[i].history.back() == "rollout -l app=reviews --to v3 (rolled back)");
            CHECK(fleet[i].completions == 0);
        }
    }
    TEST_CASE("a failed write on the third object restores the first two") {
        Fleet fleet({"v1=100", "v1=100", "v1=100"});
        test::FakeChecks checks;
        test::FakeClock clock;
        fleet[2].failWrite = 2;  // c's step 2 never lands
        auto run = rollout(fleet, checks, clock, options());
        CHECK(run.report.exit == kExitApi);
        CHECK(run.report.message ==
              "writing step 2 of 3: istio-demo/c http[0]: the server went away; rolled back: every object "
              "is as before the rollout:\n  istio-demo/a http[0]: rolled back to v1=100\n  istio-demo/b "
              "http[0]: rolled back to v1=100\n  istio-demo/c http[0]: rolled back to v1=100");
        CHECK(fleet[0].splits == std::vector<std::string>{"v3=10,v1=90", "v3=50,v1=50", "v1=100"});
        CHECK(fleet[2].splits == std::vector<std::string>{"v3=10,v1=90", "v1=100"});
        CHECK(checks.calls.size() == 1);  // step 2 was never checked
        SUBCASE("on the first step, the objects not yet written stay untouched") {
            Fleet first({"v1=100", "v1=100", "v1=100"});
            first[2].failWrite = 1;
            auto r = rollout(first, checks, clock, options());
            CHECK(has(r.report.message, "istio-demo/c http[0]: unchanged: at v1=100 as before the rollout"));
            CHECK(first[2].splits.empty());
            CHECK(first[0].split() == "v1=100");
        }
    }
    TEST_CASE("hold after a failed write puts every object at the last step all of them reached") {
        Fleet fleet({"v1=100", "v1=100", "v1=100"});
        test::FakeChecks checks;
        test::FakeClock clock;
        fleet[2].failWrite = 2;
        auto o = options();
        o.onFailure = app::Policy::Hold;
        auto run = rollout(fleet, checks, clock, o);
        CHECK(run.report.exit == kExitApi);
        CHECK(run.report.message ==
              "writing step 2 of 3: istio-demo/c http[0]: the server went away; held at step 1 of 3; run "
              "the same command again to continue:\n  istio-demo/a http[0]: moved back to step 1 of 3: "
              "v3=10,v1=90\n  istio-demo/b http[0]: moved back to step 1 of 3: v3=10,v1=90\n  "
              "istio-demo/c http[0]: held at step 1 of 3: v3=10,v1=90");
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(fleet[i].split() == "v3=10,v1=90");
            CHECK_FALSE(fleet[i].state.mark.has_value());
        }
        auto again = rollout(fleet, checks, clock, o);
        CHECK(again.report.exit == kExitOk);
        CHECK(fleet[2].split() == "v3=100");
    }
    TEST_CASE("a step's writes go out as one batch; objects written past a failed one are moved back") {
        Fleet fleet({"v1=100", "v1=100", "v1=100"});
        test::FakeChecks checks;
        test::FakeClock clock;
        fleet[1].failWrite = 2;  // b's step 2 never lands
        auto o = options();
        o.onFailure = app::Policy::Hold;
        SUBCASE("sent one after another, the writes after the failed one are not made") {
            auto run = rollout(fleet, checks, clock, o);
            CHECK(fleet[0].batches == 2);
            CHECK(fleet[2].splits == std::vector<std::string>{"v3=10,v1=90", "v3=10,v1=90"});
            CHECK(has(run.report.message, "istio-demo/c http[0]: held at step 1 of 3: v3=10,v1=90"));
        }
        SUBCASE("sent together, every write is made: c took step 2 and is moved back") {
            fleet[0].sendsAll = true;
            auto run = rollout(fleet, checks, clock, o);
            CHECK(run.report.exit == kExitApi);
            CHECK(run.report.message ==
                  "writing step 2 of 3: istio-demo/b http[0]: the server went away; held at step 1 of 3; run "
                  "the same command again to continue:\n  istio-demo/a http[0]: moved back to step 1 of 3: "
                  "v3=10,v1=90\n  istio-demo/b http[0]: held at step 1 of 3: v3=10,v1=90\n  istio-demo/c "
                  "http[0]: moved back to step 1 of 3: v3=10,v1=90");
            CHECK(fleet[2].splits == std::vector<std::string>{"v3=10,v1=90", "v3=50,v1=50", "v3=10,v1=90"});
        }
        for (std::size_t i = 0; i < 3; ++i) CHECK_FALSE(fleet[i].state.mark.has_value());
    }
    TEST_CASE("hold after a failed check keeps every object at the step checked") {
        Fleet fleet({"v1=100", "v1=100"});
        test::FakeChecks checks;
        checks.script = {true, false};
        test::FakeClock clock;
        auto o = options();
        o.onFailure = app::Policy::Hold;
        auto run = rollout(fleet, checks, clock, o);
        CHECK(run.report.exit == kExitCheckFailed);
        CHECK(has(run.report.message, "at step 2 of 3; held at step 2 of 3; run the same command again"));
        CHECK(fleet[0].split() == "v3=50,v1=50");
        CHECK(fleet[1].split() == "v3=50,v1=50");
        CHECK_FALSE(fleet[1].state.mark.has_value());
    }
    TEST_CASE("an interrupt during a wait rolls every object back, or holds them, as asked") {
        Fleet fleet({"v1=100", "v1=100"});
        test::FakeChecks checks;
        test::FakeClock clock;
        clock.interruptAfter = 45s;
        auto run = rollout(fleet, checks, clock, options());
        CHECK(run.report.exit == kExitInterrupted);
        CHECK(run.report.message.find("interrupted at step 2 of 3; rolled back: every object") == 0);
        CHECK(fleet[0].split() == "v1=100");
        CHECK(fleet[1].split() == "v1=100");

        Fleet held({"v1=100", "v1=100"});
        test::FakeClock clock2;
        clock2.interruptAfter = 45s;
        auto o = options();
        o.onInterrupt = app::Policy::Hold;
        CHECK(rollout(held, checks, clock2, o).report.exit == kExitInterrupted);
        CHECK(held[0].split() == "v3=50,v1=50");
        CHECK(held[1].split() == "v3=50,v1=50");
        CHECK_FALSE(held[1].state.mark.has_value());
    }
    TEST_CASE("objects that start with KEY at different shares are refused before any write") {
        Fleet fleet({"v1=90 v3=10", "v1=100"});
        test::FakeChecks checks;
        test::FakeClock clock;
        auto run = rollout(fleet, checks, clock, options());
        CHECK(run.report.exit == kExitInput);
        CHECK(has(run.report.message, "(istio-demo/a http[0] 10%, istio-demo/b http[0] 0%)"));
        CHECK(fleet[0].writes + fleet[1].writes == 0);
    }
    TEST_CASE("every object is pre-flighted before the first write anywhere") {
        Fleet fleet({"v1=100", "v1=100", "v1=100"});
        fleet[2].preflightError = "subset \"v3\" of host reviews is not defined";
        test::FakeChecks checks;
        test::FakeClock clock;
        auto run = rollout(fleet, checks, clock, options());
        CHECK(run.report.exit == kExitInput);
        CHECK(run.report.message ==
              "istio-demo/c http[0]: subset \"v3\" of host reviews is not defined; none of the 3 objects was "
              "changed");
        CHECK(fleet[0].writes + fleet[1].writes + fleet[2].writes == 0);
    }
    TEST_CASE("a fresh mark on any object refuses the whole rollout") {
        Fleet fleet({"v1=100", "v1=100"});
        test::FakeClock clock;
        fleet[1].state.mark = core::RolloutMark{"bob", "rollout b", 1, 4, clock.t - 1min, clock.t - 10s};
        test::FakeChecks checks;
        auto run = rollout(fleet, checks, clock, options());
        CHECK(run.report.exit == kExitLocked);
        CHECK(run.report.message.find("istio-demo/b http[0] is being rolled out by bob") == 0);
        CHECK(fleet[0].writes == 0);
    }
    TEST_CASE("someone else's change of one object: it is left alone, the others rolled back") {
        Fleet fleet({"v1=100", "v1=100", "v1=100"});
        test::FakeChecks checks;
        test::FakeClock clock;
        fleet[1].beforeWrite = [&](int n) {
            if (n == 2) fleet[1].otherWriter("v1=100", "kubectl-edit");
        };
        auto run = rollout(fleet, checks, clock, options());
        CHECK(run.report.exit == kExitOtherWriter);
        CHECK(has(run.report.message,
                  "\n  istio-demo/b http[0]: changed by \"kubectl-edit\" during the rollout (now v1=100, the "
                  "rollout had left v3=10,v1=90 at step 1 of 3); left as it is"));
        CHECK(has(run.report.message, "\n  istio-demo/a http[0]: rolled back to v1=100"));
        CHECK(fleet[0].split() == "v1=100");
        CHECK(fleet[2].split() == "v1=100");
        // b's conflict is an answer, not a failure: c's step 2 went out in the same batch, and is undone.
        CHECK(fleet[2].splits == std::vector<std::string>{"v3=10,v1=90", "v3=50,v1=50", "v1=100"});
    }
    TEST_CASE("an object that cannot be put back is named with the command that finishes the job") {
        Fleet fleet({"v1=100", "v1=100"});
        test::FakeChecks checks;
        checks.script = {true, false};
        test::FakeClock clock;
        fleet[0].failFrom = 3;  // a's restore (its third write) never lands
        auto run = rollout(fleet, checks, clock, options());
        CHECK(run.report.exit == kExitApi);
        CHECK(
            run.report.message ==
            "check failed: `./healthy.sh`: exit 1 at step 2 of 3; rolled back where possible:\n  "
            "istio-demo/a http[0]: NOT rolled back (the server went away): last seen at v3=50,v1=50 (step 2 "
            "of 3), perhaps with the rollout's mark; put it back with `kubectl shift set reviews -n "
            "istio-demo v1=100 --force`\n  istio-demo/b http[0]: rolled back to v1=100");
        CHECK(fleet[1].split() == "v1=100");
    }
    TEST_CASE("a lost answer on a step write is found by the read that follows") {
        Fleet fleet({"v1=100", "v1=100"});
        test::FakeChecks checks;
        checks.script = {true, false};
        test::FakeClock clock;
        fleet[1].lostAnswers = {2};  // b's step 2 lands, its answer is lost
        auto o = options();
        o.onFailure = app::Policy::Hold;
        auto run = rollout(fleet, checks, clock, o);
        CHECK(run.report.exit == kExitApi);
        CHECK(has(run.report.message, "held at step 2 of 3"));
        CHECK(fleet[0].split() == "v3=50,v1=50");
        CHECK(fleet[1].split() == "v3=50,v1=50");
    }
    TEST_CASE("--dry-run writes nothing; all at the final share is nothing to do") {
        Fleet fleet({"v1=100", "v1=100"});
        test::FakeChecks checks;
        test::FakeClock clock;
        auto o = options();
        o.dryRun = true;
        auto run = rollout(fleet, checks, clock, o);
        CHECK(run.report.exit == kExitOk);
        CHECK(run.report.message == "dry run: none of the 2 objects changed");
        CHECK(fleet[0].writes + fleet[1].writes == 0);
        Fleet done({"v3=100", "v3=100"});
        auto none = rollout(done, checks, clock, options());
        CHECK(none.report.exit == kExitOk);
        CHECK(none.report.message == "nothing to do: v3 is at 100% in all 2 objects already");
    }
    TEST_CASE("a heartbeat that cannot be written ends the rollout as --on-failure says") {
        Fleet fleet({"v1=100", "v1=100"});
        test::FakeChecks checks;
        test::FakeClock clock;
        auto o = options();
        o.interval = 25s;
        o.heartbeatEvery = 10s;
        fleet[1].failWrite = 2;  // b's first heartbeat
        auto run = rollout(fleet, checks, clock, o);
        CHECK(run.report.exit == kExitApi);
        CHECK(run.report.message.find(
                  "refreshing the rollout mark after step 1 of 3: istio-demo/b http[0]: the "
                  "server went away; rolled back: every object is as before the rollout") == 0);
        CHECK(fleet[0].split() == "v1=100");
        CHECK(fleet[1].split() == "v1=100");
        CHECK(checks.calls.empty());
    }
    TEST_CASE("a mark that cannot be removed at the end is named with the command that removes it") {
        Fleet fleet({"v1=100", "v1=100"});
        test::FakeChecks checks;
        test::FakeClock clock;
        fleet[0].failFrom = 4;  // a's steps land; the removal of its mark never does
        auto run = rollout(fleet, checks, clock, options());
        CHECK(run.report.exit == kExitApi);
        CHECK(run.report.message ==
              "every step of the rollout of v3 landed and passed its checks, but not every object ended "
              "cleanly:"
              "\n  istio-demo/a http[0]: done (v3=100), but its rollout mark may remain (the server went "
              "away); "
              "remove it with `kubectl annotate virtualservice reviews -n istio-demo "
              "traffic-shift.dev/rollout-`"
              "\n  istio-demo/b http[0]: done: v3=100");
        CHECK(fleet[1].split() == "v3=100");
        CHECK_FALSE(fleet[1].state.mark.has_value());
    }
}
