#include "app/rollout_many.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "app/rollout_lanes.hpp"
#include "core/rollout_steps.hpp"

namespace shift::app {

namespace {

std::string percentList(const std::vector<core::Step>& steps) {
    std::vector<std::string> parts;
    for (const auto& s : steps) parts.push_back(fmt::format("{}%", s.percent));
    return fmt::format("{}", fmt::join(parts, " → "));
}

long long shareOf(const core::RuleSplit& split, const std::string& key) {
    for (const auto& d : split.destinations) {
        if (d.key == key) return d.weight;
    }
    return 0;
}

// Several objects moved together; each member function is one stage, as in rollout.cpp. What one
// object's writes do (retries, re-reads, ends) is in Lanes.
class RolloutMany {
   public:
    RolloutMany(const std::vector<RolloutTarget*>& targets, CheckRunner& checks, Clock& clock,
                const RolloutOptions& o, const std::function<void(const Event&)>& emit)
        : lanes_(targets, o), checks_(checks), clock_(clock), o_(o), emit_(emit) {}

    RolloutReport run() {
        for (auto& l : lanes_.all) {
            auto snap = l.t->read();
            if (!snap) return refused(snap.error());
            l.start = l.cur = *snap;
        }
        if (auto held = refuseIfHeld()) return *held;
        for (auto& l : lanes_.all) {
            auto plan = core::planSteps(l.start.split, o_.key, o_.steps, o_.pins);
            if (!plan) return refused(Error{l.t->name() + ": " + plan.error().message, plan.error().exit});
            l.plan = std::move(*plan);
        }
        if (auto uneven = refuseUneven()) return *uneven;
        lanes_.steps = lanes_.all.front().plan.steps.size();
        announcePlan();
        for (auto& l : lanes_.all) {
            if (l.plan.steps.empty()) continue;
            if (auto st = l.t->preflight(l.plan.steps.back().request); !st)
                return refused(Error{l.t->name() + ": " + st.error().message, st.error().exit});
        }
        if (o_.dryRun) return {kExitOk, fmt::format("dry run: none of the {} objects changed", count())};
        if (lanes_.steps == 0) {
            return {kExitOk, fmt::format("nothing to do: {} is at {}% in all {} objects already", o_.key,
                                         shareOf(lanes_.all.front().start.split, o_.key), count())};
        }
        lanes_.mark = core::RolloutMark{o_.holder,    o_.command,  0, static_cast<long long>(lanes_.steps),
                                        clock_.now(), clock_.now()};
        for (std::size_t i = 0; i < lanes_.steps; ++i) {
            if (auto end = applyStep(i)) return *end;
            if (auto end = waitAndCheck(i)) return *end;
        }
        return lanes_.finish(emit_);
    }

   private:
    std::size_t count() const { return lanes_.all.size(); }
    long long stepCount() const { return static_cast<long long>(lanes_.steps); }
    std::string now() const { return core::describeSplit(lanes_.all.front().cur.split); }

    // Nothing was written: the error, and that every object is as it was.
    RolloutReport refused(const Error& e) const {
        return {e.exit, fmt::format("{}; none of the {} objects was changed", e.message, count())};
    }

    std::optional<RolloutReport> refuseIfHeld() {
        for (const auto& l : lanes_.all) {
            if (!l.start.mark || o_.force || !core::isFresh(*l.start.mark, clock_.now(), o_.staleAfter))
                continue;
            const auto& m = *l.start.mark;
            return RolloutReport{
                kExitLocked,
                fmt::format(
                    "{} is being rolled out by {} ({}, step {} of {}, heartbeat at {}); wait for it to "
                    "end, or pass --force to take over; none of the {} objects was changed",
                    l.t->name(), m.holder, m.command, m.step, m.steps, core::formatTime(m.heartbeat),
                    count())};
        }
        return std::nullopt;
    }

    // The objects move step by step together, so they must start with KEY at one share.
    std::optional<RolloutReport> refuseUneven() {
        auto first = shareOf(lanes_.all.front().start.split, o_.key);
        bool even = std::all_of(lanes_.all.begin(), lanes_.all.end(),
                                [&](const Lane& l) { return shareOf(l.start.split, o_.key) == first; });
        if (even) return std::nullopt;
        std::vector<std::string> shares;
        for (const auto& l : lanes_.all)
            shares.push_back(fmt::format("{} {}%", l.t->name(), shareOf(l.start.split, o_.key)));
        return RolloutReport{
            kExitInput,
            fmt::format("the objects give {} different shares ({}); a rollout moves them together from one "
                        "share: `shift set` them to one split first, or roll them out one at a time; none "
                        "was changed",
                        o_.key, fmt::join(shares, ", "))};
    }

    void plan(const std::string& text) { emit_({Event::Kind::Plan, text, 0, stepCount(), now()}); }

    void announcePlan() {
        const auto& steps = lanes_.all.front().plan.steps;
        if (steps.empty()) {
            plan(fmt::format("plan: {} objects: no step above {}'s current share", count(), o_.key));
        } else {
            plan(fmt::format("plan: {} objects: {} to {} in {} step{}: {}", count(), o_.key,
                             steps.back().percent, steps.size(), steps.size() > 1 ? "s" : "",
                             percentList(steps)));
        }
        for (const auto& note : lanes_.all.front().plan.notes) plan("plan: " + note);
        for (const auto& l : lanes_.all) {
            std::vector<std::string> each;
            for (const auto& s : l.plan.steps) each.push_back(core::describe(s.request));
            plan(fmt::format("plan: {}: {} → {}", l.t->name(), core::describeSplit(l.start.split),
                             fmt::join(each, " → ")));
        }
    }

