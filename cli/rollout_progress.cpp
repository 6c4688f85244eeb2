#include "rollout_progress.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include <cstdlib>
#include <string_view>

#include "core/duration.hpp"
#include "proc/signals.hpp"
#include "report.hpp"
#include "term/color.hpp"

namespace shift::cli {

namespace {

using Kind = app::Event::Kind;

// Without TIOCGWINSZ (some CI terminals), the width every terminal has.
constexpr std::size_t kDefaultColumns = 80;

// "v1=75,v3=25" -> "v1=75 v3=25", and KEY's share in it.
std::string spaced(std::string split) {
    for (char& c : split)
        if (c == ',') c = ' ';
    return split;
}

std::optional<long long> shareOf(const std::string& split, const std::string& key) {
    std::string_view rest = split;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto item = rest.substr(0, comma);
        auto eq = item.rfind('=');
        if (eq != std::string_view::npos && item.substr(0, eq) == key)
            return std::atoll(std::string(item.substr(eq + 1)).c_str());
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return std::nullopt;
}

std::optional<fmt::text_style> styleOf(Kind kind) {
    switch (kind) {
        case Kind::CheckFailed:
        case Kind::Restored:
            return fmt::fg(fmt::terminal_color::red);
        case Kind::Held:
            return fmt::fg(fmt::terminal_color::yellow);
        case Kind::Done:
            return fmt::fg(fmt::terminal_color::green) | fmt::emphasis::bold;
        default:
            return std::nullopt;
    }
}

}  // namespace

bool liveProgress(bool noProgress, int fd) {
    const char* termName = std::getenv("TERM");
    return !noProgress && term::isTerminal(fd) && !(termName && std::string_view(termName) == "dumb");
}

void RolloutProgress::event(const app::Event& e) {
    if (!o_.live) {
        // One plain line per event, with a timestamp: what a CI log keeps. A wait is no event there.
        if (e.kind != Kind::Wait)
            emit(o_.out, fmt::format("{} {}\n", core::formatTime(core::Clock::now()), e.text));
        return;
    }
    if (e.kind != Kind::Plan) {
        state_.step = e.step;
        state_.steps = e.steps;
        state_.split = spaced(e.split);
        state_.share = shareOf(e.split, o_.key);
    }
    until_ = e.kind == Kind::Wait ? e.until : core::Clock::time_point{};
    if (e.kind == Kind::CheckPassed) state_.lastCheck = "passed";
    if (e.kind == Kind::CheckFailed) state_.lastCheck = "failed";
    last_ = e.kind;
    ended_ = e.kind == Kind::Restored || e.kind == Kind::Held || e.kind == Kind::Done;
    // A passed check and a wait only change the status line; the rest is the story the scrollback keeps.
    if (e.kind != Kind::CheckPassed && e.kind != Kind::Wait) permanent(e);
    if (!ended_ && e.kind != Kind::Plan) draw();
}

void RolloutProgress::permanent(const app::Event& e) {
    clear();
    auto line = fmt::format("{} {}", core::formatTime(core::Clock::now()), e.text);
    auto style = styleOf(e.kind);
    emit(o_.out, (o_.color && style ? fmt::format(*style, "{}", line) : line) + "\n");
}

void RolloutProgress::tick() {
    if (o_.live && !ended_ && state_.step > 0) draw();
}

void RolloutProgress::clear() {
    if (!shown_) return;
    emit(o_.out, term::kEraseLine);
    shown_ = false;
}

void RolloutProgress::draw() {
    auto left = until_ - core::Clock::now();
    bool last = state_.step == state_.steps;
    state_.next.clear();
    if (until_ != core::Clock::time_point{} && left > core::Clock::duration::zero()) {
        auto what = !last ? "next step" : o_.checks ? "final check" : "done";
        state_.next = fmt::format("{} in {}", what, term::countdown(left));
    } else if (o_.checks && (last_ == Kind::Wait || (last_ == Kind::Step && !o_.waits))) {
        // The wait is over (or there is none): the checks run now.
        state_.next = "checking";
    }
    auto width = term::columns(o_.fd);
    if (width == 0) width = kDefaultColumns;
    // One column short of the edge: a character in the last column leaves some terminals about to wrap.
    auto line = term::progressLine(state_, width - 1, o_.color, o_.unicode);
    emit(o_.out, term::kEraseLine + line);
    shown_ = true;
}

bool ProgressClock::sleep(app::Duration d) {
    using namespace std::chrono;
    auto end = steady_clock::now() + d;
    while (true) {
        auto left = end - steady_clock::now();
        if (left <= steady_clock::duration::zero()) break;
        // Wake when the countdown turns to its next second, so each redraw shows a new figure.
        auto toEnd = duration_cast<nanoseconds>(progress_.waitEnd() - core::Clock::now());
        nanoseconds slice = seconds(1);
        if (toEnd > nanoseconds::zero()) slice = toEnd % seconds(1);
        if (slice < milliseconds(50)) slice += seconds(1);
        if (!proc::sleepUnlessStopped(std::min<nanoseconds>(slice, left))) {
            progress_.clear();
            return false;
        }
        progress_.tick();
    }
    return true;
}

}  // namespace shift::cli
