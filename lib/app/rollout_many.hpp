#pragma once
// A staged rollout of several objects (a selection, several clusters) moved together: every object is
// read, planned and pre-flighted before the first write anywhere; each step is written to every
// object (each with its own resourceVersion precondition and the same mark) before the wait and the
// checks; a failed check, a failed write or a signal ends every object in one state the report names
// object by object. The one-object rollout (rollout.hpp) is left as it was.
#include <functional>
#include <vector>

#include "app/rollout.hpp"

namespace shift::app {

// The rules, in the order the engine applies them:
// - Every object must start with KEY at the same share: a rollout moves them step by step together,
//   so a skipped step is skipped for all. Objects at different shares are refused before any write
//   (exit 2), naming each share; `shift set` them level, or roll them out apart.
// - A step goes to the objects in their order; the checks run once per step, after every object
//   holds it (CheckContext::targets lists each object's split).
// - A failed check or a signal: rollback puts every object back exactly as it was found; hold keeps
//   every object at the step it was checking, as the one-object rollout does. A write that fails
//   mid-step (or any later write) ends as --on-failure says: rollback as above; hold puts the objects
//   already moved back to the last step every object reached (the start, when it was the first), so
//   that all stand at one step.
// - An object someone else changed is never written over: it is left as it is, the others are
//   rolled back or held as the policy says.
// - Whatever could not be put back is named with the command that finishes the job.
RolloutReport runRolloutMany(const std::vector<RolloutTarget*>& targets, CheckRunner& checks, Clock& clock,
                             const RolloutOptions& options, const std::function<void(const Event&)>& emit);

}  // namespace shift::app
