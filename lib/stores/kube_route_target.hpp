#pragma once
// One rule of a VirtualService (or an HTTPRoute) in the cluster, as the rollout engine writes it: every write
// is a PUT with the resourceVersion last seen, carries the rollout mark and appends to the history
// annotation; a restore puts back the rule's route exactly as the rollout found it.
#include <optional>
#include <string>
#include <vector>

#include "app/rollout.hpp"
#include "app/store.hpp"
#include "core/plan.hpp"
#include "doc/parse.hpp"
#include "kube/istio_api.hpp"

namespace shift::stores {

struct RouteTargetOptions {
    std::string ns, name;
    std::vector<std::string> routes;  // --route; empty: the default rule
    core::SplitOptions split;
    std::string user;  // recorded in the history
    std::size_t historyLimit = core::kDefaultHistoryLimit;
    bool validate = true;                                    // --no-validate: skip the host and subset checks
    core::RouteKind kind = core::RouteKind::VirtualService;  // which kind `name` is
    // --force: an owner that drives the weights (Flagger, Argo Rollouts) is a warning, not a refusal.
    bool force = false;
    // Read the VirtualServices in reach before the first step, for their notes (reach_inputs.hpp: one
    // more LIST, for a rollout of one object).
    bool reach = false;
};

class KubeRouteTarget : public app::RolloutTarget {
   public:
    KubeRouteTarget(kube::Api& api, RouteTargetOptions options, app::Warn warn);

    // The object as a LIST returned it (-l): the first read() uses it instead of a GET.
    void seed(doc::Node listed) { seeded_ = std::move(listed); }

    std::string name() const override;
    std::string setCommand(const core::RuleSplit& split) const override;
    std::string unmarkCommand() const override;
    Result<app::RouteState> read() override;
    Status preflight(const core::Request& finalStep) override;
    Result<app::WriteOutcome> write(const app::RouteState& basis, const std::optional<core::Request>& request,
                                    const std::optional<core::RolloutMark>& mark,
                                    const std::string& record) override;
    // The writes of targets of one cluster go out as one Api::putRoutes (at once over HTTP/2), a
    // cluster at a time; after a cluster whose batch had a failure, the rest are not sent.
    app::TargetWrites writeMany(const std::vector<app::TargetWrite>& writes,
                                const std::optional<core::RolloutMark>& mark,
                                const std::string& record) override;
    Result<app::WriteOutcome> restore(const app::RouteState& basis, const app::RouteState& original,
                                      const std::string& record) override;
    // The retire notes of the final step that preflight planned.
    void completed() override;

   private:
    Result<app::RouteState> stateOf(const doc::Node& object);
    Result<doc::Node> mergedOf(const std::optional<core::Request>& request,
                               const std::optional<core::RolloutMark>& mark) const;
    Result<app::WriteOutcome> put(const app::RouteState& basis, doc::Node merged, const std::string& record);
    Result<kube::Api::Put> putOf(const app::RouteState& basis, doc::Node merged, const std::string& record);
    Result<app::WriteOutcome> answered(Result<kube::Api::PutResult> answer);
    doc::Node* routeNode(doc::Node& object) const;
    Status noteReach(const core::ShiftPlan& plan, core::Mesh& mesh, std::vector<doc::Stream>& lists);

    kube::Api& api_;
    RouteTargetOptions o_;
    app::Warn warn_;
    std::string version_;   // the API version served
    std::string selector_;  // "http:0": the rule, once read
    std::string label_;     // "http[0]"
    doc::Stream live_;      // the object last read or written
    doc::Stream first_;     // the object as the rollout found it
    bool haveFirst_ = false;
    std::optional<doc::Node> seeded_;  // seed()'s object, until the first read()
    std::vector<std::string> retire_;  // preflight's retire notes, said once the rollout is complete
};

}  // namespace shift::stores
