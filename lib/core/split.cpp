#include "core/split.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "core/delegates.hpp"
#include "core/http_route.hpp"

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

// The key the summary shows for a destination: its subset, or its host when it has none; an
// HTTPRoute's backendRef as requests name it.
std::string displayKey(const VirtualService& vs, const Destination& d) {
    if (vs.kind == RouteKind::HTTPRoute) return backendKey(d, vs.ns);
    return d.subset.empty() ? d.host : d.subset;
}

struct Match {
    std::optional<std::size_t> existing;  // index of the matched destination
    std::size_t templ = 0;                // Add: which destination to copy
    std::string host, subset;             // Add: the new destination
    std::string ns, kind;                 // Add, HTTPRoute: the new backendRef's namespace and kind
};

std::string where(const VirtualService& vs, const Rule& rule) {
    return fmt::format("{} {} {}", kindName(vs.kind), qualifiedName(vs), ruleLabel(rule));
}

// An HTTPRoute's backendRef by KEY; a new one copies the rule's ref of the same kind (port, filters
// and group carry over), the first ref when the key names a Service.
Result<Match> matchBackend(const VirtualService& vs, const Rule& rule, const std::string& text) {
    auto key = parseBackendKey(text);
    if (key.name.empty()) {
        return fail(fmt::format("{}: \"{}\" names no backendRef; write NAME, NAMESPACE/NAME or KIND/NAME",
                                where(vs, rule), text));
    }
    for (std::size_t i = 0; i < rule.route.size(); ++i) {
        if (namesBackend(key, rule.route[i], vs.ns)) return Match{i, i, {}, {}, {}, {}};
    }
    if (rule.route.empty()) {
        return fail(fmt::format("{} has no backendRefs to copy \"{}\" from; add one to the manifest first",
                                where(vs, rule), text));
    }
    std::string ns = key.ns == vs.ns ? std::string() : key.ns;
    if (key.kind.empty() || key.kind == "Service") return Match{std::nullopt, 0, key.name, {}, ns, {}};
    for (std::size_t i = 0; i < rule.route.size(); ++i) {
        if (rule.route[i].kind == key.kind) return Match{std::nullopt, i, key.name, {}, ns, key.kind};
    }
    return fail(
        fmt::format("{}: no backendRef of kind {} to copy its group from for \"{}\"; add one to the "
                    "manifest first",
                    where(vs, rule), key.kind, text));
}

Result<Match> matchKey(const VirtualService& vs, const Rule& rule, const std::string& text) {
    if (vs.kind == RouteKind::HTTPRoute) return matchBackend(vs, rule, text);
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
    if (hits.size() == 1) return Match{hits[0], hits[0], {}, {}, {}, {}};
    if (hits.size() > 1) {
        std::vector<std::string> names;
        for (auto i : hits) names.push_back(route[i].host + "/" + route[i].subset);
        return fail(fmt::format("{}: \"{}\" matches {} destinations ({}); name one as HOST/SUBSET",
                                where(vs, rule), text, hits.size(), fmt::join(names, ", ")));
    }
    if (auto delegated = delegatedRule(vs, rule)) return *delegated;
    // A new destination: copy one of the same host, so port and other fields carry over.
    if (route.empty()) {
        return fail(fmt::format("{} has no destinations to copy \"{}\" from; add one to the manifest first",
                                where(vs, rule), text));
    }
    if (key.bySlash) {
        for (std::size_t i = 0; i < route.size(); ++i) {
            if (sameHost(route[i].host, key.host, vs.ns))
                return Match{std::nullopt, i, route[i].host, key.subset, {}, {}};
        }
        // A new host: copy the first destination's other fields.
        return Match{std::nullopt, 0, key.host, key.subset, {}, {}};
    }
    bool usesSubsets =
        std::any_of(route.begin(), route.end(), [](const auto& d) { return !d.subset.empty(); });
    if (!usesSubsets) return Match{std::nullopt, 0, text, "", {}, {}};  // destinations are told apart by host
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
    return Match{std::nullopt, 0, route[0].host, text, {}, {}};
}

// The request laid over the route: a weight per current destination (or none), the key that named
// it, and the new destinations in request order.
struct Assignment {
    std::vector<std::optional<long long>> requested;  // thousandths of a percent
    std::vector<std::string> requestKey;
    std::vector<DestinationPlan> added;
    long long sum = 0;
};

