// `shift get` of several names, of -l's selection, of several clusters: one table, a CLUSTER column
// first when there are several; with -o (one cluster) the SplitList of them.
#include <fmt/format.h>
#include <unistd.h>

#include "cmd_get.hpp"
#include "get_list.hpp"
#include "get_table.hpp"
#include "report.hpp"
#include "term/charset.hpp"

namespace shift::cli {

namespace {

Result<core::SplitReport> namedReport(kube::Api& api, const std::string& ns, const std::string& name,
                                      const GetOptions& o) {
    auto object = api.getVirtualService(ns, name);
    if (!object) return object.error();
    auto parsed = doc::parseJson(std::move(object->json), "the server's VirtualService");
    if (!parsed) return parsed.error();
    if (parsed->docs.empty()) return fail("the server answered with an empty VirtualService", kExitApi);
    return core::reportOf(parsed->docs.front(), o.routes);
}

// One cluster's reports: -l is one LIST (its items are the reports), names are one GET each.
Result<std::vector<core::SplitReport>> reportsIn(Connection& c, const GetOptions& o) {
    const auto& s = o.selection;
    if (s.selector) {
        if (s.kind && *s.kind != core::RouteKind::VirtualService)
            return fail("--kind httproute: selecting HTTPRoutes by label is not supported yet; name them");
        auto body = c.api->listVirtualServicesLabeled(c.cluster.ns, core::toString(*s.selector));
        if (!body) return body.error();
        auto list = doc::parseJson(std::move(*body), "the server's list of VirtualServices");
        if (!list) return list.error();
        return reportsOfList(*list, o);
    }
    std::vector<core::SplitReport> reports;
    for (const auto& ref : s.refs) {
        if (ref.kind != core::RouteKind::VirtualService)
            return fail(
                fmt::format("{}: several objects at once are VirtualServices for now", core::describe(ref)));
        auto r = namedReport(*c.api, c.cluster.ns, ref.name, o);
        if (!r) return r.error();
        reports.push_back(std::move(*r));
    }
    return reports;
}

}  // namespace

int getMany(const GetOptions& o, const Globals& g) {
    auto conns = connectAll(g);
    if (!conns) return report(conns.error());
    bool clusters = conns->size() > 1;
    std::vector<core::SplitReport> reports;
    std::vector<std::string> contexts;
    for (auto& c : *conns) {
        auto r = reportsIn(c, o);
        if (!r)
            return report(
                clusters ? Error{fmt::format("context {}: {}", c.label, r.error().message), r.error().exit}
                         : r.error());
        for (auto& one : *r) {
            contexts.push_back(c.label.empty() ? c.cluster.contextName : c.label);
            reports.push_back(std::move(one));
        }
    }
    if (g.output != app::Output::None) {
        SplitListWriter writer(stdout, g.output);
        for (const auto& r : reports) writer.add(r);
        writer.finish();
        return kExitOk;
    }
    if (reports.empty()) {
        emit(stderr, fmt::format("No resources found in {} namespace.\n", conns->front().cluster.ns));
        return kExitOk;
    }
    SplitTableStyle style{false, term::isTerminal(fileno(stdout)), term::unicodeOutput()};
    emit(stdout, splitTable(reports, style, clusters ? contexts : std::vector<std::string>{}));
    return kExitOk;
}

}  // namespace shift::cli
