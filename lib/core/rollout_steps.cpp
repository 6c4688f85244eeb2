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

Result<StepPlan> planSteps(const RuleSplit& from, const std::string& key, const std::vector<long long>& steps,
                           const std::vector<std::string>& pins) {
    StepPlan plan;
    long long current = 0;
    std::vector<const Share*> others, pinned;
    for (const auto& pin : pins) {
        if (pin == key)
            return fail(fmt::format("--pin {} is the destination --to moves; pin another one", pin));
        bool found = std::any_of(from.destinations.begin(), from.destinations.end(),
                                 [&](const Share& s) { return sameKey(s, pin); });
        if (!found) {
            std::vector<std::string> keys;
            for (const auto& d : from.destinations) keys.push_back(d.key);
            return fail(fmt::format("--pin {}: {} has no destination \"{}\"; name one of: {}", pin, from.rule,
                                    pin, fmt::join(keys, ", ")));
        }
    }
    long long pinnedTotal = 0;
    for (const auto& d : from.destinations) {
        bool isPinned =
            std::any_of(pins.begin(), pins.end(), [&](const std::string& p) { return sameKey(d, p); });
        if (sameKey(d, key)) {
            current = d.weight;
        } else if (isPinned) {
            pinned.push_back(&d);
            pinnedTotal += d.weight;
        } else {
            others.push_back(&d);
        }
    }
    std::vector<long long> weights;
    for (const auto* o : others) weights.push_back(o->weight);
    std::vector<std::string> pinText;
    for (const auto* p : pinned) pinText.push_back(fmt::format("{} at {}%", p->key, p->weight));
    for (auto percent : steps) {
        if (percent > 100 - pinnedTotal) {
            return fail(fmt::format(
                "step {}% needs {}% of pinned traffic ({}); end --steps at {} or drop --pin", percent,
                percent - (100 - pinnedTotal), fmt::join(pinText, ", "), 100 - pinnedTotal));
        }
    }
    for (auto percent : steps) {
        if (percent <= current) {
            plan.skipped.push_back(percent);
            continue;
        }
        long long rest = 100 - pinnedTotal - percent;
        if (rest > 0 && others.empty()) {
            return fail(
                fmt::format("{}: no destination besides {} to keep the other {}% at step {}%; add one or "
                            "end --steps at {}",
                            from.rule, key, rest, percent, 100 - pinnedTotal));
        }
        Step step{percent, {}};
        step.request.weights.push_back({key, percent, std::nullopt});
        auto shares = proportional(weights, rest);
        for (std::size_t i = 0; i < others.size(); ++i)
            step.request.weights.push_back({others[i]->key, shares[i], std::nullopt});
        for (const auto* p : pinned) step.request.weights.push_back({p->key, p->weight, std::nullopt});
        step.request.pins = pins;
        plan.steps.push_back(std::move(step));
    }
    if (!plan.skipped.empty()) {
        plan.notes.push_back(fmt::format("{} already has {}%: step{} {}% skipped", key, current,
                                         plan.skipped.size() > 1 ? "s" : "", fmt::join(plan.skipped, "%, ")));
    }
    if (!steps.empty() && steps.back() < 100 - pinnedTotal) {
        plan.endsBelowFull = true;
        plan.notes.push_back(fmt::format("the rollout ends with {} at {}%, not 100% (--steps ends at {})",
                                         key, steps.back(), steps.back()));
    }
    return plan;
}

}  // namespace shift::core
