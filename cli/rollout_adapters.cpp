#include "rollout_adapters.hpp"

#include "core/duration.hpp"
#include "proc/check_command.hpp"
#include "proc/signals.hpp"

namespace shift::cli {

core::Clock::time_point SystemClock::now() { return core::Clock::now(); }
bool SystemClock::sleep(app::Duration d) { return proc::sleepUnlessStopped(d); }
bool SystemClock::interrupted() { return proc::stopped(); }

app::CheckOutcome ShellChecks::run(const std::string& command, const app::CheckContext& context,
                                   app::Duration timeout) {
    auto env = fixed_;
    env["SHIFT_STEP"] = std::to_string(context.step);
    env["SHIFT_STEPS"] = std::to_string(context.steps);
    env["SHIFT_WEIGHT"] = std::to_string(context.weight);
    env["SHIFT_SPLIT"] = context.split;
    if (!context.targets.empty()) env["SHIFT_TARGETS"] = context.targets;
    auto result = proc::runCommand(command, env, timeout, proc::stopRequested());
    auto detail = proc::describe(result);
    if (result.timedOut) detail = "timed out after " + core::formatDuration(timeout) + " (killed)";
    return {result.exitCode == 0 && !result.timedOut && !result.interrupted, detail};
}

}  // namespace shift::cli
