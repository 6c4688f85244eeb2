#pragma once
// The line matching behind unifiedDiff: which lines a shortest edit script deletes and inserts,
// found with Myers' algorithm and tied the way GNU diff ties. Internal to term; diff.cpp prints it.
#include <cstddef>
#include <string_view>
#include <vector>

namespace shift::term::detail {

// The lines of a text, each with its '\n' (a last line may lack one).
using Lines = std::vector<std::string_view>;

// One flag per line: true when the line is deleted (before) or inserted (after).
struct Marks {
    std::vector<char> a, b;
    size_t prefix = 0, suffix = 0;  // lines at the start and at the end of both left out of the search
};

// Marks a shortest edit script from `a` to `b`. As in GNU diff, the identical prefix and suffix are cut
// first (so a small change in a large manifest costs little) except for `horizon` lines next to the
// changes, and a line with no equal in the other text is changed outright and hidden from the search.
Marks markChanges(const Lines& a, const Lines& b, size_t horizon);

}  // namespace shift::term::detail
