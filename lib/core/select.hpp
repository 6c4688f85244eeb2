#pragma once
// Which route rule(s) of a VirtualService a request targets.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/virtual_service.hpp"

namespace shift::core {

// selectors: the --route values. Each is a rule `name`, an index into the http
// list (`1`), or LIST:INDEX for any list (`http:1`, `tcp:0`, `tls:0`); a name wins
// over an index spelled the same. An empty selector is an error.
// With no selector: the only rule, else the one http rule without `match`.
// Returns indexes into vs.rules, in the order given, without duplicates.
Result<std::vector<std::size_t>> selectRules(const VirtualService& vs,
                                             const std::vector<std::string>& selectors);

// Warnings for selectors that name a rule while also spelling the index of another one.
std::vector<std::string> shadowNotes(const VirtualService& vs, const std::vector<std::string>& selectors);

// One line per rule, for messages: "http[0] (\"canary\") match uri prefix /api".
std::string listRules(const VirtualService& vs);

}  // namespace shift::core
