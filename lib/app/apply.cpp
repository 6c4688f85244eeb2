#include "app/apply.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "core/split_view.hpp"

namespace shift::app {

namespace {

// Plans, then checks the plan's new hosts and subsets against what the store gathers for it (which
// objects may depend on the plan: the namespaces of its hosts). One plan, whatever the store.
Result<core::ShiftPlan> plan(Store& store, const doc::Node& object, const core::Request& request,
                             const ApplyOptions& o) {
    auto planned = core::planShift(object, request, o.shift, nullptr);
    if (!planned || !o.validate) return planned;
    auto mesh = store.mesh(*planned);
    if (!mesh) return mesh.error();
    if (!*mesh) return planned;
    auto warnings = core::checkDestinations(*planned, **mesh);
    if (!warnings) return warnings.error();
    planned->warnings.insert(planned->warnings.end(), warnings->begin(), warnings->end());
    return planned;
}

// A script must not re-expose a canary that someone rolled back by hand between two of its steps.
Status checkExpected(const core::ShiftPlan& plan, const core::Request& expected) {
    for (const auto& rule : plan.rules) {
        auto split = core::splitOf(plan.vs, {rule.rule}).at(0);
        if (core::splitMatches(split, expected)) continue;
        return fail(
            fmt::format("VirtualService {} {} is at {}, not the expected {}; nothing written (--expect)",
                        core::qualifiedName(plan.vs), core::ruleLabel(plan.vs.rules[rule.rule]),
                        core::describeSplit(split), core::describe(expected)),
            kExitPrecondition);
    }
    return okStatus();
}

}  // namespace

Result<Outcome> applyShift(Store& store, const core::Request& request, const ApplyOptions& o) {
    for (int attempt = 1; attempt <= o.attempts; ++attempt) {
        auto read = store.read();
        if (!read) return read.error();
        auto planned = plan(store, *read->object, request, o);
        if (!planned) return planned.error();
        if (o.expect) {
            if (auto st = checkExpected(*planned, *o.expect); !st) return st.error();
        }
        if (o.warn) {
            for (const auto& w : planned->warnings) o.warn(w);
        }
        auto change = store.write(*read, *planned, o.dryRun);
        if (!change) return change.error();
        if (!change->conflict) return Outcome{std::move(*planned), std::move(*change)};
        if (attempt < o.attempts) {
            if (o.warn) o.warn(store.conflictWarning(attempt + 1, o.attempts));
            if (o.backoff) o.backoff(attempt);
        }
    }
    return store.gaveUp(o.attempts);
}

void jitteredBackoff(int attempt) {
    static std::minstd_rand rng{std::random_device{}()};
    std::uniform_int_distribution<int> ms(0, 100 << std::min(attempt - 1, 4));
    std::this_thread::sleep_for(std::chrono::milliseconds(ms(rng)));
}

}  // namespace shift::app
