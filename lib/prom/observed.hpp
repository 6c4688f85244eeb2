#pragma once
// The intended split beside the observed one (`shift verify`), compared without I/O.
#include <string>
#include <vector>

#include "prom/answer.hpp"

namespace shift::prom {

struct Intended {
    std::string key;    // as the route names it: the subset, or the host
    std::string label;  // as Istio's metrics name it: the version label, or the service name
    double weight = 0;  // percent
};

struct SplitRow {
    std::string key;
    double intended = 0, observed = 0;  // percent
    double diff() const { return observed - intended; }
};

struct SplitComparison {
    std::vector<SplitRow> rows;  // the route's destinations in order, then traffic to others
    double requestsPerSecond = 0;
    bool matches = false;  // there is traffic and every row is within the tolerance
};

// `observed` is a `sum by (byLabel) (rate(...))` answer; tolerance is in percentage points.
SplitComparison compareSplit(const std::vector<Intended>& intended, const Answer& observed,
                             const std::string& byLabel, double tolerance);

// Why the split does not match, in one line: "no traffic: ..." or the destination furthest off (on a
// tie the one short of traffic, which the change meant to move); "" when it matches.
std::string mismatch(const SplitComparison& c, double tolerance, const std::string& window,
                     const std::string& toleranceFlag);

}  // namespace shift::prom
