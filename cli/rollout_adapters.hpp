#pragma once
// The rollout engine's clock and check runner, for real: `sh -c` children and SIGINT/SIGTERM
// (lib/proc), the wall clock.
#include <map>
#include <string>

#include "app/rollout.hpp"

namespace shift::cli {

class SystemClock : public app::Clock {
   public:
    core::Clock::time_point now() override;
    bool sleep(app::Duration d) override;
    bool interrupted() override;
};

// Runs each --check through `sh -c` with SHIFT_NAME, SHIFT_NAMESPACE, SHIFT_CONTEXT, SHIFT_STEP,
// SHIFT_STEPS, SHIFT_WEIGHT and SHIFT_SPLIT in its environment; exit 0 is healthy.
class ShellChecks : public app::CheckRunner {
   public:
    explicit ShellChecks(std::map<std::string, std::string> fixed) : fixed_(std::move(fixed)) {}
    app::CheckOutcome run(const std::string& command, const app::CheckContext& context,
                          app::Duration timeout) override;

   private:
    std::map<std::string, std::string> fixed_;  // name, namespace, context
};

}  // namespace shift::cli
