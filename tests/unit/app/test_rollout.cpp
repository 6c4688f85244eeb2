#include <doctest/doctest.h>

#include "fakes.hpp"

using namespace shift;
using namespace std::chrono_literals;

namespace {

app::RolloutOptions options(std::vector<long long> steps = {10, 50, 100}) {
    return test::rolloutOptions("rollout reviews --to v3", std::move(steps));
}

using Run = test::RolloutRun;

Run rollout(test::FakeTarget& target, test::FakeChecks& checks, test::FakeClock& clock,
            const app::RolloutOptions& o) {
    Run run;
    run.report =
        app::runRollout(target, checks, clock, o, [&](const app::Event& e) { run.events.push_back(e.text); });
    return run;
}

}  // namespace

TEST_SUITE("app::rollout") {
    TEST_CASE("a healthy rollout applies each step, checks after each, and removes its mark") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        auto run = rollout(target, checks, clock, options());
        CHECK(run.report.exit == kExitOk);
        CHECK(run.report.message == "rollout of v3 complete: istio-demo/reviews http[0] is at v3=100");
        CHECK(target.splits == std::vector<std::string>{"v3=10,v1=90", "v3=50,v1=50", "v3=100", "v3=100"});
        CHECK_FALSE(target.state.mark.has_value());
        CHECK(target.history == std::vector<std::string>{"rollout reviews --to v3 (step 1/3)",
                                                         "rollout reviews --to v3 (step 2/3)",
                                                         "rollout reviews --to v3 (step 3/3)"});
        REQUIRE(checks.calls.size() == 3);  // a check after the last step too
        CHECK(checks.calls[1].second.step == 2);
        CHECK(checks.calls[1].second.weight == 50);
        CHECK(checks.calls[1].second.split == "v3=50,v1=50");
        CHECK(clock.slept == 90s);
        CHECK(target.reads == 1);        // one read: every later write carries the version it got back
        CHECK(target.completions == 1);  // after the last write, for the notes of where it ended
        CHECK(run.events.front() ==
              "plan: istio-demo/reviews http[0]: v3 to 100 in 3 steps: 10% → 50% → 100%");
    }
    TEST_CASE("each wait is announced with the time it ends, for a display that counts down") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        auto o = options({50, 100});
        o.interval = 25s;
        o.heartbeatEvery = 10s;
        std::vector<app::Event> waits;
        app::runRollout(target, checks, clock, o, [&](const app::Event& e) {
            if (e.kind == app::Event::Kind::Wait) waits.push_back(e);
        });
        REQUIRE(waits.size() == 2);
        CHECK(waits[0].text == "waiting 25s after step 1/2");
        CHECK(core::formatTime(waits[0].until) == "2026-12-01T03:00:25Z");
        CHECK(waits[1].step == 2);
        CHECK(waits[1].split == "v3=100");
        CHECK(core::formatTime(waits[1].until) == "2026-12-01T03:00:50Z");
        o.interval = {};
        waits.clear();
        test::FakeTarget again("v1=100");
        app::runRollout(again, checks, clock, o, [&](const app::Event& e) {
            if (e.kind == app::Event::Kind::Wait) waits.push_back(e);
        });
        CHECK(waits.empty());  // --interval 0: no wait to show
    }
    TEST_CASE("the mark carries the step and a heartbeat refreshed during long waits") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        auto o = options({50, 100});
        o.interval = 25s;
        o.heartbeatEvery = 10s;
        std::vector<long long> steps;
        std::vector<std::string> beats;
        target.beforeWrite = [&](int) {
            if (target.state.mark) beats.push_back(core::formatTime(target.state.mark->heartbeat));
        };
        rollout(target, checks, clock, o);
        // Writes: step 1, two heartbeats (at 10s and 20s of 25s), step 2, two heartbeats, the end.
        CHECK(target.writes == 7);
        CHECK(beats == std::vector<std::string>{"2026-12-01T03:00:00Z", "2026-12-01T03:00:10Z",
                                                "2026-12-01T03:00:20Z", "2026-12-01T03:00:25Z",
                                                "2026-12-01T03:00:35Z", "2026-12-01T03:00:45Z"});
    }
    TEST_CASE("a failed check at step 2 rolls back to the exact starting split") {
        test::FakeTarget target("v1=80 v2=20");
        test::FakeChecks checks;
        checks.script = {true, false};
        test::FakeClock clock;
        auto run = rollout(target, checks, clock, options({10, 50, 100}));
        CHECK(run.report.exit == kExitCheckFailed);
        CHECK(run.report.message ==
              "check failed: `./healthy.sh`: exit 1 at step 2 of 3; rolled back: istio-demo/reviews http[0] "
              "is at "
              "v1=80,v2=20 as before the rollout");
        CHECK(target.split() == "v1=80,v2=20");
        CHECK_FALSE(target.state.mark.has_value());
        CHECK(target.history.back() == "rollout reviews --to v3 (rolled back)");
        CHECK(target.completions == 0);  // it did not end where planned: no retire note
    }
    TEST_CASE("hold keeps the failed step's split, and running again continues where it stopped") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        checks.script = {true, false};
        test::FakeClock clock;
        auto o = options({10, 50, 100});
        o.onFailure = app::Policy::Hold;
        auto run = rollout(target, checks, clock, o);
        CHECK(run.report.exit == kExitCheckFailed);
        CHECK(target.split() == "v3=50,v1=50");
        CHECK_FALSE(target.state.mark.has_value());
        CHECK(run.report.message.find("held: istio-demo/reviews http[0] stays at v3=50,v1=50") !=
              std::string::npos);
        auto again = rollout(target, checks, clock, o);
        CHECK(again.report.exit == kExitOk);
        CHECK(target.split() == "v3=100");
        CHECK(again.events[1] == "plan: v3 already has 50%: steps 10%, 50% skipped");
    }
    TEST_CASE("--max-failures retries a failing check after another interval") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        checks.script = {false, false, true, true};
        test::FakeClock clock;
        auto o = options({50, 100});
        o.maxFailures = 2;
        auto run = rollout(target, checks, clock, o);
        CHECK(run.report.exit == kExitOk);
        CHECK(checks.calls.size() == 4);
        CHECK(clock.slept == 120s);
        o.maxFailures = 1;
        test::FakeTarget again("v1=100");
        checks.script = {false, false};
        CHECK(rollout(again, checks, clock, o).report.exit == kExitCheckFailed);
    }
    TEST_CASE("an interrupt during a wait restores the start (or holds, as asked)") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        clock.interruptAfter = 45s;
        auto run = rollout(target, checks, clock, options());
        CHECK(run.report.exit == kExitInterrupted);
        CHECK(target.split() == "v1=100");
        CHECK(run.report.message.find("interrupted at step 2 of 3; rolled back") == 0);

        test::FakeTarget held("v1=100");
        test::FakeClock clock2;
        clock2.interruptAfter = 45s;
        auto o = options();
        o.onInterrupt = app::Policy::Hold;
        CHECK(rollout(held, checks, clock2, o).report.exit == kExitInterrupted);
        CHECK(held.split() == "v3=50,v1=50");
        CHECK_FALSE(held.state.mark.has_value());
    }
    TEST_CASE("someone else's change of the route stops the rollout without writing over it") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        target.beforeWrite = [&](int n) {
            if (n == 2) target.otherWriter("v1=100", "kubectl-edit");
        };
        auto run = rollout(target, checks, clock, options());
        CHECK(run.report.exit == kExitOtherWriter);
        CHECK(
            run.report.message ==
            "istio-demo/reviews http[0] was changed by \"kubectl-edit\" during the rollout (now v1=100, the "
            "rollout had left v3=10,v1=90 at step 1 of 3); stopped without writing over it");
        CHECK(target.split() == "v1=100");
    }
    TEST_CASE("a change elsewhere in the object (not the route) only costs a re-read") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        target.beforeWrite = [&](int n) {
            if (n == 2) target.otherWriter("", "label-controller");
        };
        auto run = rollout(target, checks, clock, options());
        CHECK(run.report.exit == kExitOk);
        CHECK(target.split() == "v3=100");
        CHECK(target.reads == 2);
    }
    TEST_CASE("a fresh mark of another rollout refuses; a stale one or --force takes over") {
        test::FakeTarget target("v1=100");
        target.state.mark = core::RolloutMark{"bob@laptop pid 7",
                                              "rollout reviews --to v2",
                                              1,
                                              4,
                                              *core::parseTime("2026-12-01T02:59:00Z"),
                                              *core::parseTime("2026-12-01T02:59:50Z")};
        test::FakeChecks checks;
        test::FakeClock clock;
        auto run = rollout(target, checks, clock, options());
        CHECK(run.report.exit == kExitLocked);
        CHECK(run.report.message ==
              "istio-demo/reviews http[0] is being rolled out by bob@laptop pid 7 (rollout reviews --to v2, "
              "step 1 "
              "of 4, heartbeat at 2026-12-01T02:59:50Z); wait for it to end, or pass --force to take over");
        CHECK(target.writes == 0);
        auto o = options();
        o.force = true;
        CHECK(rollout(target, checks, clock, o).report.exit == kExitOk);
        clock.t += 5min;
        test::FakeTarget stale("v1=100");
        stale.state.mark = target.state.mark =
            core::RolloutMark{"bob", "x", 1, 4, clock.t - 10min, clock.t - 2min};
        CHECK(rollout(stale, checks, clock, options()).report.exit == kExitOk);
    }
    TEST_CASE("a rollout taken over with --force stops at its next write") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        target.beforeWrite = [&](int n) {
            if (n == 2) {
                target.state.mark = core::RolloutMark{"bob", "rollout --force", 0, 2, clock.t, clock.t};
                target.otherWriter("", "shift");
            }
        };
        auto run = rollout(target, checks, clock, options());
        CHECK(run.report.exit == kExitOtherWriter);
        CHECK(run.report.message.find("was changed by bob (--force)") != std::string::npos);
    }
    TEST_CASE("the final step is checked before the first write; a failed check writes nothing") {
        test::FakeTarget target("v1=100");
        target.preflightError = "subset \"v3\" of host reviews is not defined";
        test::FakeChecks checks;
        test::FakeClock clock;
        auto run = rollout(target, checks, clock, options());
        CHECK(run.report.exit == kExitInput);
        CHECK(run.report.message == target.preflightError);
        CHECK(target.preflighted == "v3=100 v1=0");
        CHECK(target.writes == 0);
    }
    TEST_CASE("--dry-run prints the plan and writes nothing; nothing to do is success") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        auto o = options();
        o.dryRun = true;
        auto run = rollout(target, checks, clock, o);
        CHECK(run.report.exit == kExitOk);
        CHECK(target.writes == 0);
        CHECK(target.completions == 0);
        CHECK(run.events == std::vector<std::string>{
                                "plan: istio-demo/reviews http[0]: v3 to 100 in 3 steps: 10% → 50% → 100%",
                                "plan: step 1/3: v3=10 v1=90", "plan: step 2/3: v3=50 v1=50",
                                "plan: step 3/3: v3=100 v1=0"});
        test::FakeTarget done("v3=100");
        auto none = rollout(done, checks, clock, options());
        CHECK(none.report.exit == kExitOk);
        CHECK(done.writes == 0);
    }
    TEST_CASE("a write that fails outright ends in a known state: read again, then restore") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        target.failWrite = 2;  // step 2 never lands
        auto run = rollout(target, checks, clock, options());
        CHECK(run.report.exit == kExitApi);
        CHECK(run.report.message ==
              "the server went away at step 1 of 3; rolled back: istio-demo/reviews http[0] is at v1=100 as "
              "before the rollout");
        CHECK(target.split() == "v1=100");
        CHECK_FALSE(target.state.mark);
    }

    TEST_CASE("a first write that fails before landing leaves the object as it was, and says so") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        target.failWrite = 1;
        auto run = rollout(target, checks, clock, options());
        CHECK(run.report.exit == kExitApi);
        CHECK(run.report.message ==
              "the server went away; istio-demo/reviews http[0] is at v1=100 as before the rollout");
        CHECK(target.splits.empty());
    }

    TEST_CASE("a write whose answer is lost is found in place by the read that follows") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        SUBCASE("a step: it landed with the mark, so the rollout is rolled back") {
            target.lostAnswers = {2};
            auto run = rollout(target, checks, clock, options());
            CHECK(run.report.exit == kExitApi);
            CHECK(target.splits == std::vector<std::string>{"v3=10,v1=90", "v3=50,v1=50", "v1=100"});
            CHECK_FALSE(target.state.mark);
        }
        SUBCASE("the last write (the mark's removal): the rollout is complete") {
            target.lostAnswers = {4};
            auto run = rollout(target, checks, clock, options());
            CHECK(run.report.exit == kExitOk);
            CHECK(run.report.message == "rollout of v3 complete: istio-demo/reviews http[0] is at v3=100");
            CHECK_FALSE(target.state.mark);
        }
    }

    TEST_CASE("when only the last write (the mark's removal) fails, the rollout is complete or says so") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        SUBCASE("a second attempt lands") {
            target.failWrite = 4;
            auto run = rollout(target, checks, clock, options());
            CHECK(run.report.exit == kExitOk);
            CHECK(target.split() == "v3=100");
            CHECK_FALSE(target.state.mark);
        }
        SUBCASE("no attempt lands: the route stays at the last step, and the message says how to unmark") {
            target.failFrom = 4;
            auto run = rollout(target, checks, clock, options());
            CHECK(run.report.exit == kExitApi);
            CHECK(run.report.message ==
                  "the server went away; every step of the rollout landed (istio-demo/reviews http[0] is at "
                  "v3=100), but its mark may remain; remove it with `kubectl annotate virtualservice reviews "
                  "-n "
                  "istio-demo traffic-shift.dev/rollout-`");
            CHECK(target.split() == "v3=100");
        }
    }

    TEST_CASE("when the restore fails too, the report says where the object stands and how to finish") {
        test::FakeTarget target("v1=100");
        test::FakeChecks checks;
        test::FakeClock clock;
        target.failFrom = 2;
        auto run = rollout(target, checks, clock, options());
        CHECK(run.report.exit == kExitApi);
        CHECK(run.report.message ==
              "the server went away; istio-demo/reviews http[0] was last seen at v3=10,v1=90 (step 1 of 3) "
              "and may still carry the rollout mark; restore the start with `kubectl shift set reviews -n "
              "istio-demo v1=100 --force`");
        SUBCASE("and when it cannot even be read") {
            test::FakeTarget gone("v1=100");
            gone.failFrom = 2;
            gone.failReadsFrom = 2;
            auto r = rollout(gone, checks, clock, options());
            CHECK(r.report.exit == kExitApi);
            CHECK(r.report.message.find("was last seen at v3=10,v1=90 (step 1 of 3)") != std::string::npos);
        }
    }
}
