// The command-line parsers: KEY=WEIGHT requests, --steps, durations, split strings of the history.
// A parser returns a value or a one-line error; it never crashes, and what it accepts reads back.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/duration.hpp"
#include "core/request.hpp"
#include "core/rollout_steps.hpp"
#include "core/undo.hpp"

namespace {
void check(bool ok) {
    if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> args;
    std::size_t at = 0;
    while (at <= text.size()) {
        auto sp = text.find(' ', at);
        args.push_back(text.substr(at, sp == std::string::npos ? std::string::npos : sp - at));
        if (sp == std::string::npos) break;
        at = sp + 1;
    }
    using namespace shift::core;
    if (auto r = parseRequest(args)) {
        check(!r->weights.empty());
        for (const auto& w : r->weights) check(w.weight >= 0 && w.weight <= 100 && !w.key.empty());
        auto again = parseRequest(args);
        check(again && describe(*again) == describe(*r));
    } else {
        check(!r.error().message.empty() && r.error().message.find('\n') == std::string::npos);
    }
    if (auto steps = parseSteps(text)) {
        for (std::size_t i = 1; i < steps->size(); ++i) check((*steps)[i] > (*steps)[i - 1]);
    }
    if (auto d = parseDuration(text, "--interval")) check(d->count() >= 0);
    (void)requestOfSplit(text);
    return 0;
}
