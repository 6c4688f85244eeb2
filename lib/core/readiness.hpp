#pragma once
// Make-before-break: traffic moves to a subset (or a backend Service) only when something is Ready to
// answer it. Istio answers 503 UH (no healthy upstream) for the share of a subset whose pods are
// missing or not Ready; a Gateway API implementation answers 5xx for a Service without ready
// endpoints.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/mesh.hpp"
#include "core/plan.hpp"
#include "core/traffic_gains.hpp"

namespace shift::core {

using Labels = std::map<std::string, std::string>;

// The selector of a VirtualService gain's pods: its Service's spec.selector plus the DestinationRule
// subset's labels. nullopt when shift cannot tell which pods serve it: no Service in the mesh for the
// host (a ServiceEntry, or an unknown host: the host check's business), a Service without a selector
// (endpoints managed by hand), or a subset no DestinationRule defines (the subset check's).
std::optional<Labels> podSelector(const VirtualService& vs, const Mesh& mesh, const TrafficGain& gain);

// The labels every selector holds (key and value), for one LIST of pods in a namespace.
Labels commonLabels(const std::vector<Labels>& selectors);
// "app=reviews,version=v3" (kube's labelSelector syntax, keys sorted).
std::string selectorText(const Labels& selector);

// Each gain must have at least one Ready pod (condition Ready=True) among those its selector picks in
// its namespace, or, for an HTTPRoute backendRef, an EndpointSlice of its Service with an endpoint whose
// conditions.ready is true. An error (exit 2) naming the subset, the selector, how many pods matched and
// how many are Ready, and the fix. Skipped when mesh.ready is not Yes.
Status checkReadiness(const ShiftPlan& plan, const Mesh& mesh);

}  // namespace shift::core
