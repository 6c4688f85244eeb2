#include "stores/kube_route_target.hpp"

#include <fmt/format.h>

#include "core/annotations.hpp"
#include "core/apply.hpp"
#include "core/coverage.hpp"
#include "core/delegates.hpp"
#include "core/owners.hpp"
#include "core/reach.hpp"
#include "core/select.hpp"
#include "core/split_report.hpp"
#include "core/traffic_gains.hpp"
#include "doc/emit.hpp"
#include "stores/kube_store.hpp"
#include "stores/mesh_inputs.hpp"
#include "stores/reach_inputs.hpp"

namespace shift::stores {

KubeRouteTarget::KubeRouteTarget(kube::Api& api, RouteTargetOptions options, app::Warn warn)
    : api_(api), o_(std::move(options)), warn_(std::move(warn)) {}

std::string KubeRouteTarget::name() const { return fmt::format("{}/{} {}", o_.ns, o_.name, label_); }

std::string KubeRouteTarget::setCommand(const core::RuleSplit& split) const {
    auto target = o_.kind == core::RouteKind::HTTPRoute ? "httproute/" + o_.name : o_.name;
    std::string out = fmt::format("kubectl shift set {} -n {} --route {}", target, o_.ns, selector_);
    for (const auto& d : split.destinations) out += fmt::format(" {}={}", d.key, d.weight);
    return out + " --force";  // the rollout's mark may still be there: --force removes it
}

std::string KubeRouteTarget::unmarkCommand() const {
    return fmt::format("kubectl annotate {} {} -n {} {}-", core::typeName(o_.kind), o_.name, o_.ns,
                       core::kRolloutAnnotation);
}

// The rollout moves one rule: the default one, or the one --route names.
Result<app::RouteState> KubeRouteTarget::stateOf(const doc::Node& object) {
    auto vs = core::readVirtualService(object);
    if (!vs) return vs.error();
    auto rules = core::selectRules(*vs, o_.routes);
    if (!rules) return rules.error();
    if (rules->size() != 1) {
        return fail(fmt::format("a rollout moves one rule; {} {} has {} selected; give one --route",
                                core::kindName(vs->kind), core::qualifiedName(*vs), rules->size()));
    }
    const auto& rule = vs->rules[rules->front()];
    if (auto delegated = core::delegatedRule(*vs, rule)) return *delegated;
    label_ = fmt::format("{}[{}]", core::listName(rule.list), rule.index);
    selector_ = fmt::format("{}:{}", core::listName(rule.list), rule.index);
    app::RouteState state;
    const auto* rv = object.at({"metadata", "resourceVersion"});
    state.version = rv ? rv->str() : std::string();
    state.split = core::splitOf(*vs, *rules).at(0);
    state.mark = core::rolloutMarkOf(object);
    state.lastWriter = core::lastManager(object);
    return state;
}

Result<app::RouteState> KubeRouteTarget::read() {
    if (seeded_) {
        live_ = doc::Stream{doc::Format::Json, {}, {}};
        live_.docs.push_back(std::move(*seeded_));
        seeded_.reset();
        version_ = servedVersionOf(live_.docs.front());
    } else {
        auto object = api_.getRoute(routeResource(o_.kind), o_.ns, o_.name);
        if (!object) return object.error();
        auto stream =
            doc::parseJson(std::move(object->json), fmt::format("the server's {}", core::kindName(o_.kind)));
        if (!stream) return stream.error();
        version_ = object->version;
        live_ = std::move(*stream);
    }
    if (!haveFirst_) {
        first_ = live_;
        haveFirst_ = true;
    }
    return stateOf(live_.docs.at(0));
}

// The final step as `shift set` would check it: the object's owners, then new hosts must exist and
// subsets be defined. The notes of a gateway-only binding are said now, before the first step; those of
// subsets the final step leaves without traffic once it has landed (completed()).
Status KubeRouteTarget::preflight(const core::Request& finalStep) {
    const doc::Node& object = live_.docs.at(0);
    auto owners = core::ownerVerdict(object, o_.force);
    if (!owners) return owners.error();
    core::ShiftOptions shift{{selector_}, o_.split};
    auto plan = core::planShift(object, finalStep, shift, nullptr);
    if (!plan) return plan.error();
    if (warn_) {
        for (const auto& w : *owners) warn_(w);
        for (const auto& n : core::coverageNotes(object)) warn_(n);
    }
    retire_ = core::retireNotes(*plan);
    if (!o_.validate) return okStatus();
    std::vector<doc::Stream> lists;
    auto mesh = readMesh(api_, *plan, core::trafficGains(*plan), lists, warn_);
    if (!mesh) return mesh.error();
    auto warnings = core::checkDestinations(*plan, *mesh);
    if (!warnings) return warnings.error();
    if (warn_) {
        for (const auto& w : *warnings) warn_(w);
    }
    if (!o_.reach || !plan->changed) return okStatus();
    return noteReach(*plan, *mesh, lists);
}

// What else routes the hosts, or a delegate's parents (reach_inputs.hpp): notes before the first step.
Status KubeRouteTarget::noteReach(const core::ShiftPlan& plan, core::Mesh& mesh,
                                  std::vector<doc::Stream>& lists) {
    if (auto st = readReach(api_, plan.vs, mesh, lists, warn_); !st) return st.error();
    if (mesh.reach != core::Mesh::Check::Yes || !warn_) return okStatus();
    for (const auto& n : core::delegateNotes(plan.vs, mesh.virtualServices)) warn_(n);
    for (const auto& n : core::reachNotes(plan.vs, live_.docs.at(0), mesh.virtualServices)) warn_(n);
    return okStatus();
}

void KubeRouteTarget::completed() {
    if (warn_)
        for (const auto& n : retire_) warn_(n);
}

Result<app::WriteOutcome> KubeRouteTarget::write(const app::RouteState& basis,
                                                 const std::optional<core::Request>& request,
                                                 const std::optional<core::RolloutMark>& mark,
                                                 const std::string& record) {
    auto merged = mergedOf(request, mark);
    if (!merged) return merged.error();
    return put(basis, std::move(*merged), record);
}

// The object last seen with the request's split and the mark.
Result<doc::Node> KubeRouteTarget::mergedOf(const std::optional<core::Request>& request,
                                            const std::optional<core::RolloutMark>& mark) const {
    const doc::Node& live = live_.docs.at(0);
    doc::Node merged = live;
    if (request) {
        core::ShiftOptions shift{{selector_}, o_.split};
        auto plan = core::planShift(live, *request, shift, nullptr);
        if (!plan) return plan.error();
        merged = core::applyToTree(live, plan->vs, plan->rules);
    }
    core::setRolloutMark(merged, mark);
    return merged;
}

doc::Node* KubeRouteTarget::routeNode(doc::Node& object) const {
    auto colon = selector_.find(':');
    auto* list = object.at({"spec"}) ? object.get("spec")->get(selector_.substr(0, colon)) : nullptr;
    auto index = std::stoul(selector_.substr(colon + 1));
    if (!list || !list->isSeq() || index >= list->items.size()) return nullptr;
    return list->items[index].get(o_.kind == core::RouteKind::HTTPRoute ? "backendRefs" : "route");
}

// The rule's route exactly as the rollout found it: every field, not only the weights.
Result<app::WriteOutcome> KubeRouteTarget::restore(const app::RouteState& basis, const app::RouteState&,
                                                   const std::string& record) {
    doc::Node merged = live_.docs.at(0);
    auto* now = routeNode(merged);
    auto* then = routeNode(first_.docs.at(0));
    if (!now || !then) {
        return fail(fmt::format("rule {} of {} {}/{} is gone; cannot restore it", label_,
                                core::kindName(o_.kind), o_.ns, o_.name));
    }
    *now = *then;
    core::setRolloutMark(merged, std::nullopt);
    return put(basis, std::move(merged), record);
}

// PUT with basis.version as the precondition, the history appended when there is a record.
Result<app::WriteOutcome> KubeRouteTarget::put(const app::RouteState& basis, doc::Node merged,
                                               const std::string& record) {
    auto put = putOf(basis, std::move(merged), record);
    if (!put) return put.error();
    return answered(api_.putRoute(*put->kind, put->ns, put->name, put->version, put->json, false));
}

Result<kube::Api::Put> KubeRouteTarget::putOf(const app::RouteState& basis, doc::Node merged,
                                              const std::string& record) {
    if (!record.empty()) {
        core::Revision change{0, core::Clock::now(), o_.user, record, {}};
        if (auto st = core::recordRevision(merged, live_.docs.at(0), change, o_.historyLimit); !st)
            return st.error();
    }
    if (auto* meta = merged.get("metadata")) meta->set("resourceVersion", doc::Node::string(basis.version));
    return kube::Api::Put{&routeResource(o_.kind), o_.ns, o_.name, version_, doc::toJson(merged, 0), false};
}

// The object as the server answered the PUT becomes the one last seen.
Result<app::WriteOutcome> KubeRouteTarget::answered(Result<kube::Api::PutResult> answer) {
    if (!answer) return answer.error();
    if (answer->conflict) return app::WriteOutcome{true, {}};
    auto stream = doc::parseJson(std::move(answer->json), "the server's answer");
    if (!stream) return stream.error();
    live_ = std::move(*stream);
    auto state = stateOf(live_.docs.at(0));
    if (!state) return state.error();
    return app::WriteOutcome{false, std::move(*state)};
}

}  // namespace shift::stores
