#pragma once
// What the checks know of the mesh: the Services, ServiceEntries and DestinationRules the caller
// gathered (from the cluster or the -f files), and Istio's rules for which of them apply.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/node.hpp"
#include "doc/parse.hpp"

namespace shift::core {

// Istio's meshConfig.rootNamespace default: its DestinationRules and ServiceEntries apply mesh-wide.
inline constexpr const char* kRootNamespace = "istio-system";

struct Mesh {
    // Yes: check and refuse; Warn: say the check could not run (file mode without Services); No: skip
    // (--no-validate, or the caller already warned that it could not read them).
    enum class Check { Yes, Warn, No };
    std::vector<const doc::Node*> services;  // core v1 Service objects
    std::vector<const doc::Node*> serviceEntries;
    std::vector<const doc::Node*> destinationRules;
    // gateway.networking.k8s.io ReferenceGrants, for an HTTPRoute's cross-namespace backendRefs;
    // grants: No when they could not be read (the caller warned), Warn when the input holds none.
    std::vector<const doc::Node*> referenceGrants;
    Check grants = Check::Yes;
    // Make-before-break (readiness.hpp): the Pods (core v1) and EndpointSlices (discovery.k8s.io/v1)
    // listed for the destinations a plan starts sending traffic to. ready: No when nothing was listed
    // (files, --no-validate, or the caller warned that it could not read them).
    std::vector<const doc::Node*> pods;
    std::vector<const doc::Node*> endpointSlices;
    Check ready = Check::No;
    // Reach (reach.hpp, delegates.hpp): the VirtualServices of every namespace (or of the shifted one's
    // alone, when the user may not list them all). reach: No when none were read (files, --no-validate,
    // or the caller warned that it could not read them).
    std::vector<const doc::Node*> virtualServices;
    Check reach = Check::No;
    Check hosts = Check::Yes;
    Check subsets = Check::Yes;
    std::string rootNamespace = kRootNamespace;
};

bool isKind(const doc::Node& object, std::string_view kind);
// Appends every object of the kind in the stream to out, in order (a `kind: List` gives its items).
void collectKind(const doc::Stream& stream, std::string_view kind, std::vector<const doc::Node*>& out);
// A mapping of strings (labels, a selector) as a map; {} for anything else.
std::map<std::string, std::string> stringMap(const doc::Node* mapping);
// metadata.namespace, or `fallback` when a manifest leaves it out.
std::string namespaceOf(const doc::Node& object, const std::string& fallback);

// The namespace of a Kubernetes service host ("reviews.istio-demo.svc.cluster.local" -> istio-demo),
// "" for other names.
std::string serviceNamespace(const std::string& fqdnHost);

// Whether a host pattern (exact, "*.suffix" or "*") covers the host.
bool hostMatches(const std::string& pattern, const std::string& host);

// The DestinationRule Istio applies to traffic for `host` (a FQDN) from clients in `clientNs`.
struct RuleSubsets {
    std::string name;  // "ns/name" of the (first) rule found
    std::vector<std::string> subsets;
    std::vector<std::map<std::string, std::string>> labels;  // each subset's labels, in that order
};
std::optional<RuleSubsets> destinationRuleFor(const Mesh& mesh, const std::string& host,
                                              const std::string& serviceNs, const std::string& clientNs);

// Whether a Service or ServiceEntry visible from clientNs defines host (a FQDN).
bool hostDefined(const Mesh& mesh, const std::string& host, const std::string& clientNs);

// The namespace of the ServiceEntry visible from clientNs that defines host, "" when none does.
std::string serviceEntryNamespace(const Mesh& mesh, const std::string& host, const std::string& clientNs);

}  // namespace shift::core
