#pragma once
// `shift set NAME KEY=WEIGHT...` (and the bare `shift NAME KEY=WEIGHT...`): shift a VirtualService's
// traffic, in the cluster or in manifest files (-f).
#include <optional>
#include <string>
#include <vector>

#include "app/apply.hpp"
#include "app/store.hpp"
#include "command.hpp"
#include "core/plan.hpp"

namespace shift::cli {

struct SetOptions {
    std::string name;                  // VirtualService name
    std::vector<std::string> weights;  // KEY=WEIGHT arguments
    std::string filename;              // -f: file, directory or "-"; empty for the cluster
    bool inPlace = false;
    bool recursive = false;  // -R: with -f DIR, its subdirectories too
    bool diff = false;
    bool quiet = false;               // -q: no summary, no status line (errors and warnings still print)
    std::string dryRunText = "none";  // --dry-run as given; complete() parses it into dryRun
    app::DryRun dryRun = app::DryRun::None;
    bool exitCode = false;
    bool noValidate = false;  // --no-validate: skip the subset check
    std::string expectText;   // --expect as given: "v1=75,v3=25"
    std::optional<core::Request> expect;
    core::ShiftOptions shift;
};

class SetCommand : public Command {
   public:
    void declare(CLI::App& app) override;
    Status complete(const Globals& globals) override;
    Status validate() const override;
    int run(const Globals& globals) override;
    Candidates completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                            const std::string& current) const override;

    SetOptions options;
    app::Output output = app::Output::None;  // -o, copied from the globals by complete()
};

// What the pipeline needs of the options (both runs).
app::ApplyOptions applyOptions(const SetOptions& options);

// The two ways to run it (run_cluster.cpp, run_files.cpp); each prints its own messages and returns
// the exit code.
int runCluster(const SetOptions& options, const Globals& globals);
int runFiles(const SetOptions& options, const Globals& globals);

}  // namespace shift::cli
