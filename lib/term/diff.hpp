#pragma once
// Unified diffs of text, in the exact format of `diff -u` (what `kubectl diff` prints).
#include <string>
#include <string_view>

namespace shift::term {

// A unified diff of the lines of `before` and `after`: "--- beforeLabel" and "+++ afterLabel" headers,
// then "@@ -a,b +c,d @@" hunks with `context` lines of context, hunks merged when they share context,
// and "\ No newline at end of file" after a last line that lacks one. Empty when the texts are equal.
// With `color`, headers are bold, hunk headers cyan, removals red and additions green, as git does.
std::string unifiedDiff(std::string_view before, std::string_view after, std::string_view beforeLabel,
                        std::string_view afterLabel, bool color, int context = 3);

}  // namespace shift::term
