// The inputs of the subset check in cluster mode: which namespaces' DestinationRules can define the
// subsets a plan routes to, and reading them. One unit, so that reading more (Services,
// ServiceEntries) stays in one place.
#include <fmt/format.h>

#include <set>

#include "stores/kube_store.hpp"

namespace shift::stores {

namespace {

// Namespaces whose DestinationRules can define the subsets of the plan's hosts.
std::set<std::string> ruleNamespaces(const core::ShiftPlan& plan) {
    std::set<std::string> out{plan.vs.ns};
    for (const auto& rule : plan.rules) {
        for (const auto& d : rule.destinations) {
            const auto& host = d.action == core::DestinationPlan::Action::Add
                                   ? d.host
                                   : plan.vs.rules[rule.rule].route[d.from].host;
            auto full = core::fqdn(host, plan.vs.ns);
            auto dot = full.find('.');
            auto svc = full.find(".svc.");
            if (dot != std::string::npos && svc != std::string::npos && svc > dot) {
                out.insert(full.substr(dot + 1, svc - dot - 1));
            }
        }
    }
    return out;
}

bool addsDestinations(const core::ShiftPlan& plan) {
    for (const auto& rule : plan.rules) {
        for (const auto& d : rule.destinations) {
            if (d.action == core::DestinationPlan::Action::Add) return true;
        }
    }
    return false;
}

}  // namespace

// Subsets are checked only when the plan adds a destination: subsets already routed to were checked
// when they were added, and skipping saves a request. Unreadable rules are a warning, not an error.
Result<std::optional<app::Rules>> KubeStore::destinationRules(const core::ShiftPlan& plan) {
    lists_.clear();
    if (!addsDestinations(plan)) return std::optional<app::Rules>();
    for (const auto& ns : ruleNamespaces(plan)) {
        auto body = api_.listDestinationRules(ns);
        if (!body) {
            if (warn_) {
                warn_(fmt::format(
                    "subsets not checked: DestinationRules in namespace \"{}\" could not be read ({})", ns,
                    body.error().message));
            }
            return std::optional<app::Rules>();
        }
        auto list = doc::parseJson(std::move(*body), "DestinationRule list");
        if (!list) return list.error();
        lists_.push_back(std::move(*list));
    }
    app::Rules rules;
    for (const auto& list : lists_) {
        for (const auto* item : doc::objects(list)) rules.push_back(item);
    }
    return std::optional<app::Rules>(std::move(rules));
}

}  // namespace shift::stores
