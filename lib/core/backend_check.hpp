#pragma once
// The checks of an HTTPRoute plan against the cluster: a new Service backendRef that will carry
// traffic must exist (the Gateway API answers 500 for the share of a missing one), and a
// cross-namespace one needs a ReferenceGrant in the Service's namespace.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/mesh.hpp"
#include "core/split.hpp"

namespace shift::core {

// Only the backendRefs the plan adds are checked. An Error for a missing Service (mesh.hosts Yes); warnings
// for what was not checked (Warn) and for cross-namespace refs no ReferenceGrant allows.
Result<std::vector<std::string>> checkBackends(const VirtualService& route,
                                               const std::vector<RulePlan>& plans, const Mesh& mesh);

// Whether a ReferenceGrant in serviceNs lets HTTPRoutes of routeNs refer to the Service `name`.
bool referenceGranted(const Mesh& mesh, const std::string& routeNs, const std::string& serviceNs,
                      const std::string& name);

}  // namespace shift::core
