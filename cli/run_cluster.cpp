// `shift set` on the cluster: the pipeline of lib/app over the Kubernetes store, then what it prints.
#include <fmt/format.h>

#include "app/apply.hpp"
#include "cmd_set.hpp"
#include "core/request.hpp"
#include "kube/api.hpp"
#include "report.hpp"
#include "stores/kube_store.hpp"
#include "term/diff.hpp"

namespace shift::cli {

namespace {

// The diff of live and merged object, the summary, the status line; with -o, stdout carries the
// object and everything else goes to stderr.
int print(const app::Outcome& out, const SetOptions& o, const Globals& g) {
    std::FILE* info = g.output == app::Output::None ? stdout : stderr;
    bool color = term::useColor(g.color, fileno(info));
    const auto& c = out.change;
    if (!out.plan.changed) {
        emit(info, summaryText(out.plan, term::isTerminal(fileno(info)), color));
        emit(info, fmt::format("{}: no change\n", core::qualifiedName(out.plan.vs)));
        if (g.output != app::Output::None) emit(stdout, c.printed);
        return kExitOk;
    }
    emit(info, term::unifiedDiff(c.before, c.after, c.beforeLabel, c.afterLabel, color));
    emit(info, summaryText(out.plan, term::isTerminal(fileno(info)), color));
    emit(info, fmt::format("virtualservice.networking.istio.io/{} {}\n", o.name, c.status));
    if (g.output != app::Output::None) emit(stdout, c.printed);
    return o.exitCode ? kExitChanged : kExitOk;
}

}  // namespace

int runCluster(const SetOptions& o, const Globals& g) {
    auto request = core::parseRequest(o.weights);
    if (!request) return report(request.error());
    auto cluster = kube::loadCluster(g.cluster);
    if (!cluster) return report(cluster.error());
    auto client = kube::connect(*cluster, g.verbosity);
    kube::Api api(*client, cluster->contextName);
    stores::KubeStore store(api, cluster->ns, o.name, g.output, warn);
    auto out = app::applyShift(store, *request, applyOptions(o));
    if (!out) return report(out.error());
    return print(*out, o, g);
}

}  // namespace shift::cli
