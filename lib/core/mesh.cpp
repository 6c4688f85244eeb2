#include "core/mesh.hpp"

#include <climits>

#include "core/virtual_service.hpp"

namespace shift::core {

namespace {

std::vector<std::string> strings(const doc::Node* seq) {
    std::vector<std::string> out;
    if (seq != nullptr && seq->isSeq())
        for (const auto& s : seq->items) out.push_back(s.str());
    return out;
}

// A Service's exportTo is its `networking.istio.io/exportTo` annotation, comma-separated.
std::vector<std::string> serviceExportTo(const doc::Node& service) {
    std::vector<std::string> out;
    const auto* annotations = service.at({"metadata", "annotations"});
    const auto* value = annotations != nullptr ? annotations->get("networking.istio.io/exportTo") : nullptr;
    if (value == nullptr) return out;
    std::string text = value->str();
    for (std::size_t start = 0; start <= text.size();) {
        auto comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        auto part = text.substr(start, comma - start);
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        if (!part.empty()) out.push_back(part);
        start = comma + 1;
    }
    return out;
}

// Istio's exportTo: none given is "*" (every namespace), "." its own namespace, "~" none.
bool visibleFrom(const std::vector<std::string>& exportTo, const std::string& owner,
                 const std::string& client) {
    if (exportTo.empty()) return true;
    for (const auto& e : exportTo) {
        if (e == "*" || e == client || (e == "." && owner == client)) return true;
    }
    return false;
}

// Istio's MostSpecificHostMatch: an exact name beats any wildcard, a longer wildcard a shorter one.
int specificity(const std::string& pattern, const std::string& host) {
    if (!hostMatches(pattern, host)) return -1;
    return pattern == host ? INT_MAX : static_cast<int>(pattern.size());
}

// The most specific DestinationRule for host among those in ns visible from client; the rules
// for the same host in one namespace are merged, as Istio merges them.
std::optional<RuleSubsets> ruleIn(const Mesh& mesh, const std::string& ns, const std::string& host,
                                  const std::string& client) {
    int best = -1;
    std::string bestHost;
    for (const auto* dr : mesh.destinationRules) {
        const auto* drHost = dr->at({"spec", "host"});
        if (drHost == nullptr || namespaceOf(*dr, client) != ns) continue;
        if (!visibleFrom(strings(dr->at({"spec", "exportTo"})), ns, client)) continue;
        auto full = fqdn(drHost->str(), ns);
        int score = specificity(full, host);
        if (score > best) best = score, bestHost = full;
    }
    if (best < 0) return std::nullopt;
    RuleSubsets out;
    for (const auto* dr : mesh.destinationRules) {
        const auto* drHost = dr->at({"spec", "host"});
        if (drHost == nullptr || namespaceOf(*dr, client) != ns || fqdn(drHost->str(), ns) != bestHost)
            continue;
        if (!visibleFrom(strings(dr->at({"spec", "exportTo"})), ns, client)) continue;
        const auto* name = dr->at({"metadata", "name"});
        if (out.name.empty()) out.name = ns + "/" + (name != nullptr ? name->str() : std::string());
        if (const auto* subsets = dr->at({"spec", "subsets"}); subsets != nullptr && subsets->isSeq()) {
            for (const auto& s : subsets->items) {
                const auto* n = s.get("name");
                if (n == nullptr) continue;
                out.subsets.push_back(n->str());
                out.labels.push_back(stringMap(s.get("labels")));
            }
        }
    }
    return out;
}

}  // namespace

bool isKind(const doc::Node& object, std::string_view kind) {
    const auto* k = object.get("kind");
    return k != nullptr && k->str() == kind;
}

void collectKind(const doc::Stream& stream, std::string_view kind, std::vector<const doc::Node*>& out) {
    for (const auto* o : doc::objects(stream))
        if (isKind(*o, kind)) out.push_back(o);
}

std::map<std::string, std::string> stringMap(const doc::Node* mapping) {
    std::map<std::string, std::string> out;
    if (mapping == nullptr || !mapping->isMap()) return out;
    for (std::size_t i = 0; i < mapping->keys.size(); ++i) out[mapping->keys[i]] = mapping->items[i].str();
    return out;
}

std::string namespaceOf(const doc::Node& object, const std::string& fallback) {
    const auto* ns = object.at({"metadata", "namespace"});
    return ns != nullptr && !ns->str().empty() ? ns->str() : fallback;
}

std::string serviceNamespace(const std::string& host) {
    const std::string suffix = ".svc.cluster.local";
    if (host.size() <= suffix.size() || host.compare(host.size() - suffix.size(), suffix.size(), suffix) != 0)
        return "";
    auto rest = host.substr(0, host.size() - suffix.size());
    auto dot = rest.find('.');
    if (dot == std::string::npos || rest.find('.', dot + 1) != std::string::npos) return "";
    return rest.substr(dot + 1);
}

bool hostMatches(const std::string& pattern, const std::string& host) {
    if (pattern == "*" || pattern == host) return true;
    if (pattern.size() < 2 || pattern.compare(0, 2, "*.") != 0) return false;
    auto suffix = pattern.substr(1);  // ".suffix"
    return host.size() > suffix.size() &&
           host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Istio looks in the client's namespace, then the service's, then the root namespace
// (istio.io/latest/docs/ops/best-practices/traffic-management/#cross-namespace-configuration).
std::optional<RuleSubsets> destinationRuleFor(const Mesh& mesh, const std::string& host,
                                              const std::string& serviceNs, const std::string& clientNs) {
    if (auto r = ruleIn(mesh, clientNs, host, clientNs)) return r;
    if (!serviceNs.empty() && serviceNs != clientNs) {
        if (auto r = ruleIn(mesh, serviceNs, host, clientNs)) return r;
    }
    if (mesh.rootNamespace != clientNs && mesh.rootNamespace != serviceNs) {
        if (auto r = ruleIn(mesh, mesh.rootNamespace, host, clientNs)) return r;
    }
    return std::nullopt;
}

bool hostDefined(const Mesh& mesh, const std::string& host, const std::string& clientNs) {
    for (const auto* svc : mesh.services) {
        const auto* name = svc->at({"metadata", "name"});
        auto ns = namespaceOf(*svc, clientNs);
        if (name != nullptr && fqdn(name->str(), ns) == host &&
            visibleFrom(serviceExportTo(*svc), ns, clientNs))
            return true;
    }
    return !serviceEntryNamespace(mesh, host, clientNs).empty();
}

std::string serviceEntryNamespace(const Mesh& mesh, const std::string& host, const std::string& clientNs) {
    for (const auto* se : mesh.serviceEntries) {
        auto ns = namespaceOf(*se, clientNs);
        if (!visibleFrom(strings(se->at({"spec", "exportTo"})), ns, clientNs)) continue;
        for (const auto& h : strings(se->at({"spec", "hosts"}))) {
            if (hostMatches(fqdn(h, ns), host)) return ns;
        }
    }
    return "";
}

}  // namespace shift::core
