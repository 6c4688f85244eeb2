#include "core/shift.hpp"

#include "core/select.hpp"
#include "core/subsets.hpp"

namespace shift::core {

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
        plan.changed = plan.changed || rulePlan->changed;
        plan.rules.push_back(std::move(*rulePlan));
    }
    if (destinationRules) {
        auto warnings = checkSubsets(plan.vs, plan.rules, *destinationRules);
        if (!warnings) return warnings.error();
        plan.warnings = std::move(*warnings);
    }
    return plan;
}

}  // namespace shift::core
