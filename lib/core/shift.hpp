#pragma once
// The whole computation: (VirtualService object, request) -> plan, no I/O.
#include <optional>
#include <string>
#include <vector>

#include "core/request.hpp"
#include "core/split.hpp"
#include "core/virtual_service.hpp"
#include "doc/node.hpp"

namespace shift::core {

struct ShiftOptions {
    std::vector<std::string> routes;  // --route selectors
    SplitOptions split;
};

struct ShiftPlan {
    VirtualService vs;
    std::vector<RulePlan> rules;        // one per targeted rule
    std::vector<std::string> warnings;  // e.g. subsets that could not be checked
    bool changed = false;
};

// destinationRules: the DestinationRules to check subsets against; nullptr
// skips the check (--no-validate).
Result<ShiftPlan> planShift(const doc::Node& object, const Request& request, const ShiftOptions& options,
                            const std::vector<const doc::Node*>* destinationRules);

}  // namespace shift::core
