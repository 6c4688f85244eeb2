#pragma once
// `shift rollout --analysis GATE...`: each gate is judged from Prometheus after each step's interval,
// as one more named check beside the --check commands, so --max-failures, --on-failure and the
// restore apply to it unchanged (the engine, lib/app/rollout.hpp, sees only check names).
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/rollout.hpp"
#include "cli11_fwd.hpp"
#include "kube/client.hpp"
#include "kube/istio_api.hpp"
#include "prom/observed.hpp"
#include "prom/queries.hpp"
#include "prometheus.hpp"

namespace shift::cli {

inline constexpr long long kDefaultMinRequests = 20;

struct AnalysisFlags {
    PrometheusFlags prometheus;
    std::vector<std::string> gates;  // --analysis
    std::string window;              // --analysis-window, "" for the interval
    long long minRequests = kDefaultMinRequests;
    std::string inconclusive = "fail";
    bool verify = false;  // --verify: the observed split, before the other checks of a step
    double verifyTolerance = 5;
};
void declareAnalysis(CLI::App& app, AnalysisFlags& f);

struct Analysis {
    std::vector<prom::Gate> gates;
    core::Duration window{};
    long long minRequests = kDefaultMinRequests;
    bool inconclusivePasses = false;
    bool verify = false;
    double verifyTolerance = 5;
    bool active() const { return verify || !gates.empty(); }
};
// Checks the flags; `checks` gets one entry per gate, the name the gate's runner knows it by.
Result<Analysis> completeAnalysis(const AnalysisFlags& f, core::Duration interval,
                                  std::vector<std::string>& checks);

// What one route's gates look at: KEY's workload, and for --verify the service whose split is
// observed and the metric label of each destination key.
struct AnalysisScope {
    prom::Workload workload;
    prom::Service service;
    std::map<std::string, std::string> labels;
};
// KEY's host from the route, its version label from the DestinationRule.
Result<AnalysisScope> analysisScope(kube::Api& api, app::RolloutTarget& target, const std::string& ns,
                                    const std::string& key);

// Runs the gates named in the checks, and hands every other check to `shell`.
class AnalysisChecks : public app::CheckRunner {
   public:
    AnalysisChecks(app::CheckRunner& shell, Analysis analysis)
        : shell_(shell), analysis_(std::move(analysis)) {}
    // Where the gates look (nullptr: no gates to run) and what they judge.
    void connect(Prometheus* prometheus, AnalysisScope scope, int verbosity);
    // Whether `command` is one of this analysis's gates (or --verify), not a shell check.
    bool handles(const std::string& command) const;
    // The queries, one line each, as --dry-run and -v print them.
    std::vector<std::string> queries() const;
    app::CheckOutcome run(const std::string& command, const app::CheckContext& context,
                          app::Duration timeout) override;
    const Analysis& analysis() const { return analysis_; }

   private:
    app::CheckOutcome judge(const prom::Gate& gate);
    app::CheckOutcome verifySplit(const std::string& split);
    app::CheckOutcome inconclusive(const std::string& why) const;
    // Inconclusive (or failed) when Prometheus counts fewer than --min-requests to KEY; else nullopt.
    std::optional<app::CheckOutcome> tooFewRequests();
    std::string target() const;  // "version v3" or "service reviews-v3", for messages

    app::CheckRunner& shell_;
    Analysis analysis_;
    Prometheus* prometheus_ = nullptr;
    prom::Workload workload_;
    prom::Service service_;
    std::map<std::string, std::string> labels_;
    int verbosity_ = 0;
};

// Connects the gates to Prometheus and to the version they judge (analysisScope); refuses a window shorter
// than two scrapes. Prints the queries under --dry-run (which does not contact Prometheus) and -v. nullptr
// when there are no gates.
Result<std::unique_ptr<Prometheus>> prepareAnalysis(AnalysisChecks& gates, const PrometheusFlags& f,
                                                    kube::Client& cluster, kube::Api& api,
                                                    app::RolloutTarget& target, const std::string& ns,
                                                    const std::string& key, bool dryRun, int verbosity);

}  // namespace shift::cli
