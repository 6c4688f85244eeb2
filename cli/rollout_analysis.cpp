#include "rollout_analysis.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>

#include "command.hpp"
#include "core/duration.hpp"
#include "report.hpp"

namespace shift::cli {

namespace {

constexpr const char* kGatePrefix = "analysis ";
constexpr const char* kVerifyCheck = "verify the observed split";

std::string percent(double v) { return fmt::format("{:.2f}%", v); }

std::string valueText(const prom::Gate& g, double v) {
    switch (g.kind) {
        case prom::Gate::Kind::SuccessRate:
            return "success rate " + percent(v);
        case prom::Gate::Kind::Latency:
            return fmt::format("p{:g} latency {:.0f}ms", g.quantile * 100, v);
        case prom::Gate::Kind::Custom:
            return fmt::format("value {:g}", v);
    }
    return fmt::format("{:g}", v);
}

}  // namespace

void declareAnalysis(CLI::App& app, AnalysisFlags& f) {
    repeatable(
        app.add_option("--analysis", f.gates,
                       "A gate judged from Prometheus after each step: success-rate>=99, latency-p99<=500ms, "
                       "'QUERY>=X'"),
        "GATE");
    app.add_option("--analysis-window", f.window, "The span each gate looks back over (default the interval)")
        ->option_text("DURATION");
    app.add_option("--min-requests", f.minRequests,
                   "Fewer requests to KEY in the window is no traffic: inconclusive (default 20)")
        ->option_text("N");
    app.add_option("--inconclusive", f.inconclusive, "An inconclusive gate counts as: fail (default) or pass")
        ->option_text("fail|pass");
    app.add_flag(
        "--verify", f.verify,
        "Before a step's other checks, check in Prometheus that the traffic moved (as `shift verify`)");
    app.add_option("--verify-tolerance", f.verifyTolerance,
                   "Percentage points the observed split may be off with --verify (default 5)")
        ->option_text("POINTS");
    declarePrometheus(app, f.prometheus);
}

Result<Analysis> completeAnalysis(const AnalysisFlags& f, core::Duration interval,
                                  std::vector<std::string>& checks) {
    Analysis a;
    for (const auto& text : f.gates) {
        auto g = prom::parseGate(text);
        if (!g) return g.error();
        a.gates.push_back(*g);
        checks.push_back(kGatePrefix + text);
    }
    if (f.inconclusive != "fail" && f.inconclusive != "pass")
        return fail(fmt::format("invalid --inconclusive \"{}\": use fail or pass", f.inconclusive));
    a.inconclusivePasses = f.inconclusive == "pass";
    if (f.minRequests < 0) return fail("--min-requests must be 0 or more");
    a.minRequests = f.minRequests;
    a.window = interval;
    if (!f.window.empty()) {
        auto w = core::parseDuration(f.window, "--analysis-window");
        if (!w) return w.error();
        a.window = *w;
    }
    a.verify = f.verify;
    a.verifyTolerance = f.verifyTolerance;
    if (f.verifyTolerance < 0 || f.verifyTolerance > 100)
        return fail("--verify-tolerance is percentage points, from 0 to 100");
    if (a.verify) checks.insert(checks.begin(), kVerifyCheck);
    if (!a.active()) return a;
    if (a.window < std::chrono::seconds(1))
        return fail(
            fmt::format("--analysis and --verify need a window of at least 1s (now {}): set "
                        "--analysis-window or --interval",
                        core::formatDuration(a.window)));
    if (auto access = prometheusAccess(f.prometheus); !access) return access.error();
    return a;
}

void AnalysisChecks::connect(Prometheus* prometheus, AnalysisScope scope, int verbosity) {
    prometheus_ = prometheus;
    workload_ = std::move(scope.workload);
    service_ = std::move(scope.service);
    labels_ = std::move(scope.labels);
    verbosity_ = verbosity;
}

bool AnalysisChecks::handles(const std::string& command) const {
    if (command == kVerifyCheck) return analysis_.verify;
    if (command.rfind(kGatePrefix, 0) != 0) return false;
    const std::string text = command.substr(std::string(kGatePrefix).size());
    return std::any_of(analysis_.gates.begin(), analysis_.gates.end(),
                       [&](const prom::Gate& g) { return g.text == text; });
}

std::vector<std::string> AnalysisChecks::queries() const {
    std::vector<std::string> out;
    if (analysis_.verify)
        out.push_back(fmt::format("--verify: {}", prom::observedSplitQuery(service_, analysis_.window)));
    if (analysis_.gates.empty()) return out;
    out.push_back(fmt::format("requests (--min-requests {}): {}", analysis_.minRequests,
                              prom::requestCountQuery(workload_, analysis_.window)));
    for (const auto& g : analysis_.gates)
        out.push_back(fmt::format("{}: {}", g.text, prom::gateQuery(g, workload_, analysis_.window)));
    return out;
}

std::string AnalysisChecks::target() const {
    return workload_.version.empty() ? "service " + workload_.service : "version " + workload_.version;
}

app::CheckOutcome AnalysisChecks::inconclusive(const std::string& why) const {
    if (analysis_.inconclusivePasses)
        return {true, fmt::format("no traffic ({}): inconclusive, passed as --inconclusive pass", why)};
    return {false, fmt::format("no traffic ({}): inconclusive, which fails the step; send traffic "
                               "to {}, lower --min-requests or give --inconclusive pass",
                               why, target())};
}

std::optional<app::CheckOutcome> AnalysisChecks::tooFewRequests() {
    const std::string count = prom::requestCountQuery(workload_, analysis_.window);
    if (verbosity_ >= 1) fmt::print(stderr, "query: {}\n", count);
    auto requests = prometheus_->client().query(count);
    if (!requests) return app::CheckOutcome{false, requests.error().message};
    auto n = prom::singleValue(*requests, count);
    if (!n) return app::CheckOutcome{false, n.error().message};
    if (*n && **n >= double(analysis_.minRequests)) return std::nullopt;
    return inconclusive(fmt::format("{:.0f} requests to {} in the last {}, --min-requests {}", n->value_or(0),
                                    target(), core::formatDuration(analysis_.window), analysis_.minRequests));
}

app::CheckOutcome AnalysisChecks::judge(const prom::Gate& gate) {
    prom::Client& client = prometheus_->client();
    // A custom query measures what its author chose: only the built-in gates count KEY's requests.
    if (gate.kind != prom::Gate::Kind::Custom)
        if (auto few = tooFewRequests()) return *few;
    const std::string win = core::formatDuration(analysis_.window);
    const std::string q = prom::gateQuery(gate, workload_, analysis_.window);
    if (verbosity_ >= 1) fmt::print(stderr, "query: {}\n", q);
    auto answer = client.query(q);
    if (!answer) return {false, answer.error().message};
    auto v = prom::singleValue(*answer, q);
    if (!v) return {false, v.error().message};
    if (!*v)
        return inconclusive(
            fmt::format("Prometheus returned no sample for {} over the last {}", gate.text, win));
    bool ok = prom::holds(gate.op, **v, gate.threshold);
    const char* unit = gate.kind == prom::Gate::Kind::SuccessRate ? "%"
                       : gate.kind == prom::Gate::Kind::Latency   ? "ms"
                                                                  : "";
    return {ok, fmt::format("{} over the last {}, {} {}{:g}{}", valueText(gate, **v), win,
                            ok ? "within" : "needs", prom::opText(gate.op), gate.threshold, unit)};
}

app::CheckOutcome AnalysisChecks::verifySplit(const std::string& split) {
    std::vector<prom::Intended> intended;
    for (std::size_t at = 0; at < split.size();) {  // "v1=90,v3=10"
        std::size_t end = std::min(split.find(',', at), split.size());
        std::string item = split.substr(at, end - at);
        std::size_t eq = item.rfind('=');
        std::string key = item.substr(0, eq);
        double weight = eq == std::string::npos ? 0 : std::strtod(item.c_str() + eq + 1, nullptr);
        intended.push_back({key, labels_.count(key) ? labels_.at(key) : key, weight});
        at = end + 1;
    }
    const std::string q = prom::observedSplitQuery(service_, analysis_.window);
    if (verbosity_ >= 1) fmt::print(stderr, "query: {}\n", q);
    auto answer = prometheus_->client().query(q);
    if (!answer) return {false, answer.error().message};
    auto c = prom::compareSplit(intended, *answer, service_.byLabel, analysis_.verifyTolerance);
    const std::string win = core::formatDuration(analysis_.window);
    if (c.matches)
        return {true,
                fmt::format("the observed split matches within {:g} points", analysis_.verifyTolerance)};
    return {false, prom::mismatch(c, analysis_.verifyTolerance, win, "--verify-tolerance")};
}

app::CheckOutcome AnalysisChecks::run(const std::string& command, const app::CheckContext& context,
                                      app::Duration timeout) {
    if (command == kVerifyCheck && prometheus_) return verifySplit(context.split);
    if (command.rfind(kGatePrefix, 0) == 0) {
        const std::string text = command.substr(std::string(kGatePrefix).size());
        for (const auto& g : analysis_.gates) {
            if (g.text != text || !prometheus_) continue;
            auto outcome = judge(g);
            // The engine shows a passed check's name only; -v shows what was measured.
            if (verbosity_ >= 1 && outcome.passed) fmt::print(stderr, "{}: {}\n", command, outcome.detail);
            return outcome;
        }
    }
    return shell_.run(command, context, timeout);
}

Result<AnalysisScope> analysisScope(kube::Api& api, app::RolloutTarget& target, const std::string& ns,
                                    const std::string& key) {
    auto state = target.read();
    if (!state) return state.error();
    // KEY is a subset of the route's host (perhaps one the route does not name yet), or a host.
    ObservedRoute route = observedRoute(api, ns, state->split, key);
    prom::Workload w{ns, route.host.empty() ? "" : route.labels.at(key),
                     route.host.empty() ? route.labels.at(key) : route.service.names.at(0)};
    return AnalysisScope{std::move(w), std::move(route.service), std::move(route.labels)};
}

Result<std::unique_ptr<Prometheus>> prepareAnalysis(AnalysisChecks& gates, const PrometheusFlags& f,
                                                    kube::Client& cluster, kube::Api& api,
                                                    app::RolloutTarget& target, const std::string& ns,
                                                    const std::string& key, bool dryRun, int verbosity) {
    if (!gates.analysis().active()) return std::unique_ptr<Prometheus>();
    auto scope = analysisScope(api, target, ns, key);
    if (!scope) return scope.error();
    std::unique_ptr<Prometheus> p;
    if (!dryRun) {
        auto opened = Prometheus::open(f, cluster, verbosity);
        if (!opened) return opened.error();
        p = std::move(*opened);
        if (Status s = p->checkWindow(gates.analysis().window, "--analysis-window"); !s) return s.error();
    }
    gates.connect(p.get(), std::move(*scope), verbosity);
    if (dryRun || verbosity >= 1)
        for (const auto& line : gates.queries()) fmt::print(dryRun ? stdout : stderr, "analysis: {}\n", line);
    return p;
}

}  // namespace shift::cli
