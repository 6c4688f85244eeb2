#include <doctest/doctest.h>

#include <cstdio>
#include <regex>

#include "rollout_progress.hpp"

using namespace shift;
using Kind = app::Event::Kind;

namespace {

// What the progress wrote to a scratch file (not a terminal: the default 80 columns apply).
struct Output {
    std::FILE* file = std::tmpfile();
    ~Output() { std::fclose(file); }
    std::string text() const {
        std::fflush(file);
        std::rewind(file);
        std::string out;
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file)) > 0;) out.append(buf, n);
        return out;
    }
};

cli::ProgressOptions options(std::FILE* out, bool live) {
    return {out, fileno(out), live, false, true, "v3", true, true};
}

// Timestamps vary: "2026-12-01T03:00:00Z " becomes "T ".
std::string stamped(const std::string& text) {
    return std::regex_replace(text, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ )"), "T ");
}

void story(cli::RolloutProgress& p) {
    p.event({Kind::Plan, "plan: reviews: v3 to 100 in 2 steps", 0, 2, "v1=100"});
    p.event({Kind::Step, "step 1/2 applied: v1=50,v3=50", 1, 2, "v1=50,v3=50"});
    p.event({Kind::Wait, "waiting 1m after step 1/2", 1, 2, "v1=50,v3=50",
             core::Clock::now() + std::chrono::seconds(80)});
    p.event({Kind::CheckPassed, "check passed: `true`", 1, 2, "v1=50,v3=50"});
    p.event({Kind::Done, "done: v3=100", 2, 2, "v3=100"});
}

}  // namespace

TEST_CASE("rollout progress, plain: one timestamped line per event, no wait, no escape") {
    Output out;
    cli::RolloutProgress p(options(out.file, false));
    story(p);
    p.tick();
    p.clear();
    CHECK(stamped(out.text()) ==
          "T plan: reviews: v3 to 100 in 2 steps\n"
          "T step 1/2 applied: v1=50,v3=50\n"
          "T check passed: `true`\n"
          "T done: v3=100\n");
}

TEST_CASE("rollout progress, live: permanent lines, the status line redrawn under them, erased at the end") {
    Output out;
    cli::RolloutProgress p(options(out.file, true));
    story(p);
    auto text = stamped(out.text());
    CHECK(text.find("T plan: reviews: v3 to 100 in 2 steps\nT step 1/2 applied: v1=50,v3=50\n") == 0);
    // Drawn after the step, then with the countdown, then with the check's result: each over the last.
    CHECK(text.find("\r\x1b[Kstep 1/2  v1=50 v3=50  █████░░░░░\r\x1b[K") != std::string::npos);
    CHECK(text.find("\r\x1b[Kstep 1/2  v1=50 v3=50  █████░░░░░  next step in 1m") != std::string::npos);
    CHECK(
        text.find(
            "next step in 1m20s\r\x1b[Kstep 1/2  v1=50 v3=50  █████░░░░░  last check: passed\r\x1b[KT done: "
            "v3=100\n") != std::string::npos);
    CHECK(text.find("check passed") == std::string::npos);  // on the status line only
    CHECK(text.back() == '\n');                             // the status line is gone after the end
    auto before = out.text().size();
    p.tick();
    p.clear();
    CHECK(out.text().size() == before);  // nothing to redraw or erase once it ended
}
