#pragma once
// One request over several objects (names, a label selector, several clusters), all or nothing: every
// object is read, planned and validated before any is written; when a write fails, the objects
// already written are put back as they were read (a conditional write: a later writer's change is
// never overwritten), and each object's end state is reported.
#include <optional>
#include <string>
#include <vector>

#include "app/apply.hpp"
#include "app/store.hpp"

namespace shift::app {

struct Target {
    std::string label;  // how the reports name it: "istio-demo/reviews", "east: istio-demo/reviews"
    // Targets of one group (a cluster: one connection) are read one after another and written
    // together (Store::writeMany: at once over HTTP/2); different groups at the same time, each on
    // its own thread.
    std::string group;
    Store* store = nullptr;
    Planner planner;
};

enum class TargetState {
    NotWritten,   // planned, never written (dry run, or another object failed first)
    Unchanged,    // the plan changes nothing: no write
    Changed,      // written, and so it stays
    Failed,       // its own read, plan or write failed (nothing of it written)
    Restored,     // written, then put back as read after another write failed
    NotRestored,  // written, and putting it back failed: it holds the change
    Unsure,       // its write's answer was lost (Error::maybeApplied): it may hold the change; left alone
};

const char* stateName(TargetState state);

struct TargetResult {
    TargetState state = TargetState::NotWritten;
    std::optional<Outcome> outcome;  // the plan and the change (diff sides), once planned
    std::string detail;              // why it failed or was not restored
};

struct ManyOutcome {
    std::vector<TargetResult> results;  // one per target, in the targets' order
    std::optional<Error> error;         // what stopped the run; nullopt when every write went out
};

// Reads and plans every target (checks, --expect and the rollout lock included) before the first
// write; a failure there writes nothing. Then writes each group's targets as one Store::writeMany (the
// cluster sends them at once over HTTP/2, one after another over HTTP/1.1) and the groups at the same
// time; a conflict re-reads and re-plans that object, as applyPlanned does. The first write that fails
// stops every group from sending more, and those already written are restored, newest first.
ManyOutcome applyMany(const std::vector<Target>& targets, const ApplyOptions& options);

}  // namespace shift::app
