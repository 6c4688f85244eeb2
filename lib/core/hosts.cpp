#include "core/hosts.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/subsets.hpp"

namespace shift::core {

namespace {

constexpr std::size_t kSuggestions = 3;

bool routesTo(const Rule& rule, const std::string& host, const std::string& ns) {
    return std::any_of(rule.route.begin(), rule.route.end(),
                       [&](const Destination& d) { return sameHost(d.host, host, ns); });
}

// The names a user could have meant, written the way they wrote theirs: short names for services
// in the VirtualService's namespace when they typed a short name, FQDNs otherwise.
std::vector<std::string> closestNames(const Mesh& mesh, const std::string& typed, const std::string& full,
                                      const std::string& client) {
    bool shortName = typed.find('.') == std::string::npos;
    std::string ns = serviceNamespace(full);
    std::vector<std::string> names;
    for (const auto* svc : mesh.services) {
        const auto* name = svc->at({"metadata", "name"});
        auto svcNs = namespaceOf(*svc, client);
        if (name == nullptr || (!ns.empty() && svcNs != ns)) continue;
        names.push_back(shortName && svcNs == client ? name->str() : fqdn(name->str(), svcNs));
    }
    for (const auto* se : mesh.serviceEntries) {
        if (const auto* hosts = se->at({"spec", "hosts"}); hosts != nullptr && hosts->isSeq())
            for (const auto& h : hosts->items) names.push_back(h.str());
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    auto rank = [&](const std::string& n) {
        bool contains = n.find(typed) != std::string::npos || typed.find(n) != std::string::npos;
        return std::make_pair(!contains, editDistance(n, typed));
    };
    std::stable_sort(names.begin(), names.end(),
                     [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
    if (names.size() > kSuggestions) names.resize(kSuggestions);
    return names;
}

// "v3" typed where the route's destinations have no subsets, but a DestinationRule of one of its
// hosts defines subset v3: the user meant HOST/v3.
std::string subsetHint(const Mesh& mesh, const Rule& rule, const std::string& typed,
                       const std::string& client) {
    if (typed.find('.') != std::string::npos) return "";
    for (const auto& d : rule.route) {
        auto full = fqdn(d.host, client);
        auto found = destinationRuleFor(mesh, full, hostNamespace(mesh, full, client), client);
        if (found && std::find(found->subsets.begin(), found->subsets.end(), typed) != found->subsets.end()) {
            return fmt::format("; \"{}\" is a subset of {} (DestinationRule {}): name it {}/{}", typed,
                               d.host, found->name, d.host, typed);
        }
    }
    return "";
}

}  // namespace

std::size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::vector<std::string> newHosts(const VirtualService& vs, const std::vector<RulePlan>& plans) {
    auto client = clientNamespace(vs);
    std::vector<std::string> out;
    for (const auto& plan : plans) {
        for (const auto& d : plan.destinations) {
            if (d.action != DestinationPlan::Action::Add || routesTo(vs.rules.at(plan.rule), d.host, client))
                continue;
            auto full = fqdn(d.host, client);
            if (std::find(out.begin(), out.end(), full) == out.end()) out.push_back(full);
        }
    }
    return out;
}

Result<std::vector<std::string>> checkHosts(const VirtualService& vs, const std::vector<RulePlan>& plans,
                                            const Mesh& mesh) {
    std::vector<std::string> warnings;
    if (mesh.hosts == Mesh::Check::No) return warnings;
    auto client = clientNamespace(vs);
    for (const auto& plan : plans) {
        const Rule& rule = vs.rules.at(plan.rule);
        for (const auto& d : plan.destinations) {
            if (d.action != DestinationPlan::Action::Add || routesTo(rule, d.host, client)) continue;
            auto full = fqdn(d.host, client);
            if (hostDefined(mesh, full, client)) continue;
            if (mesh.hosts == Mesh::Check::Warn) {
                warnings.push_back(
                    fmt::format("new host \"{}\" ({}) not checked: the input holds no Service or "
                                "ServiceEntry; Istio answers "
                                "503 (no healthy upstream) for a host that does not exist",
                                d.host, full));
                continue;
            }
            auto closest = closestNames(mesh, d.host, full, client);
            return fail(fmt::format(
                "VirtualService {} {}: host \"{}\" does not exist: no Service or ServiceEntry visible from "
                "namespace {} defines {}; Istio would answer 503 (no healthy upstream){}{} — fix the name, "
                "or "
                "pass --no-validate",
                qualifiedName(vs), ruleLabel(rule), d.host, client, full,
                closest.empty() ? std::string()
                                : fmt::format("; closest existing: {}", fmt::join(closest, ", ")),
                subsetHint(mesh, rule, d.host, client)));
        }
    }
    return warnings;
}

}  // namespace shift::core
