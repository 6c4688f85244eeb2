#include "term/table.hpp"

#include <algorithm>

namespace shift::term {

std::size_t width(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(header.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], width(row[i]));
    };
    measure(header);
    for (const auto& row : rows) measure(row);
    std::string out;
    auto line = [&](const std::vector<std::string>& row) {
        std::string text;
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            text += row[i];
            if (i + 1 < row.size()) text += std::string(widths[i] - width(row[i]) + 3, ' ');
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out += text + '\n';
    };
    line(header);
    for (const auto& row : rows) line(row);
    return out;
}

std::string bar(long long weight, int cells, bool unicode) {
    int filled = 0;
    if (weight >= 100) {
        filled = cells;
    } else if (weight > 0) {
        filled = std::clamp(static_cast<int>((weight * cells + 50) / 100), 1, cells - 1);
    }
    std::string out;
    for (int i = 0; i < cells; ++i) out += i < filled ? (unicode ? "█" : "#") : (unicode ? "░" : ".");
    return out;
}

}  // namespace shift::term
