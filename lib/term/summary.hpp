#pragma once
// The change summary: one line per destination of a route, old weight → new weight.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shift::term {

struct WeightRow {
    std::string key;                  // what the row is about, e.g. a subset name
    std::optional<long long> before;  // nullopt: the destination is new
    std::optional<long long> after;   // nullopt: the destination is removed
    // How a weight reads when it is not whole ("99.5"); empty: the number above.
    std::string beforeText = {}, afterText = {};
};

// "title:" and then one aligned line per row, e.g.
//   istio-demo/reviews http[0]:
//     v1  100 → 50
//     v3    - → 50   (new)
//     v2   20 → -    (removed)
// With `bars`, a 20-cell bar of the new weight (out of 100) follows the weights. With `color`, the
// title is bold and a row that loses weight is red, one that gains is green, from the new weight on.
// Without `unicode` the arrow is "->" and the bar "#" and "." (a C locale or TERM=dumb).
std::string summary(std::string_view title, const std::vector<WeightRow>& rows, bool bars, bool color,
                    bool unicode = true);

}  // namespace shift::term
