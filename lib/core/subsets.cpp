#include "core/subsets.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace shift::core {

namespace {

struct Defined {
    bool found = false;
    std::vector<std::string> subsets;
};

Defined definedSubsets(const std::string& host, const std::string& vsNamespace,
                       const std::vector<const doc::Node*>& rules) {
    Defined out;
    for (const auto* dr : rules) {
        const auto* drHost = dr->at({"spec", "host"});
        if (!drHost) continue;
        std::string drNamespace = vsNamespace;
        if (const auto* ns = dr->at({"metadata", "namespace"}); ns && !ns->str().empty())
            drNamespace = ns->str();
        if (fqdn(drHost->str(), drNamespace) != fqdn(host, vsNamespace)) continue;
        out.found = true;
        if (const auto* subsets = dr->at({"spec", "subsets"}); subsets && subsets->isSeq()) {
            for (const auto& s : subsets->items) {
                if (const auto* name = s.get("name")) out.subsets.push_back(name->str());
            }
        }
    }
    return out;
}

}  // namespace

Result<std::vector<std::string>> checkSubsets(const VirtualService& vs, const std::vector<RulePlan>& plans,
                                              const std::vector<const doc::Node*>& destinationRules) {
    std::vector<std::pair<std::string, std::vector<std::string>>> unchecked;  // host -> subsets
    for (const auto& plan : plans) {
        const Rule& rule = vs.rules.at(plan.rule);
        for (const auto& d : plan.destinations) {
            if (d.action == DestinationPlan::Action::Remove) continue;
            bool added = d.action == DestinationPlan::Action::Add;
            const std::string& host = added ? d.host : rule.route[d.from].host;
            const std::string& subset = added ? d.subset : rule.route[d.from].subset;
            if (subset.empty()) continue;
            auto defined = definedSubsets(host, vs.ns, destinationRules);
            if (!defined.found) {
                auto it = std::find_if(unchecked.begin(), unchecked.end(),
                                       [&](auto& u) { return u.first == host; });
                if (it == unchecked.end()) it = unchecked.insert(unchecked.end(), {host, {}});
                if (std::find(it->second.begin(), it->second.end(), subset) == it->second.end()) {
                    it->second.push_back(subset);
                }
                continue;
            }
            if (std::find(defined.subsets.begin(), defined.subsets.end(), subset) == defined.subsets.end()) {
                return fail(fmt::format(
                    "subset \"{}\" of host {} is not defined by its DestinationRule (defined: "
                    "{}); Istio would answer 503 — define it first, or pass --no-validate",
                    subset, host,
                    defined.subsets.empty() ? std::string("none")
                                            : fmt::format("{}", fmt::join(defined.subsets, ", "))));
            }
        }
    }
    std::vector<std::string> warnings;
    for (const auto& [host, subsets] : unchecked) {
        warnings.push_back(fmt::format("no DestinationRule for host {} found; subset{} {} not checked", host,
                                       subsets.size() > 1 ? "s" : "", fmt::join(subsets, ", ")));
    }
    return warnings;
}

}  // namespace shift::core
