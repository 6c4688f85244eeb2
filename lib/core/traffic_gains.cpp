#include "core/traffic_gains.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/http_route.hpp"
#include "core/subsets.hpp"

namespace shift::core {

namespace {

// The destination a plan entry stands for: the route's for a kept or removed one, the new one's own.
Destination destinationOf(const VirtualService& vs, const RulePlan& rule, const DestinationPlan& d) {
    if (d.action != DestinationPlan::Action::Add) return vs.rules.at(rule.rule).route.at(d.from);
    Destination out;
    out.host = d.host;
    out.subset = d.subset;
    out.ns = d.ns;
    out.kind = d.backendKind;
    return out;
}

TrafficGain gainOf(const VirtualService& vs, const DestinationPlan& d, const Destination& dest) {
    auto client = clientNamespace(vs);
    if (vs.kind == RouteKind::HTTPRoute)
        return TrafficGain{d.key, dest.host, "", dest.ns.empty() ? client : dest.ns, true};
    auto host = fqdn(dest.host, client);
    return TrafficGain{d.key, host, dest.subset, serviceNamespace(host), false};
}

bool same(const TrafficGain& a, const TrafficGain& b) {
    return a.host == b.host && a.subset == b.subset && a.ns == b.ns;
}

// Whether any rule of the object still sends traffic to g once the plan is applied: the planned
// rules by their new shares, the others as they are.
bool stillRouted(const ShiftPlan& plan, const TrafficGain& g) {
    for (std::size_t r = 0; r < plan.vs.rules.size(); ++r) {
        auto planned = std::find_if(plan.rules.begin(), plan.rules.end(),
                                    [&](const RulePlan& p) { return p.rule == r; });
        if (planned != plan.rules.end()) {
            for (const auto& d : planned->destinations) {
                if (d.afterMilli > 0 && same(gainOf(plan.vs, d, destinationOf(plan.vs, *planned, d)), g))
                    return true;
            }
            continue;
        }
        const Rule& rule = plan.vs.rules[r];
        for (std::size_t i = 0; i < rule.route.size(); ++i) {
            DestinationPlan d;
            if (effectiveWeight(rule, i) > 0 && same(gainOf(plan.vs, d, rule.route[i]), g)) return true;
        }
    }
    return false;
}

}  // namespace

std::vector<TrafficGain> trafficGains(const ShiftPlan& plan) {
    std::vector<TrafficGain> out;
    for (const auto& rule : plan.rules) {
        for (const auto& d : rule.destinations) {
            if (d.beforeMilli > 0 || d.afterMilli <= 0) continue;
            auto dest = destinationOf(plan.vs, rule, d);
            if (!dest.kind.empty() && dest.kind != "Service") continue;
            auto g = gainOf(plan.vs, d, dest);
            if (std::none_of(out.begin(), out.end(), [&](const TrafficGain& o) { return same(o, g); }))
                out.push_back(std::move(g));
        }
    }
    return out;
}

std::vector<std::string> retireNotes(const ShiftPlan& plan) {
    std::vector<std::string> notes;
    std::vector<TrafficGain> seen;
    for (const auto& rule : plan.rules) {
        for (const auto& d : rule.destinations) {
            if (d.beforeMilli <= 0 || d.afterMilli > 0) continue;
            auto g = gainOf(plan.vs, d, destinationOf(plan.vs, rule, d));
            if (std::any_of(seen.begin(), seen.end(), [&](const TrafficGain& o) { return same(o, g); }))
                continue;
            seen.push_back(g);
            if (stillRouted(plan, g)) continue;
            std::string what = g.backendRef       ? fmt::format("Service {}", g.host)
                               : g.subset.empty() ? fmt::format("host {}", g.host)
                                                  : fmt::format("subset {} of {}", g.subset, g.host);
            notes.push_back(
                fmt::format("{} gets no traffic from {} {} now: it can be retired once its "
                            "connections drain",
                            what, kindName(plan.vs.kind), qualifiedName(plan.vs)));
        }
    }
    return notes;
}

}  // namespace shift::core
