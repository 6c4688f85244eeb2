#include "cmd_verify.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/object_ref.hpp"
#include "proc/signals.hpp"
#include "prom/observed.hpp"
#include "prom/queries.hpp"
#include "report.hpp"
#include "stores/kube_route_target.hpp"
#include "term/table.hpp"

namespace shift::cli {

namespace {

std::string points(double d) { return fmt::format("{:+.1f}", d); }

std::string table(const prom::SplitComparison& c) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : c.rows)
        rows.push_back(
            {r.key, fmt::format("{:g}%", r.intended), fmt::format("{:.1f}%", r.observed), points(r.diff())});
    return term::table({"DESTINATION", "INTENDED", "OBSERVED", "DIFF"}, rows);
}

std::string json(const prom::SplitComparison& c, const std::string& window, double tolerance) {
    nlohmann::json j;
    j["window"] = window;
    j["tolerance"] = tolerance;
    j["requestsPerSecond"] = c.requestsPerSecond;
    j["matches"] = c.matches;
    j["destinations"] = nlohmann::json::array();
    for (const auto& r : c.rows)
        j["destinations"].push_back(
            {{"key", r.key}, {"intended", r.intended}, {"observed", r.observed}, {"diff", r.diff()}});
    return j.dump(2) + "\n";
}

}  // namespace

void VerifyCommand::declare(CLI::App& app) {
    auto& f = flags;
    app.add_option("NAME", f.name, "VirtualService to verify, or TYPE/NAME (httproute/NAME)");
    app.add_option("--window", f.window, "The span of traffic to compare (default 1m)")
        ->option_text("DURATION");
    app.add_option("--tolerance", f.tolerance, "Percentage points a destination may be off (default 5)")
        ->option_text("POINTS");
    app.add_option("--wait", f.wait, "Keep looking until the split matches or this long has passed")
        ->option_text("DURATION");
    repeatable(app.add_option("--route", f.routes, "The rule to verify: NAME, INDEX or LIST:INDEX"), "RULE");
    declarePrometheus(app, f.prometheus);
}

Status VerifyCommand::complete(const Globals& g) {
    auto w = core::parseDuration(flags.window, "--window");
    if (!w) return w.error();
    window = *w;
    auto wt = core::parseDuration(flags.wait, "--wait");
    if (!wt) return wt.error();
    wait = *wt;
    if (g.output == app::Output::Yaml) return fail("verify writes -o json only");
    return okStatus();
}

Status VerifyCommand::validate() const {
    if (flags.name.empty()) return fail("name the VirtualService, e.g. `kubectl shift verify reviews`");
    if (flags.tolerance < 0 || flags.tolerance > 100)
        return fail("--tolerance is percentage points, from 0 to 100");
    if (window < std::chrono::seconds(1)) return fail("--window must be at least 1s");
    if (auto a = prometheusAccess(flags.prometheus); !a) return a.error();
    return okStatus();
}

int VerifyCommand::run(const Globals& g) {
    auto ref = core::parseObjectRef(flags.name);
    if (!ref) return report(ref.error());
    auto cluster = kube::loadCluster(g.cluster);
    if (!cluster) return report(cluster.error());
    auto client = kube::connect(*cluster, g.verbosity);
    kube::Api api(*client, cluster->contextName);
    stores::RouteTargetOptions t{
        cluster->ns, ref->name, flags.routes, core::SplitOptions(), "", core::kDefaultHistoryLimit,
        false,       ref->kind};
    stores::KubeRouteTarget target(api, t, [](const std::string& m) { warn(m); });
    auto state = target.read();
    if (!state) return report(state.error());
    ObservedRoute route = observedRoute(api, cluster->ns, state->split);
    std::vector<prom::Intended> intended;
    for (const auto& d : state->split.destinations)
        intended.push_back({d.key, route.labels.at(d.key), double(d.weight)});
    const prom::Service& service = route.service;
    auto prometheus = Prometheus::open(flags.prometheus, *client, g.verbosity);
    if (!prometheus) return report(prometheus.error());
    if (Status s = (*prometheus)->checkWindow(window, "--window"); !s) return report(s.error());
    const std::string query = prom::observedSplitQuery(service, window);
    if (g.verbosity >= 1) fmt::print(stderr, "query: {}\n", query);
    const auto deadline = std::chrono::steady_clock::now() + wait;
    prom::SplitComparison c;
    for (;;) {
        auto answer = (*prometheus)->client().query(query);
        if (!answer) return report(answer.error());
        c = prom::compareSplit(intended, *answer, service.byLabel, flags.tolerance);
        if (c.matches || std::chrono::steady_clock::now() >= deadline) break;
        if (!proc::sleepUnlessStopped(std::chrono::seconds(1))) break;
    }
    const std::string win = core::formatDuration(window);
    if (g.output == app::Output::Json) {
        emit(stdout, json(c, win, flags.tolerance));
    } else {
        emit(stdout, table(c));
    }
    if (!c.matches) {
        fmt::print(stderr, "error: {}; {}\n", prom::mismatch(c, flags.tolerance, win, "--tolerance"),
                   c.requestsPerSecond > 0
                       ? "Envoy may not have the new route yet (--wait) or clients bypass it"
                       : "send traffic or widen --window");
        return kExitCheckFailed;
    }
    if (g.output != app::Output::Json)
        emit(stdout,
             fmt::format(
                 "observed traffic matches the split within {:g} points over the last {} ({:.1f} req/s)\n",
                 flags.tolerance, win, c.requestsPerSecond));
    return kExitOk;
}

Candidates VerifyCommand::completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                                       const std::string&) const {
    Candidates c;
    if (args.empty()) c.words = completion::virtualServiceNames(scope);
    return c;
}

}  // namespace shift::cli
