#include "core/virtual_service.hpp"

#include <fmt/format.h>

#include "core/http_route.hpp"

namespace shift::core {

const char* listName(RouteList list) {
    switch (list) {
        case RouteList::Http:
            return "http";
        case RouteList::Tcp:
            return "tcp";
        case RouteList::Tls:
            return "tls";
        case RouteList::Rules:
            return "rules";
    }
    return "http";
}

const char* routeField(RouteList list) { return list == RouteList::Rules ? "backendRefs" : "route"; }

RouteList defaultList(const VirtualService& vs) {
    return vs.kind == RouteKind::HTTPRoute ? RouteList::Rules : RouteList::Http;
}

std::optional<long long> parseInteger(const doc::Node& n) {
    if (!n.isScalar() || !n.isInteger()) return std::nullopt;
    try {
        return std::stoll(n.scalar, nullptr, 0);
    } catch (...) {
        return std::nullopt;
    }
}

namespace {

// "uri prefix /api, headers end-user exact jason": enough to tell rules apart.
std::string flatten(const doc::Node& n) {
    if (n.isScalar()) return n.str();
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < n.items.size(); ++i) {
        auto inner = flatten(n.items[i]);
        if (n.isMap()) inner = inner.empty() ? n.keys[i] : n.keys[i] + " " + inner;
        parts.push_back(std::move(inner));
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

std::string summarizeMatch(const doc::Node& match) {
    auto text = flatten(match);
    return text.empty() ? std::string("match") : text;
}

namespace {

Status readRules(const doc::Node& spec, RouteList list, std::vector<Rule>& rules) {
    const auto* seq = spec.get(listName(list));
    if (!seq || seq->isNull()) return okStatus();
    if (!seq->isSeq()) return fail(fmt::format("spec.{} is not a list; fix the manifest", listName(list)));
    for (std::size_t i = 0; i < seq->items.size(); ++i) {
        const auto& r = seq->items[i];
        std::string where = fmt::format("spec.{}[{}]", listName(list), i);
        if (!r.isMap()) return fail(fmt::format("{} is not a map; fix the manifest", where));
        Rule rule;
        rule.list = list;
        rule.index = i;
        if (const auto* name = r.get("name"); name && name->isScalar()) rule.name = name->str();
        if (const auto* match = r.get("match"); match && match->isSeq() && !match->items.empty()) {
            rule.hasMatch = true;
            rule.matchSummary = summarizeMatch(*match);
        }
        if (const auto* d = r.get("delegate"); d && d->isMap()) {
            const auto* ns = d->get("namespace");
            std::string name = d->get("name") ? d->get("name")->str() : std::string();
            rule.delegate = ns && !ns->str().empty() ? ns->str() + "/" + name : name;
        }
        const auto* route = r.get("route");
        if (route && route->isSeq()) {
            for (std::size_t d = 0; d < route->items.size(); ++d) {
                const auto& item = route->items[d];
                const auto* dest = item.isMap() ? item.get("destination") : nullptr;
                const auto* host = dest ? dest->get("host") : nullptr;
                if (!host || !host->isScalar()) {
                    return fail(
                        fmt::format("{}.route[{}] has no destination.host; fix the manifest", where, d));
                }
                Destination out;
                out.host = host->str();
                if (const auto* subset = dest->get("subset"); subset && subset->isScalar())
                    out.subset = subset->str();
                if (const auto* port = dest->at({"port", "number"})) out.port = parseInteger(*port);
                if (const auto* weight = item.get("weight"); weight && !weight->isNull()) {
                    out.weight = parseInteger(*weight);
                    if (!out.weight && !weight->isScalar()) {
                        return fail(
                            fmt::format("{}.route[{}].weight is a {}, not an integer; fix the manifest",
                                        where, d, weight->isSeq() ? "list" : "mapping"));
                    }
                    if (!out.weight) {
                        return fail(
                            fmt::format("{}.route[{}].weight \"{}\" is not an integer; fix the manifest",
                                        where, d, weight->str()));
                    }
                }
                rule.route.push_back(std::move(out));
            }
        }
        rules.push_back(std::move(rule));
    }
    return okStatus();
}

}  // namespace

Result<VirtualService> readVirtualService(const doc::Node& object) {
    if (const auto* kind = object.get("kind"); kind && kind->str() == "HTTPRoute")
        return readHTTPRoute(object);
    VirtualService vs;
    if (const auto* name = object.at({"metadata", "name"})) vs.name = name->str();
    if (const auto* ns = object.at({"metadata", "namespace"})) vs.ns = ns->str();
    const auto* spec = object.get("spec");
    if (!spec || !spec->isMap()) {
        return fail(fmt::format("VirtualService {} has no spec; fix the manifest", vs.name));
    }
    if (const auto* hosts = spec->get("hosts"); hosts && hosts->isSeq()) {
        for (const auto& h : hosts->items) vs.hosts.push_back(h.str());
    }
    for (auto list : {RouteList::Http, RouteList::Tcp, RouteList::Tls}) {
        if (auto st = readRules(*spec, list, vs.rules); !st) {
            return fail(fmt::format("VirtualService {}: {}", qualifiedName(vs), st.error().message));
        }
    }
    return vs;
}

std::string qualifiedName(const VirtualService& vs) {
    return vs.ns.empty() ? vs.name : vs.ns + "/" + vs.name;
}

std::string ruleLabel(const Rule& rule) {
    auto label = fmt::format("{}[{}]", listName(rule.list), rule.index);
    if (!rule.name.empty()) label += fmt::format(" (\"{}\")", rule.name);
    return label;
}

long long effectiveWeight(const Rule& rule, std::size_t i) {
    if (rule.list == RouteList::Rules) return effectiveShares(rule).at(i);
    const auto& w = rule.route[i].weight;
    if (w) return *w;
    return rule.route.size() == 1 ? 100 : 0;
}

std::string fqdn(const std::string& host, const std::string& ns) {
    if (host.find('.') != std::string::npos || host == "*") return host;
    return fmt::format("{}.{}.svc.cluster.local", host, ns.empty() ? "default" : ns);
}

bool sameHost(const std::string& a, const std::string& b, const std::string& ns) {
    return a == b || fqdn(a, ns) == fqdn(b, ns);
}

}  // namespace shift::core
