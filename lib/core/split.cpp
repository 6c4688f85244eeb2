#include "core/split.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace shift::core {

namespace {

// A key names a destination by subset, by host, or by HOST/SUBSET.
struct Key {
    std::string host;    // empty: any host
    std::string subset;  // with host set and no slash: unused
    bool bySlash = false;
};

Key splitKey(const std::string& key) {
    auto slash = key.find('/');
    if (slash == std::string::npos) return Key{"", key, false};
    return Key{key.substr(0, slash), key.substr(slash + 1), true};
}

// The key the summary shows for a destination: its subset, or its host when it has none.
std::string displayKey(const Destination& d) { return d.subset.empty() ? d.host : d.subset; }

struct Match {
    std::optional<std::size_t> existing;  // index of the matched destination
    std::size_t templ = 0;                // Add: which destination to copy
    std::string host, subset;             // Add: the new destination
};

std::string where(const VirtualService& vs, const Rule& rule) {
    return fmt::format("VirtualService {} {}", qualifiedName(vs), ruleLabel(rule));
}

Result<Match> matchKey(const VirtualService& vs, const Rule& rule, const std::string& text) {
    const auto& route = rule.route;
    Key key = splitKey(text);
    std::vector<std::size_t> hits;
    for (std::size_t i = 0; i < route.size(); ++i) {
        const auto& d = route[i];
        bool hit = key.bySlash
                       ? sameHost(d.host, key.host, vs.ns) && d.subset == key.subset
                       : d.subset == key.subset || (d.subset.empty() && sameHost(d.host, key.subset, vs.ns));
        if (hit) hits.push_back(i);
    }
    if (hits.size() == 1) return Match{hits[0], hits[0], {}, {}};
    if (hits.size() > 1) {
        std::vector<std::string> names;
        for (auto i : hits) names.push_back(route[i].host + "/" + route[i].subset);
        return fail(fmt::format("{}: \"{}\" matches {} destinations ({}); name one as HOST/SUBSET",
                                where(vs, rule), text, hits.size(), fmt::join(names, ", ")));
    }
    if (route.empty() && !rule.delegate.empty()) {
        return fail(
            fmt::format("{} delegates to VirtualService {}; shift that one (Istio routes there, not here)",
                        where(vs, rule), rule.delegate));
    }
    // A new destination: copy one of the same host, so port and other fields carry over.
    if (route.empty()) {
        return fail(fmt::format("{} has no destinations to copy \"{}\" from; add one to the manifest first",
                                where(vs, rule), text));
    }
    if (key.bySlash) {
        for (std::size_t i = 0; i < route.size(); ++i) {
            if (sameHost(route[i].host, key.host, vs.ns))
                return Match{std::nullopt, i, route[i].host, key.subset};
        }
        // A new host: copy the first destination's other fields.
        return Match{std::nullopt, 0, key.host, key.subset};
    }
    bool usesSubsets =
        std::any_of(route.begin(), route.end(), [](const auto& d) { return !d.subset.empty(); });
    if (!usesSubsets) return Match{std::nullopt, 0, text, ""};  // destinations are told apart by host
    std::set<std::string> hosts;
    for (const auto& d : route) hosts.insert(fqdn(d.host, vs.ns));
    if (hosts.size() > 1) {
        std::vector<std::string> names;
        for (const auto& d : route) names.push_back(d.host);
        names.erase(std::unique(names.begin(), names.end()), names.end());
        return fail(
            fmt::format("{}: cannot tell which host the new subset \"{}\" belongs to; write HOST/{} with "
                        "one of: {}",
                        where(vs, rule), text, text, fmt::join(names, ", ")));
    }
    return Match{std::nullopt, 0, route[0].host, text};
}

}  // namespace

