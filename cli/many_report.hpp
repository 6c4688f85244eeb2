#pragma once
// What a several-object change tells the user: each object's end state in a table (CLUSTER when
// several), and for one left changed after a failure the command that finishes the job.
#include <string>
#include <vector>

#include "app/apply_many.hpp"
#include "core/object_ref.hpp"

namespace shift::cli {

struct TargetRow {
    std::string cluster;  // the context, "" for the current one
    std::string ns;
    std::string name;      // as the user would write it: reviews, httproute/reviews
    std::string finishBy;  // the command that puts it back by hand (shift undo ...)
    core::RouteKind kind = core::RouteKind::VirtualService;
    std::string object;   // the bare name, for kubectl's TYPE.GROUP/NAME lines
    std::string checkBy;  // the command that shows its last change (shift history ...)
};

// Whether any object was written (changed, restored or not): else nothing changed anywhere.
bool anyWritten(const app::ManyOutcome& outcome);

// One row per target: CLUSTER (with several clusters), NAMESPACE, NAME, RESULT.
std::string resultTable(const std::vector<TargetRow>& rows, const app::ManyOutcome& outcome, bool clusters,
                        bool dryRun);

// The RESULT cell: changed, unchanged (no-op), restored, not restored: ..., not written, failed: ...
std::string resultText(const app::TargetResult& result, const TargetRow& row, bool dryRun);

}  // namespace shift::cli
