#pragma once
// What sum of weights the cluster's Istio accepts, read from its istiod Deployments only when a
// request finer than whole percentages needs it (a whole-percent shift costs no extra request).
#include <string>

#include "core/request.hpp"
#include "core/split.hpp"
#include "kube/istio_api.hpp"

namespace shift::cli {

// Fills split.sum and split.sumWhy unless --weights stated them or the request is whole percentages.
// What cannot be read (RBAC, no istiod) leaves Unknown with the reason, for the planner's message.
void learnWeightSum(kube::Api& api, const std::string& istioNamespace, const core::Request& request,
                    core::SplitOptions& split);

}  // namespace shift::cli
