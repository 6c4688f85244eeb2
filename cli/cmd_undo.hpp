#pragma once
// `shift undo NAME [--to-revision N]`: every rule back to the split of an earlier revision of the
// history shift recorded on the VirtualService, in one write through set's safe path (diff, summary,
// resourceVersion precondition, re-plan on conflict), recorded as a revision itself.
#include <string>

#include "app/apply.hpp"
#include "command.hpp"

namespace shift::cli {

struct UndoOptions {
    std::string name;
    long long toRevision = 0;  // --to-revision; 0: the revision before the last
    std::string filename;      // -f: refused, the history lives on the cluster's object
    bool diff = false, quiet = false, exitCode = false, force = false, noValidate = false;
    std::string dryRunText = "none";
    app::DryRun dryRun = app::DryRun::None;
    std::size_t historyLimit = core::kDefaultHistoryLimit;
    std::string fieldManager = "shift";
};

class UndoCommand : public Command {
   public:
    void declare(CLI::App& app) override;
    Status complete(const Globals& globals) override;
    Status validate() const override;
    int run(const Globals& globals) override;
    Candidates completeArgs(const completion::Scope& scope, const std::vector<std::string>& args,
                            const std::string& current) const override;

    UndoOptions options;
    bool toRevisionGiven = false;  // filled by complete()
    CLI::Option* toRevisionOption = nullptr;
};

// --context repeated: each cluster's object undone, all or nothing (history_many.cpp).
int undoMany(const UndoOptions& options, const Globals& globals);

// The command as the history records it: "undo reviews" or "undo reviews --to-revision 2".
std::string recordedCommand(const UndoOptions& options);

}  // namespace shift::cli
