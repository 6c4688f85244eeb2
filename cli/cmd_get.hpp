#pragma once
// `shift get [NAME]`: the split of one VirtualService, of all in the namespace, or of all in the
// cluster (-A); a table, or the Split/SplitList schema with -o json|yaml (core/split_report.hpp).
#include <string>
#include <vector>

#include "app/store.hpp"
#include "command.hpp"
#include "core/split_report.hpp"
#include "doc/parse.hpp"
#include "targets.hpp"

namespace shift::cli {

struct GetOptions {
    std::string name;     // "" for every VirtualService in scope
    Selection selection;  // the NAME words, -l, --kind: several objects (get_many.cpp)
    bool allNamespaces = false;
    std::vector<std::string> routes;     // --route: the rules to show (default: every routed rule)
    std::string filename;                // -f: manifests instead of the cluster (the first)
    std::vector<std::string> filenames;  // every -f, in order
    bool recursive = false;              // -R
    bool watch = false;                  // -w: follow changes until interrupted
};

// The reports of the VirtualServices under -f (get_files.cpp).
Result<std::vector<core::SplitReport>> fileReports(const GetOptions& options);

// The reports of a LIST body's items. With --route, an object without the rule is left out.
Result<std::vector<core::SplitReport>> reportsOfList(const doc::Stream& list, const GetOptions& o);
Result<std::vector<core::SplitReport>> reportsOf(const std::vector<const doc::Node*>& objects,
                                                 const GetOptions& o);

// Several names, -l, or several clusters (get_many.cpp): the named or selected objects of each
// cluster in one table, a CLUSTER column first when there are several.
int getMany(const GetOptions& options, const Globals& globals);

// -w against the cluster (get_watch.cpp): prints the current state, then each change, until a
// signal (exit 0) or an error that retrying did not cure.
int watchCluster(const GetOptions& options, const Globals& globals);

class GetCommand : public Command {
   public:
    void declare(CLI::App& app) override;
    Status complete(const Globals& globals) override;
    Status validate() const override;
    int run(const Globals& globals) override;
    Candidates completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                            const std::string& current) const override;

    GetOptions options;

   private:
    bool several_ = false;
};

}  // namespace shift::cli
