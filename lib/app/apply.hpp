#pragma once
// The one pipeline of every store: read, plan, write on condition; re-read and re-plan on conflict.
#include <functional>
#include <optional>
#include <string>

#include "app/store.hpp"
#include "core/history.hpp"
#include "core/request.hpp"

namespace shift::app {

// Ten pipelines shifting one VirtualService at once all get through: each round at least one write
// wins, and the backoff spreads the others out.
inline constexpr int kConflictAttempts = 8;

struct ApplyOptions {
    core::ShiftOptions shift;
    bool validate = true;  // check subsets against DestinationRules (--no-validate: false)
    DryRun dryRun = DryRun::None;
    int attempts = kConflictAttempts;
    std::function<void(int attempt)> backoff;  // waits after conflict number `attempt`
    Warn warn;                                 // each warning, as it arises
    // --expect: the split every targeted rule must have now, checked on every read (a conflict's
    // re-read too); a rule that differs fails with kExitPrecondition and nothing written.
    std::optional<core::Request> expect;
    // The cluster without --force: a rollout mark whose heartbeat is fresh (core::isFresh at `now`)
    // refuses the write with kExitLocked and nothing written, as another `shift rollout` is refused.
    struct RolloutLock {
        core::Clock::time_point now;
        std::chrono::seconds staleAfter = core::kMarkStaleAfter;
    };
    std::optional<RolloutLock> rolloutLock;
    // The cluster: another writer of the object (core::findOwners: a GitOps tool, Kiali) is a warning;
    // a controller driving its weights (Flagger, Argo Rollouts) refuses the write, exit 2 and nothing
    // written, unless force (--force: then it is a warning too).
    struct OwnerCheck {
        bool force = false;
    };
    std::optional<OwnerCheck> owners;
    // The cluster: the plan's notes (a subset left without traffic can be retired) after its warnings.
    bool notes = false;
};

struct Outcome {
    core::ShiftPlan plan;
    Change change;
};

// What to write, planned on the object as read (every read: a conflict's re-read is planned again).
using Planner = std::function<Result<core::ShiftPlan>(const doc::Node& object)>;

// Plans on what the store holds and writes it; a conflict re-reads and re-plans, up to
// options.attempts times, then fails with exit 4 and nothing written.
Result<Outcome> applyPlanned(Store& store, const Planner& planner, const ApplyOptions& options);

// One round of applyPlanned before its write, on the object as read: the rollout lock, the plan and
// its checks, --expect, the warnings. applyMany plans every object with it before writing any.
Result<core::ShiftPlan> planChecked(Store& store, const doc::Node& object, const Planner& planner,
                                    const ApplyOptions& options);

// applyPlanned with the plan of `request` (options.shift: the rules, the split options).
Result<Outcome> applyShift(Store& store, const core::Request& request, const ApplyOptions& options);

struct UndoOutcome {
    Outcome outcome;
    long long revision = 0;  // the revision returned to
};

// `shift undo`: every rule back to the split of revision `toRevision` (default: the one before the
// last) of the history the object carries, in one write, through applyPlanned. A rule the revision
// records must still exist; a conflict re-reads the history too.
Result<UndoOutcome> applyUndo(Store& store, std::optional<long long> toRevision, const ApplyOptions& options);

// applyUndo's plan, for applyMany (undo in several clusters): `revision` is set to the revision
// returned to each time it plans.
Planner undoPlanner(std::optional<long long> toRevision, const core::SplitOptions& split,
                    long long& revision);

// Writers that just collided collide again if they all re-read at once: waits a random while (full
// jitter) of up to 100ms, 200ms, 400ms... 1.6s, as client-go backs off.
void jitteredBackoff(int attempt);

}  // namespace shift::app
