#pragma once
// What `shift get -o json|yaml` prints: a stable, documented schema, independent of Istio's version.
//   {"kind": "Split", "namespace", "name", "apiVersion", "resourceVersion",
//    "rules": [{"rule", "name", "destinations": [{"key", "host", "subset", "port", "weight"}]}],
//    "rollout": null | {"holder", "command", "step", "steps", "started", "heartbeat"}}
// and {"kind": "SplitList", "items": [Split...]} for several objects.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/history.hpp"
#include "core/split_view.hpp"
#include "doc/node.hpp"

namespace shift::core {

struct SplitReport {
    std::string ns, name, apiVersion, resourceVersion;
    std::vector<RuleSplit> rules;
    std::optional<RolloutMark> rollout;
};

// Reads a VirtualService object: every rule with a route, or only those selected by `routes`
// (--route values). A rollout mark that is not shift's is left out, not an error: get must work.
Result<SplitReport> reportOf(const doc::Node& object, const std::vector<std::string>& routes);

doc::Node toNode(const SplitReport& report);
doc::Node toListNode(const std::vector<SplitReport>& reports);

}  // namespace shift::core
