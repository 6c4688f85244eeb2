#pragma once
// `shift history NAME`: the revisions shift recorded on a VirtualService in the cluster (each write by
// set, rollout and undo), as a table or the History schema with -o json|yaml (core/history_report.hpp).
#include <string>

#include "command.hpp"

namespace shift::cli {

struct HistoryOptions {
    std::string name;
    std::string filename;  // -f: refused, the history lives on the cluster's object
};

class HistoryCommand : public Command {
   public:
    void declare(CLI::App& app) override;
    Status complete(const Globals& globals) override;
    Status validate() const override;
    int run(const Globals& globals) override;
    Candidates completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                            const std::string& current) const override;

    HistoryOptions options;
};

// -f given to history or undo: one line saying where the history is.
Error historyNeedsCluster(const std::string& command);

}  // namespace shift::cli