Error namedTwice(const VirtualService& vs, const Rule& rule, const std::string& first,
                 const std::string& second) {
    return fail(fmt::format("{}: \"{}\" and \"{}\" name the same destination; list it once", where(vs, rule),
                            first, second));
}

Result<Assignment> assign(const VirtualService& vs, const Rule& rule, const Request& request) {
    Assignment a;
    a.requested.resize(rule.route.size());
    a.requestKey.resize(rule.route.size());
    for (const auto& spec : request.weights) {
        auto match = matchKey(vs, rule, spec.key);
        if (!match) return match.error();
        a.sum += millisOf(spec);
        if (match->existing) {
            auto i = *match->existing;
            if (a.requested[i]) return namedTwice(vs, rule, a.requestKey[i], spec.key);
            a.requested[i] = millisOf(spec);
            a.requestKey[i] = spec.key;
            continue;
        }
        for (const auto& added : a.added) {
            if (added.host == match->host && added.subset == match->subset && added.ns == match->ns &&
                added.backendKind == match->kind) {
                return namedTwice(vs, rule, added.key, spec.key);
            }
        }
        DestinationPlan d;
        d.action = DestinationPlan::Action::Add;
        d.from = match->templ;
        d.key = spec.key;
        d.host = match->host;
        d.subset = match->subset;
        d.ns = match->ns;
        d.backendKind = match->kind;
        d.backendRef = vs.kind == RouteKind::HTTPRoute;
        d.afterMilli = millisOf(spec);
        a.added.push_back(std::move(d));
    }
    return a;
}

// The weights must sum to 100; a partial request gives the rest to the one destination left out.
Status completeTo100(const VirtualService& vs, const Rule& rule, const Request& request, Assignment& a) {
    const auto& route = rule.route;
    std::vector<std::size_t> unlisted;
    for (std::size_t i = 0; i < route.size(); ++i) {
        if (!a.requested[i]) unlisted.push_back(i);
    }
    auto pct = [](long long m) { return percentText(m); };
    if (a.sum > kWhole) {
        return fail(fmt::format("{}: weights {} sum to {}, not 100; lower them by {}", where(vs, rule),
                                describe(request), pct(a.sum), pct(a.sum - kWhole)));
    }
    if (a.sum == kWhole) return okStatus();
    if (unlisted.size() == 1) {
        a.requested[unlisted[0]] = kWhole - a.sum;
        return okStatus();
    }
    std::vector<std::string> names;
    for (auto i : unlisted) names.push_back(displayKey(vs, route[i]));
    auto missing = pct(kWhole - a.sum);
    std::string fix =
        names.empty() ? fmt::format("raise one of them by {}", missing)
                      : fmt::format("give the missing {} to {} (e.g. {}={})", missing,
                                    names.size() == 1 ? names[0]
                                                      : "one of " + fmt::format("{}", fmt::join(names, ", ")),
                                    names[0], missing);
    return fail(fmt::format("{}: weights {} sum to {}, not 100; {}", where(vs, rule), describe(request),
                            pct(a.sum), fix));
}

// A single destination carries no weight, as in Istio's samples.
bool omitsWeight(const Assignment& a, const SplitOptions& options) {
    std::size_t remaining = 0;
    for (const auto& w : a.requested) {
        if (w.value_or(0) > 0 || options.keepZero) ++remaining;
    }
    for (const auto& added : a.added) {
        if (added.afterMilli > 0 || options.keepZero) ++remaining;
    }
    return remaining == 1 && !options.explicitWeights;
}

// Whole percentages are written as they are; a finer split as the smallest integers with the same
// ratio (99.5/0.5 is 199/1): the divisor is the greatest common divisor of the thousandths.
long long weightDivisor(const Assignment& a) {
    long long g = 0;
    for (const auto& w : a.requested) g = std::gcd(g, w.value_or(0));
    for (const auto& added : a.added) g = std::gcd(g, added.afterMilli);
    return g == 0 || g % kMilli == 0 ? kMilli : g;
}

