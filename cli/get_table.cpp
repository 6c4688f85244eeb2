#include "get_table.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "term/table.hpp"

namespace shift::cli {

namespace {

constexpr int kBarCells = 20;

std::vector<std::string> header(const SplitTableStyle& style, bool rollouts, bool clusters = false) {
    std::vector<std::string> h;
    if (clusters) h.push_back("CLUSTER");
    if (style.namespaces) h.push_back("NAMESPACE");
    for (const char* c : {"NAME", "RULE", "KEY", "HOST", "SUBSET", "PORT", "WEIGHT"}) h.push_back(c);
    if (style.bars) h.push_back("");
    if (rollouts) h.push_back("ROLLOUT");
    return h;
}

}  // namespace

std::string rolloutText(const core::SplitReport& report) {
    if (!report.rollout) return {};
    const auto& m = *report.rollout;
    return fmt::format("step {}/{} by {}", m.step, m.steps, m.holder);
}

// The share as traffic sees it: 99.5 for weights 199/1 (an HTTPRoute, Istio 1.15+), else the weight.
std::string shareText(const core::Share& d) {
    return d.milli ? core::percentText(*d.milli) : std::to_string(d.weight);
}

std::string ruleLabel(const core::RuleSplit& rule) { return rule.name.empty() ? rule.rule : rule.name; }

std::string splitTable(const std::vector<core::SplitReport>& reports, const SplitTableStyle& style,
                       const std::vector<std::string>& clusters) {
    bool rollouts = style.rollouts ||
                    std::any_of(reports.begin(), reports.end(), [](const auto& r) { return r.rollout; });
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const auto& report = reports[i];
        for (const auto& rule : report.rules) {
            for (const auto& d : rule.destinations) {
                std::vector<std::string> row;
                if (!clusters.empty()) row.push_back(i < clusters.size() ? clusters[i] : "");
                if (style.namespaces) row.push_back(report.ns);
                row.insert(row.end(),
                           {report.name, ruleLabel(rule), d.key, d.host, d.subset.empty() ? "-" : d.subset,
                            d.port ? std::to_string(*d.port) : "-", shareText(d)});
                if (style.bars) row.push_back(term::bar(d.weight, kBarCells, style.unicode));
                if (rollouts) row.push_back(report.rollout ? rolloutText(report) : "-");
                rows.push_back(std::move(row));
            }
        }
    }
    return term::table(header(style, rollouts, !clusters.empty()), rows);
}

namespace {

// The table without its first line, the header.
std::string withoutHeader(const std::string& table) {
    const std::size_t nl = table.find('\n');
    return nl == std::string::npos ? std::string() : table.substr(nl + 1);
}

}  // namespace

std::string splitRows(const core::SplitReport& report, const SplitTableStyle& style) {
    SplitTableStyle s = style;
    s.rollouts = true;
    return withoutHeader(splitTable({report}, s));
}

std::string deletedRow(const core::SplitReport& report, const SplitTableStyle& style) {
    SplitTableStyle s = style;
    s.rollouts = true;
    std::vector<std::string> row;
    if (s.namespaces) row.push_back(report.ns);
    row.push_back(report.name);
    row.insert(row.end(), 6, "-");
    if (s.bars) row.push_back("");
    row.push_back("deleted");
    return withoutHeader(term::table(header(s, true), {row}));
}

}  // namespace shift::cli
