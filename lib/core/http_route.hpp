#pragma once
// A Gateway API HTTPRoute (gateway.networking.k8s.io) read into the route model: its spec.rules are
// rules of the list `rules`, their backendRefs the destinations. What differs from a VirtualService
// lives here: relative weights, and keys that name a backendRef.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/virtual_service.hpp"
#include "doc/node.hpp"

namespace shift::core {

inline constexpr const char* kGatewayGroup = "gateway.networking.k8s.io";
// The Gateway API's bound on a backendRef weight (HTTPBackendRef.weight: 0 to 1000000).
inline constexpr long long kMaxBackendWeight = 1000000;

// Reads an HTTPRoute's rules: name, whether it has `matches`, and its backendRefs (name, namespace,
// kind, group, port, weight). Errors name the field at fault.
Result<VirtualService> readHTTPRoute(const doc::Node& object);

// The effective percentage of each backendRef of an HTTPRoute rule. Weights are relative (absent
// counts 1, 0 is no traffic); each share is weight*100/sum rounded down, and the points the rounding
// left go one each to the largest remainders (the first on a tie), so the shares add up to 100.
// All zero: every share is 0 (the Gateway API then answers 500).
std::vector<long long> effectiveShares(const Rule& rule);

// How a request names a backendRef: its name (`reviews-v3`), NAMESPACE/NAME when it points to
// another namespace than the route's, KIND/NAME for a backend that is not a Service.
std::string backendKey(const Destination& d, const std::string& routeNs);

// A KEY of a request for an HTTPRoute, taken apart: a prefix before `/` that starts with an
// uppercase letter is a kind (Kubernetes namespaces are lowercase), otherwise a namespace.
struct BackendKey {
    std::string name;
    std::string ns;    // "" : the route's namespace
    std::string kind;  // "" : Service
};
BackendKey parseBackendKey(const std::string& key);

// Whether a backendRef is the one a parsed key names (namespace and kind defaulted as the API does).
bool namesBackend(const BackendKey& key, const Destination& d, const std::string& routeNs);

// Whether a backendRef points to a core Service (kind and group absent or Service and "").
bool isServiceRef(const Destination& d);

}  // namespace shift::core
