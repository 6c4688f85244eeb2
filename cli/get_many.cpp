// `shift get` of several names, of -l's selection, of several clusters: one table, a CLUSTER column
// first when there are several; with -o (one cluster) the SplitList of them.
#include <fmt/format.h>
#include <unistd.h>

#include "cmd_get.hpp"
#include "get_list.hpp"
#include "get_table.hpp"
#include "report.hpp"
#include "stores/kube_store.hpp"
#include "term/charset.hpp"

namespace shift::cli {

namespace {

// -l: one LIST per kind (listLabeled's), whose items are the reports; a selection matching nothing is
// an empty table, as kubectl get -l prints it.
Result<std::vector<core::SplitReport>> labeledReports(Connection& c, const GetOptions& o) {
    auto listed = listLabeled(*c.api, c.cluster.ns, o.selection);
    if (!listed) return listed.error();
    std::vector<const doc::Node*> objects;
    for (const auto& one : *listed) objects.push_back(&*one.listed);
    return reportsOf(objects, o);
}

// One cluster's reports: -l is one LIST per kind, names are one GET each.
Result<std::vector<core::SplitReport>> reportsIn(Connection& c, const GetOptions& o) {
    if (o.selection.selector) return labeledReports(c, o);
    std::vector<core::SplitReport> reports;
    for (const auto& ref : o.selection.refs) {
        auto r = namedReport(*c.api, c.cluster.ns, ref, o);
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
    // kubectl get vs,httproute names each row TYPE/NAME; a VirtualService stays a bare NAME, as shift
    // takes it.
    for (auto& r : reports) {
        if (r.apiVersion.rfind(stores::routeResource(core::RouteKind::HTTPRoute).group, 0) == 0)
            r.name = "httproute/" + r.name;
    }
    SplitTableStyle style{false, term::isTerminal(fileno(stdout)), term::unicodeOutput()};
    emit(stdout, splitTable(reports, style, clusters ? contexts : std::vector<std::string>{}));
    return kExitOk;
}

}  // namespace shift::cli
