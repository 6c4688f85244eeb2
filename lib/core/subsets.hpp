#pragma once
// Subsets named by a route must be defined by the DestinationRule Istio applies to the host, or
// Istio answers 503 for that traffic.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/mesh.hpp"
#include "core/split.hpp"

namespace shift::core {

// Checks every subset the plans keep or add against the mesh's DestinationRules (looked up as Istio
// does, from the VirtualService's namespace). An undefined subset, or a subset of a host that no
// DestinationRule covers, is an error naming the fix.
Status checkSubsets(const VirtualService& vs, const std::vector<RulePlan>& plans, const Mesh& mesh);

// The hosts (FQDNs, each once) of the subsets the plans keep or add that no DestinationRule in the
// mesh covers yet: a caller reading DestinationRules namespace by namespace reads on for these.
std::vector<std::string> hostsWithoutRule(const VirtualService& vs, const std::vector<RulePlan>& plans,
                                          const Mesh& mesh);

// The namespace Istio takes as the service's for a host: a Kubernetes service's, else that of the
// ServiceEntry defining it ("" when unknown).
std::string hostNamespace(const Mesh& mesh, const std::string& fqdnHost, const std::string& clientNs);

// The VirtualService's namespace, as the clients Istio looks up DestinationRules for.
std::string clientNamespace(const VirtualService& vs);

}  // namespace shift::core
