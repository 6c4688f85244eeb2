// `shift history` and `shift undo` with --context repeated: each cluster's history under a header of
// its own; each cluster's object undone (to its own history's revision), all or nothing as `set` does
// (app::applyMany: every cluster read and planned first, a failed write restores the others).
#include <fmt/format.h>

#include <deque>
#include <memory>
#include <optional>

#include "app/apply_many.hpp"
#include "cmd_history.hpp"
#include "cmd_set.hpp"
#include "cmd_undo.hpp"
#include "interrupt.hpp"
#include "many_report.hpp"
#include "report.hpp"
#include "stores/kube_store.hpp"
#include "targets.hpp"

namespace shift::cli {

namespace {

Error inContext(const Connection& c, const Error& e) {
    return Error{fmt::format("context {}: {}", c.label, e.message), e.exit};
}

std::string undoAgain(const Connection& c, const core::ObjectRef& ref) {
    return fmt::format("shift undo {} -n {} --context {}", core::describe(ref), c.cluster.ns, c.label);
}

}  // namespace

int historyMany(const HistoryOptions& o, const Globals& g) {
    if (g.output != app::Output::None)
        return report(fail("-o prints one history; give one --context (the table shows several)"));
    auto ref = core::parseObjectRef(o.name);
    if (!ref) return report(ref.error());
    auto conns = connectAll(g);
    if (!conns) return report(conns.error());
    int exit = kExitOk;
    bool first = true;
    for (auto& c : *conns) {
        emit(stdout, fmt::format("{}context {}:\n", first ? "" : "\n", c.label));
        first = false;
        auto history = historyIn(*c.api, c.cluster.ns, *ref);
        if (!history) {
            report(inContext(c, history.error()));
            if (exit == kExitOk) exit = history.error().exit;
            continue;
        }
        emit(stdout, history->empty() ? fmt::format("no history: shift has not changed {} yet\n", o.name)
                                      : historyTable(*history));
    }
    return exit;
}

int undoMany(const UndoOptions& o, const Globals& g) {
    if (g.output != app::Output::None)
        return report(fail("-o prints one object; drop -o, or give one --context"));
    auto ref = core::parseObjectRef(o.name);
    if (!ref) return report(ref.error());
    auto conns = connectAll(g);
    if (!conns) return report(conns.error());
    std::vector<std::unique_ptr<stores::KubeStore>> stores;
    std::deque<long long> revisions;  // each cluster's, as its planner finds it (stable addresses)
    std::vector<app::Target> targets;
    std::vector<TargetRow> rows;
    for (auto& c : *conns) {
        c.api->setFieldManager(o.fieldManager);
        auto store =
            std::make_unique<stores::KubeStore>(*c.api, c.cluster.ns, ref->name, g.output, warn, ref->kind);
        store->record =
            stores::KubeStore::Record{kube::recordedUser(c.cluster), recordedCommand(o), o.historyLimit};
        store->takeOver = o.force;
        if (o.dryRun == app::DryRun::None) store->beforeSend = WriteGuard::markSent;
        std::optional<long long> to;
        if (o.toRevision > 0) to = o.toRevision;
        auto& revision = revisions.emplace_back(0);
        targets.push_back(app::Target{targetLabel(c, *ref, true), c.label, store.get(),
                                      app::undoPlanner(to, core::SplitOptions{}, revision)});
        rows.push_back(TargetRow{
            c.label, c.cluster.ns, core::describe(*ref), undoAgain(c, *ref), ref->kind, ref->name,
            fmt::format("shift history {} -n {} --context {}", core::describe(*ref), c.cluster.ns, c.label)});
        stores.push_back(std::move(store));
    }
    app::ApplyOptions a;
    a.validate = !o.noValidate;
    a.dryRun = o.dryRun;
    a.backoff = app::jitteredBackoff;
    a.warn = warn;
    if (!o.force) a.rolloutLock = app::ApplyOptions::RolloutLock{core::Clock::now()};
    std::optional<WriteGuard> guard;
    if (o.dryRun == app::DryRun::None) {
        guard.emplace("interrupted before any change was sent: nothing changed",
                      "interrupted while the changes were sent: some clusters may hold the undo and were not "
                      "restored; check them with shift history");
    }
    auto out = app::applyMany(targets, a);
    guard.reset();
    if (out.error) {
        report(*out.error);
        if (!anyWritten(out)) {
            emit(stderr,
                 fmt::format("nothing written: the {} clusters were left as they were\n", rows.size()));
        } else {
            emit(stderr, resultTable(rows, out, true, false));
        }
        return out.error->exit;
    }
    const char* dry = o.dryRun == app::DryRun::Client   ? " (dry run)"
                      : o.dryRun == app::DryRun::Server ? " (server dry run)"
                                                        : "";
    int exit = kExitOk;
    for (std::size_t i = 0; i < out.results.size(); ++i) {
        auto& outcome = *out.results[i].outcome;
        outcome.change.status = fmt::format("rolled back to revision {}{}", revisions[i], dry);
        auto name = fmt::format("{} (context {})", ref->name, rows[i].cluster);
        int code = printClusterChange(outcome, PrintFlags{name, ref->kind, o.diff, o.quiet, o.exitCode}, g);
        if (code != kExitOk) exit = code;
    }
    if (!o.quiet) emit(o.diff ? stderr : stdout, resultTable(rows, out, true, o.dryRun != app::DryRun::None));
    return exit;
}

}  // namespace shift::cli
