#pragma once
// The new weight split of one route rule: (current rule, request) -> plan.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/request.hpp"
#include "core/virtual_service.hpp"

namespace shift::core {

struct SplitOptions {
    bool keepZero = false;         // keep destinations at weight 0 instead of removing them
    bool explicitWeights = false;  // write `weight: 100` on a lone destination
};

struct DestinationPlan {
    enum class Action { Keep, Remove, Add };
    Action action = Action::Keep;
    std::size_t from = 0;  // Keep/Remove: index in the current route; Add: the destination it copies
    std::string key;       // how the summary names it (subset, host, or host/subset)
    std::string host;      // Add: the new destination's host
    std::string subset;    // Add: the new destination's subset ("" for none)
    // Add, for an HTTPRoute: the new backendRef's namespace and kind ("" : the route's, Service).
    std::string ns, backendKind;
    bool backendRef = false;          // the destination is an HTTPRoute backendRef
    std::optional<long long> before;  // weight field now (nullopt: absent)
    std::optional<long long> after;   // weight field to write (nullopt: omit it)
    long long beforeShare = 0;        // effective share of traffic now
    long long afterShare = 0;         // effective share after
};

struct RulePlan {
    std::size_t rule = 0;                       // index into VirtualService::rules
    std::vector<DestinationPlan> destinations;  // current ones in order, then added ones
    bool changed = false;
};

Result<RulePlan> planSplit(const VirtualService& vs, std::size_t rule, const Request& request,
                           const SplitOptions& options);

}  // namespace shift::core
