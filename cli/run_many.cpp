// `shift set` on several objects or clusters: every object of every cluster read, planned and checked
// (app::applyMany), then written; a failed write restores those written; each object's end state.
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "app/apply_many.hpp"
#include "cmd_set.hpp"
#include "core/request.hpp"
#include "interrupt.hpp"
#include "many_report.hpp"
#include "report.hpp"
#include "stores/kube_store.hpp"
#include "targets.hpp"
#include "weight_sum.hpp"

namespace shift::cli {

namespace {

struct Planned {
    std::vector<std::unique_ptr<stores::KubeStore>> stores;
    std::vector<app::Target> targets;
    std::vector<TargetRow> rows;
};

// "shift undo NAME -n NS", "shift history ...": the command for one object of one cluster.
std::string commandFor(const char* verb, const Connection& c, const core::ObjectRef& ref, bool clusters) {
    auto cmd = fmt::format("shift {} {} -n {}", verb, core::describe(ref), c.cluster.ns);
    if (clusters && !c.label.empty()) cmd += " --context " + c.label;
    return cmd;
}

// The selection in every cluster: a cluster that cannot be reached fails here, before any write.
Result<Planned> targetsOf(std::vector<Connection>& conns, const SetOptions& o, const Globals& g,
                          const app::Planner& planner) {
    Planned p;
    bool clusters = conns.size() > 1;
    for (auto& c : conns) {
        auto selected = listSelection(*c.api, c.cluster.ns, o.selection);
        if (!selected) return selected.error();
        if (selected->empty()) selected->push_back(Selected{o.target, std::nullopt});
        for (auto& [ref, listed] : *selected) {
            auto store =
                std::make_unique<stores::KubeStore>(*c.api, c.cluster.ns, ref.name, g.output, warn, ref.kind);
            store->record = stores::KubeStore::Record{
                kube::recordedUser(c.cluster), recordedCommand(o, core::describe(ref)), o.historyLimit};
            store->takeOver = o.force;
            if (listed) store->seed(std::move(*listed));
            if (o.dryRun == app::DryRun::None) store->beforeSend = WriteGuard::markSent;
            p.targets.push_back(app::Target{targetLabel(c, ref, clusters), c.label, store.get(), planner});
            p.rows.push_back(TargetRow{c.label, c.cluster.ns, core::describe(ref),
                                       commandFor("undo", c, ref, clusters), ref.kind, ref.name,
                                       commandFor("history", c, ref, clusters)});
            p.stores.push_back(std::move(store));
        }
    }
    return p;
}

int printSuccess(const app::ManyOutcome& out, const Planned& p, const SetOptions& o, const Globals& g,
                 bool clusters) {
    int exit = kExitOk;
    for (std::size_t i = 0; i < out.results.size(); ++i) {
        const auto& r = out.results[i];
        auto name =
            clusters ? fmt::format("{} (context {})", p.rows[i].object, p.rows[i].cluster) : p.rows[i].object;
        int code =
            printClusterChange(*r.outcome, PrintFlags{name, p.rows[i].kind, o.diff, o.quiet, o.exitCode}, g);
        if (code != kExitOk) exit = code;
    }
    if (clusters && !o.quiet)
        emit(o.diff ? stderr : stdout, resultTable(p.rows, out, true, o.dryRun != app::DryRun::None));
    return exit;
}

// Several clusters: a fraction is written only where every one takes any total; the first that
// does not (or cannot be read) decides, and its reason is the message's.
void learnWeightSumAll(std::vector<Connection>& conns, const std::string& ns, const core::Request& request,
                       core::SplitOptions& split) {
    if (split.sum != core::WeightSum::Unknown) return;
    for (auto& c : conns) {
        core::SplitOptions one = split;
        learnWeightSum(*c.api, ns, request, one);
        auto where = c.label.empty() ? one.sumWhy : fmt::format("{} (context {})", one.sumWhy, c.label);
        if (one.sum != core::WeightSum::AnyTotal) {
            split.sum = one.sum;
            split.sumWhy = where;
            return;
        }
        split.sumWhy = where;
    }
    if (core::isFractional(request)) split.sum = core::WeightSum::AnyTotal;
}

}  // namespace

int runMany(const SetOptions& o, const Globals& g) {
    auto request = requestOf(o);
    if (!request) return report(request.error());
    auto conns = connectAll(g);
    if (!conns) return report(conns.error());
    auto options = applyOptions(o);
    learnWeightSumAll(*conns, o.istioNamespace, *request, options.shift.split);
    auto planner = [&](const doc::Node& object) {
        return core::planShift(object, *request, options.shift, nullptr);
    };
    auto planned = targetsOf(*conns, o, g, planner);
    if (!planned) return report(planned.error());
    if (!o.force) options.rolloutLock = app::ApplyOptions::RolloutLock{core::Clock::now()};
    options.owners = app::ApplyOptions::OwnerCheck{o.force};
    options.notes = !o.quiet;
    bool clusters = conns->size() > 1;
    std::optional<WriteGuard> guard;
    if (o.dryRun == app::DryRun::None) {
        guard.emplace(
            "interrupted before any change was sent: nothing changed",
            "interrupted while the changes were sent: some objects may hold the change and were not "
            "restored; check them with shift get");
    }
    auto out = app::applyMany(planned->targets, options);
    guard.reset();
    if (!out.error) return printSuccess(out, *planned, o, g, clusters);
    report(*out.error);
    if (!anyWritten(out)) {
        emit(stderr, fmt::format("nothing written: the {} object{} were left as they were\n",
                                 out.results.size(), out.results.size() == 1 ? "" : "s"));
        return out.error->exit;
    }
    emit(stderr, resultTable(planned->rows, out, clusters, false));
    return out.error->exit;
}

}  // namespace shift::cli
