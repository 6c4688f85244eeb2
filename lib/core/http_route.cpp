#include "core/http_route.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <numeric>

namespace shift::core {

namespace {

std::string field(const doc::Node& n, std::string_view key) {
    const auto* v = n.get(key);
    return v && v->isScalar() && !v->isNull() ? v->str() : std::string();
}

Result<Destination> readBackendRef(const doc::Node& ref, const std::string& where) {
    if (!ref.isMap()) return fail(fmt::format("{} is not a map; fix the manifest", where));
    Destination d;
    d.host = field(ref, "name");
    if (d.host.empty()) return fail(fmt::format("{} has no name; fix the manifest", where));
    d.ns = field(ref, "namespace");
    d.kind = field(ref, "kind");
    d.group = field(ref, "group");
    if (const auto* port = ref.get("port"); port && !port->isNull()) d.port = parseInteger(*port);
    if (const auto* weight = ref.get("weight"); weight && !weight->isNull()) {
        d.weight = parseInteger(*weight);
        if (!d.weight) {
            return fail(fmt::format("{}.weight \"{}\" is not an integer; fix the manifest", where,
                                    weight->isScalar() ? weight->str() : std::string("...")));
        }
    }
    return d;
}

// The API server defaults a rule's `matches` to one PathPrefix "/" match (the CRD's default): that
// rule matches every request, as one written without matches does.
bool matchesEverything(const doc::Node& matches) {
    if (matches.items.size() != 1 || !matches.items[0].isMap() || matches.items[0].keys.size() != 1)
        return false;
    const auto* path = matches.items[0].get("path");
    if (!path || !path->isMap()) return false;
    auto type = field(*path, "type");
    auto value = field(*path, "value");
    return (type.empty() || type == "PathPrefix") && (value.empty() || value == "/") &&
           path->keys.size() <= 2;
}

}  // namespace

Result<VirtualService> readHTTPRoute(const doc::Node& object) {
    VirtualService route;
    route.kind = RouteKind::HTTPRoute;
    if (const auto* name = object.at({"metadata", "name"})) route.name = name->str();
    if (const auto* ns = object.at({"metadata", "namespace"})) route.ns = ns->str();
    const auto* spec = object.get("spec");
    if (!spec || !spec->isMap())
        return fail(fmt::format("HTTPRoute {} has no spec; fix the manifest", route.name));
    if (const auto* hosts = spec->get("hostnames"); hosts && hosts->isSeq()) {
        for (const auto& h : hosts->items) route.hosts.push_back(h.str());
    }
    const auto* rules = spec->get("rules");
    if (!rules || rules->isNull()) return route;
    if (!rules->isSeq())
        return fail(
            fmt::format("HTTPRoute {}: spec.rules is not a list; fix the manifest", qualifiedName(route)));
    for (std::size_t i = 0; i < rules->items.size(); ++i) {
        const auto& r = rules->items[i];
        std::string where = fmt::format("spec.rules[{}]", i);
        if (!r.isMap())
            return fail(
                fmt::format("HTTPRoute {}: {} is not a map; fix the manifest", qualifiedName(route), where));
        Rule rule;
        rule.list = RouteList::Rules;
        rule.index = i;
        rule.name = field(r, "name");
        if (const auto* matches = r.get("matches");
            matches && matches->isSeq() && !matches->items.empty() && !matchesEverything(*matches)) {
            rule.hasMatch = true;
            rule.matchSummary = summarizeMatch(*matches);
        }
        if (const auto* refs = r.get("backendRefs"); refs && refs->isSeq()) {
            for (std::size_t b = 0; b < refs->items.size(); ++b) {
                auto d = readBackendRef(refs->items[b], fmt::format("{}.backendRefs[{}]", where, b));
                if (!d) return fail(fmt::format("HTTPRoute {}: {}", qualifiedName(route), d.error().message));
                rule.route.push_back(std::move(*d));
            }
        }
        route.rules.push_back(std::move(rule));
    }
    return route;
}

std::vector<long long> effectiveShares(const Rule& rule) {
    std::vector<long long> weights;
    for (const auto& d : rule.route) weights.push_back(std::max(0LL, d.weight.value_or(1)));
    long long sum = std::accumulate(weights.begin(), weights.end(), 0LL);
    std::vector<long long> shares(weights.size(), 0);
    if (sum == 0) return shares;
    std::vector<long long> remainder(weights.size(), 0);
    long long given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        shares[i] = weights[i] * 100 / sum;
        remainder[i] = weights[i] * 100 % sum;
        given += shares[i];
    }
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
    for (std::size_t k = 0; given < 100 && k < order.size(); ++k, ++given) ++shares[order[k]];
    return shares;
}

bool isServiceRef(const Destination& d) {
    return (d.kind.empty() || d.kind == "Service") && (d.group.empty() || d.group == "core");
}

std::string backendKey(const Destination& d, const std::string& routeNs) {
    if (!isServiceRef(d)) return d.kind + "/" + d.host;
    if (!d.ns.empty() && d.ns != routeNs) return d.ns + "/" + d.host;
    return d.host;
}

BackendKey parseBackendKey(const std::string& key) {
    auto slash = key.find('/');
    if (slash == std::string::npos) return {key, "", ""};
    auto prefix = key.substr(0, slash);
    auto name = key.substr(slash + 1);
    if (!prefix.empty() && std::isupper(static_cast<unsigned char>(prefix[0]))) return {name, "", prefix};
    return {name, prefix, ""};
}

bool namesBackend(const BackendKey& key, const Destination& d, const std::string& routeNs) {
    if (key.name != d.host) return false;
    auto refNs = d.ns.empty() ? routeNs : d.ns;
    auto keyNs = key.ns.empty() ? routeNs : key.ns;
    if (refNs != keyNs) return false;
    if (key.kind.empty() || key.kind == "Service") return isServiceRef(d);
    return d.kind == key.kind;
}

}  // namespace shift::core
