#pragma once
// Internal to lib/core: the check every source editor's result passes.
#include <string>

#include "doc/node.hpp"
#include "doc/parse.hpp"

namespace shift::core {

// Whether `text` (the edited source of one route: a YAML block or flow sequence, or a JSON
// array) parses to `planned`, value for value (marks, layout and quoting aside). Checking the
// route alone keeps the check cheap on a large manifest; edits never reach outside it.
bool readsBackAs(const std::string& text, doc::Format format, const doc::Node& planned);

}  // namespace shift::core
