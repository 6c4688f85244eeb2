#pragma once
// What `shift get` prints without -o: one row per destination of each targeted rule, in kubectl's
// aligned columns; on a terminal a bar per destination; a ROLLOUT column when any object carries one.
#include <string>
#include <vector>

#include "core/split_report.hpp"

namespace shift::cli {

struct SplitTableStyle {
    bool namespaces = false;  // -A: a NAMESPACE column first
    bool bars = false;        // a terminal: a bar per destination
    bool unicode = false;     // the bar's characters
    bool rollouts = false;    // a ROLLOUT column even when no object has a rollout (-w: rows that come
                              // later line up with the header printed once)
};

// "step 2/4 by HOLDER", or "" without a rollout.
std::string rolloutText(const core::SplitReport& report);

// The rule as the table names it: its name, else its position ("http[0]").
std::string ruleLabel(const core::RuleSplit& rule);

// clusters: several clusters side by side, a CLUSTER column first holding each report's context.
std::string splitTable(const std::vector<core::SplitReport>& reports, const SplitTableStyle& style,
                       const std::vector<std::string>& clusters = {});

// -w: the rows of one object, aligned to the header, without it (kubectl prints the header once).
std::string splitRows(const core::SplitReport& report, const SplitTableStyle& style);
// -w: one row for an object deleted, "deleted" in its ROLLOUT column and "-" in the others.
std::string deletedRow(const core::SplitReport& report, const SplitTableStyle& style);

}  // namespace shift::cli
