#pragma once
// Where a VirtualService lives (the cluster, manifest files, a test's memory), behind the few calls the
// pipeline needs, as ninja's DiskInterface puts the disk behind five: read the object with its version,
// gather what its subsets are checked against, write on condition that nothing changed since.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "core/mesh.hpp"
#include "core/plan.hpp"
#include "doc/node.hpp"

namespace shift::app {

enum class DryRun { None, Client, Server };
enum class Output { None, Yaml, Json };

// The object as read, and what a conditional write must still find: a resourceVersion, or the
// file's content. Both are views of what the store holds, valid until its next read() (a large
// manifest is not copied for them).
struct Snapshot {
    const doc::Node* object = nullptr;
    std::string_view version;
};

// What a write made of a plan: the two sides of its diff and what is printed of the result.
struct Change {
    bool conflict = false;  // the store no longer held the version read: nothing was written
    std::string before;     // the diff's sides and their labels
    std::string after;
    std::string beforeLabel;
    std::string afterLabel;
    std::string printed;  // the object as -o prints it, when the store prints more than `after`
    std::string status;   // how the store words the result ("shifted (dry run)"), or ""
};

using Warn = std::function<void(const std::string& message)>;

class Store;

// One write of Store::writeMany: a planned object of some store of one place (one cluster).
struct WriteCall {
    Store* store = nullptr;
    const Snapshot* read = nullptr;
    const core::ShiftPlan* plan = nullptr;
};
// One result per call, in the calls' order; nullopt for a write never sent.
using Writes = std::vector<std::optional<Result<Change>>>;

class Store {
   public:
    virtual ~Store() = default;

    // Reads the VirtualService afresh.
    virtual Result<Snapshot> read() = 0;

    // What the plan's new hosts and subsets are checked against (Services, ServiceEntries,
    // DestinationRules), as of the last read; nullopt skips the checks (nothing new to check, or a
    // store that cannot tell). Which objects are read may depend on the plan (its hosts' namespaces).
    // The mesh points into the store: valid until its next read().
    virtual Result<std::optional<core::Mesh>> mesh(const core::ShiftPlan& plan) = 0;

    // Makes the plan's result from the object read: writes it when it changes something and no dry
    // run is asked, only if the store still holds read.version (else a Change with conflict set).
    // The snapshot is spent by a write: the store may hand what it read over to the Change.
    virtual Result<Change> write(const Snapshot& read, const core::ShiftPlan& plan, DryRun dryRun) = 0;

    // Puts the object back as the last read found it, on condition that it still holds what the last
    // write left (a later writer's change is never overwritten): applyMany's undo of a write when a
    // later object's write fails. Only after a write that changed the object. A store that cannot
    // says so.
    virtual Status restore() { return fail("this store cannot put an object back"); }

    // Several writes of one place (this store's and others' of the same cluster or files), each as
    // its store's write() makes it. A store that can send them together (the cluster, over HTTP/2)
    // overrides this. This default writes them one after another and stops after the first that
    // fails (a conflict is a result, not a failure) or once stopped() says so.
    virtual Writes writeMany(const std::vector<WriteCall>& calls, DryRun dryRun,
                             const std::function<bool()>& stopped);
    // restore() of each store given (this one or others of the same place), in that order.
    virtual std::vector<Status> restoreMany(const std::vector<Store*>& stores);

    // How a conflict is told: the warning before attempt `next` of `attempts`, and the final error.
    virtual std::string conflictWarning(int next, int attempts) const = 0;
    virtual Error gaveUp(int attempts) const = 0;
};

}  // namespace shift::app
