#include "stores/mesh_inputs.hpp"

#include <fmt/format.h>

#include <set>
#include <type_traits>

#include "core/hosts.hpp"
#include "core/subsets.hpp"
#include "core/traffic_gains.hpp"
#include "stores/kube_store.hpp"
#include "stores/reach_inputs.hpp"
#include "stores/workload_inputs.hpp"

namespace shift::stores {

core::Mesh meshFromFiles(const std::vector<const doc::Stream*>& streams) {
    core::Mesh mesh;
    for (const auto* s : streams) {
        core::collectKind(*s, "Service", mesh.services);
        core::collectKind(*s, "ServiceEntry", mesh.serviceEntries);
        core::collectKind(*s, "DestinationRule", mesh.destinationRules);
        core::collectKind(*s, "ReferenceGrant", mesh.referenceGrants);
    }
    bool servicesGiven = !mesh.services.empty() || !mesh.serviceEntries.empty();
    mesh.hosts = servicesGiven ? core::Mesh::Check::Yes : core::Mesh::Check::Warn;
    mesh.subsets = mesh.destinationRules.empty() ? core::Mesh::Check::No : core::Mesh::Check::Yes;
    return mesh;
}

namespace {

// Reads one list into `lists` and its items into out. false: it could not be read (the
// caller warns and skips the check); an Error: the answer was not JSON.
using Lister = Result<std::string> (kube::Api::*)(const std::string&);
Result<bool> readList(kube::Api& api, Lister list, const std::string& ns, const char* kind,
                      std::vector<doc::Stream>& lists, std::vector<const doc::Node*>& out, std::string& why) {
    auto body = (api.*list)(ns);
    if (!body) {
        why = fmt::format("{}s in namespace \"{}\" could not be read ({})", kind, ns, body.error().message);
        return false;
    }
    auto parsed = doc::parseJson(std::move(*body), fmt::format("{} list", kind));
    if (!parsed) return parsed.error();
    lists.push_back(std::move(*parsed));
    // Every item is of the list's kind; kube omits kind and apiVersion in the items of built-in lists.
    for (const auto* o : doc::objects(lists.back())) out.push_back(o);
    return true;
}

// Reads `kind` in each namespace into out; on the first failure warns "<what> not checked: ..." and
// answers false.
Result<bool> readLists(kube::Api& api, Lister list, const std::set<std::string>& namespaces, const char* kind,
                       const std::string& what, std::vector<doc::Stream>& lists,
                       std::vector<const doc::Node*>& out, const app::Warn& warn) {
    for (const auto& ns : namespaces) {
        std::string why;
        auto ok = readList(api, list, ns, kind, lists, out, why);
        if (!ok) return ok.error();
        if (!*ok) {
            if (warn) warn(fmt::format("{} not checked: {}", what, why));
            return false;
        }
    }
    return true;
}

// Services first (one list per namespace the new hosts name), ServiceEntries only for the rest.
Status readHosts(kube::Api& api, const core::ShiftPlan& plan, core::Mesh& mesh,
                 std::vector<doc::Stream>& lists, const app::Warn& warn) {
    auto hosts = core::newHosts(plan.vs, plan.rules);
    if (hosts.empty()) return okStatus();
    auto client = core::clientNamespace(plan.vs);
    std::set<std::string> serviceNs, entryNs{client, mesh.rootNamespace};
    // A name outside cluster.local ("reviews.istio-demo") is no Service, but the Services of the
    // VirtualService's namespace give the error its "closest existing" names.
    for (const auto& h : hosts) {
        auto ns = core::serviceNamespace(h);
        serviceNs.insert(ns.empty() ? client : ns);
    }
    std::string what = fmt::format("new host{} {}", hosts.size() > 1 ? "s" : "", fmt::join(hosts, ", "));
    auto ok =
        readLists(api, &kube::Api::listServices, serviceNs, "Service", what, lists, mesh.services, warn);
    if (!ok) return ok.error();
    bool missing = false;
    for (const auto& h : hosts) missing = missing || !core::hostDefined(mesh, h, client);
    if (*ok && missing) {
        entryNs.insert(serviceNs.begin(), serviceNs.end());
        ok = readLists(api, &kube::Api::listServiceEntries, entryNs, "ServiceEntry", what, lists,
                       mesh.serviceEntries, warn);
        if (!ok) return ok.error();
    }
    if (!*ok) mesh.hosts = core::Mesh::Check::No;
    return okStatus();
}

// Only when there are subsets to check or a host is unknown. The VirtualService's namespace first;
// the hosts' and the root namespace only for subsets whose DestinationRule is not there (Istio's
// lookup order).
Status readRules(kube::Api& api, const core::ShiftPlan& plan, core::Mesh& mesh,
                 std::vector<doc::Stream>& lists, const app::Warn& warn) {
    auto client = core::clientNamespace(plan.vs);
    // Needed for subsets to check, and for an unknown host's error (its key may be a subset).
    bool needed = !core::hostsWithoutRule(plan.vs, plan.rules, mesh).empty();
    for (const auto& h : core::newHosts(plan.vs, plan.rules))
        needed = needed || (mesh.hosts == core::Mesh::Check::Yes && !core::hostDefined(mesh, h, client));
    if (!needed) return okStatus();
    const std::string what = "subsets";
    auto ok = readLists(api, &kube::Api::listDestinationRules, {client}, "DestinationRule", what, lists,
                        mesh.destinationRules, warn);
    if (!ok) return ok.error();
    if (*ok) {
        std::set<std::string> more;
        for (const auto& h : core::hostsWithoutRule(plan.vs, plan.rules, mesh)) {
            if (auto ns = core::hostNamespace(mesh, h, client); !ns.empty() && ns != client) more.insert(ns);
            if (mesh.rootNamespace != client) more.insert(mesh.rootNamespace);
        }
        ok = readLists(api, &kube::Api::listDestinationRules, more, "DestinationRule", what, lists,
                       mesh.destinationRules, warn);
        if (!ok) return ok.error();
    }
    if (!*ok) mesh.subsets = core::Mesh::Check::No;
    return okStatus();
}

// An HTTPRoute: the Services of the namespaces its new backendRefs point to, and the ReferenceGrants
// of those other than the route's.
Status readBackends(kube::Api& api, const core::ShiftPlan& plan, core::Mesh& mesh,
                    std::vector<doc::Stream>& lists, const app::Warn& warn) {
    auto routeNs = core::clientNamespace(plan.vs);
    std::set<std::string> serviceNs, grantNs;
    std::vector<std::string> keys;
    for (const auto& rule : plan.rules) {
        for (const auto& d : rule.destinations) {
            if (d.action != core::DestinationPlan::Action::Add || d.afterShare <= 0) continue;
            if (!d.backendKind.empty() && d.backendKind != "Service") continue;
            serviceNs.insert(d.ns.empty() ? routeNs : d.ns);
            if (!d.ns.empty() && d.ns != routeNs) grantNs.insert(d.ns);
            keys.push_back(d.key);
        }
    }
    std::string what = fmt::format("new backendRef{} {}", keys.size() > 1 ? "s" : "", fmt::join(keys, ", "));
    auto ok =
        readLists(api, &kube::Api::listServices, serviceNs, "Service", what, lists, mesh.services, warn);
    if (!ok) return ok.error();
    if (!*ok) mesh.hosts = core::Mesh::Check::No;
    ok = readLists(api, &kube::Api::listReferenceGrants, grantNs, "ReferenceGrant",
                   "the ReferenceGrants for " + what, lists, mesh.referenceGrants, warn);
    if (!ok) return ok.error();
    if (!*ok) mesh.grants = core::Mesh::Check::No;
    return okStatus();
}

}  // namespace

Result<core::Mesh> readMesh(kube::Api& api, const core::ShiftPlan& plan,
                            const std::vector<core::TrafficGain>& gains, std::vector<doc::Stream>& lists,
                            const app::Warn& warn) {
    // The mesh points into the documents of lists, which stay in place when lists grows.
    static_assert(std::is_nothrow_move_constructible_v<doc::Stream>);
    core::Mesh mesh;
    if (plan.vs.kind == core::RouteKind::HTTPRoute) {
        if (auto st = readBackends(api, plan, mesh, lists, warn); !st) return st.error();
        if (auto st = readWorkloads(api, plan, gains, mesh, lists, warn); !st) return st.error();
        return mesh;
    }
    // Hosts first: a ServiceEntry found there tells which namespace its DestinationRules may be in.
    if (auto st = readHosts(api, plan, mesh, lists, warn); !st) return st.error();
    if (auto st = readRules(api, plan, mesh, lists, warn); !st) return st.error();
    if (auto st = readWorkloads(api, plan, gains, mesh, lists, warn); !st) return st.error();
    return mesh;
}

}  // namespace shift::stores

