#pragma once
// `-l/--selector`: kubectl's label selector syntax (k8s.io/apimachinery labels.Parse), parsed before
// any request so that a typo costs no round trip: `app=reviews,tier!=x`, `env in (a,b)`,
// `env notin (a)`, `key`, `!key`. The server does the selecting (labelSelector=); matches() lets a
// store without a server (tests, files) select the same objects.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace shift::core {

struct LabelRequirement {
    enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist };
    std::string key;
    Op op = Op::Exists;
    std::vector<std::string> values;  // one for Equals and NotEquals, one or more for In and NotIn
};

struct LabelSelector {
    std::vector<LabelRequirement> requirements;  // all must hold; none selects everything
};

// A bad selector is one line naming the requirement and what was expected (exit 2), as kubectl's
// "unable to parse requirement".
Result<LabelSelector> parseLabelSelector(std::string_view text);

// Whether labels satisfy every requirement (as the API server decides for a LIST).
bool matches(const LabelSelector& selector, const std::map<std::string, std::string>& labels);

// The selector written back in canonical form for the labelSelector query parameter: `env in (a,b)`.
std::string toString(const LabelSelector& selector);

}  // namespace shift::core
