#include "core/backend_check.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/http_route.hpp"

namespace shift::core {

namespace {

std::string text(const doc::Node& n, std::string_view key) {
    const auto* v = n.get(key);
    return v && v->isScalar() && !v->isNull() ? v->str() : std::string();
}

bool serviceExists(const Mesh& mesh, const std::string& ns, const std::string& name) {
    return std::any_of(mesh.services.begin(), mesh.services.end(), [&](const doc::Node* s) {
        const auto* n = s->at({"metadata", "name"});
        return n && n->str() == name && namespaceOf(*s, "default") == ns;
    });
}

// The backendRefs a plan adds with traffic: those already routed to were checked when they were added
// (as new hosts of a VirtualService are).
std::vector<Destination> added(const VirtualService& route, const RulePlan& plan) {
    std::vector<Destination> out;
    for (const auto& d : plan.destinations) {
        if (d.action != DestinationPlan::Action::Add || d.afterShare <= 0) continue;
        Destination ref;
        ref.host = d.host;
        ref.ns = d.ns;
        ref.kind = d.backendKind;
        // A new ref of another kind copies the group of one of that kind.
        if (!d.backendKind.empty()) ref.group = route.rules.at(plan.rule).route.at(d.from).group;
        out.push_back(std::move(ref));
    }
    return out;
}

}  // namespace

bool referenceGranted(const Mesh& mesh, const std::string& routeNs, const std::string& serviceNs,
                      const std::string& name) {
    // ReferenceGrant spec: `from` entries (group, kind, namespace) and `to` entries (group, kind,
    // optional name), all in the namespace of the referent.
    for (const auto* grant : mesh.referenceGrants) {
        if (namespaceOf(*grant, "default") != serviceNs) continue;
        const auto* from = grant->at({"spec", "from"});
        const auto* to = grant->at({"spec", "to"});
        if (!from || !to || !from->isSeq() || !to->isSeq()) continue;
        bool fromOk = std::any_of(from->items.begin(), from->items.end(), [&](const doc::Node& f) {
            return text(f, "group") == kGatewayGroup && text(f, "kind") == "HTTPRoute" &&
                   text(f, "namespace") == routeNs;
        });
        bool toOk = std::any_of(to->items.begin(), to->items.end(), [&](const doc::Node& t) {
            auto granted = text(t, "name");
            return text(t, "group").empty() && text(t, "kind") == "Service" &&
                   (granted.empty() || granted == name);
        });
        if (fromOk && toOk) return true;
    }
    return false;
}

Result<std::vector<std::string>> checkBackends(const VirtualService& route,
                                               const std::vector<RulePlan>& plans, const Mesh& mesh) {
    std::vector<std::string> warnings;
    auto routeNs = route.ns.empty() ? std::string("default") : route.ns;
    for (const auto& plan : plans) {
        const Rule& rule = route.rules.at(plan.rule);
        for (const auto& ref : added(route, plan)) {
            if (!isServiceRef(ref)) continue;  // other backends (e.g. an InferencePool) are not ours to check
            auto ns = ref.ns.empty() ? routeNs : ref.ns;
            auto key = backendKey(ref, route.ns);
            if (mesh.hosts == Mesh::Check::Warn) {
                warnings.push_back(
                    fmt::format("backendRef \"{}\" not checked: the input holds no Service; the "
                                "Gateway API answers 500 for a Service that does not exist",
                                key));
            } else if (mesh.hosts == Mesh::Check::Yes && !serviceExists(mesh, ns, ref.host)) {
                return fail(
                    fmt::format("HTTPRoute {} {}: backendRef \"{}\": Service {}/{} does not exist; the "
                                "Gateway API would answer 500 for its share — fix the name, or pass "
                                "--no-validate",
                                qualifiedName(route), ruleLabel(rule), key, ns, ref.host));
            }
            if (ns == routeNs || mesh.grants == Mesh::Check::No) continue;
            if (!referenceGranted(mesh, routeNs, ns, ref.host)) {
                warnings.push_back(fmt::format(
                    "backendRef \"{}\" of HTTPRoute {} points to namespace {}, and no ReferenceGrant there "
                    "allows HTTPRoutes of {} to use Service {}: the Gateway API refuses the ref until one "
                    "does",
                    key, qualifiedName(route), ns, routeNs, ref.host));
            }
        }
    }
    return warnings;
}

}  // namespace shift::core