namespace shift::stores {

namespace {

bool addsDestinations(const core::ShiftPlan& plan) {
    for (const auto& rule : plan.rules) {
        for (const auto& d : rule.destinations) {
            if (d.action == core::DestinationPlan::Action::Add) return true;
        }
    }
    return false;
}

}  // namespace

// New hosts and subsets are checked only when the plan adds a destination (those already routed to
// were checked when they were added), Ready pods only when something starts getting traffic: a
// weight change among destinations that all carry traffic stays one GET and one PUT, and one LIST of
// the VirtualServices in reach when `reach` is set and the plan changes something.
Result<std::optional<core::Mesh>> KubeStore::mesh(const core::ShiftPlan& plan) {
    lists_.clear();
    auto gains = core::trafficGains(plan);
    bool needed = addsDestinations(plan) || !gains.empty();
    core::Mesh mesh;
    if (needed) {
        auto read = readMesh(api_, plan, gains, lists_, warn_);
        if (!read) return read.error();
        mesh = std::move(*read);
    } else {
        mesh.hosts = mesh.subsets = core::Mesh::Check::No;  // nothing new to check
    }
    if (reach && plan.changed)
        if (auto st = readReach(api_, plan.vs, mesh, lists_, warn_); !st) return st.error();
    if (!needed && mesh.reach != core::Mesh::Check::Yes) return std::optional<core::Mesh>();
    return std::optional<core::Mesh>(std::move(mesh));
}

}  // namespace shift::stores
