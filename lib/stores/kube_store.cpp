#include "stores/kube_store.hpp"

#include <fmt/format.h>

#include "core/annotations.hpp"
#include "core/apply.hpp"
#include "doc/emit.hpp"

namespace shift::stores {

namespace {

// What a diff shows of an object: no status and no managedFields, as kubectl diff.
std::string diffView(doc::Node object) {
    object.erase("status");
    if (auto* meta = object.get("metadata")) meta->erase("managedFields");
    return doc::toYaml(object);
}

// A server dry run's answer bumps resourceVersion and generation; the diff shows the live values so
// that only the requested change stands out.
std::string dryRunView(doc::Node answer, const doc::Node& live) {
    auto* meta = answer.get("metadata");
    const auto* liveMeta = live.get("metadata");
    for (const char* field : {"resourceVersion", "generation"}) {
        if (!meta || !liveMeta) break;
        if (const auto* was = liveMeta->get(field))
            meta->set(field, *was);
        else
            meta->erase(field);
    }
    return diffView(std::move(answer));
}

std::string resourceVersion(const doc::Node& object) {
    const auto* rv = object.at({"metadata", "resourceVersion"});
    return rv ? rv->str() : std::string();
}

}  // namespace

std::string servedVersionOf(const doc::Node& listed) {
    // The LIST was made in the served version, which its items' apiVersion names (group/version).
    const auto* apiVersion = listed.get("apiVersion");
    auto text = apiVersion ? apiVersion->str() : std::string();
    return text.substr(text.find('/') + 1);
}

const kube::RouteResource& routeResource(core::RouteKind kind) {
    return kind == core::RouteKind::HTTPRoute ? kube::httpRoutes() : kube::virtualServices();
}

KubeStore::KubeStore(kube::Api& api, std::string ns, std::string name, app::Output output, app::Warn warn,
                     core::RouteKind kind)
    : api_(api),
      kind_(kind),
      ns_(std::move(ns)),
      name_(std::move(name)),
      output_(output),
      warn_(std::move(warn)) {}

Result<app::Snapshot> KubeStore::read() {
    if (seeded_) {
        live_ = doc::Stream{doc::Format::Json, {}, {}};
        live_.docs.push_back(std::move(*seeded_));
        seeded_.reset();
        servedVersion_ = servedVersionOf(live_.docs.front());
        resourceVersion_ = resourceVersion(live_.docs.front());
        return app::Snapshot{&live_.docs.front(), resourceVersion_};
    }
    auto object = api_.getRoute(routeResource(kind_), ns_, name_);
    if (!object) return object.error();
    auto stream =
        doc::parseJson(std::move(object->json), fmt::format("the server's {}", core::kindName(kind_)));
    if (!stream) return stream.error();
    servedVersion_ = object->version;
    live_ = std::move(*stream);
    const doc::Node& live = live_.docs.at(0);
    resourceVersion_ = resourceVersion(live);
    return app::Snapshot{&live, resourceVersion_};
}

// The object as -o yaml|json prints it: without managedFields, as kubectl get shows it by default.
std::string KubeStore::printed(doc::Node object) const {
    if (output_ == app::Output::None) return {};
    if (auto* meta = object.get("metadata")) meta->erase("managedFields");
    return output_ == app::Output::Json ? doc::toJson(object) + "\n" : doc::toYaml(object);
}

// The precondition travels in the PUT body: metadata.resourceVersion as read (read.version).
Result<app::Change> KubeStore::write(const app::Snapshot& read, const core::ShiftPlan& plan,
                                     app::DryRun dryRun) {
    auto prepared = prepare(read, plan, dryRun);
    if (auto* change = std::get_if<app::Change>(&prepared)) return std::move(*change);
    auto& pending = std::get<Pending>(prepared);
    kube::Api::Put put = putOf(pending);
    return finish(*read.object, std::move(pending),
                  api_.putRoute(*put.kind, put.ns, put.name, put.version, put.json, put.dryRun));
}

std::variant<app::Change, KubeStore::Pending> KubeStore::prepare(const app::Snapshot& read,
                                                                 const core::ShiftPlan& plan,
                                                                 app::DryRun dryRun) {
    const doc::Node& live = *read.object;
    if (!plan.changed) return app::Change{false, {}, {}, {}, {}, printed(live), {}};
    doc::Node merged = core::applyToTree(live, plan.vs, plan.rules);
    std::string shown = diffView(merged);
    if (dryRun == app::DryRun::Client) {
        const auto& api = routeResource(kind_);
        std::string label = fmt::format("{}.{}.{}.{}.{}", api.group, servedVersion_, api.kind, ns_, name_);
        return app::Change{
            false,           diffView(live),     std::move(shown), "live/" + label, "merged/" + label,
            printed(merged), "shifted (dry run)"};
    }
    bool serverDry = dryRun == app::DryRun::Server;
    // After the diff's side is taken: the diff shows the change asked for, not the record of it.
    // A history that is not shift's must not block a shift (it may be the fix of an outage):
    // the change goes out unrecorded, with the error as a warning.
    if (!serverDry && record) {
        core::Revision change{0, core::Clock::now(), record->user, record->command, {}};
        doc::Node recorded = merged;
        auto st = core::recordRevision(recorded, live, change, record->limit);
        if (st)
            merged = std::move(recorded);
        else if (warn_)
            warn_("the change is not recorded in the history: " + st.error().message);
    }
    if (takeOver) core::setRolloutMark(merged, std::nullopt);
    if (!serverDry && beforeSend) beforeSend();
    return Pending{std::move(merged), std::move(shown), serverDry};
}

kube::Api::Put KubeStore::putOf(const Pending& p) const {
    return kube::Api::Put{&routeResource(kind_),    ns_,        name_, servedVersion_,
                          doc::toJson(p.merged, 0), p.serverDry};
}

Result<app::Change> KubeStore::finish(const doc::Node& live, Pending p, Result<kube::Api::PutResult> put) {
    if (!put) return put.error();
    if (put->recovered && warn_) {
        warn_(
            "the connection broke before the server answered the PUT; reading the object again shows "
            "the change in place");
    }
    if (put->conflict) return app::Change{true, {}, {}, {}, {}, {}, {}};
    auto answer = doc::parseJson(std::move(put->json), "the server's answer");
    if (!answer) return answer.error();
    doc::Node merged = std::move(answer->docs.at(0));
    if (!p.serverDry) written_ = resourceVersion(merged);
    // The server's answer shows what admission and defaulting made of it.
    if (p.serverDry) p.shown = dryRunView(merged, live);
    const auto& api = routeResource(kind_);
    std::string label = fmt::format("{}.{}.{}.{}.{}", api.group, servedVersion_, api.kind, ns_, name_);
    return app::Change{false,
                       diffView(live),
                       std::move(p.shown),
                       "live/" + label,
                       "merged/" + label,
                       printed(merged),
                       p.serverDry ? "shifted (server dry run)" : "shifted"};
}

// The object as read goes back whole (its history annotation too: the undone change leaves no
// revision), with the resourceVersion shift's write left: a 409 means someone wrote after shift.
Status KubeStore::restore() {
    if (live_.docs.empty() || written_.empty()) return fail("nothing was written to put back");
    kube::Api::Put put = restorePut();
    return restored(api_.putRoute(*put.kind, put.ns, put.name, put.version, put.json, false));
}

kube::Api::Put KubeStore::restorePut() const {
    doc::Node back = live_.docs.at(0);
    if (auto* meta = back.get("metadata")) {
        meta->set("resourceVersion", doc::Node::string(written_));
        meta->erase("managedFields");
    }
    return kube::Api::Put{&routeResource(kind_), ns_, name_, servedVersion_, doc::toJson(back, 0), false};
}

Status KubeStore::restored(Result<kube::Api::PutResult> put) {
    if (!put) return put.error();
    if (put->conflict)
        return fail(
            fmt::format("{} \"{}\" changed on the server after shift wrote it", core::typeName(kind_), name_),
            kExitConflict);
    written_.clear();
    return okStatus();
}

std::string KubeStore::conflictWarning(int next, int attempts) const {
    return fmt::format(
        "{} \"{}\" changed on the server while shifting (409 Conflict); re-reading it and "
        "planning again (attempt {} of {})",
        core::typeName(kind_), name_, next, attempts);
}

Error KubeStore::gaveUp(int attempts) const {
    return fail(fmt::format("{} \"{}\" in namespace \"{}\" kept changing on the server: gave up "
                            "after {} attempts, nothing applied; retry when other writers are done",
                            core::typeName(kind_), name_, ns_, attempts),
                kExitConflict);
}

}  // namespace shift::stores
