#include "targets.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "doc/parse.hpp"
#include "stores/kube_store.hpp"

namespace shift::cli {

void declareSelection(CLI::App& app, Selection& s, const std::string& what) {
    app.add_option("-l,--selector", s.selectorText,
                   fmt::format("{} every VirtualService whose labels match SELECTOR (kubectl's syntax: "
                               "app=reviews,tier!=x, env in (a,b), key, !key)",
                               what))
        ->option_text("SELECTOR");
    app.add_option("--kind", s.kindText,
                   "With -l: the kind of objects selected (virtualservice, the default, or httproute)")
        ->option_text("KIND");
}

Status completeSelection(Selection& s) {
    for (const auto& w : s.words) {
        auto ref = core::parseObjectRef(w);
        if (!ref) return ref.error();
        s.refs.push_back(std::move(*ref));
    }
    if (!s.kindText.empty()) {
        auto kind = core::parseType(s.kindText);
        if (!kind) return fail("--kind " + kind.error().message);
        s.kind = *kind;
    }
    if (s.selectorText.empty()) {
        if (s.kind) return fail("--kind narrows -l's selection; give -l SELECTOR, or write TYPE/NAME");
        return okStatus();
    }
    if (!s.refs.empty()) {
        return fail(fmt::format("name objects or select them with -l, not both: drop {} or -l {}",
                                core::describe(s.refs.front()), s.selectorText));
    }
    auto selector = core::parseLabelSelector(s.selectorText);
    if (!selector) return selector.error();
    s.selector = std::move(*selector);
    return okStatus();
}

Status checkContexts(std::string_view command, const Globals& g) {
    if (g.contexts.size() < 2) return okStatus();
    for (auto several : {"set", "get", "rollout", "history", "undo"}) {
        if (command == several) return okStatus();
    }
    return fail(
        fmt::format("{} works on one cluster at a time; give one --context and run it per cluster", command));
}

Result<std::vector<Connection>> connectAll(const Globals& g) {
    std::vector<std::string> contexts = g.contexts;
    if (contexts.empty()) contexts.push_back(g.cluster.context);
    std::vector<Connection> out;
    for (const auto& name : contexts) {
        if (std::count(contexts.begin(), contexts.end(), name) > 1)
            return fail(fmt::format("--context {} is given twice; give each cluster once", name));
        auto flags = g.cluster;
        flags.context = name;
        auto cluster = kube::loadCluster(flags);
        if (!cluster) return cluster.error();
        out.push_back(Connection{name, std::move(*cluster), nullptr, nullptr});
    }
    for (auto& c : out) {
        c.client = kube::connect(c.cluster, g.verbosity);
        c.api = std::make_unique<kube::Api>(*c.client, c.cluster.contextName);
    }
    return out;
}

namespace {

// One LIST of the kind's objects matching the selector: their names, sorted.
Result<std::vector<std::string>> labeledNames(kube::Api& api, const std::string& ns, core::RouteKind kind,
                                              const core::LabelSelector& selector) {
    auto body = kind == core::RouteKind::VirtualService
                    ? api.listVirtualServicesLabeled(ns, core::toString(selector))
                    : api.listRoutesLabeled(stores::routeResource(kind), ns, core::toString(selector));
    if (!body) return body.error();
    auto list =
        doc::parseJson(std::move(*body), fmt::format("the server's list of {}s", core::kindName(kind)));
    if (!list) return list.error();
    std::vector<std::string> names;
    for (const auto* object : doc::objects(*list)) {
        if (const auto* name = object->at({"metadata", "name"})) names.push_back(name->str());
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

Result<std::vector<core::ObjectRef>> resolveSelection(kube::Api& api, const std::string& ns,
                                                      const Selection& s) {
    if (!s.selector) return s.refs;
    // One LIST per kind: VirtualServices unless --kind httproute asks for HTTPRoutes.
    auto kind = s.kind.value_or(core::RouteKind::VirtualService);
    auto names = labeledNames(api, ns, kind, *s.selector);
    if (!names) return names.error();
    if (names->empty()) {
        auto type = kind == core::RouteKind::VirtualService ? "virtualservices" : "httproutes";
        return fail(
            fmt::format("no {} in namespace \"{}\" matches -l {}; check the labels with kubectl get {} -n {} "
                        "--show-labels",
                        core::kindName(kind), ns, s.selectorText, type, ns));
    }
    std::vector<core::ObjectRef> refs;
    for (auto& n : *names)
        refs.push_back(core::ObjectRef{kind, std::move(n), kind != core::RouteKind::VirtualService});
    return refs;
}

std::string targetLabel(const Connection& c, const core::ObjectRef& ref, bool withCluster) {
    auto object = fmt::format("{}/{}", c.cluster.ns, core::describe(ref));
    return withCluster ? fmt::format("{}: {}", c.label, object) : object;
}

}  // namespace shift::cli
