#pragma once
// `shift get [NAME]`: the split of one VirtualService, of all in the namespace, or of all in the
// cluster (-A); a table, or the Split/SplitList schema with -o json|yaml (core/split_report.hpp).
#include <string>
#include <vector>

#include "app/store.hpp"
#include "command.hpp"
#include "core/split_report.hpp"

namespace shift::cli {

struct GetOptions {
    std::string name;  // "" for every VirtualService in scope
    bool allNamespaces = false;
    std::vector<std::string> routes;  // --route: the rules to show (default: every routed rule)
    std::string filename;             // -f: manifests instead of the cluster
    bool recursive = false;           // -R
};

// The reports of the VirtualServices under -f (get_files.cpp).
Result<std::vector<core::SplitReport>> fileReports(const GetOptions& options);

class GetCommand : public Command {
   public:
    void declare(CLI::App& app) override;
    Status complete(const Globals& globals) override;
    Status validate() const override;
    int run(const Globals& globals) override;
    Candidates completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                            const std::string& current) const override;

    GetOptions options;
};

}  // namespace shift::cli
