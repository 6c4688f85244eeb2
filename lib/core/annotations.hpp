#pragma once
// shift's annotations on a VirtualService object tree: the history of splits it wrote, the mark of a
// rollout in progress, and who last changed the object (from managedFields). Pure tree edits.
#include <optional>
#include <string>

#include "base/result.hpp"
#include "core/history.hpp"
#include "doc/node.hpp"

namespace shift::core {

// The splits of every routed rule of a VirtualService object, as a revision records them.
Result<std::vector<RuleRecord>> recordSplits(const doc::Node& object);

// The object's history, empty when it has none; an annotation that is not shift's is an error.
Result<std::vector<Revision>> historyOf(const doc::Node& object);

// Records a change in `after` (the object about to be written), whose state before was `before`: when
// `after` has no history yet, revision 1 is `before`'s splits, so the state before shift's first
// change can always be restored. `change` gives time, user and command; its rules are filled here.
Status recordRevision(doc::Node& after, const doc::Node& before, Revision change, std::size_t limit);

// Sets the rollout mark, or removes it (nullopt); an emptied annotations map is removed too.
void setRolloutMark(doc::Node& object, const std::optional<RolloutMark>& mark);
std::optional<RolloutMark> rolloutMarkOf(const doc::Node& object);

// The field manager of the most recent entry of metadata.managedFields ("kubectl-edit",
// "argocd-controller"), or "" when the object has none.
std::string lastManager(const doc::Node& object);

}  // namespace shift::core
