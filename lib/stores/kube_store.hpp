#pragma once
// The cluster as a store: GET the VirtualService, PUT it back with the resourceVersion read (never a
// blind overwrite; 409 Conflict is the store's conflict); Services, ServiceEntries and
// DestinationRules listed from the API when a plan adds a destination (mesh_inputs.cpp).
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "app/store.hpp"
#include "core/history.hpp"
#include "core/object_ref.hpp"
#include "doc/parse.hpp"
#include "kube/istio_api.hpp"

namespace shift::stores {

// The API resource of a route kind: kube::virtualServices() or kube::httpRoutes().
const kube::RouteResource& routeResource(core::RouteKind kind);

// The API version a LIST item was served in: the version of its apiVersion (group/version).
std::string servedVersionOf(const doc::Node& listed);

class KubeStore : public app::Store {
   public:
    KubeStore(kube::Api& api, std::string ns, std::string name, app::Output output, app::Warn warn,
              core::RouteKind kind = core::RouteKind::VirtualService);

    Result<app::Snapshot> read() override;
    Result<std::optional<core::Mesh>> mesh(const core::ShiftPlan& plan) override;
    Result<app::Change> write(const app::Snapshot& read, const core::ShiftPlan& plan,
                              app::DryRun dryRun) override;
    Status restore() override;
    // The writes (restores) of several KubeStores of one Api go out together: at once over HTTP/2.
    app::Writes writeMany(const std::vector<app::WriteCall>& calls, app::DryRun dryRun,
                          const std::function<bool()>& stopped) override;
    std::vector<Status> restoreMany(const std::vector<app::Store*>& stores) override;
    std::string conflictWarning(int next, int attempts) const override;
    Error gaveUp(int attempts) const override;

    // Called just before a PUT that may change the object goes out (not for dry runs): the CLI's
    // interrupt handler then says the change may have been applied.
    std::function<void()> beforeSend;

    // When set, a write that changes the object (not a dry run) appends a revision to its history
    // annotation in the same PUT (core::recordRevision): the cost of `shift history` is no request.
    struct Record {
        std::string user;     // kube::recordedUser
        std::string command;  // "set reviews v1=90 v3=10"
        std::size_t limit = core::kDefaultHistoryLimit;
    };
    std::optional<Record> record;

    // The object as a LIST returned it (-l): the first read() takes it instead of a GET, so a
    // label-selected change costs one LIST and a PUT per object. Later reads (after a conflict) GET.
    void seed(doc::Node listed) { seeded_ = std::move(listed); }

    // --force: the write also removes a rollout's mark, taking the object over (the rollout, if it is
    // still running, sees a change it did not make at its next write and stops without writing).
    bool takeOver = false;

    // mesh() also reads the VirtualServices in reach (reach_inputs.hpp) for the plan's notes: other
    // VirtualServices for its hosts, a delegate's parents. One more LIST, so only where the notes are
    // printed and one object is shifted.
    bool reach = false;

    // The connection's API this store talks to (writeMany batches the stores of one).
    const kube::Api* api() const { return &api_; }

   private:
    std::string printed(doc::Node object) const;  // a copy: managedFields is dropped

    // A write in two halves, so that several can share one batch of PUTs: what to PUT (and the
    // diff's side), or the Change when nothing goes out; then what the PUT's answer makes of it.
    struct Pending {
        doc::Node merged;
        std::string shown;
        bool serverDry = false;
    };
    std::variant<app::Change, Pending> prepare(const app::Snapshot& read, const core::ShiftPlan& plan,
                                               app::DryRun dryRun);
    kube::Api::Put putOf(const Pending& p) const;
    Result<app::Change> finish(const doc::Node& live, Pending p, Result<kube::Api::PutResult> put);
    kube::Api::Put restorePut() const;  // the object as read, on condition of shift's write
    Status restored(Result<kube::Api::PutResult> put);

    kube::Api& api_;
    core::RouteKind kind_;
    std::string ns_;
    std::string name_;
    app::Output output_;
    app::Warn warn_;
    std::string servedVersion_;        // the API version the object was read in ("v1", "v1alpha3")
    doc::Stream live_;                 // the object last read
    std::string resourceVersion_;      // its metadata.resourceVersion
    std::string written_;              // the resourceVersion the last write left, for restore()
    std::vector<doc::Stream> lists_;   // the lists the mesh was last read from
    std::optional<doc::Node> seeded_;  // seed()'s object, until the first read()
};

}  // namespace shift::stores
