#include "core/delegates.hpp"

#include <fmt/format.h>

namespace shift::core {

std::string delegateOf(const VirtualService& parent, const Rule& rule) {
    if (rule.delegate.empty() || rule.delegate.find('/') != std::string::npos) return rule.delegate;
    return parent.ns.empty() ? rule.delegate : parent.ns + "/" + rule.delegate;
}

std::optional<Error> delegatedRule(const VirtualService& vs, const Rule& rule) {
    if (rule.delegate.empty() || !rule.route.empty()) return std::nullopt;
    auto target = delegateOf(vs, rule);
    auto slash = target.find('/');
    std::string command = slash == std::string::npos
                              ? target
                              : fmt::format("{} -n {}", target.substr(slash + 1), target.substr(0, slash));
    return fail(
        fmt::format("{} {} {} delegates to VirtualService {}; shift that one (Istio routes there, not here): "
                    "kubectl shift {} ...",
                    kindName(vs.kind), qualifiedName(vs), ruleLabel(rule), target, command));
}

std::vector<std::string> delegateNotes(const VirtualService& vs,
                                       const std::vector<const doc::Node*>& others) {
    if (vs.kind != RouteKind::VirtualService || !vs.hosts.empty()) return {};
    std::string self = vs.ns + "/" + vs.name;
    std::vector<std::string> parents;
    for (const auto* o : others) {
        auto parent = readVirtualService(*o);
        if (!parent) continue;
        for (const auto& rule : parent->rules) {
            if (delegateOf(*parent, rule) != self) continue;
            parents.push_back(fmt::format("{} {}", qualifiedName(*parent), ruleLabel(rule)));
        }
    }
    if (parents.empty()) {
        return {
            fmt::format("VirtualService {} has no hosts and no VirtualService in reach delegates to it "
                        "(http[].delegate): this change moves no traffic until one does",
                        self)};
    }
    return {fmt::format(
        "VirtualService {} is a delegate: only the requests its parent{} hand{} to it reach it ({})", self,
        parents.size() > 1 ? "s" : "", parents.size() > 1 ? "" : "s", fmt::join(parents, ", "))};
}

}  // namespace shift::core