    std::optional<RolloutReport> applyStep(std::size_t i) {
        lanes_.mark.step = static_cast<long long>(i + 1);
        lanes_.mark.heartbeat = clock_.now();
        auto record = fmt::format("{} (step {}/{})", o_.command, i + 1, lanes_.steps);
        auto failed = lanes_.writeAll(
            i + 1, [&](const Lane& l) { return std::optional<core::Request>(l.plan.steps[i].request); },
            lanes_.mark, record);
        if (failed)
            return end(o_.onFailure, failed->exit,
                       fmt::format("writing step {} of {}: {}", i + 1, lanes_.steps, failed->message));
        lanes_.applied = i + 1;
        emit_({Event::Kind::Step,
               fmt::format("step {}/{} applied to {} objects: {} at {}%", i + 1, lanes_.steps, count(),
                           o_.key, lanes_.all.front().plan.steps[i].percent),
               static_cast<long long>(i + 1), stepCount(), now()});
        return std::nullopt;
    }

    // Waits the interval in slices, refreshing every object's heartbeat between them.
    std::optional<RolloutReport> wait(std::size_t i) {
        Duration left = o_.interval;
        if (left > Duration::zero()) {
            emit_(
                {Event::Kind::Wait,
                 fmt::format("waiting {} after step {}/{}", core::formatDuration(left), i + 1, lanes_.steps),
                 static_cast<long long>(i + 1), stepCount(), now(),
                 clock_.now() + std::chrono::duration_cast<core::Clock::duration>(left)});
        }
        while (left > Duration::zero()) {
            Duration slice = std::min(left, o_.heartbeatEvery);
            if (!clock_.sleep(slice)) return end(o_.onInterrupt, kExitInterrupted, interruptedAt());
            left -= slice;
            if (left > Duration::zero()) {
                lanes_.mark.heartbeat = clock_.now();
                auto failed = lanes_.writeAll(
                    i + 1, [](const Lane&) { return std::optional<core::Request>(); }, lanes_.mark, "");
                if (failed)
                    return end(o_.onFailure, failed->exit,
                               fmt::format("refreshing the rollout mark after step {} of {}: {}", i + 1,
                                           lanes_.steps, failed->message));
            }
        }
        if (clock_.interrupted()) return end(o_.onInterrupt, kExitInterrupted, interruptedAt());
        return std::nullopt;
    }

    std::optional<RolloutReport> waitAndCheck(std::size_t i) {
        int failures = 0;
        while (true) {
            if (auto stop = wait(i)) return stop;
            auto failed = runChecks(i);
            if (clock_.interrupted()) return end(o_.onInterrupt, kExitInterrupted, interruptedAt());
            if (!failed) return std::nullopt;
            ++failures;
            emit_({Event::Kind::CheckFailed,
                   fmt::format("check failed at step {}/{} (failure {}, --max-failures {}): {}", i + 1,
                               lanes_.steps, failures, o_.maxFailures, *failed),
                   static_cast<long long>(i + 1), stepCount(), now()});
            if (failures > o_.maxFailures) {
                return end(o_.onFailure, kExitCheckFailed,
                           fmt::format("check failed: {} at step {} of {}", *failed, i + 1, lanes_.steps));
            }
        }
    }

    // The checks run once per step, when every object holds it; each sees every object's split.
    std::optional<std::string> runChecks(std::size_t i) {
        std::vector<std::string> lines;
        for (const auto& l : lanes_.all)
            lines.push_back(fmt::format("{} {}", l.t->name(), core::describeSplit(l.cur.split)));
        CheckContext context{static_cast<long long>(i + 1), stepCount(),
                             lanes_.all.front().plan.steps[i].percent, now(),
                             fmt::format("{}", fmt::join(lines, "\n"))};
        for (const auto& command : o_.checks) {
            auto outcome = checks_.run(command, context, o_.checkTimeout);
            if (!outcome.passed) return fmt::format("`{}`: {}", command, outcome.detail);
            emit_({Event::Kind::CheckPassed, fmt::format("check passed: `{}`", command),
                   static_cast<long long>(i + 1), stepCount(), now()});
        }
        return std::nullopt;
    }

    // A failed check, a failed write or a signal: every object rolled back, or held at one step.
    RolloutReport end(Policy policy, int exit, const std::string& why) {
        if (policy == Policy::Rollback) return lanes_.rollBack(exit, why, emit_);
        return lanes_.hold(exit, why, emit_);
    }

    std::string interruptedAt() const {
        return fmt::format("interrupted at step {} of {}", lanes_.applied, lanes_.steps);
    }

    Lanes lanes_;
    CheckRunner& checks_;
    Clock& clock_;
    const RolloutOptions& o_;
    const std::function<void(const Event&)>& emit_;
};

}  // namespace

RolloutReport runRolloutMany(const std::vector<RolloutTarget*>& targets, CheckRunner& checks, Clock& clock,
                             const RolloutOptions& options, const std::function<void(const Event&)>& emit) {
    if (targets.empty()) return {kExitInput, "no object to roll out"};
    return RolloutMany(targets, checks, clock, options, emit).run();
}

}  // namespace shift::app
