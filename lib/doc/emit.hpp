#pragma once
// Writing doc::Node trees as `kubectl get -o yaml` and `kubectl get -o json` print
// them, keeping the node order and the text of untouched scalars.
#include <string>
#include <vector>

#include "doc/node.hpp"

namespace shift::doc {

// Block-style YAML as go-yaml v2 writes it: 2-space indent, a sequence under a map
// key not indented, `{}`/`[]` for empty collections, strings quoted only when they
// would otherwise read as something else, long strings folded at 80 columns.
// Plain scalars that read as numbers, bools or null are written as they are.
// Ends with a newline.
std::string toYaml(const Node& node);

// Flow-style YAML on one line, as a flow route's items are written:
// `{destination: {host: reviews, subset: v1}, weight: 90}`. No final newline.
std::string toFlowYaml(const Node& node);

// Documents joined by "---\n".
std::string toYamlStream(const std::vector<Node>& docs);

// JSON as Go's encoding/json writes it: `indent` spaces per level (kubectl uses 4),
// or one compact line when indent is 0. Plain scalars become numbers, bools or
// null as Kubernetes' YAML reads them (yes -> true, 0x1F -> 31), numbers keep their
// digits; .inf and .nan, which JSON cannot hold, become strings. No final newline.
std::string toJson(const Node& node, int indent = 4);

}  // namespace shift::doc
