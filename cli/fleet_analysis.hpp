#pragma once
// `shift rollout --analysis/--verify` over several objects or clusters: each object's gates judge its
// own version (its own queries, in its namespace), and a step passes a gate only when every object
// does; the first object that fails names the failure. Prometheus is one connection for a URL, or one
// per cluster through that cluster's service proxy (--prometheus-service): a URL shared by clusters
// sees each workload's traffic of every cluster it scrapes.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rollout_analysis.hpp"

namespace shift::cli {

// One object of the rollout, as the analysis needs it.
struct FleetMember {
    app::RolloutTarget* target;  // its name() is the object's name in the checks' context
    kube::Client* cluster;
    kube::Api* api;
    std::string ns;
};

class FleetAnalysis : public app::CheckRunner {
   public:
    FleetAnalysis(app::CheckRunner& shell, Analysis analysis)
        : shell_(shell), analysis_(std::move(analysis)) {}
    // Reads each object's scope, opens Prometheus (not under --dry-run) and checks the window; prints the
    // queries under --dry-run and -v, each line naming its object.
    Status prepare(const std::vector<FleetMember>& members, const PrometheusFlags& f, const std::string& key,
                   bool dryRun, int verbosity);
    app::CheckOutcome run(const std::string& command, const app::CheckContext& context,
                          app::Duration timeout) override;

   private:
    Result<Prometheus*> prometheusFor(kube::Client& cluster, const PrometheusFlags& f, int verbosity);

    struct Judged {
        std::string name;
        std::unique_ptr<AnalysisChecks> checks;
    };
    app::CheckRunner& shell_;
    Analysis analysis_;
    std::vector<Judged> judged_;
    // Keyed by the cluster whose proxy reaches it; nullptr for a URL all objects share.
    std::map<kube::Client*, std::unique_ptr<Prometheus>> prometheus_;
};

// The split of `name` in a several-object context's targets ("NAME SPLIT" lines), "" when absent.
std::string splitOfTarget(const std::string& targets, const std::string& name);

}  // namespace shift::cli
