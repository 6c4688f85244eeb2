#include "core/split_report.hpp"

#include "core/select.hpp"

namespace shift::core {

namespace {

std::string text(const doc::Node& object, std::initializer_list<std::string_view> path) {
    const auto* n = object.at(path);
    return n ? n->str() : std::string();
}

doc::Node shareNode(const Share& s) {
    doc::Node d = doc::Node::map();
    d.set("key", doc::Node::string(s.key));
    d.set("host", doc::Node::string(s.host));
    d.set("subset", s.subset.empty() ? doc::Node::null() : doc::Node::string(s.subset));
    d.set("port", s.port ? doc::Node::integer(*s.port) : doc::Node::null());
    d.set("weight", doc::Node::integer(s.weight));
    return d;
}

doc::Node markNode(const RolloutMark& m) {
    doc::Node r = doc::Node::map();
    r.set("holder", doc::Node::string(m.holder));
    r.set("command", doc::Node::string(m.command));
    r.set("step", doc::Node::integer(m.step));
    r.set("steps", doc::Node::integer(m.steps));
    r.set("started", doc::Node::string(formatTime(m.started)));
    r.set("heartbeat", doc::Node::string(formatTime(m.heartbeat)));
    return r;
}

}  // namespace

Result<SplitReport> reportOf(const doc::Node& object, const std::vector<std::string>& routes) {
    auto vs = readVirtualService(object);
    if (!vs) return vs.error();
    std::vector<std::size_t> rules;
    if (routes.empty()) {
        for (std::size_t i = 0; i < vs->rules.size(); ++i) {
            if (!vs->rules[i].route.empty()) rules.push_back(i);
        }
    } else {
        auto selected = selectRules(*vs, routes);
        if (!selected) return selected.error();
        rules = *selected;
    }
    SplitReport r{vs->ns,
                  vs->name,
                  text(object, {"apiVersion"}),
                  text(object, {"metadata", "resourceVersion"}),
                  splitOf(*vs, rules),
                  std::nullopt};
    if (const auto* mark = object.at({"metadata", "annotations", kRolloutAnnotation})) {
        if (auto decoded = decodeRolloutMark(mark->str())) r.rollout = *decoded;
    }
    return r;
}

doc::Node toNode(const SplitReport& report) {
    doc::Node out = doc::Node::map();
    out.set("kind", doc::Node::string("Split"));
    out.set("namespace", doc::Node::string(report.ns));
    out.set("name", doc::Node::string(report.name));
    out.set("apiVersion", doc::Node::string(report.apiVersion));
    out.set("resourceVersion", doc::Node::string(report.resourceVersion));
    doc::Node rules = doc::Node::seq();
    for (const auto& rule : report.rules) {
        doc::Node r = doc::Node::map();
        r.set("rule", doc::Node::string(rule.rule));
        r.set("name", rule.name.empty() ? doc::Node::null() : doc::Node::string(rule.name));
        doc::Node dests = doc::Node::seq();
        for (const auto& d : rule.destinations) dests.items.push_back(shareNode(d));
        r.set("destinations", std::move(dests));
        rules.items.push_back(std::move(r));
    }
    out.set("rules", std::move(rules));
    out.set("rollout", report.rollout ? markNode(*report.rollout) : doc::Node::null());
    return out;
}

doc::Node toListNode(const std::vector<SplitReport>& reports) {
    doc::Node out = doc::Node::map();
    out.set("kind", doc::Node::string("SplitList"));
    doc::Node items = doc::Node::seq();
    for (const auto& r : reports) items.items.push_back(toNode(r));
    out.set("items", std::move(items));
    return out;
}

}  // namespace shift::core
