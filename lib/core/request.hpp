#pragma once
// The user's request: `v1=50 v3=50` — which destinations get which weight.
#include <string>
#include <vector>

#include "base/result.hpp"

namespace shift::core {

struct WeightSpec {
    std::string key;  // subset (`v1`), host (`reviews-v2`), or HOST/SUBSET (`reviews/v1`)
    long long weight = 0;
};

struct Request {
    std::vector<WeightSpec> weights;
};

// Parses KEY=WEIGHT arguments. WEIGHT is an integer 0-100 with an optional `%`.
Result<Request> parseRequest(const std::vector<std::string>& args);

// "v1=50 v3=50": how a request reads back in messages.
std::string describe(const Request& request);

}  // namespace shift::core