Result<RulePlan> planSplit(const VirtualService& vs, std::size_t ruleIndex, const Request& request,
                           const SplitOptions& options) {
    const Rule& rule = vs.rules.at(ruleIndex);
    const auto& route = rule.route;
    RulePlan plan;
    plan.rule = ruleIndex;

    // Requested weights by current destination; new destinations in request order.
    std::vector<std::optional<long long>> requested(route.size());
    std::vector<std::string> requestKey(route.size());
    std::vector<DestinationPlan> added;
    long long sum = 0;
    for (const auto& spec : request.weights) {
        auto match = matchKey(vs, rule, spec.key);
        if (!match) return match.error();
        sum += spec.weight;
        if (match->existing) {
            auto i = *match->existing;
            if (requested[i]) {
                return fail(fmt::format("{}: \"{}\" and \"{}\" name the same destination; list it once",
                                        where(vs, rule), requestKey[i], spec.key));
            }
            requested[i] = spec.weight;
            requestKey[i] = spec.key;
            continue;
        }
        for (const auto& a : added) {
            if (a.host == match->host && a.subset == match->subset) {
                return fail(fmt::format("{}: \"{}\" and \"{}\" name the same destination; list it once",
                                        where(vs, rule), a.key, spec.key));
            }
        }
        DestinationPlan d;
        d.action = DestinationPlan::Action::Add;
        d.from = match->templ;
        d.key = spec.key;
        d.host = match->host;
        d.subset = match->subset;
        d.afterShare = spec.weight;
        added.push_back(std::move(d));
    }

    std::vector<std::size_t> unlisted;
    for (std::size_t i = 0; i < route.size(); ++i) {
        if (!requested[i]) unlisted.push_back(i);
    }
    if (sum > 100) {
        return fail(fmt::format("{}: weights {} sum to {}, not 100; lower them by {}", where(vs, rule),
                                describe(request), sum, sum - 100));
    }
    if (sum < 100) {
        // A partial request: the one destination left out takes the rest.
        if (unlisted.size() == 1) {
            requested[unlisted[0]] = 100 - sum;
        } else {
            std::vector<std::string> names;
            for (auto i : unlisted) names.push_back(displayKey(route[i]));
            std::string fix =
                names.empty()
                    ? fmt::format("raise one of them by {}", 100 - sum)
                    : fmt::format("give the missing {} to {} (e.g. {}={})", 100 - sum,
                                  names.size() == 1 ? names[0]
                                                    : "one of " + fmt::format("{}", fmt::join(names, ", ")),
                                  names[0], 100 - sum);
            return fail(fmt::format("{}: weights {} sum to {}, not 100; {}", where(vs, rule),
                                    describe(request), sum, fix));
        }
    }

    // Destinations that stay, in their current order, then the new ones.
    std::size_t remaining = 0;
    for (std::size_t i = 0; i < route.size(); ++i) {
        long long w = requested[i].value_or(0);
        if (w > 0 || options.keepZero) ++remaining;
    }
    for (const auto& a : added) {
        if (a.afterShare > 0 || options.keepZero) ++remaining;
    }
    // A single destination carries no weight, as in Istio's samples.
    bool omitWeight = remaining == 1 && !options.explicitWeights;

    for (std::size_t i = 0; i < route.size(); ++i) {
        DestinationPlan d;
        d.from = i;
        d.key = requestKey[i].empty() ? displayKey(route[i]) : requestKey[i];
        d.before = route[i].weight;
        d.beforeShare = effectiveWeight(rule, i);
        d.afterShare = requested[i].value_or(0);
        bool keep = d.afterShare > 0 || options.keepZero;
        d.action = keep ? DestinationPlan::Action::Keep : DestinationPlan::Action::Remove;
        // A lone destination that already says weight: 100 keeps it: nothing to change.
        if (keep && (!omitWeight || d.before == 100)) d.after = d.afterShare;
        if (!keep || d.before != d.after) plan.changed = true;
        plan.destinations.push_back(std::move(d));
    }
    for (auto& a : added) {
        if (a.afterShare == 0 && !options.keepZero) continue;  // adding a 0 is a no-op
        if (!omitWeight) a.after = a.afterShare;
        plan.changed = true;
        plan.destinations.push_back(std::move(a));
    }
    return plan;
}

}  // namespace shift::core