// Istio before 1.15 rejects weights that do not sum to 100; a finer split needs a target that takes
// any positive total (istio/istio#39544, the Gateway API).
Status checkFractionAllowed(const VirtualService& vs, const Rule& rule, const Request& request,
                            const SplitOptions& options) {
    if (anyTotal(vs, options.sum)) return okStatus();
    auto why =
        options.sum == WeightSum::Sum100
            ? "this Istio requires weights that sum to 100 (1.14 and older), so only whole percentages "
              "can be written"
            : "shift cannot tell whether this Istio accepts weights that do not sum to 100 (1.15 and "
              "newer do)";
    auto told = options.sumWhy.empty() ? std::string() : " (" + options.sumWhy + ")";
    return fail(
        fmt::format("{}: {} is finer than whole percentages and {}{}; use whole percentages{}",
                    where(vs, rule), describe(request), why, told,
                    options.sum == WeightSum::Sum100 ? "" : ", or --weights any-total on Istio 1.15+"));
}

// Destinations that stay or go, in their current order, then the new ones.
RulePlan layOut(const VirtualService& vs, std::size_t ruleIndex, Assignment& a, const SplitOptions& options,
                const std::vector<long long>& before) {
    const Rule& rule = vs.rules.at(ruleIndex);
    bool relative = vs.kind == RouteKind::HTTPRoute;
    RulePlan plan;
    plan.rule = ruleIndex;
    bool omitWeight = omitsWeight(a, options);
    long long divisor = weightDivisor(a);
    for (std::size_t i = 0; i < rule.route.size(); ++i) {
        DestinationPlan d;
        d.from = i;
        d.key = a.requestKey[i].empty() ? displayKey(vs, rule.route[i]) : a.requestKey[i];
        d.backendRef = relative;
        d.before = rule.route[i].weight;
        d.beforeShare = effectiveWeight(rule, i);
        d.beforeMilli = before[i];
        // Istio 1.15+ reads 199/1 as 99.5/0.5: show the share, not the weight.
        if (!relative && anyTotal(vs, options.sum)) d.beforeShare = before[i] / kMilli;
        d.afterMilli = a.requested[i].value_or(0);
        d.afterShare = d.afterMilli / kMilli;
        bool keep = d.afterMilli > 0 || options.keepZero;
        d.action = keep ? DestinationPlan::Action::Keep : DestinationPlan::Action::Remove;
        // A lone destination that already says weight: 100 keeps it: nothing to change.
        if (keep && (!omitWeight || d.before == 100)) d.after = d.afterMilli / divisor;
        // A lone backendRef with any positive weight already takes all traffic: weights are relative.
        if (keep && omitWeight && relative && rule.route.size() == 1 && d.before.value_or(0) > 0)
            d.after = d.before;
        if (!keep || d.before != d.after) plan.changed = true;
        plan.destinations.push_back(std::move(d));
    }
    for (auto& added : a.added) {
        if (added.afterMilli == 0 && !options.keepZero) continue;  // adding a 0 is a no-op
        added.afterShare = added.afterMilli / kMilli;
        if (!omitWeight) added.after = added.afterMilli / divisor;
        plan.changed = true;
        plan.destinations.push_back(std::move(added));
    }
    return plan;
}

}  // namespace

Result<RulePlan> planSplit(const VirtualService& vs, std::size_t ruleIndex, const Request& request,
                           const SplitOptions& options) {
    const Rule& rule = vs.rules.at(ruleIndex);
    // Before the request is resolved: --equal and --adjust would find no destinations to work on.
    if (auto delegated = delegatedRule(vs, rule)) return *delegated;
    auto resolved = resolveRequest(vs, ruleIndex, request, options.sum);
    if (!resolved) return resolved.error();
    auto assignment = assign(vs, rule, *resolved);
    if (!assignment) return assignment.error();
    if (auto st = completeTo100(vs, rule, *resolved, *assignment); !st) return st.error();
    if (weightDivisor(*assignment) != kMilli) {
        if (auto st = checkFractionAllowed(vs, rule, *resolved, options); !st) return st.error();
    }
    return layOut(vs, ruleIndex, *assignment, options, currentMillis(vs, rule, options.sum));
}

Result<std::optional<std::size_t>> findDestination(const VirtualService& vs, const Rule& rule,
                                                   const std::string& key) {
    auto match = matchKey(vs, rule, key);
    if (!match) return match.error();
    return match->existing;
}

}  // namespace shift::core
