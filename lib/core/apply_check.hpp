#pragma once
// Internal to lib/core: the check every source editor's result passes.
#include <string>

#include "core/virtual_service.hpp"
#include "doc/node.hpp"

namespace shift::core {

// Whether `text` parses and its VirtualService (vs's name and namespace) is `planned`, value for
// value (marks, layout and quoting aside).
bool readsBackAs(const std::string& text, const VirtualService& vs, const doc::Node& planned);

}  // namespace shift::core
