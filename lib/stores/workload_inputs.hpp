#pragma once
// What make-before-break (core::checkReadiness) reads from the cluster: the Pods behind the subsets
// (and hosts) a plan starts sending traffic to, and the EndpointSlices of the backend Services an
// HTTPRoute starts sending traffic to.
#include <vector>

#include "app/store.hpp"
#include "base/result.hpp"
#include "core/mesh.hpp"
#include "core/plan.hpp"
#include "core/traffic_gains.hpp"
#include "doc/parse.hpp"
#include "kube/istio_api.hpp"

namespace shift::stores {

// Nothing is read when nothing new gets traffic. Otherwise: the Services of those hosts the mesh does
// not hold yet (one LIST per namespace), then one LIST of Pods per namespace, selected by the labels
// that every selector there shares (the Service's selector, usually), or, for an HTTPRoute, one LIST
// of EndpointSlices per Service (labelSelector kubernetes.io/service-name=NAME). The bodies are kept
// in `lists`, which the mesh points into. A list that cannot be read (RBAC) is a warning saying what
// was not checked; mesh.ready then stays No and the check is skipped. Else mesh.ready is Yes.
// gains: core::trafficGains(plan), which the caller computed to tell whether to read at all.
Status readWorkloads(kube::Api& api, const core::ShiftPlan& plan, const std::vector<core::TrafficGain>& gains,
                     core::Mesh& mesh, std::vector<doc::Stream>& lists, const app::Warn& warn);

}  // namespace shift::stores
