#include "core/owners.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace shift::core {

namespace {

std::string text(const doc::Node& object, std::initializer_list<std::string_view> path) {
    const auto* n = object.at(path);
    return n && n->isScalar() ? n->str() : std::string();
}

std::string label(const doc::Node& o, std::string_view key) {
    const auto* labels = o.at({"metadata", "labels"});
    const auto* v = labels ? labels->get(key) : nullptr;
    return v && v->isScalar() ? v->str() : std::string();
}

std::string annotation(const doc::Node& o, std::string_view key) {
    const auto* annotations = o.at({"metadata", "annotations"});
    const auto* v = annotations ? annotations->get(key) : nullptr;
    return v && v->isScalar() ? v->str() : std::string();
}

std::vector<std::string> managers(const doc::Node& o) {
    std::vector<std::string> out;
    const auto* fields = o.at({"metadata", "managedFields"});
    if (!fields || !fields->isSeq()) return out;
    for (const auto& f : fields->items) {
        if (const auto* m = f.get("manager"); m && m->isScalar()) out.push_back(m->str());
    }
    return out;
}

// "Canary podinfo" for an ownerReference of that kind in that API group, else "".
std::string ownerRef(const doc::Node& o, std::string_view kind, std::string_view group) {
    const auto* refs = o.at({"metadata", "ownerReferences"});
    if (!refs || !refs->isSeq()) return {};
    for (const auto& r : refs->items) {
        auto apiVersion = text(r, {"apiVersion"});
        if (text(r, {"kind"}) == kind && apiVersion.substr(0, apiVersion.find('/')) == group)
            return fmt::format("ownerReference {} {}", kind, text(r, {"name"}));
    }
    return {};
}

std::string managerOf(const std::vector<std::string>& all, std::initializer_list<std::string_view> names) {
    for (const auto& m : all) {
        if (std::find(names.begin(), names.end(), m) != names.end()) return "field manager " + m;
    }
    return {};
}

std::string firstOf(std::initializer_list<std::string> evidence) {
    for (const auto& e : evidence)
        if (!e.empty()) return e;
    return {};
}

const char* ownerName(Owner o) {
    switch (o) {
        case Owner::ArgoCD:
            return "Argo CD";
        case Owner::Flux:
            return "Flux";
        case Owner::Helm:
            return "Helm";
        case Owner::Flagger:
            return "Flagger";
        case Owner::ArgoRollouts:
            return "Argo Rollouts";
        case Owner::Kiali:
            return "Kiali";
    }
    return "";
}

std::string labelled(const doc::Node& o, const char* key) {
    auto v = label(o, key);
    return v.empty() ? v : fmt::format("label {}={}", key, v);
}

std::string annotated(const doc::Node& o, const char* key) {
    auto v = annotation(o, key);
    return v.empty() ? v : fmt::format("annotation {}={}", key, v);
}

}  // namespace

std::vector<OwnerFinding> findOwners(const doc::Node& o) {
    auto all = managers(o);
    auto argo = managerOf(all, {"argocd-controller", "argocd-application-controller"});
    // app.kubernetes.io/instance is Argo CD's tracking label only beside one of its managers: Helm
    // charts set it too.
    std::string instance = argo.empty() ? std::string() : labelled(o, "app.kubernetes.io/instance");
    std::vector<std::pair<Owner, std::string>> evidence{
        {Owner::ArgoCD, firstOf({annotated(o, "argocd.argoproj.io/tracking-id"), instance, argo})},
        {Owner::Flux,
         firstOf({labelled(o, "kustomize.toolkit.fluxcd.io/name"), labelled(o, "helm.toolkit.fluxcd.io/name"),
                  managerOf(all, {"kustomize-controller", "helm-controller"})})},
        {Owner::Helm, firstOf({label(o, "app.kubernetes.io/managed-by") == "Helm"
                                   ? std::string("label app.kubernetes.io/managed-by=Helm")
                                   : std::string(),
                               annotated(o, "meta.helm.sh/release-name")})},
        {Owner::Flagger, firstOf({ownerRef(o, "Canary", "flagger.app"), managerOf(all, {"flagger"})})},
        {Owner::ArgoRollouts, firstOf({ownerRef(o, "Rollout", "argoproj.io"),
                                       managerOf(all, {"argo-rollouts", "rollouts-controller"})})},
        {Owner::Kiali, managerOf(all, {"kiali"})},
    };
    std::vector<OwnerFinding> out;
    for (auto& [owner, why] : evidence)
        if (!why.empty()) out.push_back(OwnerFinding{owner, std::move(why)});
    return out;
}

bool drivesWeights(Owner owner) { return owner == Owner::Flagger || owner == Owner::ArgoRollouts; }

std::string ownerWarning(const OwnerFinding& f, RouteKind kind, const std::string& name) {
    auto what =
        fmt::format("{} {} is managed by {} ({})", kindName(kind), name, ownerName(f.owner), f.evidence);
    switch (f.owner) {
        case Owner::ArgoCD:
            return what + ": its next sync reverts this change; make the change in Git instead";
        case Owner::Flux:
            return what + ": its next reconciliation reverts this change; make the change in Git instead";
        case Owner::Helm:
            return what +
                   ": the next helm upgrade reverts this change; make the change in the chart or its "
                   "values instead";
        case Owner::Kiali:
            return fmt::format(
                "{} {} was written by Kiali ({}): a change saved in Kiali's wizard overwrites this one",
                kindName(kind), name, f.evidence);
        default:
            return what;
    }
}

Error ownerRefusal(const OwnerFinding& f, RouteKind kind, const std::string& name) {
    auto resource = f.owner == Owner::Flagger ? "Canary" : "Rollout";
    return fail(
        fmt::format("{} {} has its weights driven by {} ({}); it would undo this change at its next "
                    "step; nothing written: change the {} instead, or pass --force to write anyway",
                    kindName(kind), name, ownerName(f.owner), f.evidence, resource));
}

std::string ownerForced(const OwnerFinding& f, RouteKind kind, const std::string& name) {
    return fmt::format(
        "{} {} has its weights driven by {} ({}); written anyway (--force): it will undo this "
        "change at its next step",
        kindName(kind), name, ownerName(f.owner), f.evidence);
}

Result<std::vector<std::string>> ownerVerdict(const doc::Node& object, bool force) {
    auto kind = text(object, {"kind"}) == "HTTPRoute" ? RouteKind::HTTPRoute : RouteKind::VirtualService;
    auto ns = text(object, {"metadata", "namespace"});
    std::string who = (ns.empty() ? ns : ns + "/") + text(object, {"metadata", "name"});
    const auto owners = findOwners(object);
    for (const auto& f : owners) {
        if (drivesWeights(f.owner) && !force) return ownerRefusal(f, kind, who);
    }
    std::vector<std::string> out;
    for (const auto& f : owners)
        out.push_back(drivesWeights(f.owner) ? ownerForced(f, kind, who) : ownerWarning(f, kind, who));
    return out;
}

}  // namespace shift::core
