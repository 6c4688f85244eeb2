#include "app/rollout.hpp"

#include <fmt/format.h>

#include "core/rollout_steps.hpp"

namespace shift::app {

namespace {

constexpr int kWriteAttempts = 5;

std::string percentList(const std::vector<core::Step>& steps) {
    std::vector<std::string> parts;
    for (const auto& s : steps) parts.push_back(fmt::format("{}%", s.percent));
    return fmt::format("{}", fmt::join(parts, " → "));
}

// One rollout from start to end; each member function is one stage of it.
class Rollout {
   public:
    Rollout(RolloutTarget& target, CheckRunner& checks, Clock& clock, const RolloutOptions& o,
            const std::function<void(const Event&)>& emit)
        : target_(target), checks_(checks), clock_(clock), o_(o), emit_(emit) {}

    RolloutReport run() {
        auto snap = target_.read();
        if (!snap) return fromError(snap.error());
        start_ = cur_ = *snap;
        if (auto held = refuseIfHeld()) return *held;
        auto plan = core::planSteps(start_.split, o_.key, o_.steps, o_.pins);
        if (!plan) return fromError(plan.error());
        plan_ = std::move(*plan);
        announcePlan();
        if (!plan_.steps.empty()) {
            if (auto st = target_.preflight(plan_.steps.back().request); !st) return fromError(st.error());
        }
        if (o_.dryRun) return {kExitOk, fmt::format("dry run: {} not changed", target_.name())};
        if (plan_.steps.empty()) {
            return {kExitOk, fmt::format("{}: nothing to do, {} is at {} already", target_.name(), o_.key,
                                         core::describeSplit(start_.split))};
        }
        mark_ = core::RolloutMark{o_.holder,    o_.command,  0, static_cast<long long>(plan_.steps.size()),
                                  clock_.now(), clock_.now()};
        for (std::size_t i = 0; i < plan_.steps.size(); ++i) {
            if (auto end = applyStep(i)) return *end;
            if (auto end = waitAndCheck(i)) return *end;
        }
        return finish();
    }

   private:
    RolloutReport fromError(const Error& e) { return {e.exit, e.message}; }
    long long stepCount() const { return static_cast<long long>(plan_.steps.size()); }
    std::string now() const { return core::describeSplit(cur_.split); }

    std::optional<RolloutReport> refuseIfHeld() {
        if (!start_.mark || o_.force || !core::isFresh(*start_.mark, clock_.now(), o_.staleAfter))
            return std::nullopt;
        const auto& m = *start_.mark;
        return RolloutReport{
            kExitLocked,
            fmt::format(
                "{} is being rolled out by {} ({}, step {} of {}, heartbeat at {}); wait for it to end, or "
                "pass --force to take over",
                target_.name(), m.holder, m.command, m.step, m.steps, core::formatTime(m.heartbeat))};
    }

    void announcePlan() {
        std::string text =
            plan_.steps.empty()
                ? fmt::format("plan: {}: no step above {}'s current share", target_.name(), o_.key)
                : fmt::format("plan: {}: {} to {} in {} step{}: {}", target_.name(), o_.key,
                              plan_.steps.back().percent, plan_.steps.size(),
                              plan_.steps.size() > 1 ? "s" : "", percentList(plan_.steps));
        emit_({Event::Kind::Plan, text, 0, stepCount(), now()});
        for (const auto& note : plan_.notes)
            emit_({Event::Kind::Plan, "plan: " + note, 0, stepCount(), now()});
        for (std::size_t i = 0; i < plan_.steps.size(); ++i) {
            emit_({Event::Kind::Plan,
                   fmt::format("plan: step {}/{}: {}", i + 1, plan_.steps.size(),
                               core::describe(plan_.steps[i].request)),
                   0, stepCount(), now()});
        }
    }

    // A write with the last version seen as precondition. On a conflict the object is read again:
    // if the route is still as the rollout left it and no one took the mark over, the write is
    // retried on the new version; otherwise the rollout stops without writing.
    std::optional<RolloutReport> write(const std::optional<core::Request>& request,
                                       const std::optional<core::RolloutMark>& mark,
                                       const std::string& record) {
        return retried([&] { return target_.write(cur_, request, mark, record); });
    }

