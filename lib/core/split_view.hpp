#pragma once
// The split a VirtualService carries now, rule by rule: what `shift get` shows, what `--expect`
// compares against, and what the history records.
#include <optional>
#include <string>
#include <vector>

#include "core/request.hpp"
#include "core/virtual_service.hpp"

namespace shift::core {

struct Share {
    std::string key;  // how requests name it: the subset, or the host where the route has no subsets
    std::string host;
    std::string subset;
    std::optional<long long> port;
    long long weight = 0;  // effective: a lone destination without weight is 100
    // The share in thousandths of a percent where weights are a ratio (an HTTPRoute; a VirtualService
    // whose weights do not sum to 100, as Istio 1.15+ reads them): 199/1 is 99500/500.
    std::optional<long long> milli = std::nullopt;

    bool operator==(const Share&) const = default;
};

struct RuleSplit {
    std::string rule;  // "http[0]" (the rule's position, stable across renames)
    std::string name;  // the rule's name, "" when it has none
    std::vector<Share> destinations;

    bool operator==(const RuleSplit&) const = default;
};

// The split of the given rules (indexes into vs.rules), in order.
std::vector<RuleSplit> splitOf(const VirtualService& vs, const std::vector<std::size_t>& rules);

// "v1=75,v3=25": how a rule's split reads in messages and SHIFT_SPLIT.
std::string describeSplit(const RuleSplit& split);

// Whether a rule's split is exactly `expected` (each listed key at its weight, every destination
// with traffic listed; destinations at 0 may be left out). Keys match as requests name them.
bool splitMatches(const RuleSplit& split, const Request& expected);

}  // namespace shift::core
