#pragma once
// A new destination host must name a service Istio knows: a Kubernetes Service or a ServiceEntry
// visible from the VirtualService's namespace. Otherwise Istio answers 503 (no healthy upstream).
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/mesh.hpp"
#include "core/split.hpp"

namespace shift::core {

// The hosts the plans add that their rule does not route to yet, as FQDNs (each once).
std::vector<std::string> newHosts(const VirtualService& vs, const std::vector<RulePlan>& plans);

// Checks each new host against the mesh's Services and ServiceEntries: an error naming the host,
// the closest existing names and, when the key is a subset of the route's host, that; with
// Mesh::Check::Warn a warning (returned) that it was not checked.
Result<std::vector<std::string>> checkHosts(const VirtualService& vs, const std::vector<RulePlan>& plans,
                                            const Mesh& mesh);

// Levenshtein distance, for "did you mean".
std::size_t editDistance(const std::string& a, const std::string& b);

}  // namespace shift::core
