#pragma once
// Writes a plan into a VirtualService: into its document tree (for JSON and the
// API server), or into its YAML source text, changing only the lines that must.
#include <optional>
#include <string>
#include <vector>

#include "core/split.hpp"
#include "doc/node.hpp"

namespace shift::core {

// The object with every plan applied. Untargeted rules and fields are untouched.
doc::Node applyToTree(const doc::Node& object, const VirtualService& vs, const std::vector<RulePlan>& plans);

// The YAML source with the plans applied as line edits; `object` must come from
// `source` (its marks point into it). Lines shift does not change stay byte for
// byte. nullopt when the route is laid out in a way line edits cannot follow.
std::optional<std::string> applyToYamlText(const std::string& source, const doc::Node& object,
                                           const VirtualService& vs, const std::vector<RulePlan>& plans);

}  // namespace shift::core
