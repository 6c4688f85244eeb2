#include "core/reach.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/delegates.hpp"
#include "core/mesh.hpp"
#include "core/split_view.hpp"

namespace shift::core {

namespace {

// Splits beyond this many rules are summed up: a note is one line.
constexpr std::size_t kRulesShown = 3;

// spec.gateways, or {"mesh"} when absent or empty (Istio's default).
std::vector<std::string> gatewaysOf(const doc::Node& object) {
    std::vector<std::string> out;
    if (const auto* g = object.at({"spec", "gateways"}); g && g->isSeq())
        for (const auto& item : g->items) out.push_back(item.str());
    if (out.empty()) out.push_back("mesh");
    return out;
}

bool hasMesh(const std::vector<std::string>& gateways) {
    return std::find(gateways.begin(), gateways.end(), "mesh") != gateways.end();
}

// The first host of `vs` (in ns) that one of `other`'s (in otherNs) names, as a FQDN; "" when none.
std::string sharedHost(const VirtualService& vs, const VirtualService& other) {
    for (const auto& mine : vs.hosts) {
        auto a = fqdn(mine, vs.ns);
        for (const auto& theirs : other.hosts) {
            // An ingress VirtualService's "*" routes by path to whatever it names: listing it for every
            // host would drown the notes that matter.
            if (theirs == "*") continue;
            auto b = fqdn(theirs, other.ns);
            if (hostMatches(b, a) || hostMatches(a, b)) return a;
        }
    }
    return {};
}

// "http[0] v1=90,v2=10; http[1] delegates to team-a/reviews-api", at most kRulesShown rules.
std::string splitsOf(const VirtualService& vs) {
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < vs.rules.size() && i < kRulesShown; ++i) {
        const auto& rule = vs.rules[i];
        if (rule.route.empty() && !rule.delegate.empty())
            parts.push_back(fmt::format("{} delegates to {}", ruleLabel(rule), delegateOf(vs, rule)));
        else
            parts.push_back(fmt::format("{} {}", ruleLabel(rule), describeSplit(splitOf(vs, {i}).at(0))));
    }
    if (vs.rules.size() > kRulesShown)
        parts.push_back(fmt::format("{} more rule{}", vs.rules.size() - kRulesShown,
                                    vs.rules.size() - kRulesShown > 1 ? "s" : ""));
    return parts.empty() ? std::string("no rules") : fmt::format("{}", fmt::join(parts, "; "));
}

std::string boundTo(const std::vector<std::string>& gateways) {
    std::vector<std::string> real;
    for (const auto& g : gateways)
        if (g != "mesh") real.push_back(g);
    auto names = fmt::format("gateway{} {}", real.size() > 1 ? "s" : "", fmt::join(real, ", "));
    if (real.empty()) return "the mesh";
    return hasMesh(gateways) ? "the mesh and " + names : names;
}

std::string noteFor(const VirtualService& vs, const std::vector<std::string>& mine, const doc::Node& o,
                    const VirtualService& other, const std::string& host) {
    auto theirs = gatewaysOf(o);
    // The named object is for the mesh only, the other for gateways only: traffic that enters there
    // never meets this change.
    if (mine == std::vector<std::string>{"mesh"} && !hasMesh(theirs)) {
        return fmt::format("traffic to {} entering through {} follows VirtualService {} ({}), not {}", host,
                           boundTo(theirs), qualifiedName(other), splitsOf(other), qualifiedName(vs));
    }
    return fmt::format("VirtualService {} also routes {} for {} ({}); this change moves only {}",
                       qualifiedName(other), host, boundTo(theirs), splitsOf(other), qualifiedName(vs));
}

}  // namespace

bool exportedTo(const doc::Node& object, const std::string& owner, const std::string& ns) {
    const auto* e = object.at({"spec", "exportTo"});
    if (!e || !e->isSeq() || e->items.empty()) return true;
    for (const auto& item : e->items) {
        auto v = item.str();
        if (v == "*" || v == ns || (v == "." && owner == ns)) return true;
    }
    return false;
}

std::vector<std::string> reachNotes(const VirtualService& vs, const doc::Node& object,
                                    const std::vector<const doc::Node*>& others) {
    if (vs.kind != RouteKind::VirtualService || vs.hosts.empty()) return {};
    auto mine = gatewaysOf(object);
    std::vector<std::string> notes;
    for (const auto* o : others) {
        auto ns = namespaceOf(*o, vs.ns);
        const auto* name = o->at({"metadata", "name"});
        if (!name || (ns == vs.ns && name->str() == vs.name)) continue;
        if (ns != vs.ns && !exportedTo(*o, ns, vs.ns)) continue;
        auto other = readVirtualService(*o);
        if (!other) continue;
        other->ns = ns;
        auto host = sharedHost(vs, *other);
        if (!host.empty()) notes.push_back(noteFor(vs, mine, *o, *other, host));
    }
    return notes;
}

}  // namespace shift::core
