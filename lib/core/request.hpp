#pragma once
// The user's request: `v1=50 v3=50` — which destinations get which weight; or a change relative to
// the current split (`--adjust v3=+10`, `--equal`), with destinations pinned at their weight.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace shift::core {

// A percentage in thousandths: 99.5 % is 99500. Requests take up to three decimals.
inline constexpr long long kMilli = 1000;
inline constexpr long long kWhole = 100 * kMilli;

struct WeightSpec {
    std::string key;       // subset (`v1`), host (`reviews-v2`), or HOST/SUBSET (`reviews/v1`)
    long long weight = 0;  // whole percent (rounded down when `milli` holds a fraction)
    std::optional<long long> milli =
        std::nullopt;  // the exact value in thousandths of a percent; none: weight * 1000
};

// The value of a spec in thousandths of a percent (signed for --adjust).
long long millisOf(const WeightSpec& spec);

enum class RequestMode {
    Absolute,  // KEY=WEIGHT: the new split
    Adjust,    // --adjust KEY=+N: percentage points added to (or taken from) KEY, the rest in proportion
    Equal,     // --equal [KEY...]: equal shares among the listed (or all current) destinations
};

struct Request {
    std::vector<WeightSpec> weights;  // Equal: the keys (weights unused)
    RequestMode mode = RequestMode::Absolute;
    std::vector<std::string> pins;  // --pin: destinations whose weight must not change
};

// Parses KEY=WEIGHT arguments. WEIGHT is a percentage from 0 to 100 with up to three decimals and an
// optional `%` (`v3=0.5`, `v3=0.5%`).
Result<Request> parseRequest(const std::vector<std::string>& args);

// Parses --adjust KEY=+N / KEY=-N arguments (percentage points, up to three decimals).
Result<Request> parseAdjust(const std::vector<std::string>& args);

// --equal with the KEY words given (none: every current destination).
Result<Request> parseEqual(const std::vector<std::string>& keys);

// Whether any weight of the request is not a whole percentage.
bool isFractional(const Request& request);

// "99.5", "10", "0.125": a percentage in thousandths as people write it.
std::string percentText(long long milli);

// "v1=50 v3=50": how a request reads back in messages.
std::string describe(const Request& request);

}  // namespace shift::core
