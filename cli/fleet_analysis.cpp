#include "fleet_analysis.hpp"

#include <fmt/format.h>

namespace shift::cli {

namespace {

// The per-object gates run only gates: every shell check goes to the fleet's own runner, once a step.
class NoShell : public app::CheckRunner {
   public:
    app::CheckOutcome run(const std::string& command, const app::CheckContext&, app::Duration) override {
        return {false, "not a gate: " + command};
    }
};
NoShell noShell;

}  // namespace

std::string splitOfTarget(const std::string& targets, const std::string& name) {
    for (std::size_t at = 0; at < targets.size();) {
        std::size_t end = std::min(targets.find('\n', at), targets.size());
        const std::string line = targets.substr(at, end - at);
        // Names may hold spaces ("ctx: reviews"); a split never does.
        std::size_t space = line.rfind(' ');
        if (space != std::string::npos && line.compare(0, space, name) == 0 && space == name.size())
            return line.substr(space + 1);
        at = end + 1;
    }
    return {};
}

Result<Prometheus*> FleetAnalysis::prometheusFor(kube::Client& cluster, const PrometheusFlags& f,
                                                 int verbosity) {
    kube::Client* key = f.service.empty() ? nullptr : &cluster;
    auto& slot = prometheus_[key];
    if (slot) return slot.get();
    auto opened = Prometheus::open(f, cluster, verbosity);
    if (!opened) return opened.error();
    if (Status s = (*opened)->checkWindow(analysis_.window, "--analysis-window"); !s) return s.error();
    slot = std::move(*opened);
    return slot.get();
}

Status FleetAnalysis::prepare(const std::vector<FleetMember>& members, const PrometheusFlags& f,
                              const std::string& key, bool dryRun, int verbosity) {
    if (!analysis_.active()) return okStatus();
    for (const auto& m : members) {
        auto scope = analysisScope(*m.api, *m.target, m.ns, key);
        if (!scope) return Error{m.target->name() + ": " + scope.error().message, scope.error().exit};
        Prometheus* p = nullptr;
        if (!dryRun) {
            auto opened = prometheusFor(*m.cluster, f, verbosity);
            if (!opened) return opened.error();
            p = *opened;
        }
        auto checks = std::make_unique<AnalysisChecks>(noShell, analysis_);
        checks->connect(p, std::move(*scope), verbosity);
        if (dryRun || verbosity >= 1)
            for (const auto& line : checks->queries())
                fmt::print(dryRun ? stdout : stderr, "analysis: {}: {}\n", m.target->name(), line);
        judged_.push_back({m.target->name(), std::move(checks)});
    }
    return okStatus();
}

app::CheckOutcome FleetAnalysis::run(const std::string& command, const app::CheckContext& context,
                                     app::Duration timeout) {
    if (judged_.empty() || !judged_.front().checks->handles(command))
        return shell_.run(command, context, timeout);
    for (auto& j : judged_) {
        app::CheckContext own = context;
        own.split = splitOfTarget(context.targets, j.name);
        auto outcome = j.checks->run(command, own, timeout);
        if (!outcome.passed) return {false, j.name + ": " + outcome.detail};
    }
    return {true, ""};
}

}  // namespace shift::cli
