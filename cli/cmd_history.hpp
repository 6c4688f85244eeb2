#pragma once
// `shift history NAME`: the revisions shift recorded on a VirtualService in the cluster (each write by
// set, rollout and undo), as a table or the History schema with -o json|yaml (core/history_report.hpp).
#include <string>

#include "command.hpp"
#include "core/history.hpp"
#include "core/object_ref.hpp"
#include "kube/istio_api.hpp"

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

// The history recorded on the object in the cluster, and its table.
Result<std::vector<core::Revision>> historyIn(kube::Api& api, const std::string& ns,
                                              const core::ObjectRef& ref);
std::string historyTable(const std::vector<core::Revision>& history);

// --context repeated: each cluster's history under a header (history_many.cpp).
int historyMany(const HistoryOptions& options, const Globals& globals);

// -f given to history or undo: one line saying where the history is.
Error historyNeedsCluster(const std::string& command);

}  // namespace shift::cli
