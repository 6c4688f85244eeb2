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

// Page size of the LIST (kubectl's chunk size).
inline constexpr int kReachPage = 500;

// The VirtualServices of every namespace (another namespace's may be exported to this one, and a
// delegate's parents may be anywhere): one LIST of kReachPage items, and its further pages while the
// server has more. When the user may not list them cluster-wide (RBAC), the VirtualServices of ns
// alone, and a warning that the other namespaces were not checked; when not even those, a warning that
// none was. mesh.virtualServices points into `lists`; mesh.reach is Yes once something was read.
// Nothing is read for an HTTPRoute.
Status readReach(kube::Api& api, const core::VirtualService& vs, core::Mesh& mesh,
                 std::vector<doc::Stream>& lists, const app::Warn& warn);

}  // namespace shift::stores
