#include "cmd_rollout.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cmd_set.hpp"
#include "core/duration.hpp"
#include "core/rollout_steps.hpp"
#include "kube/istio_api.hpp"
#include "proc/signals.hpp"
#include "report.hpp"
#include "rollout_adapters.hpp"
#include "rollout_progress.hpp"
#include "stores/kube_route_target.hpp"
#include "term/charset.hpp"

namespace shift::cli {

namespace {

Result<app::Policy> policy(const std::string& text, const char* flag) {
    if (text == "rollback") return app::Policy::Rollback;
    if (text == "hold") return app::Policy::Hold;
    return fail(fmt::format("invalid {} \"{}\": use rollback or hold", flag, text));
}

std::string hostName() {
    char buf[256] = {};
    return ::gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : std::string("unknown-host");
}

}  // namespace

void RolloutCommand::declare(CLI::App& app) {
    auto& f = flags;
    app.add_option("NAME", f.selection.words,
                   "VirtualService to roll out, or TYPE/NAME (httproute/NAME); several move together");
    app.add_option("--to", f.to, "The destination (subset or host) that gets the traffic")
        ->option_text("KEY");
    app.add_option("--steps", f.steps, "KEY's share at each step, rising (default 10,25,50,100)")
        ->option_text("LIST");
    app.add_option("--interval", f.interval, "Wait after each step before its checks (default 30s)")
        ->option_text("DURATION");
    repeatable(app.add_option("--check", f.checks,
                              "A health check run through sh -c after each step; exit 0 is healthy"),
               "CMD");
    app.add_option("--check-timeout", f.checkTimeout, "Kill a check after this long (default 1m)")
        ->option_text("DURATION");
    app.add_option("--max-failures", f.maxFailures, "Failed checks retried after an interval (default 0)")
        ->option_text("N");
    app.add_option("--on-failure", f.onFailure, "After a failed check: rollback (default) or hold")
        ->option_text("rollback|hold");
    app.add_option("--on-interrupt", f.onInterrupt, "After SIGINT/SIGTERM: rollback (default) or hold")
        ->option_text("rollback|hold");
    repeatable(app.add_option("--route", f.routes, "The rule to move: NAME, INDEX or LIST:INDEX"), "RULE");
    app.add_flag("--force", f.force,
                 "Take over from another rollout of the same VirtualService; write beside Flagger or Argo "
                 "Rollouts");
    declareFieldManager(app, f.fieldManager);
    declarePins(app, f.pins, "it keeps its share at every step; traffic moves among the others");
    app.add_flag("--dry-run", f.dryRun, "Print the plan (every step's split) and change nothing");
    app.add_flag("--no-progress", f.noProgress,
                 "One timestamped line per event, also on a terminal (no status line redrawn in place)");
    app.add_flag("--no-validate", f.noValidate,
                 "Skip the checks of new hosts and subsets before the first step");
    declareSelection(app, f.selection, "Roll out");
    app.add_option("--history-limit", f.historyLimit, "Revisions kept in the history annotation (default 10)")
        ->option_text("N");
    declareAnalysis(app, f.analysis);
}

Status RolloutCommand::complete(const Globals& globals) {
    auto& o = options;
    if (auto st = completeSelection(flags.selection); !st) return st;
    if (flags.selection.refs.size() == 1) flags.name = flags.selection.words.front();
    several_ = flags.selection.several() || globals.contexts.size() > 1;
    o.key = flags.to;
    auto steps = core::parseSteps(flags.steps);
    if (!steps) return steps.error();
    o.steps = *steps;
    o.pins = flags.pins;
    auto interval = core::parseDuration(flags.interval, "--interval");
    if (!interval) return interval.error();
    o.interval = *interval;
    auto timeout = core::parseDuration(flags.checkTimeout, "--check-timeout");
    if (!timeout) return timeout.error();
    o.checkTimeout = *timeout;
    auto failure = policy(flags.onFailure, "--on-failure");
    if (!failure) return failure.error();
    o.onFailure = *failure;
    auto interrupt = policy(flags.onInterrupt, "--on-interrupt");
    if (!interrupt) return interrupt.error();
    o.onInterrupt = *interrupt;
    o.checks = flags.checks;
    auto analysed = completeAnalysis(flags.analysis, o.interval, o.checks);
    if (!analysed) return analysed.error();
    analysis = *analysed;
    o.maxFailures = flags.maxFailures;
    o.force = flags.force;
    o.holder = fmt::format("{}@{} pid {}", std::getenv("USER") ? std::getenv("USER") : "shift", hostName(),
                           ::getpid());
    o.command = fmt::format("rollout {} --to {} --steps {}", selectionWords(flags), flags.to, flags.steps);
    for (const auto& p : flags.pins) o.command += " --pin " + p;
    o.staleAfter = core::kMarkStaleAfter;
    return okStatus();
}

Status RolloutCommand::validate() const {
    if (flags.selection.refs.empty() && !flags.selection.selector)
        return fail("name the VirtualService, e.g. `kubectl shift rollout reviews --to v3`");
    if (flags.to.empty()) return fail("say which destination gets the traffic: --to KEY (e.g. --to v3)");
    if (flags.maxFailures < 0) return fail("--max-failures must be 0 or more");
    return checkClusterFlags(flags.historyLimit, flags.fieldManager);
}

int RolloutCommand::run(const Globals& g) {
    if (several_) return runRolloutMany(flags, options, analysis, g);
    auto ref = core::parseObjectRef(flags.name);
    if (!ref) return report(ref.error());
    auto cluster = kube::loadCluster(g.cluster);
    if (!cluster) return report(cluster.error());
    auto client = kube::connect(*cluster, g.verbosity);
    kube::Api api(*client, cluster->contextName);
    api.setFieldManager(flags.fieldManager);
    stores::RouteTargetOptions t{cluster->ns,
                                 ref->name,
                                 flags.routes,
                                 core::SplitOptions(),
                                 kube::recordedUser(*cluster),
                                 flags.historyLimit,
                                 !flags.noValidate,
                                 ref->kind,
                                 flags.force};
    t.reach = true;  // one object: the notes of what else routes its hosts are worth one LIST
    bool live = liveProgress(flags.noProgress, STDOUT_FILENO);
    RolloutProgress progress({stdout, STDOUT_FILENO, live, term::useColor(g.color, STDOUT_FILENO),
                              term::unicodeOutput(), flags.to, !options.checks.empty(),
                              options.interval > app::Duration::zero()});
    // A warning goes above the status line, which comes back at the next redraw.
    stores::KubeRouteTarget target(api, t, [&](const std::string& message) {
        progress.clear();
        warn(message);
    });
    ShellChecks checks({{"SHIFT_NAME", ref->name},
                        {"SHIFT_NAMESPACE", cluster->ns},
                        {"SHIFT_CONTEXT", cluster->contextName}});
    AnalysisChecks gates(checks, analysis);
    auto prometheus = prepareAnalysis(gates, flags.analysis.prometheus, *client, api, target, cluster->ns,
                                      flags.to, flags.dryRun, g.verbosity);
    if (!prometheus) return report(prometheus.error());
    SystemClock wallClock;
    ProgressClock progressClock(progress);
    app::Clock& clock = live ? static_cast<app::Clock&>(progressClock) : wallClock;
    // The second signal's message is written from the handler: on a terminal it erases the status line.
    proc::watchSignals(
        fmt::format("{}shift: second signal, stopping now: {} {}/{} may be mid-rollout; "
                    "see `kubectl shift get {} -n {}`",
                    live && term::isTerminal(STDERR_FILENO) ? term::kEraseLine : "",
                    core::kindName(ref->kind), cluster->ns, ref->name, flags.name, cluster->ns));
    options.dryRun = flags.dryRun;
    auto result =
        app::runRollout(target, gates, clock, options, [&](const app::Event& e) { progress.event(e); });
    progress.clear();
    if (result.exit == kExitOk) {
        emit(stdout, result.message + "\n");
    } else {
        fmt::print(stderr, "error: {}\n", result.message);
    }
    return result.exit;
}

Candidates RolloutCommand::completeArgs(const completion::Scope& scope, const std::vector<std::string>&,
                                        const std::string&) const {
    Candidates c;
    c.words = completion::virtualServiceNames(scope);  // several names are several objects
    return c;
}

}  // namespace shift::cli
