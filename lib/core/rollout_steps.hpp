#pragma once
// The steps of a staged rollout, planned from the split it starts from: pure, so the rollout engine
// only applies them. Each step is a full request that goes through the same planner as `shift set`.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/request.hpp"
#include "core/split_view.hpp"

namespace shift::core {

struct Step {
    long long percent = 0;  // KEY's share after this step
    Request request;        // the whole split after this step, KEY first
};

struct StepPlan {
    std::vector<Step> steps;         // only the steps above KEY's current share
    std::vector<long long> skipped;  // requested steps at or below KEY's current share
    bool endsBelowFull = false;      // --steps ends under 100 on purpose: KEY keeps that share
    std::vector<std::string> notes;  // what the plan says about itself (skips, final share)
};

// Parses "10,25,50,100": each an integer percentage 0-100 (a `%` is allowed), strictly rising.
Result<std::vector<long long>> parseSteps(const std::string& text);

// Gives KEY each step's percentage and the other destinations of `from` the rest in proportion to
// their current weights. Rounding: each other destination gets the floor of its exact share, and
// the points left go one each to the largest remainders (ties: route order), so a step always sums
// to exactly 100 and never moves traffic between the others. Others that all carry 0 share equally.
// Pinned destinations keep their share at every step and take no part in the proportion; a step
// that would need a pinned share (above 100 minus the pinned) is an error naming the pins.
Result<StepPlan> planSteps(const RuleSplit& from, const std::string& key, const std::vector<long long>& steps,
                           const std::vector<std::string>& pins = {});

}  // namespace shift::core
