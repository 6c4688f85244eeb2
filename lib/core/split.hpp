#pragma once
// The new weight split of one route rule: (current rule, request) -> plan.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/request.hpp"
#include "core/split_resolve.hpp"
#include "core/virtual_service.hpp"

namespace shift::core {

struct SplitOptions {
    bool keepZero = false;               // keep destinations at weight 0 instead of removing them
    bool explicitWeights = false;        // write `weight: 100` on a lone destination
    WeightSum sum = WeightSum::Unknown;  // what the target accepts: decides whether fractions can be written
    std::string sumWhy = {};  // how that was told, for messages ("istiod in istio-system runs 1.14")
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
    long long beforeMilli = 0;        // the shares in thousandths of a percent (99.5 % is 99500)
    long long afterMilli = 0;
};

struct RulePlan {
    std::size_t rule = 0;                       // index into VirtualService::rules
    std::vector<DestinationPlan> destinations;  // current ones in order, then added ones
    bool changed = false;
};

// The destination of a rule that KEY names now (nullopt: none, a request would add it); an error when
// the key is ambiguous or cannot name one.
Result<std::optional<std::size_t>> findDestination(const VirtualService& vs, const Rule& rule,
                                                   const std::string& key);

// Resolves the request (relative, pinned) against the rule, then plans it. A request finer than whole
// percentages is written as the smallest integer weights with the same ratio where the target
// accepts any total; elsewhere it is an error saying why.
Result<RulePlan> planSplit(const VirtualService& vs, std::size_t rule, const Request& request,
                           const SplitOptions& options);

}  // namespace shift::core
