// `shift rollout` over several objects (names, -l) and several clusters (--context repeated): every
// object of every cluster a target of app::runRolloutMany, which moves them step by step together.
#include "app/rollout_many.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "cmd_rollout.hpp"
#include "fleet_analysis.hpp"
#include "proc/signals.hpp"
#include "report.hpp"
#include "rollout_progress.hpp"
#include "stores/kube_route_target.hpp"
#include "targets.hpp"
#include "term/charset.hpp"

namespace shift::cli {

namespace {

// An object of one cluster among several: its messages and commands name the context.
class InCluster : public app::RolloutTarget {
   public:
    InCluster(std::unique_ptr<app::RolloutTarget> inner, std::string context)
        : inner_(std::move(inner)), context_(std::move(context)) {}
    std::string name() const override { return context_ + ": " + inner_->name(); }
    std::string setCommand(const core::RuleSplit& split) const override {
        return inner_->setCommand(split) + " --context " + context_;
    }
    std::string unmarkCommand() const override { return inner_->unmarkCommand() + " --context " + context_; }
    Result<app::RouteState> read() override { return inner_->read(); }
    Status preflight(const core::Request& finalStep) override { return inner_->preflight(finalStep); }
    void completed() override { inner_->completed(); }
    Result<app::WriteOutcome> write(const app::RouteState& basis, const std::optional<core::Request>& request,
                                    const std::optional<core::RolloutMark>& mark,
                                    const std::string& record) override {
        return inner_->write(basis, request, mark, record);
    }
    Result<app::WriteOutcome> restore(const app::RouteState& basis, const app::RouteState& original,
                                      const std::string& record) override {
        return inner_->restore(basis, original, record);
    }

   private:
    std::unique_ptr<app::RolloutTarget> inner_;
    std::string context_;
};

void addOnce(std::vector<std::string>& list, const std::string& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// The targets of every cluster, and what the checks are told of them.
struct Fleet {
    std::vector<std::unique_ptr<app::RolloutTarget>> owned;
    std::vector<app::RolloutTarget*> targets;
    std::vector<std::string> names, namespaces, contexts;
    std::vector<FleetMember> members;  // for --analysis: where each object is
};

Result<Fleet> fleetOf(std::vector<Connection>& conns, const RolloutFlags& f, const app::Warn& warnFn) {
    Fleet fleet;
    bool clusters = conns.size() > 1;
    for (auto& c : conns) {
        auto selected = listSelection(*c.api, c.cluster.ns, f.selection);
        if (!selected) {
            if (!clusters) return selected.error();
            return Error{fmt::format("context {}: {}", c.label, selected.error().message),
                         selected.error().exit};
        }
        c.api->setFieldManager(f.fieldManager);
        addOnce(fleet.namespaces, c.cluster.ns);
        addOnce(fleet.contexts, c.cluster.contextName);
        for (auto& [ref, listed] : *selected) {
            stores::RouteTargetOptions t{c.cluster.ns,
                                         ref.name,
                                         f.routes,
                                         core::SplitOptions(),
                                         kube::recordedUser(c.cluster),
                                         f.historyLimit,
                                         !f.noValidate,
                                         ref.kind,
                                         f.force};
            auto kubeTarget = std::make_unique<stores::KubeRouteTarget>(*c.api, t, warnFn);
            if (listed) kubeTarget->seed(std::move(*listed));  // -l: read once, from the LIST
            std::unique_ptr<app::RolloutTarget> target = std::move(kubeTarget);
            if (clusters) target = std::make_unique<InCluster>(std::move(target), c.label);
            fleet.targets.push_back(target.get());
            fleet.members.push_back({target.get(), c.client.get(), c.api.get(), c.cluster.ns});
            fleet.owned.push_back(std::move(target));
            addOnce(fleet.names, core::describe(ref));
        }
    }
    return fleet;
}

std::string joined(const std::vector<std::string>& list) { return fmt::format("{}", fmt::join(list, ",")); }

}  // namespace

std::string selectionWords(const RolloutFlags& f) {
    if (!f.selection.selectorText.empty()) return "-l " + f.selection.selectorText;
    return fmt::format("{}", fmt::join(f.selection.words, " "));
}

int runRolloutMany(const RolloutFlags& f, app::RolloutOptions& options, const Analysis& analysis,
                   const Globals& g) {
    auto conns = connectAll(g);
    if (!conns) return report(conns.error());
    bool live = liveProgress(f.noProgress, STDOUT_FILENO);
    RolloutProgress progress({stdout, STDOUT_FILENO, live, term::useColor(g.color, STDOUT_FILENO),
                              term::unicodeOutput(), f.to, !f.checks.empty(),
                              options.interval > app::Duration::zero()});
    auto fleet = fleetOf(*conns, f, [&](const std::string& message) {
        progress.clear();
        warn(message);
    });
    if (!fleet) return report(fleet.error());
    // With several objects, SHIFT_NAME, SHIFT_NAMESPACE and SHIFT_CONTEXT are comma lists (each value
    // once); SHIFT_TARGETS has one line per object (rollout_adapters.cpp).
    ShellChecks checks({{"SHIFT_NAME", joined(fleet->names)},
                        {"SHIFT_NAMESPACE", joined(fleet->namespaces)},
                        {"SHIFT_CONTEXT", joined(fleet->contexts)}});
    FleetAnalysis gates(checks, analysis);
    if (Status st = gates.prepare(fleet->members, f.analysis.prometheus, f.to, f.dryRun, g.verbosity); !st)
        return report(st.error());
    SystemClock wallClock;
    ProgressClock progressClock(progress);
    app::Clock& clock = live ? static_cast<app::Clock&>(progressClock) : wallClock;
    auto see = "kubectl shift get " + selectionWords(f);
    if (fleet->namespaces.size() == 1) see += " -n " + fleet->namespaces.front();
    if (conns->size() > 1) see += " --contexts " + joined(fleet->contexts);
    proc::watchSignals(fmt::format(
        "{}shift: second signal, stopping now: the {} objects may be mid-rollout; see `{}`",
        live && term::isTerminal(STDERR_FILENO) ? term::kEraseLine : "", fleet->targets.size(), see));
    options.dryRun = f.dryRun;
    auto result = app::runRolloutMany(fleet->targets, gates, clock, options,
                                      [&](const app::Event& e) { progress.event(e); });
    progress.clear();
    if (result.exit == kExitOk) {
        emit(stdout, result.message + "\n");
    } else {
        fmt::print(stderr, "error: {}\n", result.message);
    }
    return result.exit;
}

}  // namespace shift::cli
