#pragma once
// What `shift history -o json|yaml` prints: a stable, documented schema, as core/split_report's.
//   {"kind": "History", "namespace", "name",
//    "revisions": [{"revision", "time", "user", "command", "rules": [{"rule", "split"}]}]}
// oldest revision first; "revisions" is empty for an object shift has not changed.
#include <string>
#include <vector>

#include "core/history.hpp"
#include "doc/node.hpp"

namespace shift::core {

doc::Node historyNode(const std::string& ns, const std::string& name, const std::vector<Revision>& history);

// A revision's rules on one line, as the history table shows them: "http[0]: v1=90,v3=10; http[1]: v2=100".
std::string describeRules(const std::vector<RuleRecord>& rules);

}  // namespace shift::core