    // Runs one versioned write until it lands, re-reading after each conflict (rereadOrStop).
    std::optional<RolloutReport> retried(const std::function<Result<WriteOutcome>()>& attempt) {
        for (int i = 0; i < kWriteAttempts; ++i) {
            auto w = attempt();
            if (!w) return failedWrite(w.error());
            if (!w->conflict) {
                cur_ = w->after;
                return std::nullopt;
            }
            if (auto stop = rereadOrStop()) return stop;
        }
        return failedWrite(
            fail(fmt::format("{} kept changing on the server", target_.name()), kExitConflict));
    }

    std::optional<RolloutReport> rereadOrStop() {
        auto seen = target_.read();
        if (!seen) return failedWrite(seen.error());
        bool takenOver = seen->mark && seen->mark->holder != o_.holder && applied_ > 0;
        if (seen->split != cur_.split || takenOver) return stoppedByOther(*seen, takenOver);
        cur_ = *seen;
        return std::nullopt;
    }

    std::optional<RolloutReport> applyStep(std::size_t i) {
        const auto& step = plan_.steps[i];
        mark_.step = static_cast<long long>(i + 1);
        mark_.heartbeat = clock_.now();
        auto record = fmt::format("{} (step {}/{})", o_.command, i + 1, plan_.steps.size());
        if (auto end = write(step.request, mark_, record)) return end;
        applied_ = i + 1;
        emit_({Event::Kind::Step, fmt::format("step {}/{} applied: {}", i + 1, plan_.steps.size(), now()),
               static_cast<long long>(i + 1), stepCount(), now()});
        return std::nullopt;
    }

    // Waits the interval in slices, refreshing the heartbeat between them; false when interrupted.
    std::optional<RolloutReport> wait(std::size_t i) {
        Duration left = o_.interval;
        if (left > Duration::zero()) {
            emit_({Event::Kind::Wait,
                   fmt::format("waiting {} after step {}/{}", core::formatDuration(left), i + 1,
                               plan_.steps.size()),
                   static_cast<long long>(i + 1), stepCount(), now(),
                   clock_.now() + std::chrono::duration_cast<core::Clock::duration>(left)});
        }
        while (left > Duration::zero()) {
            Duration slice = std::min(left, o_.heartbeatEvery);
            if (!clock_.sleep(slice)) return end(o_.onInterrupt, kExitInterrupted, "interrupted");
            left -= slice;
            if (left > Duration::zero()) {
                mark_.heartbeat = clock_.now();
                if (auto stop = write(std::nullopt, mark_, "")) return stop;
            }
        }
        if (clock_.interrupted()) return end(o_.onInterrupt, kExitInterrupted, "interrupted");
        return std::nullopt;
    }

    // After each step: wait, then run every check; a failure is retried after another interval
    // until --max-failures is used up.
    std::optional<RolloutReport> waitAndCheck(std::size_t i) {
        int failures = 0;
        while (true) {
            if (auto stop = wait(i)) return stop;
            auto failed = runChecks(i);
            if (clock_.interrupted()) return end(o_.onInterrupt, kExitInterrupted, "interrupted");
            if (!failed) return std::nullopt;
            ++failures;
            emit_({Event::Kind::CheckFailed,
                   fmt::format("check failed at step {}/{} (failure {}, --max-failures {}): {}", i + 1,
                               plan_.steps.size(), failures, o_.maxFailures, *failed),
                   static_cast<long long>(i + 1), stepCount(), now()});
            if (failures > o_.maxFailures)
                return end(o_.onFailure, kExitCheckFailed, "check failed: " + *failed);
        }
    }

    // The first failing check's description, or nullopt when all pass.
    std::optional<std::string> runChecks(std::size_t i) {
        CheckContext context{static_cast<long long>(i + 1), stepCount(), plan_.steps[i].percent, now()};
        for (const auto& command : o_.checks) {
            auto outcome = checks_.run(command, context, o_.checkTimeout);
            if (!outcome.passed) return fmt::format("`{}`: {}", command, outcome.detail);
            emit_({Event::Kind::CheckPassed, fmt::format("check passed: `{}`", command),
                   static_cast<long long>(i + 1), stepCount(), now()});
        }
        return std::nullopt;
    }

    std::string position() const { return fmt::format("step {} of {}", applied_, plan_.steps.size()); }

