#pragma once
// A read-only view of a VirtualService's routes, taken from its document tree.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "doc/node.hpp"

namespace shift::core {

enum class RouteList { Http, Tcp, Tls };
const char* listName(RouteList list);  // "http", "tcp", "tls"

struct Destination {
    std::string host;
    std::string subset;
    std::optional<long long> weight;  // absent: the field is not set
    std::optional<long long> port;    // destination.port.number, when set
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
    std::string ns;    // metadata.namespace ("" when the manifest has none)
    std::string name;  // metadata.name
    std::vector<std::string> hosts;
    std::vector<Rule> rules;  // http rules, then tcp, then tls
};

// Reads the routes of a VirtualService object; errors name the field at fault.
Result<VirtualService> readVirtualService(const doc::Node& object);

// "istio-demo/reviews" (or "reviews" when no namespace is known).
std::string qualifiedName(const VirtualService& vs);
// "http[0]" or "http[1] (\"canary\")".
std::string ruleLabel(const Rule& rule);

// The effective weight of a destination: a lone destination without a weight
// takes all traffic, as Istio does; otherwise a missing weight counts as 0.
long long effectiveWeight(const Rule& rule, std::size_t i);

// Istio's host names: a short name is relative to the namespace of the object
// that uses it ("reviews" in istio-demo is reviews.istio-demo.svc.cluster.local).
std::string fqdn(const std::string& host, const std::string& ns);
bool sameHost(const std::string& a, const std::string& b, const std::string& ns);

}  // namespace shift::core
