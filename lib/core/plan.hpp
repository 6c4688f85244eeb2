#pragma once
// The whole computation: (VirtualService object, request) -> plan, no I/O.
#include <optional>
#include <string>
#include <vector>

#include "core/mesh.hpp"
#include "core/request.hpp"
#include "core/split.hpp"
#include "core/virtual_service.hpp"
#include "doc/node.hpp"

namespace shift::core {

struct ShiftOptions {
    std::vector<std::string> routes;  // --route selectors
    SplitOptions split;
    // The request is a recorded whole split (undo): dropping what it does not name is the point, so
    // no warning says so.
    bool wholeSplit = false;
};

struct ShiftPlan {
    VirtualService vs;
    std::vector<RulePlan> rules;        // one per targeted rule
    std::vector<std::string> warnings;  // e.g. invalid weights now, destinations dropped unnamed
    // For the cluster: a gateway-only binding (coverageNotes), subsets left without traffic (retireNotes).
    std::vector<std::string> notes;
    bool changed = false;
};

// mesh: the Services, ServiceEntries and DestinationRules to check new hosts and subsets against
// (checkDestinations); nullptr skips the checks (--no-validate, or nothing gathered yet).
Result<ShiftPlan> planShift(const doc::Node& object, const Request& request, const ShiftOptions& options,
                            const Mesh* mesh);

// Checks what the plan routes to against the mesh: new hosts must exist, subsets must be defined, and
// what starts getting traffic must have Ready pods (readiness.hpp, when the mesh holds them).
// Returns warnings for what could not be checked.
Result<std::vector<std::string>> checkDestinations(const ShiftPlan& plan, const Mesh& mesh);

}  // namespace shift::core
