#include "targets.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "doc/parse.hpp"
#include "stores/kube_store.hpp"

namespace shift::cli {

void declareSelection(CLI::App& app, Selection& s, const std::string& what) {
    app.add_option(
           "-l,--selector", s.selectorText,
           fmt::format("{} every VirtualService and HTTPRoute whose labels match SELECTOR (kubectl's syntax: "
                       "app=reviews,tier!=x, env in (a,b), key, !key)",
                       what))
        ->option_text("SELECTOR");
    app.add_option("--kind", s.kindText, "With -l: only objects of this kind (virtualservice, httproute)")
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

Result<std::vector<Selected>> labeled(kube::Api& api, const std::string& ns, core::RouteKind kind,
                                      const core::LabelSelector& selector, bool kindGiven) {
    const auto& resource = stores::routeResource(kind);
    auto body = api.listRoutesLabeled(resource, ns, core::toString(selector), !kindGiven);
    if (!body) return body.error();
    auto list = doc::parseJson(std::move(*body), fmt::format("the server's list of {}s", resource.kind));
    if (!list) return list.error();
    std::vector<Selected> out;
    for (auto* object : doc::objects(*list)) {
        const auto* name = object->at({"metadata", "name"});
        if (!name) continue;
        core::ObjectRef ref{kind, name->str(), kind != core::RouteKind::VirtualService};
        out.push_back(Selected{std::move(ref), std::move(*object)});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.ref.name < b.ref.name; });
    return out;
}

}  // namespace

// -l: one LIST per kind (VirtualServices first, then HTTPRoutes), or of --kind's only.
Result<std::vector<Selected>> listLabeled(kube::Api& api, const std::string& ns, const Selection& s) {
    std::vector<Selected> out;
    if (!s.selector) {
        for (const auto& ref : s.refs) out.push_back(Selected{ref, std::nullopt});
        return out;
    }
    std::vector<core::RouteKind> kinds{core::RouteKind::VirtualService, core::RouteKind::HTTPRoute};
    if (s.kind) kinds.assign(1, *s.kind);
    for (auto kind : kinds) {
        auto some = labeled(api, ns, kind, *s.selector, s.kind.has_value());
        if (!some) return some.error();
        for (auto& one : *some) out.push_back(std::move(one));
    }
    return out;
}

// The same, where a selection that matches nothing is an error.
Result<std::vector<Selected>> listSelection(kube::Api& api, const std::string& ns, const Selection& s) {
    auto listed = listLabeled(api, ns, s);
    if (!listed) return listed.error();
    if (listed->empty() && s.selector) {
        std::string what = s.kind ? core::kindName(*s.kind) : "VirtualService or HTTPRoute";
        std::string plural =
            s.kind ? std::string(core::typeName(*s.kind)) + "s" : "virtualservices,httproutes";
        return fail(
            fmt::format("no {} in namespace \"{}\" matches -l {}; check the labels with kubectl get "
                        "{} -n {} --show-labels",
                        what, ns, s.selectorText, plural, ns));
    }
    return listed;
}

std::string targetLabel(const Connection& c, const core::ObjectRef& ref, bool withCluster) {
    auto object = fmt::format("{}/{}", c.cluster.ns, core::describe(ref));
    return withCluster ? fmt::format("{}: {}", c.label, object) : object;
}

}  // namespace shift::cli
