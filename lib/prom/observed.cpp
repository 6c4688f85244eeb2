#include "prom/observed.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

namespace shift::prom {

SplitComparison compareSplit(const std::vector<Intended>& intended, const Answer& observed,
                             const std::string& byLabel, double tolerance) {
    std::map<std::string, double> rate;  // by label
    std::vector<std::string> order;      // labels seen, in the answer's order
    SplitComparison c;
    for (const auto& s : observed.samples) {
        if (std::isnan(s.value)) continue;
        auto it = s.labels.find(byLabel);
        std::string label = it == s.labels.end() ? "" : it->second;
        if (!rate.count(label)) order.push_back(label);
        rate[label] += s.value;
        c.requestsPerSecond += s.value;
    }
    auto share = [&](const std::string& label) {
        return c.requestsPerSecond > 0 && rate.count(label) ? rate[label] / c.requestsPerSecond * 100 : 0.0;
    };
    std::map<std::string, bool> shown;
    for (const auto& i : intended) {
        c.rows.push_back({i.key, i.weight, share(i.label)});
        shown[i.label] = true;
    }
    for (const auto& label : order)
        if (!shown[label] && share(label) > 0)
            c.rows.push_back({label.empty() ? "(unlabelled)" : label, 0, share(label)});
    c.matches = c.requestsPerSecond > 0;
    for (const auto& r : c.rows)
        if (std::fabs(r.diff()) > tolerance) c.matches = false;
    return c;
}

std::string mismatch(const SplitComparison& c, double tolerance, const std::string& window,
                     const std::string& toleranceFlag) {
    if (c.requestsPerSecond <= 0)
        return fmt::format(
            "no traffic: Prometheus saw no requests to the route's destinations in the last {} "
            "(reporter=\"source\")",
            window);
    const SplitRow* worst = nullptr;
    for (const auto& r : c.rows)
        if (!worst || std::fabs(r.diff()) > std::fabs(worst->diff()) ||
            (std::fabs(r.diff()) == std::fabs(worst->diff()) && r.diff() < worst->diff()))
            worst = &r;
    if (!worst || std::fabs(worst->diff()) <= tolerance) return "";
    return fmt::format(
        "the observed split differs from the intended: {} gets {:.1f}%, intended {:g}% ({:+.1f} "
        "points, {} {:g})",
        worst->key, worst->observed, worst->intended, worst->diff(), toleranceFlag, tolerance);
}

}  // namespace shift::prom
