#include "core/plan.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/backend_check.hpp"
#include "core/coverage.hpp"
#include "core/hosts.hpp"
#include "core/http_route.hpp"
#include "core/readiness.hpp"
#include "core/select.hpp"
#include "core/subsets.hpp"
#include "core/traffic_gains.hpp"

namespace shift::core {

namespace {

std::optional<std::string> invalidBackendWeights(const VirtualService& vs, const Rule& rule);

// The API server stores any integer weight; Istio then rejects or misroutes the
// route. Say so: the user's request replaces these weights.
std::optional<std::string> invalidWeights(const VirtualService& vs, const Rule& rule, WeightSum semantics) {
    if (vs.kind == RouteKind::HTTPRoute) return invalidBackendWeights(vs, rule);
    long long sum = 0;
    bool outOfRange = false;
    for (std::size_t i = 0; i < rule.route.size(); ++i) {
        auto w = effectiveWeight(rule, i);
        sum += w;
        outOfRange = outOfRange || w < 0 || w > 100;
    }
    if (!outOfRange && (rule.route.size() < 2 || sum == 100)) return std::nullopt;
    // Istio 1.15+ takes any positive total as a ratio.
    if (semantics == WeightSum::AnyTotal && sum > 0 &&
        std::none_of(rule.route.begin(), rule.route.end(),
                     [](const Destination& d) { return d.weight.value_or(0) < 0; }))
        return std::nullopt;
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < rule.route.size(); ++i) {
        const auto& d = rule.route[i];
        parts.push_back(fmt::format("{}={}", d.subset.empty() ? d.host : d.subset, effectiveWeight(rule, i)));
    }
    return fmt::format("VirtualService {} {} has invalid weights now ({}: {}); this shift replaces them",
                       qualifiedName(vs), ruleLabel(rule), fmt::join(parts, " "),
                       outOfRange ? "each must be 0 to 100" : fmt::format("they sum to {}, not 100", sum));
}

// HTTPRoute weights are relative: any sum is valid, only the range (0 to 1000000) is not.
std::optional<std::string> invalidBackendWeights(const VirtualService& vs, const Rule& rule) {
    std::vector<std::string> parts;
    for (const auto& d : rule.route) {
        if (d.weight && (*d.weight < 0 || *d.weight > kMaxBackendWeight))
            parts.push_back(fmt::format("{}={}", backendKey(d, vs.ns), *d.weight));
    }
    if (parts.empty()) return std::nullopt;
    return fmt::format(
        "HTTPRoute {} {} has invalid weights now ({}: each must be 0 to {}); this shift "
        "replaces them",
        qualifiedName(vs), ruleLabel(rule), fmt::join(parts, " "), kMaxBackendWeight);
}

// A full request drops every destination it does not name; say so for those still carrying
// traffic, so a forgotten key is not a silent outage. A key naming it (even as =0) is explicit.
void noteDropped(const Request& request, const RulePlan& plan, std::vector<std::string>& warnings) {
    for (const auto& d : plan.destinations) {
        if (d.action == DestinationPlan::Action::Add || d.beforeShare <= 0 || d.afterShare > 0) continue;
        bool named = std::any_of(request.weights.begin(), request.weights.end(),
                                 [&](const WeightSpec& w) { return w.key == d.key; });
        if (named) continue;
        warnings.push_back(
            fmt::format("{} ({}%) is not in the request and is {}; name it as {}=0 to make that "
                        "explicit",
                        d.key, d.beforeShare,
                        d.action == DestinationPlan::Action::Remove ? "removed" : "set to 0", d.key));
    }
}

}  // namespace

Result<std::vector<std::string>> checkDestinations(const ShiftPlan& plan, const Mesh& mesh) {
    if (plan.vs.kind == RouteKind::HTTPRoute) {
        auto warnings = checkBackends(plan.vs, plan.rules, mesh);
        if (!warnings) return warnings.error();
        if (auto st = checkReadiness(plan, mesh); !st) return st.error();
        return warnings;
    }
    auto warnings = checkHosts(plan.vs, plan.rules, mesh);
    if (!warnings) return warnings.error();
    if (auto st = checkSubsets(plan.vs, plan.rules, mesh); !st) return st.error();
    // After the subsets: a subset that is not defined selects no pods for a reason said better there.
    if (auto st = checkReadiness(plan, mesh); !st) return st.error();
    return warnings;
}

Result<ShiftPlan> planShift(const doc::Node& object, const Request& request, const ShiftOptions& options,
                            const Mesh* mesh) {
    auto vs = readVirtualService(object);
    if (!vs) return vs.error();
    auto targets = selectRules(*vs, options.routes);
    if (!targets) return targets.error();
    ShiftPlan plan;
    plan.vs = std::move(*vs);
    for (auto rule : *targets) {
        auto rulePlan = planSplit(plan.vs, rule, request, options.split);
        if (!rulePlan) return rulePlan.error();
        if (auto w = invalidWeights(plan.vs, plan.vs.rules[rule], options.split.sum))
            plan.warnings.push_back(*w);
        // --adjust and --equal name every destination they change; only a KEY=WEIGHT list forgets one.
        if (!options.wholeSplit && request.mode == RequestMode::Absolute)
            noteDropped(request, *rulePlan, plan.warnings);
        plan.changed = plan.changed || rulePlan->changed;
        plan.rules.push_back(std::move(*rulePlan));
    }
    if (mesh) {
        auto warnings = checkDestinations(plan, *mesh);
        if (!warnings) return warnings.error();
        // After the weight warnings, not instead of them: both are news to the user.
        plan.warnings.insert(plan.warnings.end(), warnings->begin(), warnings->end());
    }
    for (auto& note : shadowNotes(plan.vs, options.routes)) plan.warnings.push_back(std::move(note));
    plan.notes = coverageNotes(object);
    for (auto& note : retireNotes(plan)) plan.notes.push_back(std::move(note));
    return plan;
}

}  // namespace shift::core
