#pragma once
// `shift undo`: which split each rule returns to, from the history the object carries.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/history.hpp"
#include "core/plan.hpp"
#include "core/request.hpp"
#include "core/virtual_service.hpp"

namespace shift::core {

struct RuleRestore {
    std::string selector;  // "http:0": the rule, as --route names it
    Request request;       // its whole split in that revision
};

struct UndoPlan {
    long long revision = 0;  // the revision returned to
    std::vector<RuleRestore> rules;
};

// The previous revision (the one before the last), or `toRevision`. Each rule it records must still
// exist in `vs`; rules it does not record are left as they are.
Result<UndoPlan> planUndo(const VirtualService& vs, const std::vector<Revision>& history,
                          std::optional<long long> toRevision);

// One plan restoring every rule of `undo` at once, so that one write carries them all: each rule
// planned on `object` as `shift set --route SELECTOR` plans it. A destination the revision records at
// weight 0 is kept at 0 (the revision had it), whatever options.keepZero says.
Result<ShiftPlan> planRestore(const doc::Node& object, const UndoPlan& undo, const SplitOptions& options);

// "v1=50,v3=50" -> the request v1=50 v3=50.
Result<Request> requestOfSplit(const std::string& split);

}  // namespace shift::core
