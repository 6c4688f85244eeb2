#pragma once
// Which other VirtualServices route the hosts of the one shifted: those of its namespace, and those
// of other namespaces exported to it (spec.exportTo; none given is "*", Istio's default). A change
// moves only the named object, so the user should hear of the others and of their splits; and of a
// gateway-bound one when the named object is for the mesh only (the traffic entering through those
// gateways follows the other, not this one).
#include <string>
#include <vector>

#include "core/virtual_service.hpp"
#include "doc/node.hpp"

namespace shift::core {

// One note per other VirtualService in reach that routes one of the hosts of `vs` (read from
// `object`), with its current splits. `others` may hold `object` itself (a LIST of every namespace):
// it is skipped. None for an HTTPRoute or a VirtualService without hosts (a delegate: delegateNotes).
std::vector<std::string> reachNotes(const VirtualService& vs, const doc::Node& object,
                                    const std::vector<const doc::Node*>& others);

// Whether a VirtualService in `owner` with this spec.exportTo is visible in namespace ns.
bool exportedTo(const doc::Node& object, const std::string& owner, const std::string& ns);

}  // namespace shift::core
