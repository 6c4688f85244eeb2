#include "stores/workload_inputs.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/readiness.hpp"
#include "core/traffic_gains.hpp"

namespace shift::stores {

namespace {

using Reader = std::function<Result<std::string>()>;

// One list into `lists` and its items into out; false (with why) when it could not be read.
Result<bool> readInto(const Reader& read, const std::string& what, std::vector<doc::Stream>& lists,
                      std::vector<const doc::Node*>& out, std::string& why) {
    auto body = read();
    if (!body) {
        why = fmt::format("{} could not be read ({})", what, body.error().message);
        return false;
    }
    auto parsed = doc::parseJson(std::move(*body), what);
    if (!parsed) return parsed.error();
    lists.push_back(std::move(*parsed));
    for (const auto* o : doc::objects(lists.back())) out.push_back(o);
    return true;
}

std::string serviceName(const core::TrafficGain& g) {
    return g.backendRef ? g.host : g.host.substr(0, g.host.find('.'));
}

bool haveService(const core::Mesh& mesh, const std::string& ns, const std::string& name) {
    for (const auto* s : mesh.services) {
        const auto* n = s->at({"metadata", "name"});
        if (n && n->str() == name && core::namespaceOf(*s, "default") == ns) return true;
    }
    return false;
}

std::string described(const std::vector<core::TrafficGain>& gains) {
    std::vector<std::string> parts;
    for (const auto& g : gains) {
        if (g.backendRef)
            parts.push_back("Service " + g.host);
        else
            parts.push_back(g.subset.empty() ? "host " + g.host : "subset " + g.subset + " of " + g.host);
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

using Reads = std::vector<std::pair<std::string, Reader>>;

// The Services of the gains the mesh does not hold yet: one LIST per namespace.
Reads serviceReads(kube::Api& api, const std::vector<core::TrafficGain>& gains, const core::Mesh& mesh) {
    Reads out;
    std::set<std::string> serviceNs;
    for (const auto& g : gains) {
        if (g.ns.empty() || haveService(mesh, g.ns, serviceName(g)) || !serviceNs.insert(g.ns).second)
            continue;
        out.emplace_back(fmt::format("Services in namespace \"{}\"", g.ns),
                         [&api, ns = g.ns] { return api.listServices(ns); });
    }
    return out;
}

}  // namespace

Status readWorkloads(kube::Api& api, const core::ShiftPlan& plan, const std::vector<core::TrafficGain>& gains,
                     core::Mesh& mesh, std::vector<doc::Stream>& lists, const app::Warn& warn) {
    if (gains.empty()) return okStatus();
    auto notChecked = [&](const std::string& why) {
        auto what = plan.vs.kind == core::RouteKind::HTTPRoute ? "ready endpoints" : "Ready pods";
        if (warn) warn(fmt::format("{} of {} not checked: {}", what, described(gains), why));
        return okStatus();
    };
    // The host check could not read the Services: nothing tells which pods serve them.
    if (mesh.hosts == core::Mesh::Check::No) return notChecked("the Services could not be read");
    for (const auto& [what, read] : serviceReads(api, gains, mesh)) {
        std::string why;
        auto ok = readInto(read, what, lists, mesh.services, why);
        if (!ok) return ok.error();
        if (!*ok) return notChecked(why);
    }
    Reads reads;
    if (plan.vs.kind == core::RouteKind::HTTPRoute) {
        for (const auto& g : gains) {
            auto selector = "kubernetes.io/service-name=" + g.host;
            reads.emplace_back(
                fmt::format("EndpointSlices of Service \"{}\" in namespace \"{}\"", g.host, g.ns),
                [&api, ns = g.ns, selector] { return api.listEndpointSlices(ns, selector); });
        }
    } else {
        std::map<std::string, std::vector<core::Labels>> selectors;
        for (const auto& g : gains) {
            if (auto s = core::podSelector(plan.vs, mesh, g)) selectors[g.ns].push_back(std::move(*s));
        }
        for (const auto& [ns, list] : selectors) {
            auto selector = core::selectorText(core::commonLabels(list));
            reads.emplace_back(fmt::format("Pods in namespace \"{}\"", ns),
                               [&api, ns = ns, selector] { return api.listPods(ns, selector); });
        }
    }
    for (const auto& [what, read] : reads) {
        std::string why;
        auto& out = plan.vs.kind == core::RouteKind::HTTPRoute ? mesh.endpointSlices : mesh.pods;
        auto ok = readInto(read, what, lists, out, why);
        if (!ok) return ok.error();
        if (!*ok) return notChecked(why);
    }
    mesh.ready = core::Mesh::Check::Yes;
    return okStatus();
}

}  // namespace shift::stores
