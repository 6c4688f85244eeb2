#include "report.hpp"

#include <fmt/format.h>

#include "term/charset.hpp"
#include "term/summary.hpp"

namespace shift::cli {

std::string summaryText(const core::ShiftPlan& plan, bool bars, bool color) {
    std::string out;
    for (const auto& rule : plan.rules) {
        std::vector<term::WeightRow> rows;
        for (const auto& d : rule.destinations) {
            term::WeightRow row;
            row.key = d.key;
            // A share finer than a whole percent shows its decimals; whole ones read as before.
            if (d.action != core::DestinationPlan::Action::Add) {
                row.before = d.beforeShare;
                if (d.beforeMilli % core::kMilli != 0) row.beforeText = core::percentText(d.beforeMilli);
            }
            if (d.action != core::DestinationPlan::Action::Remove) {
                row.after = d.afterShare;
                if (d.afterMilli % core::kMilli != 0) row.afterText = core::percentText(d.afterMilli);
            }
            rows.push_back(std::move(row));
        }
        auto title =
            fmt::format("{} {}", core::qualifiedName(plan.vs), core::ruleLabel(plan.vs.rules[rule.rule]));
        out += term::summary(title, rows, bars, color, term::unicodeOutput());
    }
    return out;
}

int report(const Error& error) {
    fmt::print(stderr, "error: {}\n", error.message);
    return error.exit;
}

void warn(const std::string& message) { fmt::print(stderr, "warning: {}\n", message); }

void emit(std::FILE* to, const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), to);
    std::fflush(to);
}

}  // namespace shift::cli
