#include "core/shift.hpp"

#include <fmt/format.h>

#include "core/select.hpp"
#include "core/subsets.hpp"

namespace shift::core {

namespace {

// The API server stores any integer weight; Istio then rejects or misroutes the
// route. Say so: the user's request replaces these weights.
std::optional<std::string> invalidWeights(const VirtualService& vs, const Rule& rule) {
    long long sum = 0;
    bool outOfRange = false;
    for (std::size_t i = 0; i < rule.route.size(); ++i) {
        auto w = effectiveWeight(rule, i);
        sum += w;
        outOfRange = outOfRange || w < 0 || w > 100;
    }
    if (!outOfRange && (rule.route.size() < 2 || sum == 100)) return std::nullopt;
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < rule.route.size(); ++i) {
        const auto& d = rule.route[i];
        parts.push_back(fmt::format("{}={}", d.subset.empty() ? d.host : d.subset, effectiveWeight(rule, i)));
    }
    return fmt::format("VirtualService {} {} has invalid weights now ({}: {}); this shift replaces them",
                       qualifiedName(vs), ruleLabel(rule), fmt::join(parts, " "),
                       outOfRange ? "each must be 0 to 100" : fmt::format("they sum to {}, not 100", sum));
}

}  // namespace

Result<ShiftPlan> planShift(const doc::Node& object, const Request& request, const ShiftOptions& options,
                            const std::vector<const doc::Node*>* destinationRules) {
    auto vs = readVirtualService(object);
    if (!vs) return vs.error();
    auto targets = selectRules(*vs, options.routes);
    if (!targets) return targets.error();
    ShiftPlan plan;
    plan.vs = std::move(*vs);
    for (auto rule : *targets) {
        auto rulePlan = planSplit(plan.vs, rule, request, options.split);
        if (!rulePlan) return rulePlan.error();
        if (auto w = invalidWeights(plan.vs, plan.vs.rules[rule])) plan.warnings.push_back(*w);
        plan.changed = plan.changed || rulePlan->changed;
        plan.rules.push_back(std::move(*rulePlan));
    }
    if (destinationRules) {
        auto warnings = checkSubsets(plan.vs, plan.rules, *destinationRules);
        if (!warnings) return warnings.error();
        // After the weight warnings, not instead of them: both are news to the user.
        plan.warnings.insert(plan.warnings.end(), warnings->begin(), warnings->end());
    }
    return plan;
}

}  // namespace shift::core
