#pragma once
// Edits inside YAML flow collections (`{...}`, `[...]`), for the line editor. Internal to lib/core.
#include <optional>

#include "core/split.hpp"
#include "core/text_edit.hpp"

namespace shift::core::text {

// Edits that make a flow-map route item's weight say `after` (nullopt: drop the field).
bool flowWeightEdits(const Text& t, const doc::Node& item, const std::optional<long long>& after,
                     std::vector<Edit>& edits);

// Edits that apply `plan` to a flow-sequence route (`route: [{...}, {...}]`), value by value.
bool flowRouteEdits(const Text& t, const doc::Node& route, const RulePlan& plan, std::vector<Edit>& edits);

}  // namespace shift::core::text
