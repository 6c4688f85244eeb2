#include "core/history_report.hpp"

namespace shift::core {

namespace {

doc::Node revisionNode(const Revision& r) {
    doc::Node out = doc::Node::map();
    out.set("revision", doc::Node::integer(r.number));
    out.set("time", doc::Node::string(formatTime(r.time)));
    out.set("user", doc::Node::string(r.user));
    out.set("command", doc::Node::string(r.command));
    doc::Node rules = doc::Node::seq();
    for (const auto& rule : r.rules) {
        doc::Node item = doc::Node::map();
        item.set("rule", doc::Node::string(rule.rule));
        item.set("split", doc::Node::string(rule.split));
        rules.items.push_back(std::move(item));
    }
    out.set("rules", std::move(rules));
    return out;
}

}  // namespace

doc::Node historyNode(const std::string& ns, const std::string& name, const std::vector<Revision>& history) {
    doc::Node out = doc::Node::map();
    out.set("kind", doc::Node::string("History"));
    out.set("namespace", doc::Node::string(ns));
    out.set("name", doc::Node::string(name));
    doc::Node revisions = doc::Node::seq();
    for (const auto& r : history) revisions.items.push_back(revisionNode(r));
    out.set("revisions", std::move(revisions));
    return out;
}

std::string describeRules(const std::vector<RuleRecord>& rules) {
    std::string out;
    for (const auto& rule : rules) out += (out.empty() ? "" : "; ") + rule.rule + ": " + rule.split;
    return out;
}

}  // namespace shift::core
