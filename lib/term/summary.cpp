#include "term/summary.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>

#include "term/table.hpp"

namespace shift::term {
namespace {

constexpr int kBarCells = 20;

std::string weightText(const std::optional<long long>& w, const std::string& text = {}) {
    if (!w) return "-";
    return text.empty() ? std::to_string(*w) : text;
}

// The weight as a number, its fraction included ("99.5" counts as 99.5).
double valueOf(const std::optional<long long>& w, const std::string& text) {
    return text.empty() ? static_cast<double>(w.value_or(0)) : std::stod(text);
}

enum class Trend { Same, Up, Down };

Trend trendOf(const WeightRow& row) {
    if (!row.after) return row.before ? Trend::Down : Trend::Same;
    if (!row.before) return Trend::Up;
    double before = valueOf(row.before, row.beforeText), after = valueOf(row.after, row.afterText);
    if (after > before) return Trend::Up;
    if (after < before) return Trend::Down;
    return Trend::Same;
}

}  // namespace

std::string summary(std::string_view title, const std::vector<WeightRow>& rows, bool bars, bool color,
                    bool unicode) {
    // Keys are subset names (DNS labels), so bytes are columns.
    size_t keyWidth = 0, beforeWidth = 0, afterWidth = 0;
    for (const WeightRow& row : rows) {
        keyWidth = std::max(keyWidth, row.key.size());
        beforeWidth = std::max(beforeWidth, weightText(row.before, row.beforeText).size());
        afterWidth = std::max(afterWidth, weightText(row.after, row.afterText).size());
    }

    std::string out;
    auto put = [&](std::optional<fmt::text_style> style, std::string_view text) {
        if (color && style) {
            fmt::format_to(std::back_inserter(out), *style, "{}", text);
        } else {
            out += text;
        }
    };
    put(fmt::emphasis::bold, fmt::format("{}:", title));
    out += '\n';
    for (const WeightRow& row : rows) {
        Trend trend = trendOf(row);
        std::optional<fmt::text_style> style;
        if (trend == Trend::Up) style = fmt::fg(fmt::terminal_color::green);
        if (trend == Trend::Down) style = fmt::fg(fmt::terminal_color::red);
        std::string note = !row.before && row.after ? "(new)" : row.before && !row.after ? "(removed)" : "";
        // Pad the new weight only when something follows it, so no line ends in spaces.
        bool more = bars || !note.empty();
        std::string tail = more ? fmt::format("{:<{}}", weightText(row.after, row.afterText), afterWidth)
                                : weightText(row.after, row.afterText);
        if (bars) tail += "  " + bar(row.after.value_or(0), kBarCells, unicode);
        if (!note.empty()) tail += "  " + note;
        out += fmt::format("  {:<{}}  {:>{}} {} ", row.key, keyWidth, weightText(row.before, row.beforeText),
                           beforeWidth, unicode ? "→" : "->");
        put(style, tail);
        out += '\n';
    }
    return out;
}

}  // namespace shift::term
