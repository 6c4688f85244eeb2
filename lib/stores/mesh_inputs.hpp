#pragma once
// What the destination checks (core::checkDestinations) need to know of the mesh, gathered from the
// -f inputs or read from the cluster.
#include <vector>

#include "app/store.hpp"
#include "base/result.hpp"
#include "core/mesh.hpp"
#include "core/plan.hpp"
#include "core/traffic_gains.hpp"
#include "doc/parse.hpp"
#include "kube/istio_api.hpp"

namespace shift::stores {

// File mode: the Services, ServiceEntries and DestinationRules in the inputs. New hosts are checked
// when the inputs hold Services or ServiceEntries (else a warning), subsets when they hold
// DestinationRules.
core::Mesh meshFromFiles(const std::vector<const doc::Stream*>& streams);

// Cluster mode: reads only what checking this plan needs (call it only when the plan adds a
// destination or starts sending traffic to one; the Pods and EndpointSlices of readWorkloads last). Services
// in the namespaces the new hosts name (the VirtualService's for other names); ServiceEntries (the
// VirtualService's, the hosts' and the root namespace) only for a host no Service defines; DestinationRules
// in the VirtualService's namespace, then the hosts' and the root namespace only for subsets not covered yet.
// The list bodies are kept in `lists`, which the mesh points into. A list that cannot be read is a warning
// (through `warn`) saying what was not checked, and that check is skipped.
// gains: core::trafficGains(plan), computed once by the caller (it tells whether to call at all).
Result<core::Mesh> readMesh(kube::Api& api, const core::ShiftPlan& plan,
                            const std::vector<core::TrafficGain>& gains, std::vector<doc::Stream>& lists,
                            const app::Warn& warn);

}  // namespace shift::stores
