#pragma once
// The several-object rollout's objects (rollout_many.cpp), one lane each: where each stands, its
// writes (retried on a conflict, read again after a failure, never over someone else's change), and
// how each ends (rolled back, held at a step, unmarked) in the words of the report.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/rollout.hpp"
#include "core/rollout_steps.hpp"

namespace shift::app {

struct Lane {
    RolloutTarget* t = nullptr;
    RouteState start, cur;  // as found; as last seen
    core::StepPlan plan;
    std::size_t at = 0;          // the steps it holds (0: as found)
    bool other = false;          // someone else changed it: never written again
    bool unknown = false;        // a write failed and it could not be read again
    bool ok = true;              // it ended where the rollout's end put it
    std::string end;             // how it ended, for the report
    std::optional<Error> error;  // why it could not be put where the end wanted it
};

using LaneRequest = std::function<std::optional<core::Request>(const Lane&)>;

class Lanes {
   public:
    Lanes(const std::vector<RolloutTarget*>& targets, const RolloutOptions& options);

    // Writes every object (RolloutTarget::writeMany: together where the targets can); a write that
    // lands moves its object to `pending` steps. An object whose write failed is read again (the write
    // may have landed); the error names the first such object.
    std::optional<Error> writeAll(std::size_t pending, const LaneRequest& request,
                                  const std::optional<core::RolloutMark>& mark, const std::string& record);
    // Every object back to how it was found (never over someone else's change).
    RolloutReport rollBack(int exit, const std::string& why, const std::function<void(const Event&)>& emit);
    // Every object at the last step all of them reached; the mark removed.
    RolloutReport hold(int exit, const std::string& why, const std::function<void(const Event&)>& emit);
    // After the last check: the marks removed.
    RolloutReport finish(const std::function<void(const Event&)>& emit);

    std::vector<Lane> all;
    std::size_t steps = 0;    // steps of the plan (the same for every object)
    std::size_t applied = 0;  // steps every object holds
    core::RolloutMark mark;

   private:
    std::optional<Error> retried(Lane& l, const std::function<Result<WriteOutcome>()>& attempt,
                                 std::optional<Result<WriteOutcome>> answer = std::nullopt);
    void settle(Lane& l, std::size_t pending);
    void other(Lane& l, const RouteState& seen, bool takenOver);
    void rollBackLane(Lane& l);
    void holdLane(Lane& l, std::size_t to);
    void unmarkLane(Lane& l, const std::string& where);
    void unknownLane(Lane& l);
    RolloutReport summary(int exit, const std::string& head) const;

    const RolloutOptions& o_;
};

}  // namespace shift::app
