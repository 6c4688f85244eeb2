#pragma once
// Subsets named by a route must be defined by a DestinationRule for the host,
// or Istio answers 503 for that traffic.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/split.hpp"
#include "doc/node.hpp"

namespace shift::core {

// Checks every destination the plans keep or add against the DestinationRules
// given. An undefined subset is an error listing the defined ones; a host that
// no DestinationRule covers gives a warning (returned) that it was not checked.
Result<std::vector<std::string>> checkSubsets(const VirtualService& vs, const std::vector<RulePlan>& plans,
                                              const std::vector<const doc::Node*>& destinationRules);

}  // namespace shift::core
