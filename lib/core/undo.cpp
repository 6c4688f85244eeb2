#include "core/undo.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace shift::core {

namespace {

// "http[0]" -> "http:0", when the label has that shape.
std::optional<std::string> selectorOf(const std::string& label) {
    auto open = label.find('[');
    if (open == std::string::npos || label.back() != ']') return std::nullopt;
    return label.substr(0, open) + ":" + label.substr(open + 1, label.size() - open - 2);
}

bool ruleExists(const VirtualService& vs, const std::string& label) {
    return std::any_of(vs.rules.begin(), vs.rules.end(), [&](const Rule& r) {
        return fmt::format("{}[{}]", listName(r.list), r.index) == label && !r.route.empty();
    });
}

// "kubectl shift history reviews -n istio-demo": the command that lists what undo can return to.
std::string historyCommand(const VirtualService& vs) {
    auto target = vs.kind == RouteKind::HTTPRoute ? "httproute/" + vs.name : vs.name;
    return vs.ns.empty() ? "kubectl shift history " + target
                         : fmt::format("kubectl shift history {} -n {}", target, vs.ns);
}

Result<const Revision*> chooseRevision(const std::vector<Revision>& history, std::optional<long long> to,
                                       const VirtualService& vs) {
    auto name = fmt::format("{} {}", kindName(vs.kind), qualifiedName(vs));
    if (history.empty()) {
        return fail(
            fmt::format("{} has no history: shift has not changed it yet, so there is "
                        "nothing to undo",
                        name));
    }
    if (history.size() < 2 && !to) {
        return fail(fmt::format("{} has no earlier revision to return to (its history holds {}); see `{}`",
                                name, history.size(), historyCommand(vs)));
    }
    if (!to) return &history[history.size() - 2];
    for (const auto& r : history) {
        if (r.number == *to) return &r;
    }
    std::string kept = history.empty()
                           ? std::string("none")
                           : fmt::format("{} to {}", history.front().number, history.back().number);
    return fail(fmt::format("revision {} is not in the history of {} (kept: {}); see `{}`", *to, name, kept,
                            historyCommand(vs)));
}

}  // namespace

Result<Request> requestOfSplit(const std::string& split) {
    std::vector<std::string> parts;
    std::size_t at = 0;
    while (at <= split.size()) {
        auto comma = split.find(',', at);
        parts.push_back(split.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
        if (comma == std::string::npos) break;
        at = comma + 1;
    }
    return parseRequest(parts);
}

Result<UndoPlan> planUndo(const VirtualService& vs, const std::vector<Revision>& history,
                          std::optional<long long> toRevision) {
    auto name = fmt::format("{} {}", kindName(vs.kind), qualifiedName(vs));
    auto chosen = chooseRevision(history, toRevision, vs);
    if (!chosen) return chosen.error();
    UndoPlan plan;
    plan.revision = (*chosen)->number;
    for (const auto& rule : (*chosen)->rules) {
        auto selector = selectorOf(rule.rule);
        if (!selector || !ruleExists(vs, rule.rule)) {
            return fail(
                fmt::format("revision {} sets rule {} of {}, which no longer exists; nothing changed — "
                            "see `{}` for another revision, or set the split with `kubectl shift set`",
                            plan.revision, rule.rule, name, historyCommand(vs)));
        }
        auto request = requestOfSplit(rule.split);
        if (!request) {
            return fail(fmt::format("revision {} of {} records \"{}\" for {}, which is not a split: {}",
                                    plan.revision, name, rule.split, rule.rule, request.error().message));
        }
        plan.rules.push_back({*selector, std::move(*request)});
    }
    return plan;
}

Result<ShiftPlan> planRestore(const doc::Node& object, const UndoPlan& undo, const SplitOptions& options) {
    std::optional<ShiftPlan> out;
    for (const auto& rule : undo.rules) {
        ShiftOptions one{{rule.selector}, options, true};
        const auto& w = rule.request.weights;
        one.split.keepZero = options.keepZero || std::any_of(w.begin(), w.end(), [](const WeightSpec& s) {
                                 return s.weight == 0;
                             });
        auto planned = planShift(object, rule.request, one, nullptr);
        if (!planned) return planned.error();
        if (!out) {
            out = std::move(*planned);
            continue;
        }
        // Every plan holds the same VirtualService as read: only the rules and warnings add up.
        for (auto& r : planned->rules) out->rules.push_back(std::move(r));
        for (auto& warning : planned->warnings) {
            if (std::find(out->warnings.begin(), out->warnings.end(), warning) == out->warnings.end())
                out->warnings.push_back(std::move(warning));
        }
        out->changed = out->changed || planned->changed;
    }
    if (!out) return fail(fmt::format("revision {} records no rule to restore", undo.revision));
    return std::move(*out);
}

}  // namespace shift::core
