#pragma once
// Relative requests and pinned destinations, resolved against a rule's current split into the
// absolute request the split planner writes: `--adjust v3=+10`, `--equal`, `--pin legacy`.
#include <cstddef>
#include <vector>

#include "base/result.hpp"
#include "core/request.hpp"
#include "core/virtual_service.hpp"

namespace shift::core {

// What sum of weights the route's target accepts. A VirtualService on Istio 1.14 and older must sum
// to 100; from 1.15 (istio/istio#39544) and on an HTTPRoute any positive total carries the ratio.
enum class WeightSum { Unknown, Sum100, AnyTotal };

// Whether weights of this route may sum to anything positive (an HTTPRoute always may).
bool anyTotal(const VirtualService& vs, WeightSum sum);

// Each destination's current share in thousandths of a percent. Shares that sum to 100 (or, on a
// target accepting any total, weights that sum to anything positive, normalised by the largest
// remainder, first on a tie) — else the weights as written, times 1000.
std::vector<long long> currentMillis(const VirtualService& vs, const Rule& rule, WeightSum sum);

// The request as absolute weights for one rule: KEY=WEIGHT with the pinned destinations added at
// their current share; --adjust and --equal turned into every destination's new share. Errors name
// the key (a pinned one a request would change, an --adjust beyond 0 or 100, a key not in the route).
Result<Request> resolveRequest(const VirtualService& vs, std::size_t rule, const Request& request,
                               WeightSum sum);

// `shares` (thousandths) split in proportion to `weights` in steps of `unit`: each gets the floor of
// its exact share, the units left go one each to the largest remainders (first on a tie). All
// weights 0: equal shares. `total` must be a multiple of `unit`.
std::vector<long long> proportionalMillis(const std::vector<long long>& weights, long long total,
                                          long long unit);

}  // namespace shift::core
