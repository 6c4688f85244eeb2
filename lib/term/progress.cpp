#include "term/progress.hpp"

#include <fmt/color.h>
#include <fmt/format.h>
#include <sys/ioctl.h>

#include <iterator>
#include <vector>

#include "term/table.hpp"

namespace shift::term {

namespace {

constexpr int kBarCells = 10;

struct Part {
    std::string text;
    std::optional<fmt::text_style> style;
};

std::size_t widthOf(const std::vector<Part>& parts) {
    std::size_t w = 0;
    for (const auto& p : parts) w += width(p.text);
    return w;
}

// The first `columns` code points of `text`.
std::string prefix(const std::string& text, std::size_t columns) {
    std::size_t seen = 0, i = 0;
    for (; i < text.size(); ++i) {
        bool starts = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
        if (starts && seen++ == columns) break;
    }
    return text.substr(0, i);
}

std::vector<Part> layout(const ProgressState& s, bool withBar, bool withCheck, bool unicode) {
    std::vector<Part> parts{{fmt::format("step {}/{}", s.step, s.steps), fmt::emphasis::bold}};
    auto add = [&](std::string text, std::optional<fmt::text_style> style = std::nullopt) {
        parts.push_back({"  ", std::nullopt});
        parts.push_back({std::move(text), style});
    };
    if (!s.split.empty()) add(s.split);
    if (withBar && s.share) add(bar(*s.share, kBarCells, unicode), fmt::fg(fmt::terminal_color::green));
    if (!s.next.empty()) add(s.next);
    if (withCheck && !s.lastCheck.empty()) {
        add("last check: ");
        auto color = s.lastCheck == "passed" ? fmt::terminal_color::green : fmt::terminal_color::red;
        parts.push_back({s.lastCheck, fmt::fg(color)});
    }
    return parts;
}

}  // namespace

std::string progressLine(const ProgressState& s, std::size_t columns, bool color, bool unicode) {
    auto parts = layout(s, true, true, unicode);
    if (widthOf(parts) > columns) parts = layout(s, false, true, unicode);
    if (widthOf(parts) > columns) parts = layout(s, false, false, unicode);
    std::string out;
    std::size_t left = columns;
    for (const auto& p : parts) {
        if (left == 0) break;
        std::string text = width(p.text) > left ? prefix(p.text, left) : p.text;
        left -= width(text);
        if (color && p.style) {
            fmt::format_to(std::back_inserter(out), *p.style, "{}", text);
        } else {
            out += text;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string countdown(std::chrono::nanoseconds left) {
    using namespace std::chrono;
    if (left < nanoseconds::zero()) left = nanoseconds::zero();
    auto secs = duration_cast<seconds>(left + seconds(1) - nanoseconds(1)).count();
    if (secs >= 3600) return fmt::format("{}h{:02}m", secs / 3600, secs % 3600 / 60);
    if (secs >= 60) return fmt::format("{}m{:02}s", secs / 60, secs % 60);
    return fmt::format("{}s", secs);
}

std::size_t columns(int fd) {
    struct winsize ws {};
    if (::ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
    return ws.ws_col;
}

}  // namespace shift::term
