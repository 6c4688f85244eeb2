#pragma once
// What the reach notes (core/reach.hpp, core/delegates.hpp) read from the cluster: the other
// VirtualServices that route the same hosts, and the parents of a delegate.
#include <vector>

#include "app/store.hpp"
#include "base/result.hpp"
#include "core/mesh.hpp"
#include "core/virtual_service.hpp"
#include "doc/parse.hpp"
#include "kube/istio_api.hpp"

namespace shift::stores {

// Page size of the LISTs (kubectl's chunk size).
inline constexpr int kReachPage = 500;

// The VirtualServices of vs's namespace: one LIST of kReachPage items (and its further pages while the
// server has more). Not of every namespace, though one there may be exported to this one: measured
// against kube-apiserver (README "What else routes the host"), a cluster-wide LIST costs about 0.3 ms
// a VirtualService, 1,000 of them 325 ms on a set that takes 45 ms, for every set. A delegate (no
// hosts) is the exception: its parents may be anywhere and "none delegates to it" must be true, so
// every namespace is listed, and when the user may not (RBAC), the namespace's own with a warning that
// the others were not checked. A LIST that cannot be read is a warning saying what was not checked.
// mesh.virtualServices points into `lists`; mesh.reach is Yes once something was read. Nothing is
// read for an HTTPRoute.
Status readReach(kube::Api& api, const core::VirtualService& vs, core::Mesh& mesh,
                 std::vector<doc::Stream>& lists, const app::Warn& warn);

}  // namespace shift::stores
