#include "many_report.hpp"

#include <fmt/format.h>

#include "term/table.hpp"

namespace shift::cli {

std::string resultText(const app::TargetResult& r, const TargetRow& row, bool dryRun) {
    using app::TargetState;
    switch (r.state) {
        case TargetState::Changed:
            return "changed";
        case TargetState::Unchanged:
            return "unchanged (no-op)";
        case TargetState::Restored:
            return "restored (back as it was)";
        case TargetState::NotRestored:
            return fmt::format("NOT restored ({}): holds the change; undo it with: {}", r.detail,
                               row.finishBy);
        case TargetState::Failed:
            return "failed: " + r.detail;
        case TargetState::Unsure:
            // Not restored blindly: what it holds is unknown, and a restore could undo someone else.
            return fmt::format(
                "MAY HOLD THE CHANGE (the answer to its write was lost): if `{}` lists it last, "
                "undo it with: {}",
                row.checkBy, row.finishBy);
        case TargetState::NotWritten:
            if (dryRun && r.outcome && r.outcome->plan.changed) return "would change (dry run)";
            return "not written";
    }
    return "";
}

bool anyWritten(const app::ManyOutcome& out) {
    for (const auto& r : out.results) {
        if (r.state == app::TargetState::Restored || r.state == app::TargetState::NotRestored ||
            r.state == app::TargetState::Changed || r.state == app::TargetState::Unsure)
            return true;
    }
    return false;
}

std::string resultTable(const std::vector<TargetRow>& rows, const app::ManyOutcome& out, bool clusters,
                        bool dryRun) {
    std::vector<std::string> header{"NAMESPACE", "NAME", "RESULT"};
    if (clusters) header.insert(header.begin(), "CLUSTER");
    std::vector<std::vector<std::string>> cells;
    for (std::size_t i = 0; i < rows.size() && i < out.results.size(); ++i) {
        std::vector<std::string> line{rows[i].ns, rows[i].name, resultText(out.results[i], rows[i], dryRun)};
        if (clusters) line.insert(line.begin(), rows[i].cluster.empty() ? "(current)" : rows[i].cluster);
        cells.push_back(std::move(line));
    }
    return term::table(header, cells);
}

}  // namespace shift::cli
