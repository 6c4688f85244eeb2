#include "core/subsets.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace shift::core {

std::string clientNamespace(const VirtualService& vs) { return vs.ns.empty() ? "default" : vs.ns; }

std::string hostNamespace(const Mesh& mesh, const std::string& host, const std::string& clientNs) {
    auto ns = serviceNamespace(host);
    return ns.empty() ? serviceEntryNamespace(mesh, host, clientNs) : ns;
}

namespace {

// Calls f(host, subset) for each subset the plans keep or add.
template <typename F>
void forEachSubset(const VirtualService& vs, const std::vector<RulePlan>& plans, F f) {
    for (const auto& plan : plans) {
        const Rule& rule = vs.rules.at(plan.rule);
        for (const auto& d : plan.destinations) {
            if (d.action == DestinationPlan::Action::Remove) continue;
            bool added = d.action == DestinationPlan::Action::Add;
            const std::string& subset = added ? d.subset : rule.route[d.from].subset;
            if (!subset.empty()) f(added ? d.host : rule.route[d.from].host, subset);
        }
    }
}

}  // namespace

std::vector<std::string> hostsWithoutRule(const VirtualService& vs, const std::vector<RulePlan>& plans,
                                          const Mesh& mesh) {
    auto client = clientNamespace(vs);
    std::vector<std::string> out;
    forEachSubset(vs, plans, [&](const std::string& host, const std::string&) {
        auto full = fqdn(host, client);
        if (std::find(out.begin(), out.end(), full) != out.end()) return;
        if (!destinationRuleFor(mesh, full, hostNamespace(mesh, full, client), client)) out.push_back(full);
    });
    return out;
}

Status checkSubsets(const VirtualService& vs, const std::vector<RulePlan>& plans, const Mesh& mesh) {
    if (mesh.subsets == Mesh::Check::No) return okStatus();
    auto client = clientNamespace(vs);
    Status status = okStatus();
    forEachSubset(vs, plans, [&](const std::string& host, const std::string& subset) {
        if (!status) return;
        auto full = fqdn(host, client);
        auto found = destinationRuleFor(mesh, full, hostNamespace(mesh, full, client), client);
        if (!found) {
            status = fail(fmt::format(
                "subset \"{}\" of host {}: no DestinationRule for {} in namespace {}, the service's or {} "
                "defines subsets; Istio would answer 503 — create one with subset {}, or pass --no-validate",
                subset, host, full, client, mesh.rootNamespace, subset));
        } else if (std::find(found->subsets.begin(), found->subsets.end(), subset) == found->subsets.end()) {
            status = fail(fmt::format(
                "subset \"{}\" of host {} is not defined by its DestinationRule (defined: {}); Istio would "
                "answer 503 — define it first, or pass --no-validate",
                subset, host,
                found->subsets.empty() ? std::string("none")
                                       : fmt::format("{}", fmt::join(found->subsets, ", "))));
        }
    });
    return status;
}

}  // namespace shift::core
