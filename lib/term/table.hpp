#pragma once
// Aligned columns as `kubectl get` prints them: an upper-case header, columns three spaces apart,
// no trailing spaces. Cells are ASCII or UTF-8; width counts code points, so bars line up.
#include <string>
#include <vector>

namespace shift::term {

std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// A bar of `cells` cells for a weight out of 100: any weight above 0 shows at least one cell and any
// below 100 leaves one empty. Unicode blocks, or "#" and "." without unicode.
std::string bar(long long weight, int cells, bool unicode);

// Display width: code points (the characters shift prints are one column each).
std::size_t width(const std::string& text);

}  // namespace shift::term
