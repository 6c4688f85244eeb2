#include "core/split_resolve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "core/split.hpp"
#include "core/split_view.hpp"

namespace shift::core {

namespace {

std::string where(const VirtualService& vs, const Rule& rule) {
    return fmt::format("{} {} {}", kindName(vs.kind), qualifiedName(vs), ruleLabel(rule));
}

struct Current {
    std::vector<std::string> keys;  // as requests name each destination
    std::vector<long long> millis;  // current share of each
    std::set<std::size_t> pinned;
};

// A key that must name a destination of the route now (a pin, an --adjust).
Result<std::size_t> existing(const VirtualService& vs, const Rule& rule, const std::string& key,
                             const Current& c, const char* what) {
    auto found = findDestination(vs, rule, key);
    if (!found) return found.error();
    if (!*found) {
        return fail(fmt::format("{} {}: {} has no destination \"{}\"; name one of: {}", what, key,
                                where(vs, rule), key, fmt::join(c.keys, ", ")));
    }
    return **found;
}

Error pinnedChange(const std::string& key, long long now, long long wanted) {
    return fail(
        fmt::format("{} is pinned at {}% (--pin {}) and the request would set it to {}%; drop --pin {} "
                    "or leave {} at {}%",
                    key, percentText(now), key, percentText(wanted), key, key, percentText(now)));
}

Result<Request> absolute(const VirtualService& vs, const Rule& rule, const Request& request,
                         const Current& c) {
    Request out = request;
    out.pins.clear();
    std::set<std::size_t> named;
    for (const auto& spec : request.weights) {
        auto found = findDestination(vs, rule, spec.key);
        if (!found) return found.error();
        if (!*found) continue;
        named.insert(**found);
        if (c.pinned.count(**found) && millisOf(spec) != c.millis[**found])
            return pinnedChange(spec.key, c.millis[**found], millisOf(spec));
    }
    for (auto i : c.pinned) {
        if (!named.count(i)) out.weights.push_back({c.keys[i], c.millis[i] / kMilli, c.millis[i]});
    }
    return out;
}

// Whole percentages stay whole: the rest moves in whole points unless something is already finer.
long long unitOf(const Request& request, const Current& c) {
    bool whole = !isFractional(request) &&
                 std::all_of(c.millis.begin(), c.millis.end(), [](long long m) { return m % kMilli == 0; });
    return whole ? kMilli : 1;
}

Result<Request> adjust(const VirtualService& vs, const Rule& rule, const Request& request, const Current& c) {
    std::vector<long long> next = c.millis;
    std::set<std::size_t> adjusted;
    long long delta = 0;
    for (const auto& spec : request.weights) {
        auto i = existing(vs, rule, spec.key, c, "--adjust");
        if (!i) return i.error();
        if (c.pinned.count(*i)) return pinnedChange(spec.key, c.millis[*i], c.millis[*i] + millisOf(spec));
        if (adjusted.count(*i)) return fail(fmt::format("--adjust names {} twice; list it once", c.keys[*i]));
        adjusted.insert(*i);
        next[*i] += millisOf(spec);
        delta += millisOf(spec);
        if (next[*i] < 0 || next[*i] > kWhole) {
            return fail(
                fmt::format("--adjust {}={}{} would put {} at {}% (it has {}%); a share stays from 0 to 100",
                            spec.key, millisOf(spec) < 0 ? "" : "+", percentText(millisOf(spec)), spec.key,
                            percentText(next[*i]), percentText(c.millis[*i])));
        }
    }
    std::vector<std::size_t> others;
    std::vector<long long> weights;
    long long held = 0;
    for (std::size_t i = 0; i < c.millis.size(); ++i) {
        if (adjusted.count(i) || c.pinned.count(i)) continue;
        others.push_back(i);
        weights.push_back(c.millis[i]);
        held += c.millis[i];
    }
    if (delta != 0 && others.empty()) {
        return fail(fmt::format(
            "--adjust: {} has no other unpinned destination to {} the {} points; add one, or "
            "set the split with KEY=WEIGHT",
            where(vs, rule), delta > 0 ? "take" : "give", percentText(delta < 0 ? -delta : delta)));
    }
    if (held - delta < 0) {
        return fail(
            fmt::format("--adjust: the other unpinned destinations of {} hold only {}%, not the {} points "
                        "asked for; ask for at most +{}",
                        where(vs, rule), percentText(held), percentText(delta), percentText(held)));
    }
    auto shares = proportionalMillis(weights, held - delta, unitOf(request, c));
    for (std::size_t k = 0; k < others.size(); ++k) next[others[k]] = shares[k];
    Request out;
    for (std::size_t i = 0; i < next.size(); ++i)
        out.weights.push_back({c.keys[i], next[i] / kMilli, next[i]});
    return out;
}

Result<Request> equal(const VirtualService& vs, const Rule& rule, const Request& request, const Current& c) {
    std::vector<std::string> keys;
    std::set<std::size_t> listed;
    long long pinnedTotal = 0;
    for (auto i : c.pinned) pinnedTotal += c.millis[i];
    for (const auto& spec : request.weights) {
        auto found = findDestination(vs, rule, spec.key);
        if (!found) return found.error();
        if (*found && c.pinned.count(**found))
            return fail(
                fmt::format("--equal {}: {} is pinned (--pin {}); leave it out of --equal or drop the pin",
                            spec.key, spec.key, spec.key));
        if (*found) listed.insert(**found);
        keys.push_back(spec.key);
    }
    if (request.weights.empty()) {
        for (std::size_t i = 0; i < c.keys.size(); ++i) {
            if (!c.pinned.count(i)) keys.push_back(c.keys[i]);
        }
    }
    if (keys.empty()) {
        return fail(
            fmt::format("--equal: every destination of {} is pinned; nothing to share", where(vs, rule)));
    }
    long long rest = kWhole - pinnedTotal;
    long long unit = rest % kMilli == 0 ? kMilli : 1;
    auto shares = proportionalMillis(std::vector<long long>(keys.size(), 0), rest, unit);
    Request out;
    for (std::size_t k = 0; k < keys.size(); ++k)
        out.weights.push_back({keys[k], shares[k] / kMilli, shares[k]});
    for (std::size_t i = 0; i < c.keys.size(); ++i) {
        if (c.pinned.count(i)) {
            out.weights.push_back({c.keys[i], c.millis[i] / kMilli, c.millis[i]});
        } else if (!request.weights.empty() && !listed.count(i)) {
            out.weights.push_back({c.keys[i], 0, 0});  // --equal v1 v2: the others go to 0, named
        }
    }
    return out;
}

}  // namespace

bool anyTotal(const VirtualService& vs, WeightSum sum) {
    return vs.kind == RouteKind::HTTPRoute || sum == WeightSum::AnyTotal;
}

std::vector<long long> currentMillis(const VirtualService& vs, const Rule& rule, WeightSum sum) {
    std::vector<long long> weights;
    for (std::size_t i = 0; i < rule.route.size(); ++i) {
        const auto& w = rule.route[i].weight;
        if (vs.kind == RouteKind::HTTPRoute) {
            weights.push_back(std::max(0LL, w.value_or(1)));
        } else {
            weights.push_back(w ? std::max(0LL, *w) : rule.route.size() == 1 ? 100 : 0);
        }
    }
    long long total = std::accumulate(weights.begin(), weights.end(), 0LL);
    if (total == 100 || total == 0 || !anyTotal(vs, sum)) {
        for (auto& w : weights) w *= kMilli;
        return weights;
    }
    return proportionalMillis(weights, kWhole, 1);
}

std::vector<long long> proportionalMillis(const std::vector<long long>& weights, long long total,
                                          long long unit) {
    long long sum = std::accumulate(weights.begin(), weights.end(), 0LL);
    long long units = total / unit;
    std::vector<long long> out(weights.size(), 0);
    if (weights.empty()) return out;
    std::vector<long long> remainder(weights.size(), 0);
    long long given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        // 128-bit: thousandths times HTTPRoute weights (up to 10^6 each) can pass 2^63.
        __int128 w = sum > 0 ? weights[i] : 1;
        __int128 t = sum > 0 ? sum : static_cast<long long>(weights.size());
        out[i] = static_cast<long long>(units * w / t);
        remainder[i] = static_cast<long long>(units * w % t);
        given += out[i];
    }
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return remainder[a] > remainder[b]; });
    for (std::size_t k = 0; given < units; ++k, ++given) out[order[k % order.size()]] += 1;
    for (auto& o : out) o *= unit;
    return out;
}

Result<Request> resolveRequest(const VirtualService& vs, std::size_t ruleIndex, const Request& request,
                               WeightSum sum) {
    const Rule& rule = vs.rules.at(ruleIndex);
    Current c;
    auto split = splitOf(vs, {ruleIndex});  // kept: a range-for over a temporary's member would dangle
    for (const auto& share : split.at(0).destinations) c.keys.push_back(share.key);
    c.millis = currentMillis(vs, rule, sum);
    for (const auto& pin : request.pins) {
        auto i = existing(vs, rule, pin, c, "--pin");
        if (!i) return i.error();
        c.pinned.insert(*i);
    }
    switch (request.mode) {
        case RequestMode::Adjust:
            return adjust(vs, rule, request, c);
        case RequestMode::Equal:
            return equal(vs, rule, request, c);
        case RequestMode::Absolute:
            break;
    }
    return absolute(vs, rule, request, c);
}

}  // namespace shift::core
