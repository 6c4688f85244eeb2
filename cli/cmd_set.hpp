#pragma once
// `shift set NAME KEY=WEIGHT...` (and the bare `shift NAME KEY=WEIGHT...`): shift a VirtualService's
// traffic, in the cluster or in manifest files (-f).
#include <optional>
#include <string>
#include <vector>

#include "app/apply.hpp"
#include "app/store.hpp"
#include "command.hpp"
#include "core/object_ref.hpp"
#include "core/plan.hpp"
#include "targets.hpp"

namespace shift::cli {

struct SetOptions {
    std::string name;                  // NAME or TYPE/NAME as given (the first, when several are named)
    core::ObjectRef target;            // the one object named, parsed by complete()
    std::vector<std::string> weights;  // KEY=WEIGHT arguments (with --equal: the KEYs)
    std::vector<std::string> adjust;   // --adjust KEY=+N|KEY=-N
    bool equal = false;                // --equal
    std::vector<std::string> pins;     // --pin KEY
    std::string weightSumText;         // --weights any-total|sum-100 as given ("": find out)
    std::string istioNamespace = "istio-system";  // where istiod runs (--istio-namespace)
    Selection selection;                          // every NAME, -l, --kind (complete() fills it)
    std::string filename;                // -f: file, directory or "-" (the first); empty for the cluster
    std::vector<std::string> filenames;  // every -f, in order (repeatable, as in kubectl)
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
    // The cluster only: take over from a rollout in progress, the history kept, the field manager.
    bool force = false;
    std::size_t historyLimit = core::kDefaultHistoryLimit;
    std::string fieldManager = "shift";
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

   private:
    Status splitNames();
    bool several_ = false;  // several objects or clusters: runMany
};

// The request the words and flags make: KEY=WEIGHT, --adjust or --equal, with --pin.
Result<core::Request> requestOf(const SetOptions& options);

// --adjust, --equal and KEY=WEIGHT words that contradict each other (validate, before any I/O).
Status checkRequestFlags(const SetOptions& options);

// --weights and --pin, declared once for set and rollout.
void declareWeightSum(CLI::App& app, std::string& weightSum, std::string& istioNamespace);
void declarePins(CLI::App& app, std::vector<std::string>& pins, const char* what);

// What the pipeline needs of the options (both runs).
app::ApplyOptions applyOptions(const SetOptions& options);

// The command as the history records it: "set reviews v1=90 v3=10 --route http:1"; with several
// objects, each records its own name.
std::string recordedCommand(const SetOptions& options);
std::string recordedCommand(const SetOptions& options, const std::string& name);

// The flags of the cluster's writes that set, rollout and undo share, declared and checked once.
void declareForce(CLI::App& app, bool& force);
void declareHistoryLimit(CLI::App& app, std::size_t& limit);
void declareFieldManager(CLI::App& app, std::string& manager);
Status checkClusterFlags(std::size_t historyLimit, const std::string& fieldManager);

// How a change to the cluster is printed (run_cluster.cpp), for set and undo alike: the diff, the
// summary, `virtualservice.networking.istio.io/NAME STATUS`; -o, --diff, -q and --exit-code as set's.
struct PrintFlags {
    std::string name;
    core::RouteKind kind = core::RouteKind::VirtualService;
    bool diff = false, quiet = false, exitCode = false;
};
int printClusterChange(const app::Outcome& out, const PrintFlags& flags, const Globals& globals);

// The two ways to run it (run_cluster.cpp, run_files.cpp); each prints its own messages and returns
// the exit code.
int runCluster(const SetOptions& options, const Globals& globals);
int runFiles(const SetOptions& options, const Globals& globals);
// Several objects or clusters, all or nothing (run_many.cpp).
int runMany(const SetOptions& options, const Globals& globals);

}  // namespace shift::cli
