#include "core/rollout_steps.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <numeric>

#include "base/text.hpp"

namespace shift::core {

namespace {

Result<long long> parsePercent(std::string_view text, const std::string& all) {
    if (!text.empty() && text.back() == '%') text.remove_suffix(1);
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0 || value > 100) {
        return fail(fmt::format(
            "--steps {}: \"{}\" is not a percentage from 0 to 100; write e.g. --steps 10,25,50,100",
            printable(all), printable(text)));
    }
    return value;
}

bool sameKey(const Share& s, const std::string& key) {
    return s.key == key || s.host + "/" + s.subset == key;
}

// The others' shares of `rest` points, in proportion to their weights (largest remainder).
std::vector<long long> proportional(const std::vector<long long>& weights, long long rest) {
    long long total = std::accumulate(weights.begin(), weights.end(), 0LL);
    std::vector<long long> out(weights.size(), 0);
    std::vector<long long> remainder(weights.size(), 0);
    long long given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        long long w = total > 0 ? weights[i] : 1;  // all at 0: equal shares
        long long t = total > 0 ? total : static_cast<long long>(weights.size());
        out[i] = rest * w / t;
        remainder[i] = rest * w % t;
        given += out[i];
    }
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return remainder[a] > remainder[b]; });
    for (std::size_t i = 0; given < rest; ++i, ++given) out[order[i % order.size()]] += 1;
    return out;
}

}  // namespace

Result<std::vector<long long>> parseSteps(const std::string& text) {
    std::vector<long long> steps;
    std::string_view rest = text;
    while (true) {
        auto comma = rest.find(',');
        auto step = parsePercent(rest.substr(0, comma), text);
        if (!step) return step.error();
        if (!steps.empty() && *step <= steps.back()) {
            return fail(
                fmt::format("--steps {}: steps must rise ({} after {}); write e.g. --steps 10,25,50,100",
                            text, *step, steps.back()));
        }
        steps.push_back(*step);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return steps;
}

Result<StepPlan> planSteps(const RuleSplit& from, const std::string& key,
                           const std::vector<long long>& steps) {
    StepPlan plan;
    long long current = 0;
    std::vector<const Share*> others;
    for (const auto& d : from.destinations) {
        if (sameKey(d, key)) {
            current = d.weight;
        } else {
            others.push_back(&d);
        }
    }
    std::vector<long long> weights;
    for (const auto* o : others) weights.push_back(o->weight);
    for (auto percent : steps) {
        if (percent <= current) {
            plan.skipped.push_back(percent);
            continue;
        }
        if (percent < 100 && others.empty()) {
            return fail(
                fmt::format("{}: no destination besides {} to keep the other {}% at step {}%; add one or "
                            "end --steps at 100",
                            from.rule, key, 100 - percent, percent));
        }
        Step step{percent, {}};
        step.request.weights.push_back({key, percent});
        auto shares = proportional(weights, 100 - percent);
        for (std::size_t i = 0; i < others.size(); ++i)
            step.request.weights.push_back({others[i]->key, shares[i]});
        plan.steps.push_back(std::move(step));
    }
    if (!plan.skipped.empty()) {
        plan.notes.push_back(fmt::format("{} already has {}%: step{} {}% skipped", key, current,
                                         plan.skipped.size() > 1 ? "s" : "", fmt::join(plan.skipped, "%, ")));
    }
    if (!steps.empty() && steps.back() < 100) {
        plan.endsBelowFull = true;
        plan.notes.push_back(fmt::format("the rollout ends with {} at {}%, not 100% (--steps ends at {})",
                                         key, steps.back(), steps.back()));
    }
    return plan;
}

}  // namespace shift::core
