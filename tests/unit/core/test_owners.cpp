#include <doctest/doctest.h>

#include "core/owners.hpp"
#include "helpers.hpp"

using namespace shift;

namespace {

std::vector<core::OwnerFinding> owners(const std::string& metadata) {
    auto s = test::yaml(
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n"
        "  namespace: demo\n" +
        metadata + "spec: {hosts: [reviews]}\n");
    return core::findOwners(s.docs.at(0));
}

std::string managed(const std::string& manager) {
    return "  managedFields:\n  - {manager: " + manager +
           ", operation: Update, apiVersion: networking.istio.io/v1}\n";
}

}  // namespace

TEST_SUITE("core::owners") {
    TEST_CASE("nothing but shift and kubectl: no finding") {
        CHECK(owners(managed("shift") + "  labels: {app.kubernetes.io/instance: reviews}\n").empty());
    }
    TEST_CASE("Argo CD by its tracking annotation, its manager, or the instance label beside the manager") {
        auto a = owners(
            "  annotations: {argocd.argoproj.io/tracking-id: "
            "\"shop:networking.istio.io/VirtualService:demo/reviews\"}\n");
        REQUIRE(a.size() == 1);
        CHECK(a[0].owner == core::Owner::ArgoCD);
        CHECK(
            a[0].evidence ==
            "annotation argocd.argoproj.io/tracking-id=shop:networking.istio.io/VirtualService:demo/reviews");
        auto m = owners(managed("argocd-controller"));
        REQUIRE(m.size() == 1);
        CHECK(m[0].evidence == "field manager argocd-controller");
        auto l = owners(managed("argocd-application-controller") +
                        "  labels: {app.kubernetes.io/instance: shop}\n");
        REQUIRE(l.size() == 1);
        CHECK(l[0].evidence == "label app.kubernetes.io/instance=shop");
        CHECK(core::ownerWarning(l[0], core::RouteKind::VirtualService, "demo/reviews") ==
              "VirtualService demo/reviews is managed by Argo CD (label app.kubernetes.io/instance=shop): "
              "its next "
              "sync reverts this change; make the change in Git instead");
    }
    TEST_CASE("Flux by its labels or its controllers' managers") {
        auto f = owners("  labels: {kustomize.toolkit.fluxcd.io/name: apps}\n");
        REQUIRE(f.size() == 1);
        CHECK(f[0].owner == core::Owner::Flux);
        CHECK(core::ownerWarning(f[0], core::RouteKind::VirtualService, "demo/reviews") ==
              "VirtualService demo/reviews is managed by Flux (label kustomize.toolkit.fluxcd.io/name=apps): "
              "its "
              "next reconciliation reverts this change; make the change in Git instead");
        CHECK(owners(managed("helm-controller")).at(0).owner == core::Owner::Flux);
        CHECK(owners("  labels: {helm.toolkit.fluxcd.io/name: shop}\n").at(0).owner == core::Owner::Flux);
    }
    TEST_CASE("Helm by its managed-by label or release annotation; Flux's helm-controller is both") {
        auto h = owners(
            "  labels: {app.kubernetes.io/managed-by: Helm}\n  annotations: {meta.helm.sh/release-name: "
            "shop}\n" +
            managed("helm-controller"));
        REQUIRE(h.size() == 2);
        CHECK(h[0].owner == core::Owner::Flux);
        CHECK(h[1].owner == core::Owner::Helm);
        CHECK(h[1].evidence == "label app.kubernetes.io/managed-by=Helm");
        CHECK(owners("  annotations: {meta.helm.sh/release-name: shop}\n").at(0).evidence ==
              "annotation meta.helm.sh/release-name=shop");
    }
    TEST_CASE("Flagger and Argo Rollouts drive the weights: a refusal naming --force") {
        auto f = owners(
            "  ownerReferences:\n  - {apiVersion: flagger.app/v1beta1, kind: Canary, name: reviews, uid: "
            "x}\n");
        REQUIRE(f.size() == 1);
        CHECK(f[0].owner == core::Owner::Flagger);
        CHECK(core::drivesWeights(f[0].owner));
        auto e = core::ownerRefusal(f[0], core::RouteKind::VirtualService, "demo/reviews");
        CHECK(e.exit == kExitInput);
        CHECK(e.message ==
              "VirtualService demo/reviews has its weights driven by Flagger (ownerReference Canary "
              "reviews); it "
              "would undo this change at its next step; nothing written: change the Canary instead, or pass "
              "--force to write anyway");
        CHECK(core::ownerForced(f[0], core::RouteKind::HTTPRoute, "demo/reviews") ==
              "HTTPRoute demo/reviews has its weights driven by Flagger (ownerReference Canary reviews); "
              "written "
              "anyway (--force): it will undo this change at its next step");
        CHECK(owners(managed("flagger")).at(0).evidence == "field manager flagger");
        auto r = owners(managed("argo-rollouts"));
        REQUIRE(r.size() == 1);
        CHECK(r[0].owner == core::Owner::ArgoRollouts);
        CHECK(owners("  ownerReferences:\n  - {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: r, "
                     "uid: x}\n")
                  .at(0)
                  .owner == core::Owner::ArgoRollouts);
        // A Rollout of another group is not Argo's.
        CHECK(owners("  ownerReferences:\n  - {apiVersion: example.com/v1, kind: Rollout, name: r, uid: x}\n")
                  .empty());
    }
    TEST_CASE("Kiali by its manager: a warning, not a refusal") {
        auto k = owners(managed("kiali"));
        REQUIRE(k.size() == 1);
        CHECK_FALSE(core::drivesWeights(k[0].owner));
        CHECK(core::ownerWarning(k[0], core::RouteKind::VirtualService, "demo/reviews") ==
              "VirtualService demo/reviews was written by Kiali (field manager kiali): a change saved in "
              "Kiali's "
              "wizard overwrites this one");
    }
    TEST_CASE("ownerVerdict: warnings for every owner, a refusal for a weight driver unless forced") {
        auto object = [](const std::string& metadata) {
            return test::yaml(
                "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n"
                "  namespace: demo\n" +
                metadata + "spec: {hosts: [reviews]}\n");
        };
        auto plain = object(managed("shift"));
        auto none = core::ownerVerdict(plain.docs.at(0), false);
        REQUIRE(none);
        CHECK(none->empty());
        auto both = object("  labels: {app.kubernetes.io/managed-by: Helm}\n" + managed("flagger"));
        auto refused = core::ownerVerdict(both.docs.at(0), false);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().message.find("driven by Flagger (field manager flagger)") != std::string::npos);
        auto forced = core::ownerVerdict(both.docs.at(0), true);
        REQUIRE(forced);
        REQUIRE(forced->size() == 2);
        CHECK((*forced)[0].rfind("VirtualService demo/reviews is managed by Helm", 0) == 0);
        CHECK((*forced)[1].find("written anyway (--force)") != std::string::npos);
    }
}
