#include "app/apply.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "core/annotations.hpp"
#include "core/delegates.hpp"
#include "core/owners.hpp"
#include "core/reach.hpp"
#include "core/split_view.hpp"
#include "core/undo.hpp"

namespace shift::app {

namespace {

// Plans, then checks the plan's new hosts and subsets against what the store gathers for it (which
// objects may depend on the plan: the namespaces of its hosts). One plan, whatever the store.
Result<core::ShiftPlan> plan(Store& store, const doc::Node& object, const Planner& planner,
                             const ApplyOptions& o) {
    auto planned = planner(object);
    if (!planned || !o.validate) return planned;
    auto mesh = store.mesh(*planned);
    if (!mesh) return mesh.error();
    if (!*mesh) return planned;
    auto warnings = core::checkDestinations(*planned, **mesh);
    if (!warnings) return warnings.error();
    planned->warnings.insert(planned->warnings.end(), warnings->begin(), warnings->end());
    if ((*mesh)->reach == core::Mesh::Check::Yes) {
        for (auto& n : core::delegateNotes(planned->vs, (*mesh)->virtualServices))
            planned->notes.push_back(n);
        for (auto& n : core::reachNotes(planned->vs, object, (*mesh)->virtualServices))
            planned->notes.push_back(n);
    }
    return planned;
}

// A script must not re-expose a canary that someone rolled back by hand between two of its steps.
Status checkExpected(const core::ShiftPlan& plan, const core::Request& expected) {
    for (const auto& rule : plan.rules) {
        auto split = core::splitOf(plan.vs, {rule.rule}).at(0);
        if (core::splitMatches(split, expected)) continue;
        return fail(
            fmt::format("VirtualService {} {} is at {}, not the expected {}; nothing written (--expect)",
                        core::qualifiedName(plan.vs), core::ruleLabel(plan.vs.rules[rule.rule]),
                        core::describeSplit(split), core::describe(expected)),
            kExitPrecondition);
    }
    return okStatus();
}

// A write between two steps of someone's rollout would be overwritten by its next step, or taken for
// another writer and stop it: refuse while its heartbeat is fresh.
Status checkNotHeld(const doc::Node& object, const ApplyOptions& o) {
    auto mark = core::rolloutMarkOf(object);
    if (!o.rolloutLock || !mark || !core::isFresh(*mark, o.rolloutLock->now, o.rolloutLock->staleAfter))
        return okStatus();
    const auto* ns = object.at({"metadata", "namespace"});
    const auto* name = object.at({"metadata", "name"});
    std::string who = (ns ? ns->str() + "/" : std::string()) + (name ? name->str() : std::string());
    return fail(
        fmt::format("VirtualService {} is being rolled out by {} ({}, step {} of {}, heartbeat at {}); "
                    "nothing written: wait for it to end, or pass --force to take over",
                    who, mark->holder, mark->command, mark->step, mark->steps,
                    core::formatTime(mark->heartbeat)),
        kExitLocked);
}

// Argo CD, Flux and Helm put back what Git or the chart says; Flagger and Argo Rollouts set the weights
// at their next step: tell the user before the write, and refuse the second unless --force.
Status checkOwners(const doc::Node& object, const ApplyOptions& o) {
    if (!o.owners) return okStatus();
    auto warnings = core::ownerVerdict(object, o.owners->force);
    if (!warnings) return warnings.error();
    if (o.warn)
        for (const auto& w : *warnings) o.warn(w);
    return okStatus();
}

}  // namespace

Result<Outcome> applyShift(Store& store, const core::Request& request, const ApplyOptions& o) {
    auto planner = [&](const doc::Node& object) {
        return core::planShift(object, request, o.shift, nullptr);
    };
    return applyPlanned(store, planner, o);
}

Planner undoPlanner(std::optional<long long> toRevision, const core::SplitOptions& split,
                    long long& revision) {
    return [toRevision, split, &revision](const doc::Node& object) -> Result<core::ShiftPlan> {
        auto vs = core::readVirtualService(object);
        if (!vs) return vs.error();
        auto history = core::historyOf(object);
        if (!history) return history.error();
        auto undo = core::planUndo(*vs, *history, toRevision);
        if (!undo) return undo.error();
        revision = undo->revision;
        return core::planRestore(object, *undo, split);
    };
}

Result<UndoOutcome> applyUndo(Store& store, std::optional<long long> toRevision, const ApplyOptions& o) {
    long long revision = 0;
    auto out = applyPlanned(store, undoPlanner(toRevision, o.shift.split, revision), o);
    if (!out) return out.error();
    return UndoOutcome{std::move(*out), revision};
}

Result<core::ShiftPlan> planChecked(Store& store, const doc::Node& object, const Planner& planner,
                                    const ApplyOptions& o) {
    if (auto st = checkNotHeld(object, o); !st) return st.error();
    if (auto st = checkOwners(object, o); !st) return st.error();
    auto planned = plan(store, object, planner, o);
    if (!planned) return planned.error();
    if (o.expect) {
        if (auto st = checkExpected(*planned, *o.expect); !st) return st.error();
    }
    if (o.warn) {
        for (const auto& w : planned->warnings) o.warn(w);
        if (o.notes)
            for (const auto& n : planned->notes) o.warn(n);
    }
    return planned;
}

Result<Outcome> applyPlanned(Store& store, const Planner& planner, const ApplyOptions& o) {
    for (int attempt = 1; attempt <= o.attempts; ++attempt) {
        auto read = store.read();
        if (!read) return read.error();
        auto planned = planChecked(store, *read->object, planner, o);
        if (!planned) return planned.error();
        auto change = store.write(*read, *planned, o.dryRun);
        if (!change) return change.error();
        if (!change->conflict) return Outcome{std::move(*planned), std::move(*change)};
        if (attempt < o.attempts) {
            if (o.warn) o.warn(store.conflictWarning(attempt + 1, o.attempts));
            if (o.backoff) o.backoff(attempt);
        }
    }
    return store.gaveUp(o.attempts);
}

void jitteredBackoff(int attempt) {
    static std::minstd_rand rng{std::random_device{}()};
    std::uniform_int_distribution<int> ms(0, 100 << std::min(attempt - 1, 4));
    std::this_thread::sleep_for(std::chrono::milliseconds(ms(rng)));
}

}  // namespace shift::app
