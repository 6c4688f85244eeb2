#pragma once
// `shift rollout NAME --to KEY [--steps 10,25,50,100] [--interval D] [--check CMD]...`: a staged
// rollout from the terminal or CI, with nothing installed in the cluster (lib/app/rollout.hpp).
#include <string>
#include <vector>

#include "app/rollout.hpp"
#include "command.hpp"
#include "rollout_analysis.hpp"
#include "targets.hpp"

namespace shift::cli {

struct RolloutFlags {
    std::string name, to;
    std::string steps = "10,25,50,100";
    std::string interval = "30s", checkTimeout = "1m";
    std::vector<std::string> checks, routes;
    std::vector<std::string> pins;  // --pin KEY
    int maxFailures = 0;
    std::string onFailure = "rollback", onInterrupt = "rollback";
    bool dryRun = false, force = false, noValidate = false, noProgress = false;
    std::size_t historyLimit = core::kDefaultHistoryLimit;
    std::string fieldManager = "shift";
    Selection selection;     // NAME words, -l, --kind: several objects (rollout_many.cpp)
    AnalysisFlags analysis;  // --analysis and Prometheus's flags (rollout_analysis.hpp)
};

// Several objects or clusters: every one moved step by step together (rollout_many.cpp).
int runRolloutMany(const RolloutFlags& flags, app::RolloutOptions& options, const Analysis& analysis,
                   const Globals& globals);
// The objects as the command line gave them: "reviews ratings", "-l app=reviews".
std::string selectionWords(const RolloutFlags& flags);

class RolloutCommand : public Command {
   public:
    void declare(CLI::App& app) override;
    Status complete(const Globals& globals) override;
    Status validate() const override;
    int run(const Globals& globals) override;
    Candidates completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                            const std::string& current) const override;

    RolloutFlags flags;
    app::RolloutOptions options;  // filled by complete()
    Analysis analysis;            // filled by complete()

   private:
    bool several_ = false;  // several objects or clusters
};

}  // namespace shift::cli
