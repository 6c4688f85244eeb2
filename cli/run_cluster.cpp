// `shift set` on the cluster: the pipeline of lib/app over the Kubernetes store, then what it prints.
#include <fmt/format.h>

#include <optional>

#include "app/apply.hpp"
#include "cmd_set.hpp"
#include "core/request.hpp"
#include "interrupt.hpp"
#include "kube/istio_api.hpp"
#include "report.hpp"
#include "stores/kube_store.hpp"
#include "term/diff.hpp"
#include "weight_sum.hpp"

namespace shift::cli {

// The diff of live and merged object, the summary, the status line, all on stdout. As with kubectl
// diff, --diff puts only the diff on stdout (the rest on stderr); -o puts only the object there.
// -q drops the summary and the status line, and the diff unless --diff asks for it.
int printClusterChange(const app::Outcome& out, const PrintFlags& o, const Globals& g) {
    bool objectOut = g.output != app::Output::None;
    std::FILE* info = objectOut || o.diff ? stderr : stdout;
    std::FILE* diffTo = objectOut ? stderr : stdout;
    const auto& c = out.change;
    auto summary = [&] {
        if (!o.quiet)
            emit(info, summaryText(out.plan, term::isTerminal(fileno(info)),
                                   term::useColor(g.color, fileno(info))));
    };
    if (!out.plan.changed) {
        summary();
        if (!o.quiet) emit(info, fmt::format("{}: no change\n", core::qualifiedName(out.plan.vs)));
        if (objectOut) emit(stdout, c.printed);
        return kExitOk;
    }
    if (!o.quiet || o.diff)
        emit(diffTo, term::unifiedDiff(c.before, c.after, c.beforeLabel, c.afterLabel,
                                       term::useColor(g.color, fileno(diffTo))));
    summary();
    const auto& api = stores::routeResource(o.kind);
    if (!o.quiet)
        emit(info, fmt::format("{}.{}/{} {}\n", core::typeName(o.kind), api.group, o.name, c.status));
    if (objectOut) emit(stdout, c.printed);
    return o.exitCode ? kExitChanged : kExitOk;
}

int runCluster(const SetOptions& o, const Globals& g) {
    auto request = requestOf(o);
    if (!request) return report(request.error());
    auto cluster = kube::loadCluster(g.cluster);
    if (!cluster) return report(cluster.error());
    auto client = kube::connect(*cluster, g.verbosity);
    kube::Api api(*client, cluster->contextName);
    api.setFieldManager(o.fieldManager);
    stores::KubeStore store(api, cluster->ns, o.target.name, g.output, warn, o.target.kind);
    store.record =
        stores::KubeStore::Record{kube::recordedUser(*cluster), recordedCommand(o), o.historyLimit};
    std::optional<WriteGuard> guard;
    if (o.dryRun == app::DryRun::None) {
        auto check = fmt::format("kubectl get {} {} -n {} -o yaml", core::typeName(o.target.kind),
                                 o.target.name, cluster->ns);
        guard.emplace("interrupted before the change was sent: nothing changed",
                      "interrupted after the change was sent: it may have been applied; check with " + check);
        store.beforeSend = WriteGuard::markSent;
    }
    auto options = applyOptions(o);
    learnWeightSum(api, o.istioNamespace, *request, options.shift.split);
    if (!o.force) options.rolloutLock = app::ApplyOptions::RolloutLock{core::Clock::now()};
    options.owners = app::ApplyOptions::OwnerCheck{o.force};
    options.notes = !o.quiet;
    store.reach = options.notes;
    store.takeOver = o.force;
    auto out = app::applyShift(store, *request, options);
    guard.reset();
    if (!out) return report(out.error());
    return printClusterChange(*out, PrintFlags{o.target.name, o.target.kind, o.diff, o.quiet, o.exitCode}, g);
}

}  // namespace shift::cli
