#include "prom/observed.hpp"

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

}  // namespace shift::prom
