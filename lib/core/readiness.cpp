#include "core/readiness.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/subsets.hpp"

namespace shift::core {

namespace {

bool selects(const Labels& selector, const Labels& labels) {
    return std::all_of(selector.begin(), selector.end(), [&](const auto& kv) {
        auto it = labels.find(kv.first);
        return it != labels.end() && it->second == kv.second;
    });
}

const doc::Node* serviceOf(const Mesh& mesh, const std::string& ns, const std::string& name) {
    for (const auto* s : mesh.services) {
        const auto* n = s->at({"metadata", "name"});
        if (n && n->str() == name && namespaceOf(*s, "default") == ns) return s;
    }
    return nullptr;
}

// A pod is Ready when its Ready condition is True (kubectl's READY column, what Istio's endpoints
// follow).
bool podReady(const doc::Node& pod) {
    const auto* conditions = pod.at({"status", "conditions"});
    if (!conditions || !conditions->isSeq()) return false;
    return std::any_of(conditions->items.begin(), conditions->items.end(), [](const doc::Node& c) {
        const auto* type = c.get("type");
        const auto* status = c.get("status");
        return type && status && type->str() == "Ready" && status->str() == "True";
    });
}

// EndpointSlice endpoints: conditions.ready unset counts as ready (discovery.k8s.io/v1's rule).
std::size_t readyEndpoints(const doc::Node& slice) {
    const auto* endpoints = slice.get("endpoints");
    if (!endpoints || !endpoints->isSeq()) return 0;
    return static_cast<std::size_t>(
        std::count_if(endpoints->items.begin(), endpoints->items.end(), [](const doc::Node& e) {
            const auto* ready = e.at({"conditions", "ready"});
            return !ready || ready->isNull() || ready->str() == "true";
        }));
}

std::string what(const TrafficGain& g) {
    return g.subset.empty() ? fmt::format("host {}", g.host)
                            : fmt::format("subset {} of {}", g.subset, g.host);
}

Status checkPods(const VirtualService& vs, const Mesh& mesh, const TrafficGain& g) {
    auto selector = podSelector(vs, mesh, g);
    if (!selector) return okStatus();
    std::size_t matched = 0, ready = 0;
    for (const auto* pod : mesh.pods) {
        if (namespaceOf(*pod, "") != g.ns || !selects(*selector, stringMap(pod->at({"metadata", "labels"}))))
            continue;
        ++matched;
        if (podReady(*pod)) ++ready;
    }
    if (ready > 0) return okStatus();
    return fail(fmt::format(
        "{} has no Ready pod: selector {} matches {} pod{} in namespace {}, {} Ready; Istio would answer "
        "503 for its share — wait for the pods to be Ready (kubectl get pods -n {} -l {}), or pass "
        "--no-validate",
        what(g), selectorText(*selector), matched, matched == 1 ? "" : "s", g.ns, ready, g.ns,
        selectorText(*selector)));
}

Status checkEndpoints(const Mesh& mesh, const TrafficGain& g) {
    // No Service: the backend check already refused it, or could not tell.
    if (!serviceOf(mesh, g.ns, g.host)) return okStatus();
    std::size_t slices = 0, ready = 0;
    for (const auto* slice : mesh.endpointSlices) {
        const auto* owner = slice->at({"metadata", "labels", "kubernetes.io/service-name"});
        if (namespaceOf(*slice, "") != g.ns || !owner || owner->str() != g.host) continue;
        ++slices;
        ready += readyEndpoints(*slice);
    }
    if (ready > 0) return okStatus();
    return fail(fmt::format(
        "Service {} in namespace {} has no ready endpoints ({} EndpointSlice{} labelled "
        "kubernetes.io/service-name={}, 0 ready endpoints); the gateway would answer 503 for its share "
        "— wait for its pods to be Ready (kubectl get endpointslices -n {} -l "
        "kubernetes.io/service-name={}), "
        "or pass --no-validate",
        g.host, g.ns, slices, slices == 1 ? "" : "s", g.host, g.ns, g.host));
}

}  // namespace

std::optional<Labels> podSelector(const VirtualService& vs, const Mesh& mesh, const TrafficGain& g) {
    auto name = g.host.substr(0, g.host.find('.'));
    const auto* service = g.ns.empty() ? nullptr : serviceOf(mesh, g.ns, name);
    if (!service) return std::nullopt;
    auto selector = stringMap(service->at({"spec", "selector"}));
    if (selector.empty()) return std::nullopt;
    if (g.subset.empty()) return selector;
    auto client = clientNamespace(vs);
    auto rule = destinationRuleFor(mesh, g.host, g.ns, client);
    if (!rule) return std::nullopt;
    auto at = std::find(rule->subsets.begin(), rule->subsets.end(), g.subset);
    if (at == rule->subsets.end()) return std::nullopt;
    // Istio selects the subset's endpoints among the Service's: both sets of labels must hold.
    for (const auto& [k, v] : rule->labels[static_cast<std::size_t>(at - rule->subsets.begin())])
        selector[k] = v;
    return selector;
}

Labels commonLabels(const std::vector<Labels>& selectors) {
    if (selectors.empty()) return {};
    Labels out = selectors.front();
    for (const auto& s : selectors) {
        for (auto it = out.begin(); it != out.end();) {
            auto found = s.find(it->first);
            it = found == s.end() || found->second != it->second ? out.erase(it) : std::next(it);
        }
    }
    return out;
}

std::string selectorText(const Labels& selector) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : selector) parts.push_back(k + "=" + v);
    return fmt::format("{}", fmt::join(parts, ","));
}

Status checkReadiness(const ShiftPlan& plan, const Mesh& mesh) {
    if (mesh.ready != Mesh::Check::Yes) return okStatus();
    for (const auto& g : trafficGains(plan)) {
        auto st = g.backendRef ? checkEndpoints(mesh, g) : checkPods(plan.vs, mesh, g);
        if (!st) return st;
    }
    return okStatus();
}

}  // namespace shift::core
