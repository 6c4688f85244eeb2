#pragma once
// The live status line of a long command (a rollout) on a terminal, redrawn in place under the lines
// that stay. Pure: the caller says what to show and how wide the terminal is.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace shift::term {

struct ProgressState {
    long long step = 0, steps = 0;
    std::string split;               // "v1=75 v3=25"
    std::optional<long long> share;  // the rising share (0-100), drawn as a bar; nullopt: no bar
    std::string next;                // "next step in 1m20s", "running checks"; "" shows nothing
    std::string lastCheck;           // "passed" or "failed"; "" before the first check
};

// "step 2/4  v1=75 v3=25  ███████░░░  next step in 1m20s  last check: passed", at most `width`
// columns and no newline. When it does not fit, the bar goes first, then the last check, then the
// end of the text is cut: a line that wrapped could no longer be redrawn with a carriage return.
std::string progressLine(const ProgressState& state, std::size_t width, bool color, bool unicode);

// A countdown rounded up to the second: "45s", "1m20s", "2h05m".
std::string countdown(std::chrono::nanoseconds left);

// Back to the start of the line and erase it: written before a redraw, a permanent line or the end.
inline constexpr const char* kEraseLine = "\r\x1b[K";

// The terminal's width in columns (TIOCGWINSZ), 0 when `fd` is not a terminal or does not say.
std::size_t columns(int fd);

}  // namespace shift::term
