#include "cmd_undo.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <optional>

#include "cmd_history.hpp"
#include "cmd_set.hpp"
#include "interrupt.hpp"
#include "kube/istio_api.hpp"
#include "report.hpp"
#include "stores/kube_store.hpp"

namespace shift::cli {

void UndoCommand::declare(CLI::App& app) {
    auto& o = options;
    app.add_option("NAME", o.name, "VirtualService to roll back, or TYPE/NAME (httproute/NAME)");
    toRevisionOption = app.add_option("--to-revision", o.toRevision,
                                      "The revision to return to (default: the one before the last; see "
                                      "`kubectl shift history NAME`)")
                           ->option_text("N");
    app.add_option("-f,--filename", o.filename, "Not available: the history lives on the cluster's object");
    app.add_flag("--diff", o.diff, "Print a unified diff of the change (only it on stdout)");
    app.add_flag("-q,--quiet", o.quiet, "No summary, no status line and no diff unless --diff");
    app.add_flag("--dry-run{client}", o.dryRunText,
                 "client: show the diff, change nothing; server: also have the API server validate it")
        ->option_text("[=client|server|none]");
    app.add_flag("--exit-code", o.exitCode, "Exit 1 when the undo changes (or would change) something");
    app.add_flag("--no-validate", o.noValidate,
                 "Skip the checks of the restored hosts and subsets against the mesh's objects");
    declareForce(app, o.force);
    declareHistoryLimit(app, o.historyLimit);
    declareFieldManager(app, o.fieldManager);
}

Status UndoCommand::complete(const Globals&) {
    const auto& dry = options.dryRunText;
    if (dry != "client" && dry != "server" && dry != "none")
        return fail(fmt::format("invalid --dry-run \"{}\": use client, server or none", dry));
    options.dryRun = dry == "client"   ? app::DryRun::Client
                     : dry == "server" ? app::DryRun::Server
                                       : app::DryRun::None;
    toRevisionGiven = toRevisionOption && toRevisionOption->count() > 0;
    return okStatus();
}

Status UndoCommand::validate() const {
    if (!options.filename.empty()) return historyNeedsCluster("undo");
    if (options.name.empty()) return fail("name the VirtualService, e.g. `kubectl shift undo reviews`");
    if (toRevisionGiven && options.toRevision < 1) return fail("--to-revision must be 1 or more");
    return checkClusterFlags(options.historyLimit, options.fieldManager);
}

std::string recordedCommand(const UndoOptions& o) {
    return o.toRevision > 0 ? fmt::format("undo {} --to-revision {}", o.name, o.toRevision)
                            : "undo " + o.name;
}

int UndoCommand::run(const Globals& g) {
    const auto& o = options;
    if (g.contexts.size() > 1) return undoMany(o, g);
    auto target = core::parseObjectRef(o.name);
    if (!target) return report(target.error());
    auto cluster = kube::loadCluster(g.cluster);
    if (!cluster) return report(cluster.error());
    auto client = kube::connect(*cluster, g.verbosity);
    kube::Api api(*client, cluster->contextName);
    api.setFieldManager(o.fieldManager);
    stores::KubeStore store(api, cluster->ns, target->name, g.output, warn, target->kind);
    store.record =
        stores::KubeStore::Record{kube::recordedUser(*cluster), recordedCommand(o), o.historyLimit};
    std::optional<WriteGuard> guard;
    if (o.dryRun == app::DryRun::None) {
        auto check = fmt::format("kubectl shift history {} -n {}", o.name, cluster->ns);
        guard.emplace("interrupted before the change was sent: nothing changed",
                      "interrupted after the change was sent: it may have been applied; check with " + check);
        store.beforeSend = WriteGuard::markSent;
    }
    app::ApplyOptions a;
    a.validate = !o.noValidate;
    a.dryRun = o.dryRun;
    a.backoff = app::jitteredBackoff;
    a.warn = warn;
    if (!o.force) a.rolloutLock = app::ApplyOptions::RolloutLock{core::Clock::now()};
    a.owners = app::ApplyOptions::OwnerCheck{o.force};
    store.takeOver = o.force;
    std::optional<long long> to;
    if (o.toRevision > 0) to = o.toRevision;
    auto out = app::applyUndo(store, to, a);
    guard.reset();
    if (!out) return report(out.error());
    // The revision is known once the history is read: the status line is undo's, not the store's.
    const char* dry = o.dryRun == app::DryRun::Client   ? " (dry run)"
                      : o.dryRun == app::DryRun::Server ? " (server dry run)"
                                                        : "";
    out->outcome.change.status = fmt::format("rolled back to revision {}{}", out->revision, dry);
    return printClusterChange(out->outcome,
                              PrintFlags{target->name, target->kind, o.diff, o.quiet, o.exitCode}, g);
}

Candidates UndoCommand::completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                                     const std::string&) const {
    Candidates c;
    if (args.empty()) c.words = completion::virtualServiceNames(scope);
    return c;
}

}  // namespace shift::cli
