#pragma once
// A read-only view of a VirtualService's routes, taken from its document tree; an HTTPRoute
// (gateway.networking.k8s.io) reads into the same model (http_route.hpp).
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/object_ref.hpp"
#include "doc/node.hpp"

namespace shift::core {

// Rules: an HTTPRoute's spec.rules, whose backendRefs carry relative weights.
enum class RouteList { Http, Tcp, Tls, Rules };
const char* listName(RouteList list);  // "http", "tcp", "tls", "rules"
// The field of a rule that lists its destinations: "route", or "backendRefs" for an HTTPRoute rule.
const char* routeField(RouteList list);

struct Destination {
    std::string host;  // an HTTPRoute backendRef: its name
    std::string subset;
    std::optional<long long> weight;  // absent: the field is not set
    std::optional<long long> port;    // destination.port.number (a backendRef's port), when set
    // A backendRef's namespace, kind and group as written ("" when absent: the route's namespace,
    // Service, core).
    std::string ns, kind, group;
};

struct Rule {
    RouteList list = RouteList::Http;
    std::size_t index = 0;  // position in its list
    std::string name;       // the rule's `name`, if any
    bool hasMatch = false;
    std::string matchSummary;  // e.g. "uri prefix /api, header end-user"
    std::vector<Destination> route;
    std::string delegate;  // http rules: the VirtualService it hands over to ("ns/name" or "name")
};

struct VirtualService {
    RouteKind kind = RouteKind::VirtualService;
    std::string ns;    // metadata.namespace ("" when the manifest has none)
    std::string name;  // metadata.name
    std::vector<std::string> hosts;
    std::vector<Rule> rules;  // http rules, then tcp, then tls; an HTTPRoute's rules
};

// What the readers share: an integer field (nullopt when it is not one), a match list in one line.
std::optional<long long> parseInteger(const doc::Node& n);
std::string summarizeMatch(const doc::Node& match);

// Reads the routes of a VirtualService object, or of an HTTPRoute (`kind: HTTPRoute`, through
// readHTTPRoute); errors name the field at fault.
Result<VirtualService> readVirtualService(const doc::Node& object);

// The list a bare INDEX selects and whose rules without a match are the default: http, or rules.
RouteList defaultList(const VirtualService& vs);

// "istio-demo/reviews" (or "reviews" when no namespace is known).
std::string qualifiedName(const VirtualService& vs);
// "http[0]" or "http[1] (\"canary\")".
std::string ruleLabel(const Rule& rule);

// The effective weight of a destination: a lone destination without a weight
// takes all traffic, as Istio does; otherwise a missing weight counts as 0.
// An HTTPRoute rule's weights are relative: its effective percentage (effectiveShares).
long long effectiveWeight(const Rule& rule, std::size_t i);

// Istio's host names: a short name is relative to the namespace of the object
// that uses it ("reviews" in istio-demo is reviews.istio-demo.svc.cluster.local).
std::string fqdn(const std::string& host, const std::string& ns);
bool sameHost(const std::string& a, const std::string& b, const std::string& ns);

}  // namespace shift::core