    // A failed check or a signal: restore the starting split, or hold this one, as asked.
    RolloutReport end(Policy policy, int exit, const std::string& why) {
        if (policy == Policy::Hold) {
            if (auto stop = write(std::nullopt, std::nullopt, "")) return *stop;
            emit_({Event::Kind::Held, fmt::format("held at {}", now()), static_cast<long long>(applied_),
                   stepCount(), now()});
            return {exit,
                    fmt::format("{} at {}; held: {} stays at {}; run the same command again to continue", why,
                                position(), target_.name(), now())};
        }
        auto restored = restore();
        if (restored) return *restored;
        emit_({Event::Kind::Restored, fmt::format("rolled back to {}", now()),
               static_cast<long long>(applied_), stepCount(), now()});
        return {exit, fmt::format("{} at {}; rolled back: {} is at {} as before the rollout", why, position(),
                                  target_.name(), now())};
    }

    std::optional<RolloutReport> restore() {
        return retried([&] { return target_.restore(cur_, start_, o_.command + " (rolled back)"); });
    }

    RolloutReport stoppedByOther(const RouteState& seen, bool takenOver) {
        std::string who = seen.lastWriter.empty() ? "another writer" : fmt::format("\"{}\"", seen.lastWriter);
        if (takenOver) who = fmt::format("{} (--force)", seen.mark->holder);
        return {
            kExitOtherWriter,
            fmt::format("{} was changed by {} during the rollout (now {}, the rollout had left {} at {}); "
                        "stopped without writing over it",
                        target_.name(), who, core::describeSplit(seen.split), now(), position())};
    }

    // A write that failed outright (after the client's own retries). Its outcome is unknown: it may
    // have landed with its answer lost. Read the object again and end from what is there: back at the
    // start (nothing to do), carrying this rollout's mark (restore or hold, as after a failed check),
    // finished (the last write landed), or someone else's. Only when that fails too does the report
    // fall back to where the object was last seen and the command that finishes the job.
    RolloutReport failedWrite(const Error& e) {
        if (recovering_) return stuck(e);
        recovering_ = true;
        RouteState last = cur_;
        auto seen = target_.read();
        if (!seen) return stuck(e);
        cur_ = *seen;
        bool ours = seen->mark && seen->mark->holder == o_.holder;
        if (seen->mark && !ours) return stoppedByOther(*seen, true);
        if (!ours && seen->split == start_.split) {
            return {e.exit,
                    fmt::format("{}; {} is at {} as before the rollout", e.message, target_.name(), now())};
        }
        if (finishing_ && seen->split == last.split) {
            // Every step and check passed; only the mark's removal is in doubt: try it once more.
            if (ours) {
                if (auto stop = write(std::nullopt, std::nullopt, "")) return *stop;
            }
            return done();
        }
        if (!ours) return stoppedByOther(*seen, false);
        return end(o_.onFailure, e.exit, e.message);
    }

    // Nothing more can be written or read: say where the object was last seen and how to finish.
    RolloutReport stuck(const Error& e) {
        if (finishing_) {
            return {e.exit,
                    fmt::format("{}; every step of the rollout landed ({} is at {}), but its mark may "
                                "remain; remove it with `{}`",
                                e.message, target_.name(), now(), target_.unmarkCommand())};
        }
        return {e.exit, fmt::format("{}; {} was last seen at {} ({}) {}; restore the start with `{}`",
                                    e.message, target_.name(), now(), position(),
                                    applied_ > 0 ? "and may still carry the rollout mark"
                                                 : "unchanged by the rollout",
                                    target_.setCommand(start_.split))};
    }

    RolloutReport done() {
        emit_({Event::Kind::Done, fmt::format("done: {}", now()), stepCount(), stepCount(), now()});
        target_.completed();
        return {kExitOk, fmt::format("rollout of {} complete: {} is at {}", o_.key, target_.name(), now())};
    }

    RolloutReport finish() {
        finishing_ = true;
        if (auto stop = write(std::nullopt, std::nullopt, "")) return *stop;
        return done();
    }

    RolloutTarget& target_;
    CheckRunner& checks_;
    Clock& clock_;
    const RolloutOptions& o_;
    const std::function<void(const Event&)>& emit_;
    RouteState start_, cur_;
    core::StepPlan plan_;
    core::RolloutMark mark_;
    std::size_t applied_ = 0;
    bool finishing_ = false;   // the last write: the mark's removal after the final check
    bool recovering_ = false;  // a write failed; one attempt to end cleanly is under way
};

}  // namespace

RolloutReport runRollout(RolloutTarget& target, CheckRunner& checks, Clock& clock,
                         const RolloutOptions& options, const std::function<void(const Event&)>& emit) {
    return Rollout(target, checks, clock, options, emit).run();
}

}  // namespace shift::app
