#pragma once
// How `shift rollout` shows where it stands. On a terminal: the lines that tell the story (plan, step
// applied, check failed, rolled back or held, done) and under them one status line redrawn in place
// at least once a second while waiting. Elsewhere, or with --no-progress: one timestamped line per
// event, for CI logs.
#include <cstdio>
#include <string>

#include "app/rollout.hpp"
#include "rollout_adapters.hpp"
#include "term/progress.hpp"

namespace shift::cli {

struct ProgressOptions {
    std::FILE* out = stdout;
    int fd = 1;            // out's descriptor, for its width
    bool live = false;     // a terminal, and not --no-progress
    bool color = false;    // --color, NO_COLOR
    bool unicode = false;  // a UTF-8 locale: bars and arrows
    std::string key;       // --to: its share is the bar
    bool checks = false;   // --check given: a wait ends in the checks
    bool waits = false;    // --interval above 0: each step is followed by a wait
};

// The live line only on a terminal that can erase a line (not TERM=dumb), and not with --no-progress.
bool liveProgress(bool noProgress, int fd);

class RolloutProgress {
   public:
    explicit RolloutProgress(ProgressOptions options) : o_(std::move(options)) {}
    // The engine's callback.
    void event(const app::Event& e);
    // Redraws the live line, if one is shown: the countdown moved.
    void tick();
    // Erases the live line (before other output, on a signal); tick() brings it back.
    void clear();
    // When the wait being counted down ends (the epoch when none is).
    core::Clock::time_point waitEnd() const { return until_; }

   private:
    void permanent(const app::Event& e);
    void draw();

    ProgressOptions o_;
    term::ProgressState state_;
    app::Event::Kind last_ = app::Event::Kind::Plan;
    core::Clock::time_point until_{};  // the current wait's end; epoch when not waiting
    bool shown_ = false;               // the live line is on the screen
    bool ended_ = false;               // done, rolled back or held: no live line any more
};

// The wall clock, redrawing the progress while it sleeps (at each second of the countdown) and
// erasing it when a signal cuts the sleep short.
class ProgressClock : public SystemClock {
   public:
    explicit ProgressClock(RolloutProgress& progress) : progress_(progress) {}
    bool sleep(app::Duration d) override;

   private:
    RolloutProgress& progress_;
};

}  // namespace shift::cli
