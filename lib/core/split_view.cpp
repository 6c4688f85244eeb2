#include "core/split_view.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/http_route.hpp"
#include "core/split_resolve.hpp"

namespace shift::core {

std::vector<RuleSplit> splitOf(const VirtualService& vs, const std::vector<std::size_t>& rules) {
    std::vector<RuleSplit> out;
    for (auto index : rules) {
        const Rule& rule = vs.rules.at(index);
        RuleSplit split;
        split.rule = fmt::format("{}[{}]", listName(rule.list), rule.index);
        split.name = rule.name;
        // A subset name alone is ambiguous when the route's subsets belong to several hosts.
        std::string subsetHost;
        bool severalHosts = false;
        for (const auto& d : rule.route) {
            if (d.subset.empty()) continue;
            if (!subsetHost.empty() && !sameHost(subsetHost, d.host, vs.ns)) severalHosts = true;
            subsetHost = d.host;
        }
        long long sum = 0;
        for (const auto& d : rule.route) sum += d.weight.value_or(0);
        bool ratio = vs.kind == RouteKind::HTTPRoute || (rule.route.size() > 1 && sum > 0 && sum != 100);
        auto millis = currentMillis(vs, rule, WeightSum::AnyTotal);
        for (std::size_t i = 0; i < rule.route.size(); ++i) {
            const auto& d = rule.route[i];
            // Keys as a request names them: the subset (HOST/SUBSET when ambiguous), or the host of a
            // destination without one.
            std::string key = vs.kind == RouteKind::HTTPRoute ? backendKey(d, vs.ns)
                              : d.subset.empty()              ? d.host
                              : severalHosts                  ? d.host + "/" + d.subset
                                                              : d.subset;
            split.destinations.push_back(
                {key, d.host, d.subset, d.port, effectiveWeight(rule, i), std::nullopt});
            if (ratio) split.destinations.back().milli = millis[i];
        }
        out.push_back(std::move(split));
    }
    return out;
}

std::string describeSplit(const RuleSplit& split) {
    std::vector<std::string> parts;
    for (const auto& d : split.destinations) parts.push_back(fmt::format("{}={}", d.key, d.weight));
    return fmt::format("{}", fmt::join(parts, ","));
}

bool splitMatches(const RuleSplit& split, const Request& expected) {
    std::vector<bool> seen(split.destinations.size(), false);
    for (const auto& want : expected.weights) {
        auto it = std::find_if(split.destinations.begin(), split.destinations.end(), [&](const Share& s) {
            return s.key == want.key || s.host + "/" + s.subset == want.key;
        });
        if (it == split.destinations.end()) {
            if (want.weight != 0) return false;
            continue;
        }
        if (it->weight != want.weight) return false;
        seen[static_cast<std::size_t>(it - split.destinations.begin())] = true;
    }
    for (std::size_t i = 0; i < seen.size(); ++i) {
        if (!seen[i] && split.destinations[i].weight != 0) return false;
    }
    return true;
}

}  // namespace shift::core
