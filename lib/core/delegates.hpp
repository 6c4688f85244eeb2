#pragma once
// Istio's VirtualService delegation: a parent's http rule with `delegate: {name, namespace}` and no
// route hands the requests it matches to the delegate VirtualService (one without hosts), whose own
// routes decide where they go. The weights to shift live in the delegate, never in the parent.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/virtual_service.hpp"
#include "doc/node.hpp"

namespace shift::core {

// The delegate a rule hands over to as "ns/name" (its namespace defaults to the parent's, as in
// Istio), "" when the rule routes by itself.
std::string delegateOf(const VirtualService& parent, const Rule& rule);

// Shifting a rule that delegates (and has no route of its own) moves nothing: the error (exit 2)
// names the delegate and the command that shifts it. nullopt for any other rule.
std::optional<Error> delegatedRule(const VirtualService& vs, const Rule& rule);

// A delegate (a VirtualService without hosts) is reached only through its parents: a note naming the
// VirtualServices among `others` whose http rules delegate to it, or saying that none does (then it
// moves no traffic). None for a VirtualService with hosts.
std::vector<std::string> delegateNotes(const VirtualService& vs, const std::vector<const doc::Node*>& others);

}  // namespace shift::core
