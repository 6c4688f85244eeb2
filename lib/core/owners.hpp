#pragma once
// Who else writes a route object: GitOps tools that revert a change made outside Git, progressive
// delivery controllers that drive the weights themselves, and Kiali's wizards. Told from the object
// alone: metadata.managedFields managers, ownerReferences, and the labels and annotations these tools
// set (each documented by its project).
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/object_ref.hpp"
#include "doc/node.hpp"

namespace shift::core {

enum class Owner { ArgoCD, Flux, Helm, Flagger, ArgoRollouts, Kiali };

struct OwnerFinding {
    Owner owner;
    std::string evidence;  // what told it: `annotation argocd.argoproj.io/tracking-id`, `manager flagger`
};

// Each owner once, in the enum's order, with the first evidence found for it.
std::vector<OwnerFinding> findOwners(const doc::Node& object);

// Flagger and Argo Rollouts set the weights at each step of their own analysis: a write beside them
// is undone at once and may be taken for a failed step.
bool drivesWeights(Owner owner);

// The one-line warning for a GitOps owner or Kiali: who reverts the change, and where to make it.
std::string ownerWarning(const OwnerFinding& finding, RouteKind kind, const std::string& name);

// The refusal (exit 2, nothing written) for an owner that drives the weights, naming the --force way.
Error ownerRefusal(const OwnerFinding& finding, RouteKind kind, const std::string& name);
// The warning when --force writes beside such an owner.
std::string ownerForced(const OwnerFinding& finding, RouteKind kind, const std::string& name);

// What the owners of the object say of a write to it, as set, undo and rollout check it: the refusal
// of the first owner that drives the weights (unless force), else one warning per owner found.
Result<std::vector<std::string>> ownerVerdict(const doc::Node& object, bool force);

}  // namespace shift::core
